#!/usr/bin/env bash
# A fleet on loopback: three demo instances on one PostgreSQL (embedded binaries) behind
# HAProxy (health-checking readiness, retries 0), Prometheus scraping them with the alert
# rules of docs/prometheus loaded, and a recycle budget of one instance at a time.
#
#   1. Load: GET /api/v1/flags and POST /api/v1/analytics/flags through HAProxy, each
#      instance recycling at jittered request and lifetime limits, a rolling restart
#      (SIGTERM each instance in turn, start it again) a third of the way in, and a probe
#      timing a count from its 202 to the usage API showing it applied.
#   2. Exactness: all instances stop (SIGTERM, shutdown flush), one starts again and
#      applies what is left; the totals must equal what HAProxy's clients got a success for.
#   3. The budget: a sampler counts the instances holding a recycle slot every 200 ms for
#      the whole run (never above 1); then the instance holding the slot is SIGKILLed in the
#      middle of its recycle and the others must get the slot back after the lease.
#   4. Prometheus: every query of docs/grafana/recycling-fleet-dashboard.json must return
#      series from the fleet, the leak of instance 3 (demo.leak.bytes-per-request) must fire
#      RecyclingLeakSuspected, and the dashboard's panels are drawn to docs/fleet-dashboard.png.
#   5. Batches applied per second by 1, 2 and 3 processors racing for one queue, on the
#      fleet's PostgreSQL (ProcessorScalingBenchmark, in a database of its own).
#
# Results: benchmarks/results/fleet.txt (summary), fleet-*.json (load, probe, report).
# Bounded: about DURATION + 3 minutes; all traffic on 127.0.0.1; everything it started is
# stopped on exit.
#
# Usage: benchmarks/scenarios/fleet.sh   (from the repository root; installs haproxy,
#        prometheus and python3-matplotlib if missing)
#        DURATION=150s RATE=240 POST_RATE=40 LEASE=20s to change the run
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-150s}
RATE=${RATE:-240}
POST_RATE=${POST_RATE:-40}
LEASE=${LEASE:-20s}
LB_PORT=18090
PORTS=(18091 18092 18093)
PG_PORT=18094
PROM_PORT=18095
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"
seconds() { local d=$1; echo "${d%s}"; }

# Debian's python3-matplotlib belongs to Debian's python3, which may not be the first on PATH
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
missing=()
command -v haproxy >/dev/null || missing+=(haproxy)
command -v prometheus >/dev/null || missing+=(prometheus)
"$PYTHON" -c "import matplotlib" 2>/dev/null || missing+=(python3-matplotlib)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
./mvnw -q -B -DskipTests -pl demo-app -am clean package
source benchmarks/scenarios/build-classpath.sh
source benchmarks/scenarios/demo.sh

