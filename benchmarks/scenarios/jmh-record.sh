#!/usr/bin/env bash
# JMH: throughput of recording one usage count, the lock-free UsageCounter against a map under
# one global lock (the Flagsmith shape), with 1 and 2 threads, over 1 024 keys and over one hot
# key, in the same run, with the allocation profiler (-prof gc: gc.alloc.rate.norm is B/op).
# Results: benchmarks/results/jmh-record-t{1,2}.json
#
# Usage: benchmarks/scenarios/jmh-record.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

source benchmarks/scenarios/build-classpath.sh

for threads in 1 2; do
  java -cp "$CLASSPATH" org.openjdk.jmh.Main 'dev.recycling.benchmarks.analytics.RecordBenchmark' -foe true \
    -t "$threads" -prof gc -rf json -rff "$RESULTS/jmh-record-t$threads.json" | grep -E '^(Benchmark|RecordBenchmark)'
done
