#!/usr/bin/env bash
# Recycle under load on both web stacks, side by side in one run: the servlet demo (Tomcat) and
# the WebFlux demo (Reactor Netty), each with the sequential and the overlap strategy, the same
# load and limits (recycle-under-load.sh), one after the other on the same machine.
# Results: benchmarks/results/recycle-under-load-{demo-app,demo-webflux}-{sequential,overlap}*.json,
#          a table on stdout (restart against the app's own cold start, failed requests, latency)
#
# Usage: benchmarks/scenarios/recycle-stacks.sh   (from the repository root; about 8 minutes)
#        DURATION=60s RATE=200 CLIENTS=8 MAX_REQUESTS=400 as for recycle-under-load.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

for app in demo-app demo-webflux; do
  for strategy in sequential overlap; do
    echo "== $app, $strategy"
    APP=$app STRATEGY=$strategy benchmarks/scenarios/recycle-under-load.sh
  done
done

python3 - <<'PY'
import json
print("| demo | strategy | recycles | failed / requests | restart median (max) ms | cold start ms | restart / cold start | worst p99 during recycles / other seconds ms |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for app in ("demo-app", "demo-webflux"):
    for strategy in ("sequential", "overlap"):
        r = json.load(open(f"benchmarks/results/recycle-under-load-{app}-{strategy}.json"))
        print(f"| {app} | {strategy} | {r['recycles']} | {r['failed']} / {r['total']} | "
              f"{r['restartMillis']['median']:.0f} ({r['restartMillis']['max']:.0f}) | {r['coldStartMillis']} | "
              f"{r['restartToColdStartRatio']:.2f} | {r['duringRecycles']['worstSecondP99Millis']:.0f} / "
              f"{r['otherwise']['worstSecondP99Millis']:.0f} |")
PY