declare -A PID
OTHER_PIDS=()
cleanup() {
  local status=$?
  for pid in "${PID[@]}" "${OTHER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  # PostgreSQL's own processes stop with its JVM's shutdown hook, not with a SIGKILL
  if [ -n "${PG_PID:-}" ] && kill -TERM "$PG_PID" 2>/dev/null; then wait "$PG_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# --- PostgreSQL
java -cp "$CLASSPATH" dev.recycling.benchmarks.fleet.FleetPostgres "$PG_PORT" >"$WORK/postgres.log" 2>&1 &
PG_PID=$!
for _ in $(seq 1 240); do grep -q '^ready ' "$WORK/postgres.log" && break; sleep 0.5; done
JDBC_URL=$(grep '^ready ' "$WORK/postgres.log" | cut -d' ' -f2)
[ -n "$JDBC_URL" ] || { cat "$WORK/postgres.log"; exit 1; }

# --- the instances: 1-based, instance 3 leaks 50 KB per request
start_instance() {
  local i=$1 port=${PORTS[$(($1 - 1))]}
  local leak=0
  [ "$i" = 3 ] && leak=51200
  java -Xmx384m -jar demo-app/target/demo-app.jar --server.port="$port" \
    --spring.datasource.url="$JDBC_URL" --spring.datasource.username=postgres --spring.datasource.password= \
    --recycling.analytics.spill-directory="$WORK/spill-$i" \
    --recycling.max-requests=1500 --recycling.max-requests-jitter=500 \
    --recycling.max-lifetime=40s --recycling.max-lifetime-jitter=20s \
    --recycling.fleet.max-concurrent-recycles=1 --recycling.fleet.lease="$LEASE" \
    --recycling.analytics.flush-interval=2s --recycling.analytics.processing.polling-interval=500ms \
    --demo.leak.bytes-per-request="$leak" >>"$WORK/demo-$i.log" 2>&1 &
  PID[$i]=$!
  wait_up "$port" "$WORK/demo-$i.log"
}
# the recycles the budget admitted on instance $1: "start end" per line, an empty end while under way
dump_holds() {
  operator_get "${PORTS[$(($1 - 1))]}" /actuator/recycling 2>/dev/null \
    | jq -r '.fleet.recentRecycles[] | "\(.startedAt) \(.endedAt // "")"' >>"$WORK/holds-$1.txt" || true
}
stop_instance() {
  dump_holds "$1"
  kill -TERM "${PID[$1]}" 2>/dev/null || true
  wait "${PID[$1]}" 2>/dev/null || true
  # a recycle under way ends with its JVM
  echo "stopped $(date +%s.%N)" >>"$WORK/holds-$1.txt"
  unset "PID[$1]"
}
for i in 1 2 3; do start_instance "$i"; done

# --- HAProxy and Prometheus, with the alert rules checked by Prometheus' own tool first
promtool check rules docs/prometheus/recycling-alerts.yml >"$WORK/promtool.txt"
haproxy_config "$LB_PORT" "${PORTS[@]}" >"$WORK/haproxy.cfg"
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
OTHER_PIDS+=($!)
cat >"$WORK/prometheus.yml" <<CFG
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $PWD/docs/prometheus/recycling-alerts.yml
scrape_configs:
  - job_name: demo
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["127.0.0.1:${PORTS[0]}", "127.0.0.1:${PORTS[1]}", "127.0.0.1:${PORTS[2]}"]
CFG
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
OTHER_PIDS+=($!)
START=$(date +%s)
sleep 3

# --- the budget sampler: instances holding a slot, every 200 ms, for the whole run
(
  while true; do
    held=0
    for port in "${PORTS[@]}"; do
      slot=$(operator_get "$port" /actuator/recycling 2>/dev/null | jq -r '.fleet.heldSlot // empty' 2>/dev/null || true)
      [ -n "$slot" ] && held=$((held + 1))
    done
    echo "$(date +%s.%N) $held"
    sleep 0.2
  done
) >"$WORK/slots.txt" &
SAMPLER=$!
OTHER_PIDS+=("$SAMPLER")

# --- 1. load, a rolling restart, the latency probe
java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
  --url "http://127.0.0.1:$LB_PORT/api/v1/flags" --header "X-Environment-Key: demo-staging" \
  --clients 8 --duration "$DURATION" --rate "$RATE" --json "$RESULTS/fleet-gets.json" >"$WORK/gets.txt" &
GETS=$!
java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
  --url "http://127.0.0.1:$LB_PORT/api/v1/analytics/flags" --header "X-Environment-Key: demo-staging" \
  --method POST --body '{"dark-mode": 2, "new-checkout": 1}' \
  --clients 4 --duration "$DURATION" --rate "$POST_RATE" --json "$RESULTS/fleet-posts.json" >"$WORK/posts.txt" &
POSTS=$!
java -cp "$CLASSPATH" dev.recycling.benchmarks.fleet.LatencyProbe --url "http://127.0.0.1:$LB_PORT" \
  --environment demo-production --interval 500ms --duration "$DURATION" --json "$RESULTS/fleet-latency.json" \
  >"$WORK/latency.txt" &
PROBE=$!
sleep $(($(seconds "$DURATION") / 3))
echo "rolling restart"
for i in 1 2 3; do
  stop_instance "$i"
  start_instance "$i"
  sleep 3
done
wait "$GETS" "$POSTS" "$PROBE"

# --- 2. exactness across the fleet
for i in 1 2 3; do stop_instance "$i"; done
start_instance 1
usage=""
for _ in $(seq 1 240); do
  usage=$(curl -sf "http://127.0.0.1:${PORTS[0]}/api/v1/usage?environment=demo-staging" || true)
  [ -n "$usage" ] && [ "$(echo "$usage" | jq '.pendingBatches')" = "0" ] && break
  sleep 0.5
done
gets_ok=$(jq '.ok' "$RESULTS/fleet-gets.json")
posts_ok=$(jq '.ok' "$RESULTS/fleet-posts.json")
flags=$(echo "$usage" | jq '.apiRequests.flags // 0')
dark=$(echo "$usage" | jq '.featureEvaluations["dark-mode"] // 0')
checkout=$(echo "$usage" | jq '.featureEvaluations["new-checkout"] // 0')
exact=yes
[ "$flags" = "$gets_ok" ] && [ "$dark" = "$((2 * posts_ok))" ] && [ "$checkout" = "$posts_ok" ] || exact=NO

# --- 3. the budget under a SIGKILL: load on each instance so that they all want to recycle
start_instance 2
start_instance 3
PHASE3_LOADS=()
for port in "${PORTS[@]}"; do
  java -cp benchmarks/target/classes dev.recycling.benchmarks.load.LoadDriver \
    --url "http://127.0.0.1:$port/api/v1/flags" --header "X-Environment-Key: demo-staging" \
    --clients 2 --duration 60s --rate 150 >/dev/null 2>&1 &
  PHASE3_LOADS+=($!)
  OTHER_PIDS+=($!)
done
victim=""
for _ in $(seq 1 600); do
  for i in 1 2 3; do
    if [ -n "$(operator_get "${PORTS[$((i - 1))]}" /actuator/recycling | jq -r '.fleet.heldSlot // empty')" ]; then
      victim=$i
      break 2
    fi
  done
  sleep 0.1
done
kill_line="no instance was seen holding the slot"
if [ -n "$victim" ]; then
  dump_holds "$victim"
  kill -9 "${PID[$victim]}"
  killed_at=$(date +%s.%N)
  unset "PID[$victim]"
  waited="" taken=""
  for _ in $(seq 1 900); do
    for i in 1 2 3; do
      [ "$i" = "$victim" ] && continue
      status=$(operator_get "${PORTS[$((i - 1))]}" /actuator/recycling || true)
      [ -z "$waited" ] && [ "$(echo "$status" | jq -r '.fleet.waiting')" = "true" ] && waited=$i
      if [ -n "$(echo "$status" | jq -r '.fleet.heldSlot // empty')" ]; then taken="$i $(date +%s.%N)"; break 2; fi
    done
    sleep 0.1
  done
  if [ -n "$taken" ]; then
    kill_line=$(printf 'instance %s SIGKILLed while holding the slot; instance %s waited; instance %s took the slot %.1f s after the kill (lease %s)' \
      "$victim" "${waited:-none}" "${taken%% *}" "$(awk -v a="${taken##* }" -v b="$killed_at" 'BEGIN { print a - b }')" "$LEASE")
  else
    kill_line="instance $victim SIGKILLed while holding the slot; no other instance took it within 90 s"
  fi
fi
# the load stops and the recycles under way end: the counts below cover the same recycles
kill "${PHASE3_LOADS[@]}" 2>/dev/null || true
for _ in $(seq 1 300); do
  busy=0
  for i in "${!PID[@]}"; do
    [ -n "$(operator_get "${PORTS[$((i - 1))]}" /actuator/recycling | jq -r '.fleet.heldSlot // empty')" ] && busy=1
  done
  [ "$busy" = 0 ] && break
  sleep 0.2
done
kill "$SAMPLER" 2>/dev/null || true
for i in "${!PID[@]}"; do dump_holds "$i"; done
recycles=$(grep -h "is serving after\|took over" "$WORK"/demo-*.log | wc -l)
waits=$(grep -h "waits for a slot" "$WORK"/demo-*.log | wc -l)
sampled_at_once=$(awk '{ if ($2 > max) max = $2 } END { print max + 0 }' "$WORK/slots.txt")
samples=$(wc -l <"$WORK/slots.txt")
# the recycles of all instances as intervals from their admission to their end: how many at once
most_at_once=$("$PYTHON" - "$WORK" "${victim:-0}" "${killed_at:-0}" "$(date +%s)" <<'PY'
import glob
import sys
from datetime import datetime

work, victim, killed_at, now = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])


def t(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


events = []
for path in glob.glob(f"{work}/holds-*.txt"):
    instance = path.rsplit("-", 1)[1].split(".")[0]
    ends = {}
    stops = []
    for line in open(path):
        parts = line.split()
        if parts and parts[0] == "stopped":
            stops.append(float(parts[1]))
        elif parts:
            # dumped while under way, then again once ended: the end wins
            ends[parts[0]] = parts[1] if len(parts) > 1 else ends.get(parts[0])
    if instance == victim:
        stops.append(killed_at)
    for start, end in ends.items():
        # under way at its last dump: until its JVM stopped (SIGTERM, SIGKILL), or until now
        later = [stop for stop in stops if stop >= t(start)]
        finish = t(end) if end else (min(later) if later else now)
        events += [(t(start), 1), (finish, -1)]
running = most = 0
for _, step in sorted(events, key=lambda event: (event[0], event[1])):
    running += step
    most = max(most, running)
print(most, len(events) // 2)
PY
)
across=""
for i in "${!PID[@]}"; do
  across+="instance $i: $(operator_get "${PORTS[$((i - 1))]}" /actuator/recycling | jq -r '.acrossGenerations.summary // "no verdict yet"'); "
done
sleep 4
END=$(date +%s)

# --- 4. the dashboard's queries, the alerts, the picture
report_status=0
"$PYTHON" benchmarks/scenarios/fleet_report.py "http://127.0.0.1:$PROM_PORT" "$START" "$END" \
  docs/grafana/recycling-fleet-dashboard.json docs/fleet-dashboard.png "$RESULTS/fleet-report.json" \
  >"$WORK/report.txt" || report_status=$?
# --- 5. processors racing for a backlog, on the same PostgreSQL
java -cp "$CLASSPATH" dev.recycling.benchmarks.analytics.ProcessorScalingBenchmark \
  --server "${JDBC_URL%/*}/postgres" --json "$RESULTS/fleet-processors.json" 2>&1 \
  | grep "batches of" | tail -1 >"$WORK/processors.txt" || true

leak_fired=$(jq '[.alertsFired[] | select(.alert == "RecyclingLeakSuspected" and .instance == "127.0.0.1:'"${PORTS[2]}"'")] | length' "$RESULTS/fleet-report.json")

{
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(haproxy -v | head -1), $(prometheus --version 2>&1 | head -1)"
  echo "run: $DURATION of load through HAProxy (GET $RATE/s, POST $POST_RATE/s), rolling restart at a third, budget 1, lease $LEASE"
  echo "GET:  $(cat "$WORK/gets.txt")"
  echo "POST: $(cat "$WORK/posts.txt")"
  echo "exact across the fleet: $exact (flags $flags of $gets_ok GETs answered; dark-mode $dark of $((2 * posts_ok)); new-checkout $checkout of $posts_ok)"
  echo "$(cat "$WORK/latency.txt")"
  echo "recycles: $recycles generations took over or restarted; $waits recycles waited for the slot; promtool: $(grep -o 'SUCCESS.*' "$WORK/promtool.txt")"
  echo "budget: most recycles under way at once: ${most_at_once% *} (${most_at_once#* } admitted recycles, from admission to end, all instances); the endpoint sampler (3 instances read one after the other, every 200 ms) saw at most $sampled_at_once holding a slot in $samples samples"
  echo "across generations: $across"
  echo "SIGKILL: $kill_line"
  echo "processors: $(cat "$WORK/processors.txt")"
  cat "$WORK/report.txt"
  echo "RecyclingLeakSuspected fired for instance 3: $([ "$leak_fired" -gt 0 ] && echo yes || echo NO)"
} | tee "$RESULTS/fleet.txt"
gets_failed=$(jq '[.failures[]] | add // 0' "$RESULTS/fleet-gets.json")
posts_failed=$(jq '[.failures[]] | add // 0' "$RESULTS/fleet-posts.json")
[ "$exact" = yes ] && [ "$gets_failed" = 0 ] && [ "$posts_failed" = 0 ] && [ "${most_at_once% *}" -le 1 ] \
  && [ "$report_status" = 0 ] && [ "$leak_fired" -gt 0 ] && [ -s "$WORK/processors.txt" ]
