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

echo "== syndication check (samples/syndication.json): ReadyToRun (A) against the plain build (B)"
farm-bench -n "$runs" --vs "dotnet functions/Syndication.Cli/bin/Release/net10.0/Syndication.Cli.dll check --config samples/syndication.json" \
  -- dotnet "$out/cli/Syndication.Cli.dll" check --config samples/syndication.json 2>&1 | grep -E "wall|cpu s"

worker() {
  for _ in $(seq 1 "$runs"); do
    SYNDICATION_WORKER_DIR="$1" dotnet test tests/Syndication.Tests -c Release --no-build \
      --filter "FullyQualifiedName~FunctionsHostTests.The_worker_declares" --logger "console;verbosity=detailed" 2>/dev/null \
      | grep -o "worker start: .*" || true
  done
}
echo "== Functions worker, plain build"; worker ""
echo "== Functions worker, ReadyToRun publish"; worker "$out/worker"
