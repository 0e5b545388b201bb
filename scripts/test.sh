#!/usr/bin/env bash
# Runs the whole test suite: installs the pinned Azurite with npm (the tests start and stop it themselves),
# builds the solution, runs every test, and ends with the line "N passed, N failed, N skipped" read from the results.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/azurite.sh
ensure_node_modules

results=$(mktemp -d "${TMPDIR:-/tmp}/syndication-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

status=0
dotnet test Syndication.sln --configuration Release --logger "trx;LogFilePrefix=results" \
  --logger "console;verbosity=normal" --results-directory "$results" --blame-hang-timeout 10m "$@" || status=$?

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
