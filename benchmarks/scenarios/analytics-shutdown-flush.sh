#!/usr/bin/env bash
# The shutdown flush of 100 000 distinct keys on a real PostgreSQL (embedded binaries, fsync
# on): committed as one task, against one task per key, alternating in the same run.
# Results: benchmarks/results/analytics-shutdown-flush.json
#
# Usage: benchmarks/scenarios/analytics-shutdown-flush.sh   (from the repository root)
#        KEYS=100000 ROUNDS=3 to change the size and the number of rounds
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

source benchmarks/scenarios/build-classpath.sh

java -cp "$CLASSPATH" dev.recycling.benchmarks.analytics.ShutdownFlushBenchmark \
  --keys "${KEYS:-100000}" --rounds "${ROUNDS:-3}" --json "$RESULTS/analytics-shutdown-flush.json"
