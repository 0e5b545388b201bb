#!/usr/bin/env bash
# Runs one sweep of the sample configuration against a fresh local Azurite.
# With no Telegram__BotToken in the environment it runs dry and prints the messages it would send.
# Extra arguments go to `syndication run` (for example --config my.json).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/azurite.sh
start_azurite
export ArticleStorage="$ARTICLE_STORAGE_CONNECTION"
# Locally, feeds may be served from this machine; deployed apps refuse private addresses.
export Syndication__AllowPrivateNetworks="${Syndication__AllowPrivateNetworks:-true}"
case " $* " in
  *" --config "*) args=("$@") ;;
  *) args=(--config samples/syndication.json "$@") ;;
esac
status=0
dotnet run --project functions/Syndication.Cli -- run "${args[@]}" || status=$?
exit $status
