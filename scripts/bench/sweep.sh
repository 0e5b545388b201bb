#!/usr/bin/env bash
# Times whole sweeps (process start to exit) against a fresh Azurite and loopback feeds: a first sweep that stores
# everything, then repeat sweeps that find nothing new. Runs dry, so no bot is needed.
# Usage: bash scripts/bench/sweep.sh [FEEDS=4] [ITEMS=50] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-4}; items=${2:-50}; runs=${3:-3}
. scripts/azurite.sh
start_azurite
export ArticleStorage="$ARTICLE_STORAGE_CONNECTION"
export Syndication__AllowPrivateNetworks=true # the bench feeds are on loopback
dotnet build functions/Syndication.Cli --configuration Release --nologo -v quiet >/dev/null

port=$(free_port)
config="$AZURITE_DIR/bench.json"
node scripts/bench/feeds.js "$port" "$feeds" "$items" "$config" &
server=$!
trap 'kill $server 2>/dev/null || true; stop_azurite' EXIT
for _ in $(seq 1 50); do [ -f "$config" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

for run in $(seq 1 "$runs"); do
  begin=$(date +%s%N)
  summary=$(dotnet functions/Syndication.Cli/bin/Release/net10.0/Syndication.Cli.dll run --dry-run --config "$config" 2>/dev/null | tail -1)
  end=$(date +%s%N)
  echo "sweep $run: $(( (end - begin) / 1000000 )) ms  $summary"
done
