#!/usr/bin/env bash
# Times whole sweeps (process start to exit) against a fresh Azurite and loopback feeds: a first sweep that stores
# everything, then repeat sweeps that find nothing new. Runs dry, so no bot is needed.
# Usage: bash scripts/bench/sweep.sh [FEEDS=4] [ITEMS=50] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-4}; items=${2:-50}; runs=${3:-3}
. scripts/bench/setup.sh
start_bench "$feeds" "$items"

for run in $(seq 1 "$runs"); do
  begin=$(date +%s%N)
  summary=$(dotnet "$cli" run --dry-run --config "$config" 2>/dev/null | tail -1)
  end=$(date +%s%N)
  echo "sweep $run: $(( (end - begin) / 1000000 )) ms  $summary"
done
