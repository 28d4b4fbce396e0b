#!/usr/bin/env bash
# Where a request's CPU time goes, with the whole starter active against switched off: the
# demo's GET /api/v1/flags under wrk, profiled with async-profiler (CPU, every thread of the
# process: request threads, GC, JIT compilers, the starter's own threads). The same set-up as
# hot-path-wrk.sh: the instances on CPU 0, wrk on CPU 1. Each configuration is profiled while it
# alone is loaded, turn about, ROUNDS times; the report gives CPU microseconds per request by
# thread kind and, on request threads, by what the sample was executing (the innermost frame of a
# known component), so that a difference between the two is found where it is, in our frames or
# outside them.
# APP=demo-webflux profiles the WebFlux demo on Reactor Netty (its request threads are the event
# loops); the report then also lists the frames whose own CPU per request differs most
# between the first two configurations.
# Results: benchmarks/results/hot-path-profile.txt and hot-path-profile-<configuration>-<round>.collapsed
# (hot-path-profile-demo-webflux*.* with APP=demo-webflux)
#
# Usage: benchmarks/scenarios/hot-path-profile.sh   (from the repository root; downloads
#        async-profiler 4.2 from Maven Central, installs wrk if missing)
#        ROUNDS=3 DURATION=20s WARMUP=150s CONFIGURATIONS="full off" SEPARATE_MANAGEMENT=0 LABELS=1
#        APP=demo-app to change the run
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-150s}
CONNECTIONS=${CONNECTIONS:-16}
APP=${APP:-demo-app}
source benchmarks/scenarios/hot-path-settings.sh
read -r -a CONFIGS <<<"${CONFIGURATIONS:-full off}"
[[ $APP == demo-app ]] || SUFFIX="-$APP$SUFFIX"
declare -A PORT=([full]=18111 [recycling]=18112 [off]=18113 [off-b]=18114)
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

source benchmarks/scenarios/async-profiler.sh
install_wrk
./mvnw -q -B -DskipTests -pl "$APP" -am clean package
source benchmarks/scenarios/demo.sh

declare -A PID_OF
cleanup() {
  local status=$?
  for pid in "${PID_OF[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

for which in "${CONFIGS[@]}"; do
  # shellcheck disable=SC2086,SC2046 # the arguments are words
  taskset -c 0 java -Xmx256m -jar "$APP/target/$APP.jar" --server.port="${PORT[$which]}" $(management_args "${PORT[$which]}") \
    --spring.datasource.url="jdbc:h2:mem:profile$which" \
    --recycling.analytics.spill-directory="$WORK/spill-$which" ${CONFIG_ARGS[$which]} >"$WORK/demo-$which.log" 2>&1 &
  PID_OF[$which]=$!
done
for which in "${CONFIGS[@]}"; do wait_up "$((PORT[$which] + MANAGEMENT_OFFSET))" "$WORK/demo-$which.log"; done

flags() {
  taskset -c "$1" wrk -t"$2" -c"$CONNECTIONS" -d"$4" "${REQUEST_HEADERS[@]}" \
    "http://127.0.0.1:${PORT[$3]}$REQUEST_PATH"
}
# warm-up: all at once, each allowed on both CPUs for it, then back on CPU 0
echo "warm-up, $WARMUP"
warming=()
for which in "${CONFIGS[@]}"; do
  taskset -a -p -c 0,1 "${PID_OF[$which]}" >/dev/null
  flags 0,1 1 "$which" "$WARMUP" >/dev/null &
  warming+=($!)
done
wait "${warming[@]}"
for which in "${CONFIGS[@]}"; do taskset -a -p -c 0 "${PID_OF[$which]}" >/dev/null; done

declare -A SERVED
for round in $(seq 1 "$ROUNDS"); do
  for k in "${!CONFIGS[@]}"; do
    which=${CONFIGS[$(((k + round) % ${#CONFIGS[@]}))]}
    out=$(realpath "$RESULTS")/hot-path-profile$SUFFIX-$which-$round.collapsed
    # quoted: jcmd would otherwise read the options as its own key=value arguments
    jcmd "${PID_OF[$which]}" JVMTI.agent_load "$AGENT" "\"start,event=cpu,interval=1ms,threads\"" >/dev/null
    requests=$(flags 1 2 "$which" "$DURATION" | awk '/ requests in / { print $1 }')
    jcmd "${PID_OF[$which]}" JVMTI.agent_load "$AGENT" "\"stop,collapsed,file=$out\"" >/dev/null
    SERVED[$which,$round]=$requests
    echo "round $round $which: $requests requests"
  done
done

for which in "${CONFIGS[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do echo "$which $round ${SERVED[$which,$round]}"; done
done >"$WORK/served.txt"
python3 benchmarks/scenarios/hot_path_profile_report.py "$RESULTS" "$WORK/served.txt" "$SUFFIX" \
  | tee "$RESULTS/hot-path-profile$SUFFIX.txt"
