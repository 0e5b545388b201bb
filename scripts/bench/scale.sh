#!/usr/bin/env bash
# The scale-out benchmark: FEEDS feeds over HOSTS loopback sites (100 by default), each answer LATENCY_MS late (100), one Azurite (blobs and queues),
# a stand-in Bot API (unpaced), and CHANNELS desks (100 by default; feed f alerts desk f % CHANNELS). After a first read,
# each cycle is `syndication schedule` (what the timers queue in Azure) worked by 1, 2 and then 4 `syndication work`
# processes, each with one new item in 10% of the feeds. A cycle's time runs from the first feed request to the last
# answer or send, as the server saw them (fetchSeconds: to the last feed answer); the server also counts feeds fetched
# twice in a cycle. Then an unchanged cycle with 1, 2 and 4 processes, against the same conditional GETs done raw by a
# minimal client with the same concurrency (16).
# Each cycle's line ends with its floor: the feeds over the requests the consumers may have in flight (16 each, 2 a site),
# times the latency.
# Usage: [CHANNELS=100] [HOSTS=100] [LATENCY_MS=100] bash scripts/bench/scale.sh [FEEDS=10000]
set -euo pipefail
cd "$(dirname "$0")/../.."
feeds=${1:-10000}
. scripts/bench/setup.sh
export HOSTS=${HOSTS:-100} LATENCY_MS=${LATENCY_MS:-100} QUIET=1 CHANNELS=${CHANNELS:-100}
floor() { # the consumers' slots or the sites' limits, whichever binds, as whole rounds of one latency each
  local inflight=$(( $1 * 16 < HOSTS * 2 ? $1 * 16 : HOSTS * 2 ))
  echo "$(( (feeds + inflight - 1) / inflight * LATENCY_MS )) ms"
}
start_bench "$feeds" 1
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port" Delivery__Pace=false
get() { node -e "require('http').get('http://127.0.0.1:$port$1', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(b)); })"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndication-scale.XXXXXX")
trap 'kill $bench_server 2>/dev/null || true; stop_azurite; rm -rf "$tmp"' EXIT

begin=$(date +%s%N)
dotnet "$cli" run --config "$config" >/dev/null 2>"$tmp/first.log"
echo "first read of $feeds feeds, one process: $(( ($(date +%s%N) - begin) / 1000000 )) ms; server: $(get /stats)"

cycle() {
  local consumers=$1 label=$2 pids=()
  for i in $(seq 1 "$consumers"); do
    /usr/bin/time -f "%M" -o "$tmp/peak-$i" dotnet "$cli" work --for 600s --config "$config" >"$tmp/work-$i.out" 2>"$tmp/work-$i.log" &
    pids+=($!)
  done
  sleep 2 # the consumers are up and polling
  dotnet "$cli" schedule --config "$config" >"$tmp/schedule.out"
  # Done when the server's counts of feed requests and sends stop moving for 6 s.
  local last=-1 now
  while true; do
    sleep 6
    now=$(node -e "require('http').get('http://127.0.0.1:$port/peek', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(b)); })")
    [ "$now" = "$last" ] && break
    last=$now
  done
  # Stop the consumers as the platform scales them in, with SIGTERM (GNU time passes no signal on, so signal its child).
  for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  local peaks
  peaks=$(for i in $(seq 1 "$consumers"); do echo "$(( $(tail -1 "$tmp/peak-$i") / 1024 )) MB"; done | tr '\n' ' ')
  echo "$label, $consumers consumer(s): server: $(get /stats); peak memory per process: $peaks; floor $(floor "$consumers")"
  grep -ho "Queued [0-9]* feeds in [0-9]* batches" "$tmp/schedule.out" || true
  for i in $(seq 1 "$consumers"); do
    echo "  consumer $i: $(grep -o 'Worked a feed batch here: [0-9]* feeds' "$tmp/work-$i.log" | awk '{ n++; f += $6 } END { printf "%d batches, %d feeds", n, f }')"
  done
}

for consumers in 1 2 4; do
  get "/bump?fraction=0.1" >/dev/null
  cycle "$consumers" "10% changed"
done
for consumers in 1 2 4; do
  cycle "$consumers" "all unchanged"
done

# The same conditional GETs, raw: 16 at a time, If-None-Match with each feed's current ETag.
node -e "
const http = require('http'); const cfg = require('$config'); const urls = cfg.feeds.map(f => f.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const etags = new Map(); let i = 0;
const get = (u, etag) => new Promise(ok => http.get(u, { agent, headers: etag ? { 'If-None-Match': etag } : {} }, r => { r.resume(); r.on('end', () => ok(r.headers.etag)); }));
(async () => {
  for (const u of urls) etags.set(u, await Promise.resolve(null));
  const one = async () => { while (i < urls.length) { const u = urls[i++]; etags.set(u, await get(u, etags.get(u))); } };
  await Promise.all(Array.from({ length: 16 }, one)); i = 0;
  require('http').get('http://127.0.0.1:$port/stats', r => r.resume());
  await new Promise(r => setTimeout(r, 200));
  const t = Date.now(); await Promise.all(Array.from({ length: 16 }, one));
  console.log('raw conditional GETs, 16 at a time: ' + (Date.now() - t) + ' ms for ' + urls.length + ' feeds');
})();"
echo "server after raw: $(get /stats)"
