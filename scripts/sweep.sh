#!/usr/bin/env bash
# Runs one sweep of the sample configuration against a local Azurite whose data stays in .azurite/ (git-ignored), so a
# second run remembers what the first stored and sent, and never alerts a story twice. --fresh starts from empty storage.
# With no Telegram__BotToken in the environment it runs dry and prints the messages it would send, writing nothing.
# Other arguments go to `syndication run` (for example --config my.json, read from the folder you run it in); the
# clone's own code is built and run. `bash scripts/local.sh VERB` runs any other verb against the same storage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="${SYNDICATION_LOCAL_DATA:-$root/.azurite}"
args=()
for arg in "$@"; do
  if [ "$arg" = "--fresh" ]; then
    if [ -f "$data/azurite.pid" ] && kill -0 "$(cat "$data/azurite.pid")" 2>/dev/null; then
      echo "The local storage in $data is in use by another local run (Azurite pid $(cat "$data/azurite.pid")); stop that run first." >&2
      exit 1
    fi
    echo "Starting over: removing the local storage in $data" >&2
    rm -rf "$data"
  else
    args+=("$arg")
  fi
done
case " ${args[*]:-} " in
  *" --config "*) ;;
  *) args=(--config "$root/samples/syndication.json" "${args[@]}") ;;
esac
SYNDICATION_FROM_SOURCE=1 exec bash "$root/scripts/local.sh" run "${args[@]}"
