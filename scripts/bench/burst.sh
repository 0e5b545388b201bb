#!/usr/bin/env bash
# A breaking-news burst: CHANNELS channels with ALERTS alerts each, all due at once, delivered by one whole `run`
# process to the stand-in Bot API with the shipped pacing (1 a second and 20 a minute per chat, 30 a second overall).
# Prints the sweep's wall time, the span from the first send to the last, and the pacing the stand-in observed.
# Telegram's limits put the floor at CHANNELS x ALERTS / 30 seconds (33.3 s for the default 1,000 alerts).
# Usage: bash scripts/bench/burst.sh [CHANNELS=50] [ALERTS=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
channels=${1:-50}; alerts=${2:-20}
. scripts/bench/setup.sh
export BURST=1
start_bench "$channels" "$alerts"
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port"
cli=${CLI:-$cli} # CLI=path/to/Syndication.Cli.dll times another build

begin=$(date +%s%N)
summary=$( { /usr/bin/time -f "peak %M KB" dotnet "$cli" run --config "$config" 2>&1 >&3 | grep "^peak" ; } 3>&1 | tail -2 | tr '\n' ' ')
end=$(date +%s%N)
echo "burst of $((channels * alerts)) alerts to $channels channels: sweep $(( (end - begin) / 1000000 )) ms  $summary"
echo "floor at 30 a second: $(awk "BEGIN { printf \"%.1f\", $channels * $alerts / 30 }") s"
curl -s "http://127.0.0.1:$port/stats"; echo
