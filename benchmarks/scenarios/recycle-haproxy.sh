#!/usr/bin/env bash
# Recycles behind HAProxy: two demo instances recycling every MAX_REQUESTS (+ jitter)
# requests, HAProxy health-checking readiness every 500 ms and marking a server down at the
# first failed check (fall 1), bounded loopback load through HAProxy with a new connection per
# request. Runs once per restart strategy (overlap, sequential). Reports failed requests, the
# recycles of each instance, and how often HAProxy marked an instance DOWN.
# Results: benchmarks/results/recycle-haproxy-{overlap,sequential}.json (load) and
#          benchmarks/results/recycle-haproxy.txt (summary)
#
# Usage: benchmarks/scenarios/recycle-haproxy.sh   (from the repository root; installs haproxy if missing)
#        DURATION=30s RATE=300 CLIENTS=8 MAX_REQUESTS=600 to change the runs
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-30s}
RATE=${RATE:-300}
CLIENTS=${CLIENTS:-8}
MAX_REQUESTS=${MAX_REQUESTS:-600}
LB_PORT=18085
PORTS=(18086 18087)
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

if ! command -v haproxy >/dev/null; then
  echo "Installing haproxy (Debian package)"
  apt-get update -qq && apt-get install -y -qq haproxy >/dev/null
fi
./mvnw -q -B -DskipTests -pl demo-app,benchmarks -am clean package

PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

source benchmarks/scenarios/demo.sh

run() {
  local strategy=$1
  PIDS=()
  for port in "${PORTS[@]}"; do
    java -Xmx256m -jar demo-app/target/demo-app.jar --server.port="$port" \
      --spring.datasource.url="jdbc:h2:mem:haproxy$port" --recycling.analytics.spill-directory="$WORK/spill-$port" \
      --recycling.max-requests="$MAX_REQUESTS" --recycling.max-requests-jitter=$((MAX_REQUESTS / 4)) \
      --recycling.restart.strategy="$strategy" >"$WORK/demo-$strategy-$port.log" 2>&1 &
    PIDS+=($!)
  done
  for port in "${PORTS[@]}"; do wait_up "$port" "$WORK/demo-$strategy-$port.log"; done

  haproxy_config "$LB_PORT" "${PORTS[@]}" >"$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy-$strategy.log" 2>&1 &
  local haproxy_pid=$!
  PIDS+=("$haproxy_pid")
  sleep 2
  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$LB_PORT/api/v1/flags" --header "X-Environment-Key: demo-production" \
    --clients "$CLIENTS" --duration "$DURATION" --rate "$RATE" --json "$RESULTS/recycle-haproxy-$strategy.json" \
    >"$WORK/load-$strategy.txt"
  local recycles=""
  for port in "${PORTS[@]}"; do
    recycles+=" $(operator_get "$port" /actuator/recycling | jq '.recycles')"
  done
  kill "$haproxy_pid" "${PIDS[0]}" "${PIDS[1]}" 2>/dev/null || true
  wait 2>/dev/null || true
  local down
  down=$(grep -c "is DOWN" "$WORK/haproxy-$strategy.log" || true)
  printf '%-10s recycles per instance:%s; HAProxy marked an instance DOWN %s times; %s\n' "$strategy" \
    "$recycles" "$down" "$(cat "$WORK/load-$strategy.txt")" | tee -a "$RESULTS/recycle-haproxy.txt"
}

: >"$RESULTS/recycle-haproxy.txt"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(haproxy -v | head -1)" | tee -a "$RESULTS/recycle-haproxy.txt"
run overlap
run sequential
