#!/usr/bin/env bash
# How long the syndication command takes to answer, process start to exit, RUNS times each after a warm-up:
# `check` of the sample (storage configured, so it also looks up moved feeds) and `status` (against Azurite after a
# sweep of FEEDS loopback feeds). Three ways to run it: the ReadyToRun build scripts/install.sh installs, the plain
# build (`dotnet Syndication.Cli.dll`), and `dotnet run` (what the README used before the tool).
# Usage: bash scripts/bench/cli.sh [FEEDS=20] [RUNS=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-20}; runs=${2:-10}
. scripts/bench/setup.sh
start_bench "$feeds" 5
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port" Delivery__Pace=false
dotnet "$cli" run --config "$config" >/dev/null 2>&1
rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
dotnet publish functions/Syndication.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$AZURITE_DIR/tool" --nologo -v quiet >/dev/null

. scripts/bench/times.sh
RUNS=$runs
times "check, installed (ReadyToRun)" dotnet "$AZURITE_DIR/tool/Syndication.Cli.dll" check --config samples/syndication.json
times "status, installed (ReadyToRun), $feeds feeds" dotnet "$AZURITE_DIR/tool/Syndication.Cli.dll" status --config "$config"
times "check, plain build" dotnet "$cli" check --config samples/syndication.json
times "status, plain build, $feeds feeds" dotnet "$cli" status --config "$config"
times "check, dotnet run" dotnet run --project functions/Syndication.Cli -c Release -- check --config samples/syndication.json
times "status, dotnet run, $feeds feeds" dotnet run --project functions/Syndication.Cli -c Release -- status --config "$config"
