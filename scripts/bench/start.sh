#!/usr/bin/env bash
# Start-up: the CLI's `check` and the Functions worker's cold start, from the plain build and from the ReadyToRun
# publish (what `azd deploy` and `dotnet publish` produce). The worker is started by the in-test Functions host
# (FunctionsHostTests), which prints how long the worker took from launch to its last function loaded.
# Usage: bash scripts/bench/start.sh [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
out=$(mktemp -d "${TMPDIR:-/tmp}/syndication-start.XXXXXX")
trap 'rm -rf "$out"' EXIT
dotnet build Syndication.sln -c Release --nologo -v quiet >/dev/null
dotnet publish functions/Syndication.Cli -c Release -o "$out/cli" --nologo -v quiet >/dev/null
dotnet publish functions/Syndication.Functions -c Release -o "$out/worker" --nologo -v quiet >/dev/null

. scripts/bench/times.sh
RUNS=$runs
echo "== syndication check (samples/syndication.json)"
times "ReadyToRun publish" dotnet "$out/cli/Syndication.Cli.dll" check --config samples/syndication.json
times "plain build" dotnet functions/Syndication.Cli/bin/Release/net10.0/Syndication.Cli.dll check --config samples/syndication.json

worker() {
  for _ in $(seq 1 "$runs"); do
    SYNDICATION_WORKER_DIR="$1" dotnet test tests/Syndication.Tests -c Release --no-build \
      --filter "FullyQualifiedName~FunctionsHostTests.The_worker_declares" --logger "console;verbosity=detailed" 2>/dev/null \
      | grep -o "worker start: .*" || true
  done
}
echo "== Functions worker, plain build"; worker ""
echo "== Functions worker, ReadyToRun publish"; worker "$out/worker"
