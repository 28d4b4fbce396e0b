#!/usr/bin/env bash
# Hot-path cost with wrk (Debian's package): the demo's GET /api/v1/flags with the starter
# fully active (request counting, drain bookkeeping, one API-usage record with labels), with
# recycling only (recycling.analytics.enabled=false), and switched off (recycling.enabled=false),
# and a second switched-off instance, off-b, whose ratio to off is the noise floor of the
# measurement (an A/A test): four instances side by side. Every round starts four new JVMs
# (FRESH=1), warms each up with wrk, then loads each in turn (the order turns every round),
# keep-alive connections, no rate limit. The instances run on CPU 0 and wrk on CPU 1 (taskset),
# so that load generator and server do not take turns on the same core. A round's ratio is a configuration's requests/s over the
# off instance's in the same round; reported: the median ratio and the spread of the rounds.
# Results: benchmarks/results/hot-path-wrk.json and hot-path-wrk.txt
#
# Usage: benchmarks/scenarios/hot-path-wrk.sh   (from the repository root; installs wrk if missing)
#        ROUNDS=5 DURATION=8s WARMUP=60s CONNECTIONS=16 FRESH=1 to change the run (about 25 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-16}
# 1: new JVMs every round, so that each round samples a fresh JIT (one JVM can be a few percent
# slower than its twin for its whole life); 0: the same four JVMs for every round
FRESH=${FRESH:-1}
declare -A PORT=([full]=18101 [recycling]=18102 [off]=18103 [off-b]=18104)
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
./mvnw -q -B -DskipTests -pl demo-app -am package
source benchmarks/scenarios/demo.sh

PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

start() {
  local which=$1; shift
  local port=${PORT[$which]}
  taskset -c 0 java -Xmx256m -jar demo-app/target/demo-app.jar --server.port="$port" \
    --spring.datasource.url="jdbc:h2:mem:hotpath$port" \
    --recycling.analytics.spill-directory="$WORK/spill-$port" "$@" >"$WORK/demo-$which.log" 2>&1 &
  PIDS+=($!)
}

# requests/s of one wrk run against a configuration, loopback only
load() {
  taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"$2" -H 'X-Environment-Key: demo-production' \
    "http://127.0.0.1:${PORT[$1]}/api/v1/flags" | awk '/^Requests\/sec:/ { print $2 }'
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

CONFIGS=(full recycling off off-b)
start_all() {
  PIDS=()
  start full --recycling.max-requests=1000000000
  start recycling --recycling.max-requests=1000000000 --recycling.analytics.enabled=false
  start off --recycling.enabled=false
  start off-b --recycling.enabled=false
  for which in "${CONFIGS[@]}"; do wait_up "${PORT[$which]}" "$WORK/demo-$which.log"; done
  echo "warm-up, $WARMUP each"
  for which in "${CONFIGS[@]}"; do load "$which" "$WARMUP" >/dev/null; done
}
stop_all() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

declare -A RATES
[ "$FRESH" = 1 ] || start_all
for round in $(seq 1 "$ROUNDS"); do
  [ "$FRESH" = 0 ] || start_all
  for k in 0 1 2 3; do
    which=${CONFIGS[$(((k + round - 1) % 4))]}
    RATES[$which,$round]=$(load "$which" "$DURATION")
    echo "round $round $which: ${RATES[$which,$round]} requests/s"
  done
  [ "$FRESH" = 0 ] || stop_all
done

ratios() {
  for round in $(seq 1 "$ROUNDS"); do
    awk -v a="${RATES[$1,$round]}" -v o="${RATES[off,$round]}" 'BEGIN { printf "%.3f\n", a / o }'
  done
}
list() { for round in $(seq 1 "$ROUNDS"); do echo "${RATES[$1,$round]}"; done; }
summary() {
  local r
  r=$(ratios "$1")
  echo "$1: median $(list "$1" | median)/s, ratio to off median $(echo "$r" | median) (rounds $(echo "$r" | sort -n | head -1) to $(echo "$r" | sort -n | tail -1))"
}
{
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); instances on CPU 0, wrk -t2 -c$CONNECTIONS on CPU 1, $ROUNDS rounds of $DURATION after $WARMUP warm-up each, new JVMs every round: $FRESH"
  echo "off: median $(list off | median)/s"
  summary full
  summary recycling
  summary off-b
} | tee "$RESULTS/hot-path-wrk.txt"
json_list() { list "$1" | paste -sd, -; }
cat >"$RESULTS/hot-path-wrk.json" <<JSON
{
  "date": "$(date -u +%Y-%m-%d)", "cores": $(nproc), "connections": $CONNECTIONS, "rounds": $ROUNDS,
  "duration": "$DURATION", "warmup": "$WARMUP", "freshJvmsEveryRound": $FRESH,
  "fullRequestsPerSecond": [$(json_list full)],
  "recyclingOnlyRequestsPerSecond": [$(json_list recycling)],
  "offRequestsPerSecond": [$(json_list off)],
  "offBRequestsPerSecond": [$(json_list off-b)],
  "fullRatios": [$(ratios full | paste -sd, -)],
  "recyclingOnlyRatios": [$(ratios recycling | paste -sd, -)],
  "offBRatios": [$(ratios off-b | paste -sd, -)]
}
JSON
