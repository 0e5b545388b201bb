# Sourced by the bench scripts: a fresh Azurite, the Release CLI, and FEEDS synthetic feeds of ITEMS items on a free
# loopback port. Sets $port and $config, and stops everything when the calling script exits.
start_bench() {
  local feeds=$1 items=$2
  . scripts/azurite.sh
  start_azurite
  export ArticleStorage="$ARTICLE_STORAGE_CONNECTION"
  export Syndication__AllowPrivateNetworks=true # the bench feeds are on loopback
  dotnet build functions/Syndication.Cli --configuration Release --nologo -v quiet >/dev/null

  port=$(free_port)
  config="$AZURITE_DIR/bench.json"
  node scripts/bench/feeds.js "$port" "$feeds" "$items" "$config" &
  bench_server=$!
  trap 'kill $bench_server 2>/dev/null || true; stop_azurite' EXIT
  for _ in $(seq 1 50); do [ -f "$config" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
}

cli=functions/Syndication.Cli/bin/Release/net10.0/Syndication.Cli.dll
