#!/usr/bin/env bash
# Drain on SIGTERM behind HAProxy: two demo instances, HAProxy health-checking readiness,
# bounded loopback load with a new connection per request, SIGTERM to one instance mid-run.
# Runs twice: with the drain gate, and with recycling.drain.enabled=false (plain Spring Boot
# graceful shutdown). Results: benchmarks/results/drain-haproxy-{gate,plain}.json
# (APP=demo-webflux: the WebFlux demo on Reactor Netty, results drain-haproxy-demo-webflux-{gate,plain}.json)
#
# Usage: benchmarks/scenarios/drain-haproxy.sh   (from the repository root; installs haproxy if missing)
#        APP=demo-webflux benchmarks/scenarios/drain-haproxy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-20s}
RATE=${RATE:-300}
CLIENTS=${CLIENTS:-8}
SIGTERM_AFTER=${SIGTERM_AFTER:-8}
LB_PORT=18080
PORTS=(18081 18082)
RESULTS=benchmarks/results
APP=${APP:-demo-app}
PREFIX=drain-haproxy
if [[ $APP != demo-app ]]; then PREFIX="drain-haproxy-$APP"; fi
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

if ! command -v haproxy >/dev/null; then
  echo "Installing haproxy (Debian package)"
  apt-get update -qq && apt-get install -y -qq haproxy >/dev/null
fi

./mvnw -q -B -DskipTests -pl "$APP",benchmarks -am clean package
source benchmarks/scenarios/demo.sh

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "instance on port $1 did not become ready" >&2
  return 1
}

run() {
  local mode=$1 extra=$2
  PIDS=()
  for port in "${PORTS[@]}"; do
    java -Xmx256m -jar "$APP/target/$APP.jar" --server.port="$port" \
      --spring.datasource.url="jdbc:h2:mem:bench$port" $extra >"$WORK/demo-$mode-$port.log" 2>&1 &
    PIDS+=($!)
  done
  for port in "${PORTS[@]}"; do wait_ready "$port"; done

  haproxy_config "$LB_PORT" "${PORTS[@]}" >"$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy-$mode.log" 2>&1 &
  local haproxy_pid=$!
  PIDS+=("$haproxy_pid")
  sleep 2

  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$LB_PORT/api/v1/flags" --header "X-Environment-Key: demo-production" \
    --clients "$CLIENTS" --duration "$DURATION" --rate "$RATE" --json "$RESULTS/$PREFIX-$mode.json" \
    >"$WORK/load-$mode.txt" &
  local load_pid=$!
  sleep "$SIGTERM_AFTER"
  local start=$(date +%s.%N)
  kill -TERM "${PIDS[0]}"
  wait "${PIDS[0]}" || true
  grep -oE "(Drain|Stopped taking).*" "$WORK/demo-$mode-${PORTS[0]}.log" >"$RESULTS/$PREFIX-$mode-instance.log" || true
  local exited=$(date +%s.%N)
  wait "$load_pid"
  kill "$haproxy_pid" "${PIDS[1]}" 2>/dev/null || true
  wait 2>/dev/null || true
  printf '%-5s %s (instance exited %.1f s after SIGTERM)\n' "$mode" "$(cat "$WORK/load-$mode.txt")" \
    "$(echo "$exited - $start" | bc)"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(haproxy -v | head -1)"
run gate ""
[ "${ONLY_GATE:-}" = 1 ] || run plain "--recycling.drain.enabled=false"
