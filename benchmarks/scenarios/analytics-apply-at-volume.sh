#!/usr/bin/env bash
# Applying one batch into aggregate tables that already hold a million rows (and a million
# applied batch ids), against the same into empty tables, alternating in the same run on a
# real PostgreSQL (embedded binaries, fsync on).
# Results: benchmarks/results/analytics-apply-at-volume.json
#
# Usage: benchmarks/scenarios/analytics-apply-at-volume.sh   (from the repository root)
#        KEYS=5000 ROWS=1000000 ROUNDS=5 to change the sizes and the number of rounds
set -euo pipefail
cd "$(dirname "$0")/../.."
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

source benchmarks/scenarios/build-classpath.sh

java -cp "$CLASSPATH" dev.recycling.benchmarks.analytics.ApplyAtVolumeBenchmark \
  --keys "${KEYS:-5000}" --rows "${ROWS:-1000000}" --rounds "${ROUNDS:-5}" \
  --json "$RESULTS/analytics-apply-at-volume.json"
