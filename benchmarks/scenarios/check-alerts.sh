#!/usr/bin/env bash
# The Prometheus alert rules in docs/prometheus, checked and unit-tested by Prometheus's own
# rule engine (promtool, from Debian's prometheus package, installed if missing).
#
# Usage: benchmarks/scenarios/check-alerts.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v promtool > /dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus > /dev/null
fi
promtool --version | head -1
cd docs/prometheus
promtool check rules recycling-alerts.yml
promtool test rules recycling-alerts.test.yml
