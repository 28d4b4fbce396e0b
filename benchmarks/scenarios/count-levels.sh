#!/usr/bin/env bash
# The @ApiUsage count's cost inside one JVM: the demo built with
# benchmarks/experiments/count-levels.patch (a throw-away build, never shipped: a switch read from
# a file decides how much of the count each request runs), its GET /api/v1/flags under wrk,
# every level in turn in short slices, the order turning every cycle. One JVM serves every level,
# so the comparison carries none of the few percent by which one JVM differs from its twin for
# its whole life (see hot-path-wrk.sh); what it leaves out is how a JVM that never runs the count
# compiles the rest. Per level: its requests/s over the requests/s of the base level in the
# same cycle (median over the cycles, and how many cycles it was below).
# Levels: 0 none (the chain only), 1 the pending usage and its request attribute, 2 + the
# @ApiUsage lookup, 5 + the environment key header, 6 + Host, 7 + the client's name and version,
# 8 + User-Agent, 3 all headers and the labels, 4 the whole count (as shipped), 9 the same as 4
# (an A/A test of the method); 10: no count
# and no request counting either (the recycling part's filter lets the request through too);
# 11: a lean count (no pending usage or request attribute, the headers read straight from the
# request without the control-character check, the key built and recorded), 12: the lean count
# with a memo of the last key; 14: the lean count reading Tomcat's raw header bytes (through
# its request facade) and decoding them as ISO-8859-1, 13: the same with a per-thread memo of
# the last raw values and their key (a hit compares bytes and records the memo's key: no decode,
# no allocation, no key built), 15: the @ApiUsage lookup and one record of a fixed key (made by the first request at level 13 or 15), with no
# header read (the floor of counting anything per request); 16: a count as a user would write it
# by hand (the path matched: -Dcount-levels.path, the demo's by default; the five headers read, one string key, a ConcurrentHashMap of
# LongAdders; none of the starter's code, no exactness across flushes, no input checks); 17: the
# count as shipped less the pending usage and its request attribute made before the chain (one
# attribute read after it, then the same annotated count with the same header checks); 18: level
# 16 recording its string key in the starter's UsageCounter instead of the map of LongAdders,
# 19: level 16 with the starter's key (an ApiUsageKey with Labels.client) in the map of LongAdders;
# 20: the count as shipped before the memo of the headers and their key (ReceivedKeys); 21: level 16
# with the @ApiUsage lookup for the path match; 22: level 16 with the memo and ApiUsageCache for its
# string key and map (no pending usage, no lookup); 23: the count as shipped before the recorder made
# the pending usage lazily (made and set as a request attribute before the chain). Since that change
# (2026-12-05) level 4 makes no pending usage, level 1 is the filter with no count, and level 17
# (the lazy pending usage as first tried) is level 4 less the dispatcher check.
# The server runs on CPU 0, wrk on CPU 1 (taskset); loopback only; each wrk run is bounded.
# With PROFILE_LEVELS (such as "4 0"), each JVM then serves each of those levels for
# PROFILE_SECONDS under the same load while async-profiler samples its CPU every 200 µs, and
# count_profile_report.py says what share of the request threads' samples the usage filter
# takes, by part of the count.
# APP=demo-webflux measures the WebFlux demo on Reactor Netty with
# benchmarks/experiments/webflux-levels.patch instead: the levels then switch the request counting
# web filter and the usage web filter (the patch's comments list them). The patch applies to
# REV=c41c669, the code before the change it measured (2026-12-05). Its profiles: keep them
# (PROFILE_KEEP) and read them with webflux_profile_report.py (count_profile_report.py knows the
# servlet filter only). PATCH=benchmarks/experiments/webflux-usage-levels.patch (applies to
# REV=4757cc0, after that change and before the usage filter ran inside the request counting
# filter) switches the usage web filter only: 0 none, 4 as shipped, 7 one doOnSuccess, 8 the same
# with no pending usage made before the chain.
# Results: benchmarks/results/count-levels-slices.tsv (jvm cycle level requests requests/s);
# with PROFILE_LEVELS, the report in PROFILE_OUT (benchmarks/results/count-levels-profile.txt)
#
# Usage: benchmarks/scenarios/count-levels.sh   (from the repository root; installs wrk if missing)
#        JVMS=2 CYCLES=16 SLICE=2s WARMUP=150s LEVELS="0 2 5 6 7 8 3 4" BASE=0 OUT=...
#        PROFILE_LEVELS="" PROFILE_SECONDS=20 PROFILE_OUT=... PROFILE_KEEP=dir (keep the collapsed
#        stacks there) REV=HEAD to change the run
#        (about 7 minutes a JVM with the defaults)
set -euo pipefail
cd "$(dirname "$0")/../.."

JVMS=${JVMS:-2}
CYCLES=${CYCLES:-16}
SLICE=${SLICE:-2s}
WARMUP=${WARMUP:-150s}
read -r -a LEVELS <<<"${LEVELS:-0 2 5 6 7 8 3 4}"
BASE=${BASE:-0}
# the commit to build (the patch must apply to it)
REV=${REV:-HEAD}
APP=${APP:-demo-app}
if [[ $APP == demo-app ]]; then
  PATCH=${PATCH:-benchmarks/experiments/count-levels.patch}
