#!/usr/bin/env bash
# Memory of one recycle, overlap against sequential: the demo (-Xmx256m) under a light loopback
# load, one manual recycle, heap used (jstat, every 100 ms) and resident set size
# (/proc/PID/status, every 100 ms) sampled for 5 s before and 10 s after it. Reports, per
# strategy, the highest heap used and RSS before the recycle (baseline) and during it (peak).
# Results: benchmarks/results/recycle-memory.txt
#
# Usage: benchmarks/scenarios/recycle-memory.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=18096
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"
./mvnw -q -B -DskipTests -pl demo-app,benchmarks -am clean package

PID=
cleanup() {
  [[ -n $PID ]] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
source benchmarks/scenarios/demo.sh

# one sample per line: epoch ms, heap used (KB, eden + survivors + old), RSS (KB)
sample() {
  local pid=$1 until=$2
  while (( $(date +%s%3N) < until )); do
    local heap rss
    heap=$(jstat -gc "$pid" | awk 'NR == 2 { printf "%d", $3 + $4 + $6 + $8 }')
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    echo "$(date +%s%3N) $heap $rss"
    sleep 0.1
  done
}

run() {
  local strategy=$1
  java -Xmx256m -jar demo-app/target/demo-app.jar --server.port="$PORT" \
    --spring.datasource.url="jdbc:h2:mem:recycle-memory" --recycling.analytics.spill-directory="$WORK/spill" \
    --recycling.restart.strategy="$strategy" >"$WORK/demo-$strategy.log" 2>&1 &
  PID=$!
  wait_up "$PORT" "$WORK/demo-$strategy.log"
  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$PORT/api/v1/flags" --header 'X-Environment-Key: demo-production' \
    --clients 2 --duration 30s --rate 50 >"$WORK/load-$strategy.txt" &
  local load=$!
  sleep 10
  local recycle_at=$(( $(date +%s%3N) + 5000 ))
  sample "$PID" $(( recycle_at + 10000 )) >"$WORK/samples-$strategy.txt" &
  local sampler=$!
  sleep 5
  curl -sf -u "operator:$DEMO_OPERATOR_PASSWORD" -H 'Content-Type: application/json' -d '{"reason": "memory"}' \
    "http://127.0.0.1:$PORT/actuator/recycling" >/dev/null
  wait "$sampler"
  wait "$load"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  awk -v at="$recycle_at" -v strategy="$strategy" '
    $1 < at { if ($2 > hb) hb = $2; if ($3 > rb) rb = $3 }
    $1 >= at { if ($2 > hp) hp = $2; if ($3 > rp) rp = $3 }
    END { printf "%-10s heap used: %d MB before, peak %d MB during the recycle (%.2fx); RSS: %d MB before, peak %d MB (%.2fx)\n",
          strategy, hb / 1024, hp / 1024, hp / hb, rb / 1024, rp / 1024, rp / rb }' "$WORK/samples-$strategy.txt" \
    | tee -a "$RESULTS/recycle-memory.txt"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), -Xmx256m" | tee "$RESULTS/recycle-memory.txt"
run overlap
run sequential
