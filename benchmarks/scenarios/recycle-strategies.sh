#!/usr/bin/env bash
# Recycle strategies side by side: the same load against the demo recycling with
# recycling.restart.strategy=overlap, then =sequential, then against gunicorn recycling one sync
# worker with the same max_requests and jitter (a WSGI app answering the same JSON as
# GET /api/v1/flags). 8 clients, 200 requests/s in total, a new connection per request, loopback
# only, each run DURATION long. Reports, per run: failed requests, requests slower than 250 ms,
# p99.9 and max latency during recycles against the other seconds.
# Needs gunicorn (installed with apt-get when missing) and python3 for the report.
# Results: benchmarks/results/recycle-strategies.json and recycle-strategies-*.json
#
# Usage: benchmarks/scenarios/recycle-strategies.sh   (from the repository root)
#        DURATION=40s RATE=200 CLIENTS=8 MAX_REQUESTS=400 to change the runs
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-40s}
RATE=${RATE:-200}
CLIENTS=${CLIENTS:-8}
MAX_REQUESTS=${MAX_REQUESTS:-400}
JITTER=$((MAX_REQUESTS / 4))
PORT=18094
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

if ! command -v gunicorn >/dev/null; then
  apt-get update -qq && apt-get install -y -qq gunicorn >/dev/null
fi
./mvnw -q -B -DskipTests -pl demo-app,benchmarks -am clean package

PID=
cleanup() {
  [[ -n $PID ]] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

source benchmarks/scenarios/demo.sh

load() {
  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$PORT/api/v1/flags" --header 'X-Environment-Key: demo-production' \
    --clients "$CLIENTS" --duration "$DURATION" --rate "$RATE" --json "$1.json" --samples "$WORK/$(basename "$1").samples"
}

demo_run() {
  local strategy=$1
  java -Xmx256m -jar demo-app/target/demo-app.jar --server.port="$PORT" \
    --spring.datasource.url="jdbc:h2:mem:recycle-strategies" \
    --recycling.analytics.spill-directory="$WORK/spill-$strategy" \
    --recycling.max-requests="$MAX_REQUESTS" --recycling.max-requests-jitter="$JITTER" \
    --recycling.history-size=1000 --recycling.restart.strategy="$strategy" >"$WORK/demo-$strategy.log" 2>&1 &
  PID=$!
  wait_up "$PORT" "$WORK/demo-$strategy.log"
  # the same body for gunicorn to answer
  curl -sf -H 'X-Environment-Key: demo-production' "http://127.0.0.1:$PORT/api/v1/flags" >"$WORK/flags.json"
  load "$RESULTS/recycle-strategies-$strategy-load"
  sleep 2
  operator_get "$PORT" /actuator/recycling >"$RESULTS/recycle-strategies-$strategy-recycling.json"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

demo_run overlap
demo_run sequential

# gunicorn: one sync worker, the same limits; its hooks log when a worker exits and when the
# next one is ready to serve, in epoch milliseconds
cat >"$WORK/flags_app.py" <<PY
import os
BODY = open(os.path.join(os.path.dirname(__file__), "flags.json"), "rb").read()
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]
PY
cat >"$WORK/gunicorn_conf.py" <<PY
import time
EVENTS = "$WORK/gunicorn-events.txt"
def _event(kind):
    with open(EVENTS, "a") as out:
        out.write("%s %d\n" % (kind, int(time.time() * 1000)))
def worker_exit(server, worker):
    _event("exit")
def post_worker_init(worker):
    _event("ready")
PY
(cd "$WORK" && exec gunicorn --bind "127.0.0.1:$PORT" --workers 1 --worker-class sync \
  --max-requests "$MAX_REQUESTS" --max-requests-jitter "$JITTER" --backlog 2048 \
  --config "$WORK/gunicorn_conf.py" flags_app:app >"$WORK/gunicorn.log" 2>&1) &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
load "$RESULTS/recycle-strategies-gunicorn-load"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
cp "$WORK/gunicorn-events.txt" "$RESULTS/recycle-strategies-gunicorn-events.txt"

python3 benchmarks/scenarios/recycle_strategies_report.py "$RESULTS" "$WORK" | tee "$RESULTS/recycle-strategies.md"
