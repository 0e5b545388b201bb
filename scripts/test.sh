#!/usr/bin/env bash
# Runs the whole test suite: installs the pinned Azurite with npm (the tests start and stop it themselves),
# builds the solution, runs every test, and ends with the line "N passed, N failed, N skipped" read from the results.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/azurite.sh
ensure_node_modules
# The editors' page is tested in Debian's Chromium, driven by Playwright. Installed here when missing and this runs as
# root; otherwise the browser tests fail saying how to install it.
if ! [ -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) || echo "Could not install chromium; the browser tests will fail." >&2
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/syndication-results.XXXXXX")
# Everything the tests create (Azurite's data, config files, temp folders) lives under this run's folder, and anything
# still running from it at the end (an Azurite orphaned by a killed test host) is stopped: a run leaves nothing behind.
mkdir -p "$results/tmp"
cleanup() {
  pkill -f -- "$results" 2>/dev/null && sleep 1 && pkill -9 -f -- "$results" 2>/dev/null
  rm -rf "$results"
}
trap cleanup EXIT

status=0
TMPDIR="$results/tmp" dotnet test Syndication.sln --configuration Release --logger "trx;LogFilePrefix=results" \
  --logger "console;verbosity=normal" --results-directory "$results" --blame-hang-timeout 10m "$@" || status=$?

# A second pass, under a time zone far from UTC and with the test clock a year ahead: no parsed value may depend on the
# host's time zone, and no test on the day it runs (test data is dated from the test clock, never written in).
TMPDIR="$results/tmp" TZ=America/New_York SYNDICATION_TEST_CLOCK_SHIFT_DAYS=366 dotnet test tests/Syndication.Tests --configuration Release --no-build \
  --filter "SecondPass=TimeZone|SecondPass=YearAhead" \
  --logger "trx;LogFilePrefix=results-second-pass" --results-directory "$results" >/dev/null || status=$?

passed=0; failed=0; skipped=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  read_counter() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(read_counter total)))
  passed=$((passed + $(read_counter passed)))
  failed=$((failed + $(read_counter failed)))
  skipped=$((skipped + $(read_counter notExecuted)))
done

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$total" -eq 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
