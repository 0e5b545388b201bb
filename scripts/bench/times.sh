# Sourced by the bench scripts. times LABEL COMMAND…: runs the command once to warm up, then RUNS times (default 10),
# each a whole process, and prints the min, median and max wall time in ms. It fails if the warm-up fails.
times() {
  local label=$1; shift
  local count=${RUNS:-10}
  "$@" >/dev/null 2>&1 || { echo "$label: exit $?" >&2; return 1; }
  local all=() begin end
  for _ in $(seq 1 "$count"); do
    begin=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
    all+=($(( (end - begin) / 1000000 )))
  done
  local sorted
  mapfile -t sorted < <(printf '%s\n' "${all[@]}" | sort -n)
  echo "$label: min ${sorted[0]} ms, median ${sorted[$(( count / 2 ))]} ms, max ${sorted[$(( count - 1 ))]} ms ($count runs)"
}
