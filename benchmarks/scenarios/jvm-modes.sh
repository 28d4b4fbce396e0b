#!/usr/bin/env bash
# One JVM at a time: is the starter's cost on a request a property of every JVM, or of some JVMs
# (a JIT decision one instance makes and its twin does not)? Starts JVMS instances of each
# configuration (full: the whole starter; off: recycling.enabled=false), in alternation, each
# alone: on CPU 0, warmed up by wrk on CPU 1 for WARMUP, then measured in SLICES slices of SLICE
# (its requests/s: the median slice), then profiled under the same load by async-profiler (CPU,
# every thread, each Java frame annotated with how it ran: interpreted, C1, C2 or inlined). The
# report (jvm_modes_report.py) gives each JVM's requests/s, its request threads' CPU per request,
# and the share of those threads' samples in frames that ran interpreted or C1-compiled, with the
# methods that did, so that a slow JVM can be told from a fast one by what its JIT left undone.
# Results: benchmarks/results/jvm-modes$SUFFIX.txt, the measurements in jvm-modes$SUFFIX-served.tsv
# and the stacks in jvm-modes$SUFFIX-<n>-<configuration>.collapsed (SUFFIX: -<app> unless the servlet
# demo, -management-port with SEPARATE_MANAGEMENT=1, -TAG); the report again from them:
# python3 benchmarks/scenarios/jvm_modes_report.py SERVED RESULTS_DIR jvm-modes$SUFFIX
#
# Usage: benchmarks/scenarios/jvm-modes.sh   (from the repository root; downloads async-profiler 4.2
#        from Maven Central, installs wrk if missing)
#        JVMS=4 WARMUP=150s SLICES=5 SLICE=3s PROFILE=20s CONFIGURATIONS="full off" APP=demo-app
#        SEPARATE_MANAGEMENT=0 LABELS=1 TAG= to change the run (about 3 minutes a JVM)
#        BASELINE_JAR=path: also the configuration "baseline", the whole starter from that jar (an
#        earlier build of the application), so that a change is measured against it in the same run
#        ALLOC=1: after the CPU profile, an allocation profile under the same load (async-profiler
#        event=alloc, bytes in total) in jvm-modes$SUFFIX-<n>-<configuration>.alloc.collapsed, with
#        the requests it served; the report adds the request threads' bytes a request and the
#        starter's own (allocated below its innermost frame), by class
set -euo pipefail
cd "$(dirname "$0")/../.."

JVMS=${JVMS:-4}
WARMUP=${WARMUP:-150s}
SLICES=${SLICES:-5}
SLICE=${SLICE:-3s}
PROFILE=${PROFILE:-20s}
ALLOC=${ALLOC:-0}
CONNECTIONS=${CONNECTIONS:-16}
APP=${APP:-demo-app}
source benchmarks/scenarios/hot-path-settings.sh
read -r -a CONFIGS <<<"${CONFIGURATIONS:-full off${BASELINE_JAR:+ baseline}}"
CONFIG_ARGS[baseline]=${CONFIG_ARGS[full]}
[[ $APP == demo-app ]] || SUFFIX="-$APP$SUFFIX"
SUFFIX="$SUFFIX${TAG:+-$TAG}"
PORT=18121
RESULTS=$(realpath benchmarks/results)
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

source benchmarks/scenarios/async-profiler.sh
install_wrk
./mvnw -q -B -DskipTests -pl "$APP" -am clean package
source benchmarks/scenarios/demo.sh

PID=
cleanup() {
  local status=$?
  [ -z "$PID" ] || kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

load() {
  taskset -c 1 wrk -t"$1" -c"$CONNECTIONS" -d"$2" "${REQUEST_HEADERS[@]}" "http://127.0.0.1:$PORT$REQUEST_PATH"
}

# CPU time of the instance's request threads so far, in nanoseconds (schedstat)
request_cpu() {
  local task comm ns rest sum=0
  for task in /proc/"$PID"/task/*; do
    { read -r comm <"$task/comm" && read -r ns rest <"$task/schedstat"; } 2>/dev/null || continue
    [[ $comm == http-nio-"$PORT"-* || $comm == reactor-http-* ]] && sum=$((sum + ns))
  done
  echo "$sum"
}

# per JVM: n, configuration, requests/s, request threads' CPU per request, requests profiled
SERVED="$RESULTS/jvm-modes$SUFFIX-served.tsv"
: >"$SERVED"
for n in $(seq 1 "$JVMS"); do
  for which in "${CONFIGS[@]}"; do
    # shellcheck disable=SC2046,SC2086 # the arguments are words
    jar=$APP/target/$APP.jar
    [[ $which != baseline ]] || jar=$BASELINE_JAR
    taskset -c 0 java -Xmx256m -jar "$jar" --server.port="$PORT" $(management_args "$PORT") \
      --spring.datasource.url="jdbc:h2:mem:modes$n$which" \
      --recycling.analytics.spill-directory="$WORK/spill-$n-$which" ${CONFIG_ARGS[$which]} >"$WORK/app.log" 2>&1 &
    PID=$!
    wait_up "$((PORT + MANAGEMENT_OFFSET))" "$WORK/app.log"
    load 1 "$WARMUP" >/dev/null
    rates=()
    cpu_before=$(request_cpu)
    total=0
    for _ in $(seq 1 "$SLICES"); do
      read -r requests rate < <(load 2 "$SLICE" | awk '/ requests in / { n = $1 } /^Requests\/sec:/ { print n, $2 }')
      rates+=("$rate")
      total=$((total + requests))
    done
    cpu_us=$(awk -v a="$cpu_before" -v b="$(request_cpu)" -v n="$total" 'BEGIN { printf "%.2f", (b - a) / 1000 / n }')
    rate=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    out="$RESULTS/jvm-modes$SUFFIX-$n-$which.collapsed"
    # quoted: jcmd would otherwise read the options as its own key=value arguments
    jcmd "$PID" JVMTI.agent_load "$AGENT" "\"start,event=cpu,interval=1ms,threads\"" >/dev/null
    profiled=$(load 2 "$PROFILE" | awk '/ requests in / { print $1 }')
    jcmd "$PID" JVMTI.agent_load "$AGENT" "\"stop,collapsed,ann,file=$out\"" >/dev/null
    allocated=
    if [ "$ALLOC" = 1 ]; then
      jcmd "$PID" JVMTI.agent_load "$AGENT" "\"start,event=alloc,threads\"" >/dev/null
      allocated=$(load 2 "$PROFILE" | awk '/ requests in / { print $1 }')
      jcmd "$PID" JVMTI.agent_load "$AGENT" "\"stop,collapsed,total,file=${out%.collapsed}.alloc.collapsed\"" >/dev/null
    fi
    echo -e "$n\t$which\t$rate\t$cpu_us\t$profiled${allocated:+\t$allocated}" | tee -a "$SERVED"
    kill -9 "$PID"
    wait "$PID" 2>/dev/null || true
    PID=
  done
done
{
  echo "application: $APP; machine: $(nproc) cores, $(java -version 2>&1 | head -1); one JVM at a time on CPU 0, wrk -c$CONNECTIONS on CPU 1, $WARMUP warm-up, $SLICES slices of $SLICE, profile $PROFILE (allocation profile: $ALLOC); actuator on its own port: $SEPARATE_MANAGEMENT, client labels: $LABELS"
  python3 benchmarks/scenarios/jvm_modes_report.py "$SERVED" "$RESULTS" "jvm-modes$SUFFIX"
} | tee "$RESULTS/jvm-modes$SUFFIX.txt"
