"""Report of benchmarks/scenarios/fleet.sh, from the Prometheus that scraped the fleet.

Runs every query of the Grafana dashboard over the scenario's time range (with $instance as
every instance and $__rate_interval as 30s) and fails unless each returns series from the
fleet (a gauge that is NaN until its verdict, such as survivor suspected, counts: its series
is there);
lists the alerts that fired; draws the dashboard's panels from the same data into a PNG.

Usage: python3 fleet_report.py PROMETHEUS_URL START END DASHBOARD_JSON OUT_PNG OUT_JSON
       (START and END in Unix seconds)
"""
import json
import math
import sys
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STEP = 2
RATE_INTERVAL = "30s"


def query_range(prometheus, expr, start, end):
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": STEP})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}", timeout=30) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


def finite(series):
    return [(float(t), float(v)) for t, v in series["values"] if not math.isnan(float(v)) and not math.isinf(float(v))]


def legend(fmt, labels):
    text = fmt
    for key, value in labels.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def main():
    prometheus, start, end, dashboard_path, out_png, out_json = sys.argv[1:7]
    start, end = float(start), float(end)
    dashboard = json.load(open(dashboard_path))
    panels = dashboard["panels"]
    checks = []
    columns = 3
    rows = math.ceil(len(panels) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(18, 4.2 * rows))
    for index, panel in enumerate(panels):
        axis = axes[index // columns][index % columns]
        axis.set_title(panel["title"], fontsize=10)
        for target in panel["targets"]:
            expr = target["expr"].replace("$instance", ".*").replace("$__rate_interval", RATE_INTERVAL)
            result = query_range(prometheus, expr, start, end)
            with_values = [series for series in result if finite(series)]
            checks.append({"panel": panel["title"], "expr": expr, "series": len(result),
                           "seriesWithValues": len(with_values)})
            for series in with_values:
                points = finite(series)
                axis.plot([t - start for t, _ in points], [v for _, v in points], linewidth=1,
                          label=legend(target.get("legendFormat", ""), series["metric"]).replace("127.0.0.1:", ":"))
        axis.set_xlabel("seconds into the run", fontsize=8)
        axis.tick_params(labelsize=8)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=6, loc="upper left")
    figure.suptitle(f"{dashboard['title']}: the dashboard's panels drawn from the fleet scenario's Prometheus", fontsize=12)
    figure.tight_layout()
    figure.savefig(out_png, dpi=70)
    fired = query_range(prometheus, 'ALERTS{alertstate="firing"}', start, end)
    alerts = sorted({(series["metric"]["alertname"], series["metric"].get("instance", "")) for series in fired})
    report = {"queries": checks, "alertsFired": [{"alert": a, "instance": i} for a, i in alerts]}
    json.dump(report, open(out_json, "w"), indent=2)
    empty = [check for check in checks if check["series"] == 0]
    print(f"dashboard queries: {len(checks) - len(empty)} of {len(checks)} return series from the fleet")
    for check in empty:
        print(f"  NO DATA: {check['panel']}: {check['expr']}")
    for check in checks:
        if check["series"] > 0 and check["seriesWithValues"] == 0:
            print(f"  only NaN so far (no verdict yet): {check['panel']}: {check['expr']}")
    print("alerts fired: " + (", ".join(f"{a} ({i})" for a, i in alerts) or "none"))
    sys.exit(1 if empty else 0)


if __name__ == "__main__":
    main()
