#!/usr/bin/env bash
# The robustness benchmark: whole CLI processes against a fresh Azurite and loopback feeds, with the shipped defaults.
#   stall: one feed whose 8 article pages take STALL s each, beside a feed with one ready story. Prints the sweep's wall
#          time and when the ready story's alert reached the stand-in Bot API, counted from the sweep's start.
#   huge:  one feed of ITEMS items. Prints the first sweep's wall time, peak memory and storage requests.
# CLI=path/to/Syndication.Cli.dll measures another build (an older commit, say) with the same feeds.
# Usage: bash scripts/bench/hostile.sh [STALL=20] [ITEMS=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
stall=${1:-20}; items=${2:-100000}
. scripts/azurite.sh
start_azurite
export ArticleStorage="$ARTICLE_STORAGE_CONNECTION" Syndication__AllowPrivateNetworks=true
dotnet build functions/Syndication.Cli --configuration Release --nologo -v quiet >/dev/null
cli=${CLI:-functions/Syndication.Cli/bin/Release/net10.0/Syndication.Cli.dll}
port=$(free_port)
node scripts/bench/hostile.js "$port" "$stall" "$items" "$AZURITE_DIR" &
server=$!
trap 'kill $server 2>/dev/null || true; stop_azurite' EXIT
for _ in $(seq 1 100); do [ -f "$AZURITE_DIR/huge.json" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port"
get() { node -e "require('http').get('http://127.0.0.1:$port$1', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(b)); })"; }

run() {
  local label=$1 config=$2 begin end at summary
  at=$(get /now)
  begin=$(date +%s%N)
  summary=$( { /usr/bin/time -f "peak %M KB" dotnet "$cli" run --config "$config" 2>&1 >&3 | grep "^peak" ; } 3>&1 | grep -E "^(Sweep|peak)" | tr '\n' ' ')
  end=$(date +%s%N)
  echo "$label: $(( (end - begin) / 1000000 )) ms wall; $summary"
  echo "  sends (ms after the sweep started): $(get /stats | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).sends.map(x=>x.title+' +'+(x.ms-$at)).join('; ')))")"
}
run "stall, first sweep" "$AZURITE_DIR/stall.json"
run "huge, first sweep " "$AZURITE_DIR/huge.json"
run "huge, second sweep" "$AZURITE_DIR/huge.json"
