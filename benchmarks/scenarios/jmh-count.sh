#!/usr/bin/env bash
# JMH: what the @ApiUsage count costs a request on the request thread, on Tomcat's own request
# and response objects: a handler-like chain called directly (the baseline) against the same
# through UsageRecordingFilter (annotation lookup, host, environment key, client name and
# version, one record), and the same with the application reading the headers first, in the
# same run, with the allocation profiler (-prof gc: gc.alloc.rate.norm is B/op).
# Results: benchmarks/results/jmh-count.json
#
# Usage: benchmarks/scenarios/jmh-count.sh   (from the repository root; about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

source benchmarks/scenarios/build-classpath.sh

java -cp "$CLASSPATH" org.openjdk.jmh.Main 'dev.recycling.benchmarks.analytics.CountOnTomcatBenchmark' -foe true \
  -prof gc -rf json -rff "$RESULTS/jmh-count.json" | grep -E '^(Benchmark|CountOnTomcatBenchmark)'