else
  PATCH=${PATCH:-benchmarks/experiments/webflux-levels.patch}
fi
OUT=${OUT:-benchmarks/results/count-levels-slices.tsv}
read -r -a PROFILE_LEVELS <<<"${PROFILE_LEVELS:-}"
PROFILE_SECONDS=${PROFILE_SECONDS:-20}
PROFILE_OUT=${PROFILE_OUT:-benchmarks/results/count-levels-profile.txt}
PORT=18401
URL="http://127.0.0.1:$PORT/api/v1/flags"
HEADERS=(-H 'X-Environment-Key: demo-production' -H 'X-Client-Name: hot-path-wrk' -H 'X-Client-Version: 1.0')

if ! command -v wrk >/dev/null; then
  echo "Installing wrk (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
# with a profile, compiled code keeps the debug information of every instruction, not only of
# safepoints: the profiler attaches once the JVM is warm, and without it samples in inlined code
# go to the nearest frame with debug information
PROFILE_FLAGS=()
if ((${#PROFILE_LEVELS[@]})); then
  PROFILE_FLAGS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
fi
WORK=$(mktemp -d)
PID=
cleanup() {
  local status=$?
  [[ -n $PID ]] && kill -9 "$PID" 2>/dev/null || true
  git worktree remove --force "$WORK/src" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# the experiment's build, from the committed sources (REV) plus the patch, in a worktree of its own
git worktree add -q --detach "$WORK/src" "$REV"
git -C "$WORK/src" apply "$PWD/$PATCH"
(cd "$WORK/src" && ./mvnw -q -B -DskipTests -pl "$APP" -am package)
JAR="$WORK/src/$APP/target/$APP.jar"
LEVEL_FILE="$WORK/level"

source benchmarks/scenarios/demo.sh
if ((${#PROFILE_LEVELS[@]})); then
  source benchmarks/scenarios/async-profiler.sh
fi
mkdir -p "$(dirname "$OUT")"
: >"$OUT"
n=${#LEVELS[@]}
for j in $(seq "$JVMS"); do
  echo 4 >"$LEVEL_FILE"
  taskset -c 0 java -Xmx256m "${PROFILE_FLAGS[@]}" -Dcount-levels.file="$LEVEL_FILE" -jar "$JAR" --server.port=$PORT \
    --management.server.port=$((PORT + 100)) --spring.datasource.url="jdbc:h2:mem:count-levels$j" \
    --recycling.analytics.spill-directory="$WORK/spill$j" --recycling.max-requests=1000000000 \
    >"$WORK/demo$j.log" 2>&1 &
  PID=$!
  wait_up $((PORT + 100)) "$WORK/demo$j.log"
  # warm-up with every level in turn, so that each path is compiled before it is measured
  wrk -t1 -c16 -d"$WARMUP" "${HEADERS[@]}" "$URL" >/dev/null &
  warm=$!
  k=0
  while kill -0 "$warm" 2>/dev/null; do
    echo "${LEVELS[$((k % n))]}" >"$LEVEL_FILE"
    k=$((k + 1))
    sleep 2
  done
  for c in $(seq "$CYCLES"); do
    for i in $(seq 0 $((n - 1))); do
      # the order turns every cycle, and runs backwards every other cycle
      if ((c % 2)); then level=${LEVELS[$(((i + c) % n))]}; else level=${LEVELS[$(((n - 1 - i + c) % n))]}; fi
      echo "$level" >"$LEVEL_FILE"
      sleep 0.2 # the switch is read every 20 ms
      taskset -c 1 wrk -t2 -c16 -d"$SLICE" "${HEADERS[@]}" "$URL" \
        | awk -v j="$j" -v c="$c" -v l="$level" '/ requests in / { n = $1 } /^Requests\/sec:/ { print j, c, l, n, $2 }
            /Non-2xx or 3xx/ { print "level " l " answered errors: " $0 > "/dev/stderr" }' >>"$OUT"
    done
  done
  for level in "${PROFILE_LEVELS[@]}"; do
    echo "$level" >"$LEVEL_FILE"
    taskset -c 1 wrk -t2 -c16 -d$((PROFILE_SECONDS + 4))s "${HEADERS[@]}" "$URL" >/dev/null &
    load=$!
    sleep 2
    jcmd "$PID" JVMTI.agent_load "$AGENT" "\"start,event=cpu,interval=200us\"" >/dev/null
    sleep "$PROFILE_SECONDS"
    jcmd "$PID" JVMTI.agent_load "$AGENT" "\"stop,collapsed,file=$WORK/profile-jvm$j-level$level.collapsed\"" >/dev/null
    wait "$load"
  done
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=
done
python3 benchmarks/scenarios/count_levels_report.py "$OUT" "$BASE" "$APP" "$(basename "$PATCH" .patch)"
if ((${#PROFILE_LEVELS[@]})); then
  python3 benchmarks/scenarios/count_profile_report.py "$WORK"/profile-*.collapsed | tee "$PROFILE_OUT"
  # the stacks themselves, for a closer look at one part
  if [[ -n ${PROFILE_KEEP:-} ]]; then
    mkdir -p "$PROFILE_KEEP" && cp "$WORK"/profile-*.collapsed "$PROFILE_KEEP"/
  fi
fi
