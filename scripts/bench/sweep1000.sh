#!/usr/bin/env bash
# The 1,000-feed benchmark: feeds and a stand-in Bot API on loopback, fresh Azurite, alerts delivered (unpaced). Times
# three sweeps (process start to exit): the first read of every feed, then all unchanged (304), then 10% with one new
# item each. Each line gives wall time, the sweep summary with its storage requests, peak memory, the app's and Azurite's
# CPU seconds, and the server's counts.
# Usage: bash scripts/bench/sweep1000.sh [FEEDS=1000] [ITEMS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-1000}; items=${2:-20}
. scripts/bench/setup.sh
export Syndication__MaxConcurrentFeeds=16
export Syndication__MaxConcurrentPerHost=16 # one loopback server stands in for 1,000 sites
start_bench "$feeds" "$items"
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port" Delivery__Pace=false
get() { node -e "require('http').get('http://127.0.0.1:$port$1', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(b)); })"; }

# CPU seconds a process has used so far (user and system), from /proc.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }

run() {
  local label=$1 begin end summary azurite_before
  begin=$(date +%s%N)
  azurite_before=$(cpu "$AZURITE_PID")
  summary=$( { /usr/bin/time -f "peak %M KB, app CPU %U s user + %S s system" dotnet "$cli" run --config "$config" 2>&1 >&3 | grep "^peak" ; } 3>&1 | tail -2 | tr '\n' ' ')
  end=$(date +%s%N)
  echo "$label: $(( (end - begin) / 1000000 )) ms; $summary; Azurite CPU $(awk -v a="$azurite_before" -v b="$(cpu "$AZURITE_PID")" 'BEGIN { printf "%.1f", b - a }') s; server: $(get /stats)"
}
run "first read     "
run "all unchanged  "
get "/bump?fraction=0.1" >/dev/null
run "10% changed    "
