#!/usr/bin/env bash
# Times whole sweeps (process start to exit) against a fresh Azurite and loopback feeds: a first sweep that stores
# everything and sends its alerts to the stand-in Bot API on the feed server (unpaced), then repeat sweeps that find
# nothing new. (A dry run writes nothing, so it would not measure storing.)
# With GROWING=1 every channel takes growing stories (3 outlets within 60m), so each feed read also sorts its new
# articles into the story log; Syndication__Now=2026-11-28T07:00:00Z puts the feeds' items within its window.
# Usage: bash scripts/bench/sweep.sh [FEEDS=4] [ITEMS=50] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-4}; items=${2:-50}; runs=${3:-3}
. scripts/bench/setup.sh
start_bench "$feeds" "$items"
if [ "${GROWING:-}" = 1 ]; then
  node -e 'const fs = require("fs"); const c = JSON.parse(fs.readFileSync(process.argv[1])); for (const ch of c.channels) ch.growing = { outlets: 3, within: "60m" }; fs.writeFileSync(process.argv[1], JSON.stringify(c, null, 2));' "$config"
fi
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port" Delivery__Pace=false

for run in $(seq 1 "$runs"); do
  begin=$(date +%s%N)
  summary=$( { /usr/bin/time -f "peak %M KB" dotnet "$cli" run --config "$config" 2>&1 >&3 | grep "^peak" ; } 3>&1 | tail -2 | tr '\n' ' ')
  end=$(date +%s%N)
  echo "sweep $run: $(( (end - begin) / 1000000 )) ms  $summary"
done
