#!/usr/bin/env bash
# Recycle under load: one demo instance, no load balancer, continuous loopback load with a new
# connection per request, recycling every MAX_REQUESTS (+ jitter) requests, so that a 60 s run
# goes through 20 or more recycles. Reports failed requests, worst per-second p99 and max
# latency during recycles and otherwise, restart duration against the cold start of the same
# jar, and draws latency per second across the recycles.
# Results: benchmarks/results/recycle-under-load{,-load,-recycling}.json and
#          docs/recycle-under-load.png (with APP or STRATEGY set: results/recycle-under-load-APP-STRATEGY*,
#          the chart there too)
#
# Usage: benchmarks/scenarios/recycle-under-load.sh   (from the repository root)
#        DURATION=60s RATE=200 CLIENTS=8 MAX_REQUESTS=400 to change the run
#        APP=demo-webflux for the WebFlux demo on Reactor Netty, STRATEGY=overlap for the default strategy
#        (recycle-stacks.sh runs both demos with both strategies in one go)
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-60s}
RATE=${RATE:-200}
CLIENTS=${CLIENTS:-8}
MAX_REQUESTS=${MAX_REQUESTS:-400}
COLD_STARTS=${COLD_STARTS:-3}
PORT=18093
RESULTS=benchmarks/results
# without APP and STRATEGY: the servlet demo, sequential, under the historical file names
NAME=recycle-under-load
PNG=docs/recycle-under-load.png
if [[ -n ${APP:-} || -n ${STRATEGY:-} ]]; then
  APP=${APP:-demo-app}
  STRATEGY=${STRATEGY:-sequential}
  NAME="recycle-under-load-$APP-$STRATEGY"
  PNG="$RESULTS/$NAME.png"
fi
APP=${APP:-demo-app}
STRATEGY=${STRATEGY:-sequential}
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

./mvnw -q -B -DskipTests -pl "$APP",benchmarks -am clean package

PID=
cleanup() {
  [[ -n $PID ]] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {
  java -Xmx256m -jar "$APP/target/$APP.jar" --server.port="$PORT" \
    --spring.datasource.url="jdbc:h2:mem:recycle-under-load" \
    --recycling.analytics.spill-directory="$WORK/spill" "$@" >"$WORK/demo.log" 2>&1 &
  PID=$!
}

source benchmarks/scenarios/demo.sh

# the cold start as Spring Boot logs it: "Started DemoApplication in 3.9 seconds (process running for 4.4)"
COLD=()
for i in $(seq 1 "$COLD_STARTS"); do
  start
  wait_up "$PORT" "$WORK/demo.log"
  COLD+=("$(sed -n 's/.*process running for \([0-9.]*\)).*/\1/p' "$WORK/demo.log" | head -1)")
  kill -9 "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
cold_ms=$(printf '%s\n' "${COLD[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%d", 1000 * v[int((NR + 1) / 2)] }')
echo "cold starts (process running for, s): ${COLD[*]}; median $cold_ms ms"

start --recycling.max-requests="$MAX_REQUESTS" --recycling.max-requests-jitter=$((MAX_REQUESTS / 4)) \
  --recycling.history-size=1000 --recycling.restart.strategy="$STRATEGY"
wait_up "$PORT" "$WORK/demo.log"
java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
  --url "http://127.0.0.1:$PORT/api/v1/flags" --header 'X-Environment-Key: demo-production' \
  --clients "$CLIENTS" --duration "$DURATION" --rate "$RATE" --json "$RESULTS/$NAME-load.json"
sleep 2
operator_get "$PORT" /actuator/recycling >"$RESULTS/$NAME-recycling.json"
java -Djava.awt.headless=true -cp benchmarks/target/classes \
  dev.recycling.benchmarks.recycle.RecycleUnderLoadReport \
  --load "$RESULTS/$NAME-load.json" --recycling "$RESULTS/$NAME-recycling.json" \
  --cold-start-ms "$cold_ms" --json "$RESULTS/$NAME.json" --png "$PNG"
