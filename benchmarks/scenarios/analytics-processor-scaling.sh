#!/usr/bin/env bash
# Batches applied per second by 1, 2 and 3 processors racing for one queue on one real
# PostgreSQL (embedded binaries), each with its own db-scheduler and pool as on three
# instances of a fleet; the counts applied are checked after every round.
# Result: benchmarks/results/analytics-processor-scaling.json
#
# Usage: benchmarks/scenarios/analytics-processor-scaling.sh   (from the repository root)
#        BATCHES=600 KEYS=200 ROUNDS=3 to change the run
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

source benchmarks/scenarios/build-classpath.sh

java -cp "$CLASSPATH" dev.recycling.benchmarks.analytics.ProcessorScalingBenchmark \
  --batches "${BATCHES:-600}" --keys "${KEYS:-200}" --rounds "${ROUNDS:-3}" \
  --json "$RESULTS/analytics-processor-scaling.json"
