#!/usr/bin/env bash
# Hot-path overhead: the demo's GET /api/v1/flags throughput with the recycling starter active
# (request counting, drain activity, a request limit far away) against the same jar with
# recycling.enabled=false. Both instances run side by side; rounds alternate which one is
# loaded first, keep-alive connections, no rate limit. Ratio = median(active) / median(off).
# Results: benchmarks/results/hot-path-overhead.json (and one JSON per round)
#
# Usage: benchmarks/scenarios/hot-path-overhead.sh   (from the repository root)
#        ROUNDS=5 DURATION=15s WARMUP=30s CLIENTS=8 to change the run
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
CLIENTS=${CLIENTS:-8}
ACTIVE_PORT=18091
OFF_PORT=18092
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

./mvnw -q -B -DskipTests -pl demo-app,benchmarks -am clean package

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {
  local port=$1; shift
  java -Xmx256m -jar demo-app/target/demo-app.jar --server.port="$port" \
    --spring.datasource.url="jdbc:h2:mem:hotpath$port" \
    --recycling.analytics.spill-directory="$WORK/spill-$port" "$@" >"$WORK/demo-$port.log" 2>&1 &
  PIDS+=($!)
}

source benchmarks/scenarios/demo.sh

load() {
  local port=$1 duration=$2 json=$3
  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$port/api/v1/flags" --header 'X-Environment-Key: demo-production' \
    --clients "$CLIENTS" --duration "$duration" --keep-alive --json "$json"
}

throughput() {
  sed -n 's/.*"throughputPerSecond": \([0-9.]*\).*/\1/p' "$1"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

start "$ACTIVE_PORT" --recycling.max-requests=1000000000
start "$OFF_PORT" --recycling.enabled=false
wait_up "$ACTIVE_PORT" "$WORK/demo-$ACTIVE_PORT.log"
wait_up "$OFF_PORT" "$WORK/demo-$OFF_PORT.log"
if ! grep -q "recycling" <(operator_get "$ACTIVE_PORT" /actuator); then
  echo "the active instance has no recycling endpoint" >&2; exit 1
fi

# until the JIT has compiled the hot path of both (a 10 s warm-up left the first round 13% apart)
echo "warm-up"
load "$ACTIVE_PORT" "$WARMUP" "$WORK/warm-active.json" >/dev/null
load "$OFF_PORT" "$WARMUP" "$WORK/warm-off.json" >/dev/null

ACTIVE=()
OFF=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order=(active off); else order=(off active); fi
  for which in "${order[@]}"; do
    port=$ACTIVE_PORT; [[ $which == off ]] && port=$OFF_PORT
    echo -n "round $round $which: "
    load "$port" "$DURATION" "$RESULTS/hot-path-$which-r$round.json"
    value=$(throughput "$RESULTS/hot-path-$which-r$round.json")
    if [[ $which == active ]]; then ACTIVE+=("$value"); else OFF+=("$value"); fi
  done
done

active_median=$(printf '%s\n' "${ACTIVE[@]}" | median)
off_median=$(printf '%s\n' "${OFF[@]}" | median)
ratio=$(awk -v a="$active_median" -v o="$off_median" 'BEGIN { printf "%.3f", a / o }')
requests=$(operator_get "$ACTIVE_PORT" /actuator/recycling | sed -n 's/.*"totalRequestsServed":\([0-9]*\).*/\1/p')
cat >"$RESULTS/hot-path-overhead.json" <<JSON
{
  "date": "$(date -u +%Y-%m-%d)",
  "cores": $(nproc),
  "java": "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')",
  "clients": $CLIENTS, "duration": "$DURATION", "rounds": $ROUNDS, "keepAlive": true,
  "activeThroughputPerSecond": [$(IFS=,; echo "${ACTIVE[*]}")],
  "offThroughputPerSecond": [$(IFS=,; echo "${OFF[*]}")],
  "activeMedian": $active_median, "offMedian": $off_median, "ratio": $ratio,
  "requestsCountedByTheActiveInstance": ${requests:-null}
}
JSON
echo "active median $active_median/s, off median $off_median/s, ratio $ratio (target >= 0.97)"
