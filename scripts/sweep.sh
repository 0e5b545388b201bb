#!/usr/bin/env bash
# Runs one sweep of the sample configuration against a local Azurite whose data stays in .azurite/ (git-ignored), so a
# second run remembers what the first stored and sent, and never alerts a story twice. --fresh starts from empty storage.
# With no Telegram__BotToken in the environment it runs dry and prints the messages it would send, writing nothing.
# Other arguments go to `syndication run` (for example --config my.json).
set -euo pipefail
cd "$(dirname "$0")/.."
# Where the local storage lives (the tests point it elsewhere), and which CLI runs: a built one, or `dotnet run`.
data="${SYNDICATION_LOCAL_DATA:-$PWD/.azurite}"
args=()
for arg in "$@"; do
  if [ "$arg" = "--fresh" ]; then
    echo "Starting over: removing the local storage in $data" >&2
    rm -rf "$data"
  else
    args+=("$arg")
  fi
done
. scripts/azurite.sh
start_azurite "$data"
export ArticleStorage="$ARTICLE_STORAGE_CONNECTION"
# Locally, feeds may be served from this machine; deployed apps refuse private addresses.
export Syndication__AllowPrivateNetworks="${Syndication__AllowPrivateNetworks:-true}"
case " ${args[*]:-} " in
  *" --config "*) ;;
  *) args=(--config samples/syndication.json "${args[@]}") ;;
esac
status=0
if [ -n "${SYNDICATION_CLI_DLL:-}" ]; then
  dotnet "$SYNDICATION_CLI_DLL" run "${args[@]}" || status=$?
else
  dotnet run --project functions/Syndication.Cli -- run "${args[@]}" || status=$?
fi
exit $status
