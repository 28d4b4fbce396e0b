#!/usr/bin/env bash
# Hot-path cost with wrk (Debian's package): the demo's GET /api/v1/flags with the starter
# fully active (request counting, drain bookkeeping, one API-usage record per request, with the
# client's labels when LABELS=1: wrk then sends X-Client-Name and X-Client-Version), with
# recycling only (recycling.analytics.enabled=false), and switched off (recycling.enabled=false),
# and a second switched-off instance, off-b, whose ratio to off is the noise floor of the
# measurement (an A/A test): four instances side by side, on CPU 0; wrk on CPU 1 (taskset), so
# that load generator and server do not take turns on one core.
# Every round starts four new JVMs (FRESH=1: one JVM can be a few percent slower than its twin
# for its whole life, so a round samples fresh JITs), warms them up with wrk, all four at once, then
# measures in short slices: CYCLES times, each instance in turn for SLICE, keep-alive connections,
# no rate limit. SHUFFLE=1 (the default): every round draws an order of the instances at random
# (their ports, start, warm-up and move back to CPU 0 go in that order) and every cycle loads them
# in an order drawn at random (bash's RANDOM seeded with SEED, printed, so that a run can be
# repeated). SHUFFLE=0: the fixed order of the runs before 2026-12-05 afternoon, the same start
# order every round and a turning one every cycle, off always before off-b; over those runs off-b
# measured below off in 47 of 71 rounds (aa_report.py pools every run's A/A; docs/benchmarks.md).
# Interleaving short slices cancels the machine's drift, which one long run per instance does
# not. Per instance and round: requests/s over its slices, and its process CPU time per request
# (utime + stime from /proc, which leaves out what the other processes on CPU 0 take). A round's
# ratio is a configuration's requests/s over the off instance's in the same round (and off's CPU
# per request over the configuration's); reported: the median ratio and the spread of the
# rounds, the same against off and off-b together, and hot_path_slices_report.py's median of
# each round's cycles (each slice over off's slice of the same cycle), which a burst of the
# machine's other load on a few slices does not move.
# Results: benchmarks/results/hot-path-wrk.json and hot-path-wrk.txt, the slices in
# benchmarks/results/hot-path-wrk-slices.tsv and each slice's CPU per group of threads (request,
# jit, gc, other; threads_report.py) in hot-path-wrk-threads.tsv (hot-path-wrk-management-port*.* with SEPARATE_MANAGEMENT=1;
# APP=demo-webflux, the WebFlux demo on Reactor Netty: hot-path-wrk-demo-webflux*.*; APP=sample-shop,
# the sample shop's catalog, GET /api/products, counted by @ApiUsage: a JPA query and its JSON)
# ACROSS_LEVELS="4 1 16": instead of full and recycling only, instances of the demo built from REV
# (HEAD) with PATCH (count-levels.sh's: benchmarks/experiments/count-levels.patch for the servlet
# demo), one an instance for each level, each at its level for its whole life
# (-Dcount-levels.level), next to off and off-b: what a level costs across JVMs, where each JVM
# compiles only its own level's code (count-levels.sh serves every level from one JVM). The word
# recycling among the levels adds the recycling-only instance (analytics off) of the same build;
# recycling-extra the same with one more web filter that lets every exchange through
# (webflux-usage-levels.patch, which applies to REV=4757cc0: as many filter types in the chain as
# with the usage filter).
# Results: hot-path-wrk-levels*.*, each instance's ratio to off.
# VARIANTS="name=arguments;...": instead of full, instances of the same jar started with the
# application's arguments given (with a request limit far away), next to recycling only, off and
# off-b, e.g. VARIANTS="recycling-exit=--recycling.analytics.enabled=false --recycling.mode=exit"
# (words starting with -X go to the JVM instead, e.g. -XX:CompileCommand=quiet,dontinline,...):
# what one part of the starter costs across JVMs, switched off by its property. Results:
# hot-path-wrk-variants*.*. VARIANTS="full=;full-b=" starts two instances of the whole starter
# (replicas; pooled_report.py and threads_report.py take them as one with :full-b=full after the
# file); give WARMUP in proportion to the instances (375s for five).
#
# Usage: benchmarks/scenarios/hot-path-wrk.sh   (from the repository root; installs wrk if missing)
#        ROUNDS=6 CYCLES=8 SLICE=2s WARMUP=300s CONNECTIONS=16 FRESH=1 SEPARATE_MANAGEMENT=0 LABELS=1
#        APP=demo-app ACROSS_LEVELS= PATCH= REV=HEAD VARIANTS= SHUFFLE=1 SEED=<now> TAG= to change the run
#        (about 8 minutes a round)
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-6}
CYCLES=${CYCLES:-8}
SLICE=${SLICE:-2s}
# warm-up of all four instances at once on both CPUs (one JVM alone on one CPU takes about
# a minute and a half to reach its plateau; four at a time get half a CPU each)
WARMUP=${WARMUP:-300s}
CONNECTIONS=${CONNECTIONS:-16}
FRESH=${FRESH:-1}
SHUFFLE=${SHUFFLE:-1}
SEED=${SEED:-$(date +%s)}
RANDOM=$SEED
APP=${APP:-demo-app}
source benchmarks/scenarios/hot-path-settings.sh
[ "$APP" = demo-app ] || SUFFIX="-$APP$SUFFIX"
# TAG=name: results under names of their own (hot-path-wrk...-name.*), next to earlier runs'
SUFFIX="$SUFFIX${TAG:+-$TAG}"
read -r -a ACROSS_LEVELS <<<"${ACROSS_LEVELS:-}"
# the configurations, each with the JVM options and the application's arguments it starts with
declare -A PORT JVM_OPTIONS ARGS
if ((${#ACROSS_LEVELS[@]})); then
  SUFFIX="-levels$SUFFIX"
  CONFIGS=()
  for level in "${ACROSS_LEVELS[@]}"; do
    if [ "$level" = recycling ]; then
      CONFIGS+=(recycling)
    elif [ "$level" = recycling-extra ]; then
      CONFIGS+=(recycling-extra)
      ARGS[recycling-extra]="--recycling.max-requests=1000000000 --recycling.analytics.enabled=false --count-levels.extra-filter=true"
    else
      CONFIGS+=("level-$level")
      # the by-hand levels (16 and those built on it) count the measured path, as the resource
      # its @ApiUsage names (the shop's catalog is "products", the demos' flags "flags")
      JVM_OPTIONS[level-$level]="-Dcount-levels.level=$level -Dcount-levels.path=$REQUEST_PATH -Dcount-levels.resource=$COUNTED_RESOURCE"
      ARGS[level-$level]="--recycling.max-requests=1000000000"
    fi
  done
elif [ -n "${VARIANTS:-}" ]; then
  SUFFIX="-variants$SUFFIX"
  CONFIGS=(recycling)
  IFS=';' read -r -a VARIANT_LIST <<<"$VARIANTS"
  for variant in "${VARIANT_LIST[@]}"; do
    name=${variant%%=*}
    CONFIGS+=("$name")
    ARGS[$name]="--recycling.max-requests=1000000000"
    # words starting with -X are the JVM's options (-XX:CompileCommand=...), the others the application's
    for word in ${variant#*=}; do
      if [[ $word == -X* ]]; then
        JVM_OPTIONS[$name]="${JVM_OPTIONS[$name]:-} $word"
      else
        ARGS[$name]="${ARGS[$name]} $word"
      fi
    done
  done
else
  CONFIGS=(full recycling)
  ARGS[full]="--recycling.max-requests=1000000000"
fi
ARGS[recycling]="--recycling.max-requests=1000000000 --recycling.analytics.enabled=false"
CONFIGS+=(off off-b)
ARGS[off]="--recycling.enabled=false"
ARGS[off-b]="--recycling.enabled=false"

# shuffle_into NAME WORD...: the words in an order drawn with RANDOM, into the array NAME (no
# subshell, so that the seeded sequence goes on)
shuffle_into() {
  local -n into=$1
  shift
  into=("$@")
  local i j swap
  for ((i = ${#into[@]} - 1; i > 0; i--)); do
    j=$((RANDOM % (i + 1)))
    swap=${into[i]}
    into[i]=${into[j]}
    into[j]=$swap
  done
}
RESULTS=benchmarks/results
WORK=$(mktemp -d)
mkdir -p "$RESULTS"

install_wrk
if ((${#ACROSS_LEVELS[@]})); then
  # the experiment's build, from the committed sources plus the patch, in a worktree of its own
  if [[ $APP == demo-app ]]; then
    PATCH=${PATCH:-benchmarks/experiments/count-levels.patch}
  else
    PATCH=${PATCH:-benchmarks/experiments/webflux-usage-levels.patch}
  fi
  git worktree add -q --detach "$WORK/src" "${REV:-HEAD}"
  git -C "$WORK/src" apply "$PWD/$PATCH"
  (cd "$WORK/src" && ./mvnw -q -B -DskipTests -pl "$APP" -am package)
  JAR="$WORK/src/$APP/target/$APP.jar"
else
  # clean: without it, a change to the starter alone leaves the repackaged demo jar as it was
  ./mvnw -q -B -DskipTests -pl "$APP" -am clean package
  JAR="$APP/target/$APP.jar"
fi
source benchmarks/scenarios/demo.sh

PIDS=()
declare -A PID_OF
cleanup() {
  local status=$?
  for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ ! -d "$WORK/src" ] || git worktree remove --force "$WORK/src" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

start() {
  local which=$1
  local port=${PORT[$which]}
  # shellcheck disable=SC2046,SC2086 # none or one word; the options and arguments are words
  taskset -c 0 java -Xmx256m ${JVM_OPTIONS[$which]:-} -jar "$JAR" --server.port="$port" $(management_args "$port") \
    --spring.datasource.url="jdbc:h2:mem:hotpath$port" \
    --recycling.analytics.spill-directory="$WORK/spill-$port" ${ARGS[$which]} >"$WORK/demo-$which.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$which]=$!
}

# "requests seconds" of one wrk run (the seconds from its requests/s, which wrk measures to the microsecond) against a configuration, loopback only
load() {
  taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"$2" "${REQUEST_HEADERS[@]}" \
    "http://127.0.0.1:${PORT[$1]}$REQUEST_PATH" \
    | awk '/ requests in / { n = $1 } /^Requests\/sec:/ { printf "%d %.4f\n", n, n / $2 }'
}

warm() {
  wrk -t1 -c"$CONNECTIONS" -d"$2" "${REQUEST_HEADERS[@]}" \
    "http://127.0.0.1:${PORT[$1]}$REQUEST_PATH" >/dev/null
}

# CPU time of each thread of an instance so far: "tid group nanoseconds" (schedstat's time on
# CPU), the group by the thread's name: request (the application port's Tomcat or Reactor Netty
# threads: workers, poller, acceptor), jit (C1 and C2 compiler threads), gc (the VM thread, where
# the serial collector of a JVM started on one CPU runs, and any GC worker), other (the rest:
# the management port's server, the starter's and the application's background threads)
thread_cpu() {
  local port=${PORT[$1]} task comm ns rest group
  for task in /proc/"${PID_OF[$1]}"/task/*; do
    { read -r comm <"$task/comm" && read -r ns rest <"$task/schedstat"; } 2>/dev/null || continue
    case $comm in
      http-nio-"$port"-* | reactor-http-*) group=request ;;
      C1\ CompilerThre* | C2\ CompilerThre*) group=jit ;;
      VM\ Thread | GC\ Thread* | G1\ *) group=gc ;;
      *) group=other ;;
    esac
    echo "${task##*/} $group $ns"
  done
}

# CPU time of an instance's process so far, in clock ticks (utime + stime)
cpu_ticks() {
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/${PID_OF[$1]}/stat"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

start_all() {
  PIDS=()
  local order=("${CONFIGS[@]}") i
  [ "$SHUFFLE" = 0 ] || shuffle_into order "${CONFIGS[@]}"
  for i in "${!order[@]}"; do PORT[${order[$i]}]=$((18101 + i)); done
  echo "started in this order: ${order[*]}"
  for which in "${order[@]}"; do start "$which"; done
  for which in "${order[@]}"; do
    wait_up "$((PORT[$which] + MANAGEMENT_OFFSET))" "$WORK/demo-$which.log"
  done
  # warm-up of all four at once, each allowed on both CPUs for it (the JVMs started on one, so
  # their ergonomics are those of one CPU), then all back on CPU 0: all four end their warm-up
  # together. (Warming two at a time left the first two idle through the other two's warm-up,
  # and off measured against off across the two pairs was 0.92 to 0.97: docs/benchmarks.md.)
  echo "warm-up, $WARMUP, all ${#CONFIGS[@]} at once on both CPUs"
  local warming=()
  for which in "${order[@]}"; do
    taskset -a -p -c 0,1 "${PID_OF[$which]}" >/dev/null
    warm "$which" "$WARMUP" &
    warming+=($!)
  done
  wait "${warming[@]}"
  for which in "${order[@]}"; do taskset -a -p -c 0 "${PID_OF[$which]}" >/dev/null; done
}
stop_all() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

HZ=$(getconf CLK_TCK)
declare -A REQUESTS SECONDS_OF TICKS RATES CPU_US
SLICES="$RESULTS/hot-path-wrk$SUFFIX-slices.tsv"
echo -e "round\tcycle\tconfiguration\trequests\tseconds\tcpu_ticks" >"$SLICES"
# per slice, the CPU time of each group of threads (thread_cpu), in nanoseconds
THREADS="$RESULTS/hot-path-wrk$SUFFIX-threads.tsv"
echo -e "round\tcycle\tconfiguration\trequests\tgroup\tcpu_ns" >"$THREADS"
[ "$FRESH" = 1 ] || start_all
for round in $(seq 1 "$ROUNDS"); do
  [ "$FRESH" = 0 ] || start_all
  for which in "${CONFIGS[@]}"; do REQUESTS[$which]=0; SECONDS_OF[$which]=0; TICKS[$which]=0; done
  for cycle in $(seq 1 "$CYCLES"); do
    if [ "$SHUFFLE" = 0 ]; then
      cycle_order=()
      for k in "${!CONFIGS[@]}"; do cycle_order+=("${CONFIGS[$(((k + cycle + round) % ${#CONFIGS[@]}))]}"); done
    else
      shuffle_into cycle_order "${CONFIGS[@]}"
    fi
    for which in "${cycle_order[@]}"; do
      before=$(cpu_ticks "$which")
      threads_before=$(thread_cpu "$which")
      read -r requests seconds < <(load "$which" "$SLICE")
      ticks=$(($(cpu_ticks "$which") - before))
      # each group's CPU over the slice, from the threads alive at its end (a new one from zero)
      thread_cpu "$which" | awk -v r="$round" -v c="$cycle" -v w="$which" -v n="$requests" '
        NR == FNR { was[$1] = $3; next }
        { used[$2] += $3 - was[$1] }
        END { for (g in used) printf "%s\t%s\t%s\t%d\t%s\t%d\n", r, c, w, n, g, used[g] }' \
        <(echo "$threads_before") - >>"$THREADS"
      echo -e "$round\t$cycle\t$which\t$requests\t$seconds\t$ticks" >>"$SLICES"
      REQUESTS[$which]=$((REQUESTS[$which] + requests))
      SECONDS_OF[$which]=$(awk -v a="${SECONDS_OF[$which]}" -v b="$seconds" 'BEGIN { print a + b }')
      TICKS[$which]=$((TICKS[$which] + ticks))
    done
  done
  for which in "${CONFIGS[@]}"; do
    RATES[$which,$round]=$(awk -v r="${REQUESTS[$which]}" -v s="${SECONDS_OF[$which]}" 'BEGIN { printf "%.1f", r / s }')
    CPU_US[$which,$round]=$(awk -v t="${TICKS[$which]}" -v r="${REQUESTS[$which]}" -v hz="$HZ" 'BEGIN { printf "%.2f", t * 1e6 / hz / r }')
    echo "round $round $which: ${RATES[$which,$round]} requests/s, ${CPU_US[$which,$round]} us CPU per request"
  done
  [ "$FRESH" = 0 ] || stop_all
done

# ratios CONFIG: throughput over off's, per round; cpu_ratios CONFIG: off's CPU per request
# over the configuration's (higher is better, as for throughput)
ratios() {
  for round in $(seq 1 "$ROUNDS"); do
    awk -v a="${RATES[$1,$round]}" -v o="${RATES[off,$round]}" 'BEGIN { printf "%.3f\n", a / o }'
  done
}
# both_ratios CONFIG: throughput over off's and off-b's together (their geometric mean), per round:
# a baseline of two JVMs, whose own variation is half of one's
both_ratios() {
  for round in $(seq 1 "$ROUNDS"); do
    awk -v a="${RATES[$1,$round]}" -v o="${RATES[off,$round]}" -v b="${RATES[off-b,$round]}" \
      'BEGIN { printf "%.3f\n", a / sqrt(o * b) }'
  done
}
cpu_ratios() {
  for round in $(seq 1 "$ROUNDS"); do
    awk -v a="${CPU_US[$1,$round]}" -v o="${CPU_US[off,$round]}" 'BEGIN { printf "%.3f\n", o / a }'
  done
}
list() { for round in $(seq 1 "$ROUNDS"); do echo "${RATES[$1,$round]}"; done; }
cpu_list() { for round in $(seq 1 "$ROUNDS"); do echo "${CPU_US[$1,$round]}"; done; }
spread() { sort -n | sed -n '1p;$p' | paste -sd' ' | awk '{ print $1 " to " $2 }'; }
summary() {
  local r c b
  r=$(ratios "$1")
  c=$(cpu_ratios "$1")
  echo "$1: median $(list "$1" | median)/s, ratio to off median $(echo "$r" | median) (rounds $(echo "$r" | spread));" \
    "CPU per request median $(cpu_list "$1" | median) us, off's over it median $(echo "$c" | median) (rounds $(echo "$c" | spread))"
  if [ "$1" != off-b ]; then
    b=$(both_ratios "$1")
    echo "  $1 against off and off-b together: median $(echo "$b" | median) (rounds $(echo "$b" | paste -sd' ' | sed 's/ /, /g'))"
  fi
}
{
  echo "application: $APP; machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); instances on CPU 0, wrk -t2 -c$CONNECTIONS on CPU 1, $ROUNDS rounds of $CYCLES cycles of $SLICE slices after $WARMUP warm-up, all ${#CONFIGS[@]} at once on both CPUs, new JVMs every round: $FRESH, actuator on its own port: $SEPARATE_MANAGEMENT, client labels: $LABELS, shuffled orders: $SHUFFLE (SEED=$SEED)"
  ((${#ACROSS_LEVELS[@]} == 0)) || echo "levels (each in a JVM of its own): ${ACROSS_LEVELS[*]}, $PATCH on ${REV:-HEAD}"
  [ -z "${VARIANTS:-}" ] || echo "variants: $VARIANTS"
  echo "off: median $(list off | median)/s, CPU per request median $(cpu_list off | median) us"
  for which in "${CONFIGS[@]}"; do [ "$which" = off ] || summary "$which"; done
} | tee "$RESULTS/hot-path-wrk$SUFFIX.txt"
python3 benchmarks/scenarios/hot_path_slices_report.py "$SLICES" off | tee -a "$RESULTS/hot-path-wrk$SUFFIX.txt"
json_list() { "$1" "$2" | paste -sd, -; }
if ((${#ACROSS_LEVELS[@]})) || [ -n "${VARIANTS:-}" ]; then
  {
    echo "{"
    echo "  \"date\": \"$(date -u +%Y-%m-%d)\", \"application\": \"$APP\", \"patch\": \"${PATCH:-}\", \"cores\": $(nproc), \"connections\": $CONNECTIONS, \"rounds\": $ROUNDS,"
    echo "  \"cycles\": $CYCLES, \"slice\": \"$SLICE\", \"warmup\": \"$WARMUP\", \"separateManagementPort\": $SEPARATE_MANAGEMENT, \"clientLabels\": $LABELS,"
    echo "  \"shuffled\": $SHUFFLE, \"seed\": $SEED,"
    for which in "${CONFIGS[@]}"; do
      echo "  \"$which\": { \"requestsPerSecond\": [$(json_list list "$which")], \"ratios\": [$(json_list ratios "$which")], \"ratiosToBothOff\": [$(json_list both_ratios "$which")], \"cpuMicrosPerRequest\": [$(json_list cpu_list "$which")], \"cpuRatios\": [$(json_list cpu_ratios "$which")] },"
    done | sed '$ s/,$//'
    echo "}"
  } >"$RESULTS/hot-path-wrk$SUFFIX.json"
  exit 0
fi
cat >"$RESULTS/hot-path-wrk$SUFFIX.json" <<JSON
{
  "date": "$(date -u +%Y-%m-%d)", "application": "$APP", "cores": $(nproc), "connections": $CONNECTIONS, "rounds": $ROUNDS,
  "cycles": $CYCLES, "slice": "$SLICE", "warmup": "$WARMUP", "freshJvmsEveryRound": $FRESH, "separateManagementPort": $SEPARATE_MANAGEMENT, "clientLabels": $LABELS,
  "shuffled": $SHUFFLE, "seed": $SEED,
  "fullRequestsPerSecond": [$(json_list list full)],
  "recyclingOnlyRequestsPerSecond": [$(json_list list recycling)],
  "offRequestsPerSecond": [$(json_list list off)],
  "offBRequestsPerSecond": [$(json_list list off-b)],
  "fullRatios": [$(json_list ratios full)],
  "recyclingOnlyRatios": [$(json_list ratios recycling)],
  "offBRatios": [$(json_list ratios off-b)],
  "fullRatiosToBothOff": [$(json_list both_ratios full)],
  "recyclingOnlyRatiosToBothOff": [$(json_list both_ratios recycling)],
  "fullCpuMicrosPerRequest": [$(json_list cpu_list full)],
  "recyclingOnlyCpuMicrosPerRequest": [$(json_list cpu_list recycling)],
  "offCpuMicrosPerRequest": [$(json_list cpu_list off)],
  "offBCpuMicrosPerRequest": [$(json_list cpu_list off-b)],
  "fullCpuRatios": [$(json_list cpu_ratios full)],
  "recyclingOnlyCpuRatios": [$(json_list cpu_ratios recycling)],
  "offBCpuRatios": [$(json_list cpu_ratios off-b)]
}
JSON
