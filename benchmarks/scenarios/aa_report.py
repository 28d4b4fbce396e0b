#!/usr/bin/env python3
"""The A/A of every hot-path-wrk.sh run, pooled: off-b's requests/s over off's, per round (the
two are the same configuration in JVMs of their own), from the slices files in
benchmarks/results. A method without a bias puts off-b below off in about half of the rounds.
The runs that warmed the instances two at a time (hot-path-wrk-paired-warmup*, -pairs) are left
out of the pooled figure: that warm-up favoured off-b by design (docs/benchmarks.md, "a bias in
the method: the warm-up order").

Usage: benchmarks/scenarios/aa_report.py [RESULTS_DIR]
"""
import collections
import glob
import math
import os
import statistics
import sys


def rounds_of(path):
    """Per round: configuration -> requests/s over its slices, and whether the orders were shuffled."""
    totals = collections.defaultdict(lambda: [0, 0.0])
    with open(path) as lines:
        next(lines)
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5:
                continue
            round_, _, config, requests, seconds = fields[:5]
            totals[(round_, config)][0] += int(requests)
            totals[(round_, config)][1] += float(seconds)
    rates = collections.defaultdict(dict)
    for (round_, config), (requests, seconds) in totals.items():
        if seconds > 0:
            rates[round_][config] = requests / seconds
    return rates


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results"
    pooled = []
    print("| run (slices file) | rounds | off-b below off | A/A, median | rounds |")
    print("| --- | --- | --- | --- | --- |")
    for path in sorted(glob.glob(os.path.join(results, "hot-path-wrk*-slices.tsv"))):
        ratios = [rates["off-b"] / rates["off"] for rates in rounds_of(path).values()
                  if "off" in rates and "off-b" in rates]
        if not ratios:
            continue
        if "paired" not in path and "pairs" not in path:
            pooled += ratios
        print(f"| {os.path.basename(path)} | {len(ratios)} | {sum(r < 1 for r in ratios)} | "
              f"{statistics.median(ratios):.3f} | {', '.join(f'{r:.3f}' for r in ratios)} |")
    if pooled:
        below = sum(r < 1 for r in pooled)
        # how far from half the rounds below is, in standard deviations of a fair coin's count
        z = (below - len(pooled) / 2) / math.sqrt(len(pooled) / 4)
        geomean = math.exp(statistics.mean(math.log(r) for r in pooled))
        print(f"\nall runs but the paired warm-ups: {len(pooled)} rounds, off-b below off in {below} (z = {z:.2f} against half), "
              f"median {statistics.median(pooled):.4f}, geometric mean {geomean:.4f}")


if __name__ == "__main__":
    main()
