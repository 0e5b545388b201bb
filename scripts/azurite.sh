# Sourced by the other scripts: installs the pinned Azurite with npm and starts its blob and queue services on free
# loopback ports.
# Sets ARTICLE_STORAGE_CONNECTION and stops Azurite (by its own PID) when the calling script exits.
# start_azurite [FOLDER]: keep Azurite's data in FOLDER, kept after exit; without it, a temporary folder that is removed.

ensure_node_modules() {
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite (npm ci)..." >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
  fi
  if [ -n "${AZURITE_DIR:-}" ] && [ -z "${AZURITE_KEEP:-}" ]; then rm -rf "$AZURITE_DIR"; fi
}

start_azurite() {
  ensure_node_modules
  local port queue_port table_port
  port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
  while [ "$queue_port" = "$port" ]; do queue_port=$(free_port); done
  while [ "$table_port" = "$port" ] || [ "$table_port" = "$queue_port" ]; do table_port=$(free_port); done
  if [ -n "${1:-}" ]; then
    AZURITE_DIR="$1"; AZURITE_KEEP=1
    mkdir -p "$AZURITE_DIR"
  else
    AZURITE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/syndication-azurite.XXXXXX")
  fi
  trap stop_azurite EXIT
  # --disableTelemetry: offline, Azurite otherwise lingers long after SIGTERM.
  # --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks a newer service version than Azurite 3.37 announces.
  # The table service is not used, but Azurite binds a port for it.
  # AZURITE_IN_MEMORY=1 keeps everything in memory instead of in AZURITE_DIR (the benchmarks: disk persistence costs
  # Azurite more CPU than the app it serves).
  local keep=(--location "$AZURITE_DIR")
  [ "${AZURITE_IN_MEMORY:-}" = 1 ] && keep=(--inMemoryPersistence)
  node_modules/.bin/azurite --blobHost 127.0.0.1 --blobPort "$port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" "${keep[@]}" \
    --silent --disableTelemetry --skipApiVersionCheck >"$AZURITE_DIR/azurite.log" 2>&1 &
  AZURITE_PID=$!
  # Up to 30 s: on a busy 2-core machine (the test suite running beside it) Node alone can take over 10 s to start.
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$queue_port") 2>/dev/null; then
      ARTICLE_STORAGE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"
      export ARTICLE_STORAGE_CONNECTION
      echo "Azurite blob service on 127.0.0.1:$port, queue service on 127.0.0.1:$queue_port (pid $AZURITE_PID)" >&2
      return 0
    fi
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat "$AZURITE_DIR/azurite.log" >&2; echo "Azurite exited during start" >&2; return 1; }
    sleep 0.1
  done
  echo "Azurite did not open port $port within 30 s" >&2
  return 1
}
