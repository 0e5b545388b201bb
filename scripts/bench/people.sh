#!/usr/bin/env bash
# A story for many people at once: CHANNELS channels get one alert each (feed f's story to channel f) while PEOPLE
# subscribers, who each watch "Kayani feed:bench-0", get feed 0's story, all due in one `run` with the shipped pacing
# (1 a second per chat, 30 a second overall) to the stand-in Bot API. Prints when the last channel and the last person
# got their message, counted from the first send. PEOPLE=0 is the channels alone, the figure to compare with.
# Usage: bash scripts/bench/people.sh [PEOPLE=2000] [CHANNELS=50]
set -euo pipefail
cd "$(dirname "$0")/../.."
people=${1:-2000}; channels=${2:-50}
. scripts/bench/setup.sh
export BURST=1 PEOPLE=1
start_bench "$channels" 1
export Telegram__BotToken="4242:BENCH-token-local_only" Telegram__ApiBaseUrl="http://127.0.0.1:$port"
cli=${CLI:-$cli} # CLI=path/to/Syndication.Cli.dll times another build
dotnet build tests/Syndication.Benchmarks -c Release --nologo -v quiet >/dev/null
[ "$people" -gt 0 ] && dotnet tests/Syndication.Benchmarks/bin/Release/net10.0/Syndication.Benchmarks.dll --seed-people "$ArticleStorage" "$people" Kayani bench-0

begin=$(date +%s%N)
/usr/bin/time -f "peak %M KB" -o "$AZURITE_DIR/peak" dotnet "$cli" run --config "$config" >"$AZURITE_DIR/run.out" 2>"$AZURITE_DIR/run.log" || { echo "run failed:"; tail -20 "$AZURITE_DIR/run.log"; }
[ -n "${KEEP_LOG:-}" ] && cp "$AZURITE_DIR/run.log" "$KEEP_LOG"
summary="$(tail -1 "$AZURITE_DIR/run.out") $(tail -1 "$AZURITE_DIR/peak")"
end=$(date +%s%N)
echo "$channels channels and $people people: sweep $(( (end - begin) / 1000000 )) ms  $summary"
echo "floor at 30 a second: channels $(awk "BEGIN { printf \"%.1f\", $channels / 30 }") s, everyone $(awk "BEGIN { printf \"%.1f\", ($channels + $people) / 30 }") s"
curl -s "http://127.0.0.1:$port/stats"; echo
