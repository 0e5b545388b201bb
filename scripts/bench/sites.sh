#!/usr/bin/env bash
# Head-of-line blocking: FEEDS feeds (300) on 10 loopback sites (127.0.0.1 to 127.0.0.10), each answer 300 ms late, at
# most 2 requests at once per site and 16 feeds at once per process. Each run is a dry run of a first read (every feed
# read whole, nothing written, so every run reads the same), once with the feeds listed interleaved (site after site,
# as feeds.js writes them) and once listed site by site (as editors list a site's section feeds). Prints each run's
# fetch span (first feed request to last feed answer, as the server saw them) beside the floor, FEEDS / 16 × 0.3 s.
# Usage: bash scripts/bench/sites.sh [FEEDS=300] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-300}
runs=${2:-3}
. scripts/bench/setup.sh
export HOSTS=10 LATENCY_MS=300 QUIET=1
start_bench "$feeds" 1
export Syndication__MaxConcurrentFeeds=16 Syndication__MaxConcurrentPerHost=2
unset Telegram__BotToken
get() { node -e "require('http').get('http://127.0.0.1:$port$1', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(b)); })"; }
bysite="$AZURITE_DIR/bysite.json"
node -e "
const c = require('$config'); const site = f => new URL(f.url).host;
c.feeds.sort((a, b) => site(a) < site(b) ? -1 : site(a) > site(b) ? 1 : 0);
require('fs').writeFileSync('$bysite', JSON.stringify(c));"
get /stats >/dev/null
echo "floor: $(node -e "console.log(($feeds / 16 * 0.3).toFixed(2))") s"
for order in interleaved "site by site"; do
  file=$config; [ "$order" = "site by site" ] && file=$bysite
  for run in $(seq 1 "$runs"); do
    dotnet "$cli" run --dry-run --config "$file" >/dev/null 2>&1
    echo "$order, run $run: fetch $(get /stats | node -e "let s=''; process.stdin.on('data', d => s += d).on('end', () => { const j = JSON.parse(s); console.log(j.fetchSeconds + ' s, ' + j.requests + ' requests'); })")"
  done
done
