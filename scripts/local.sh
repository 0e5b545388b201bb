#!/usr/bin/env bash
# Runs one `syndication` verb against the local storage in .azurite/ (git-ignored), where scripts/sweep.sh keeps the
# articles, alerts, feed state and live configuration of your local runs:
#   bash scripts/local.sh status
#   bash scripts/local.sh config push my.json
#   bash scripts/local.sh listen
# An Azurite already serving that folder (a `local.sh listen` in another terminal, say) is shared; otherwise one is
# started on free loopback ports for this verb and stopped when it ends. It never uses an Azurite it did not start for
# this folder. File paths in the arguments are read from the folder you run it in.
# It runs the installed `syndication` (scripts/install.sh), or builds and runs the clone's when none is installed.
# Local runs may read feeds served from this machine (Syndication__AllowPrivateNetworks=true).
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD
data="${SYNDICATION_LOCAL_DATA:-$root/.azurite}"
. scripts/azurite.sh
mkdir -p "$data"

# One Azurite per folder: whoever finds none serving it starts one, the others share it, and the last to finish stops it.
# Every run holds a shared lock on .users while it runs; one that can then take it alone is the last.
exec 8>"$data/.users"
flock -s 8
finish() {
  flock -u 8
  if flock -xn 8; then
    local pid
    pid=$(cat "$data/azurite.pid" 2>/dev/null || true)
    rm -f "$data/azurite.pid" "$data/connection"
    if [ -n "$pid" ]; then AZURITE_PID=$pid; stop_azurite; fi
  fi
}
exec 9>"$data/.lock"
flock 9
shared=""
if [ -f "$data/azurite.pid" ] && kill -0 "$(cat "$data/azurite.pid")" 2>/dev/null && [ -f "$data/connection" ]; then
  shared=1
  ARTICLE_STORAGE_CONNECTION=$(cat "$data/connection")
else
  start_azurite "$data"
  echo "$AZURITE_PID" >"$data/azurite.pid"
  echo "$ARTICLE_STORAGE_CONNECTION" >"$data/connection"
fi
trap finish EXIT
flock -u 9

export ArticleStorage="$ARTICLE_STORAGE_CONNECTION"
export Syndication__AllowPrivateNetworks="${Syndication__AllowPrivateNetworks:-true}"
[ -n "$shared" ] && echo "Using the local Azurite already serving $data" >&2

cd "$caller"
status=0
if [ -n "${SYNDICATION_CLI_DLL:-}" ]; then
  dotnet "$SYNDICATION_CLI_DLL" "$@" || status=$?
elif [ -z "${SYNDICATION_FROM_SOURCE:-}" ] && command -v syndication >/dev/null; then
  syndication "$@" || status=$?
else
  dotnet run --project "$root/functions/Syndication.Cli" -- "$@" || status=$?
fi
exit $status
