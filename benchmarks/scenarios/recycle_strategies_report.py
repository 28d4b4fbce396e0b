"""Report of benchmarks/scenarios/recycle-strategies.sh: per run, failed requests, requests
slower than 250 ms, p99.9 and max latency in the seconds during recycles against the other
seconds. A recycle covers the seconds from its decision until the next generation (or worker)
serves, plus one second for the old one's last requests.

Usage: python3 recycle_strategies_report.py RESULTS_DIR SAMPLES_DIR
       (writes RESULTS_DIR/recycle-strategies.json)
"""
import json
import sys
from datetime import datetime
from pathlib import Path


def parse_instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def parse_duration(text):
    # ISO-8601 durations as Java prints them: PT1.234S, PT2M3.5S
    text = text[2:]
    seconds = 0.0
    number = ""
    for char in text:
        if char.isdigit() or char in ".-":
            number += char
        else:
            seconds += float(number) * {"H": 3600, "M": 60, "S": 1}[char]
            number = ""
    return seconds


def java_windows(recycling):
    """Windows (from, to) in epoch seconds from GET /actuator/recycling."""
    windows = []
    history = recycling["history"]  # newest first
    for index, record in enumerate(history):
        if record.get("restartDuration") is None:
            continue
        restart = parse_duration(record["restartDuration"])
        if record.get("handedOverAt"):
            served = parse_instant(record["handedOverAt"])
        else:
            # the next generation's start: the newer record, or the current generation
            served = parse_instant(history[index - 1]["startedAt"] if index > 0 else recycling["startedAt"])
        windows.append((served - restart, served + 1.0))
    return windows


def gunicorn_windows(events):
    windows = []
    exit_at = None
    for line in events.read_text().split("\n"):
        if not line.strip():
            continue
        kind, millis = line.split()
        if kind == "exit":
            exit_at = int(millis) / 1000.0
        elif kind == "ready" and exit_at is not None:
            windows.append((exit_at, int(millis) / 1000.0 + 1.0))
            exit_at = None
    return windows


def percentile(values, quantile):
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-quantile * len(ordered) // 1)) - 1))]


def figures(load, samples_file, windows):
    """Exact figures over every request, split by whether it started during a recycle."""
    started = load["startedAtEpochMillis"] / 1000.0
    relative = [(start - started, end - started) for start, end in windows]
    groups = {True: [], False: []}
    for line in samples_file.read_text().split("\n"):
        if not line:
            continue
        start_ms, latency_us, outcome = line.split()
        at = int(start_ms) / 1000.0
        during = any(start <= at < end for start, end in relative)
        groups[during].append((int(latency_us) / 1000.0, outcome))
    result = {}
    for name, selected in (("duringRecycles", True), ("otherSeconds", False)):
        requests = groups[selected]
        latencies = [latency for latency, _ in requests]
        result[name] = {
            "requests": len(requests),
            "failed": sum(1 for _, outcome in requests if outcome != "ok"),
            "slowerThan250ms": sum(1 for latency in latencies if latency > 250),
            "p999Millis": percentile(latencies, 0.999),
            "maxMillis": max(latencies, default=0),
        }
    return result


def main():
    results = Path(sys.argv[1])
    work = Path(sys.argv[2])
    report = {}
    for strategy in ("overlap", "sequential"):
        load = json.loads((results / f"recycle-strategies-{strategy}-load.json").read_text())
        recycling = json.loads((results / f"recycle-strategies-{strategy}-recycling.json").read_text())
        windows = java_windows(recycling)
        report[f"demo, {strategy}"] = dict(recycles=len(windows), total=load["total"], failed=load["failed"],
                                            slowerThan250ms=load["slowerThan250ms"],
                                            **figures(load, work / f"recycle-strategies-{strategy}-load.samples", windows))
    load = json.loads((results / "recycle-strategies-gunicorn-load.json").read_text())
    windows = gunicorn_windows(results / "recycle-strategies-gunicorn-events.txt")
    report["gunicorn, 1 sync worker"] = dict(recycles=len(windows), total=load["total"], failed=load["failed"],
                                             slowerThan250ms=load["slowerThan250ms"],
                                             **figures(load, work / "recycle-strategies-gunicorn-load.samples", windows))
    (results / "recycle-strategies.json").write_text(json.dumps(report, indent=2) + "\n")
    print("| run | recycles | requests | failed | > 250 ms | p99.9 during recycles | p99.9 other seconds | "
          "ratio | max during recycles | max other seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for run, r in report.items():
        d, o = r["duringRecycles"], r["otherSeconds"]
        ratio = d["p999Millis"] / o["p999Millis"] if o["p999Millis"] else float("nan")
        print(f"| {run} | {r['recycles']} | {r['total']} | {r['failed']} | {r['slowerThan250ms']} | "
              f"{d['p999Millis']:.1f} ms | {o['p999Millis']:.1f} ms | {ratio:.2f} | "
              f"{d['maxMillis']:.1f} ms | {o['maxMillis']:.1f} ms |")


if __name__ == "__main__":
    main()
