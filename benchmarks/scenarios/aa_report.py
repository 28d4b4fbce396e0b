#!/usr/bin/env python3
"""The A/A of every hot-path-wrk.sh run, pooled: off-b's requests/s over off's (the two are the
same configuration, in JVMs of their own), from the slices files in benchmarks/results, per
round two ways: over all the round's slices (the script's figure), and the median of the cycles'
ratios (off-b's slice over off's slice of the same cycle), which a burst of the machine's other
load on a few slices does not move. A method without a bias puts off-b below off in about half
of the rounds.

Runs whose report (the .txt next to the slices file) says "shuffled orders: 1" drew their start and
cycle orders at random (SHUFFLE=1, the default since 2026-12-05 afternoon, whatever the run's TAG);
the others started and loaded the instances in a fixed, turning order, off always before off-b. The
runs that warmed the instances two at a time (hot-path-wrk-paired-warmup*, -pairs) are left out
of the pooled figures: that warm-up favoured off-b by design (docs/benchmarks.md, "a bias in the
method: the warm-up order").

Usage: benchmarks/scenarios/aa_report.py [RESULTS_DIR]
"""
import collections
import glob
import math
import os
import statistics
import sys


def rounds_of(path):
    """Per round: (off-b over off over all its slices, the median of its cycles' off-b over off)."""
    totals = collections.defaultdict(lambda: [0, 0.0])
    cycles = collections.defaultdict(dict)
    with open(path) as lines:
        next(lines)
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5 or fields[2] not in ("off", "off-b"):
                continue
            round_, cycle, config, requests, seconds = fields[:5]
            totals[(round_, config)][0] += int(requests)
            totals[(round_, config)][1] += float(seconds)
            cycles[(round_, cycle)][config] = int(requests) / float(seconds)
    result = []
    for round_ in sorted({round_ for round_, _ in totals}, key=int):
        off, off_b = totals.get((round_, "off")), totals.get((round_, "off-b"))
        if not off or not off_b or not off[1] or not off_b[1]:
            continue
        ratios = [rates["off-b"] / rates["off"] for (r, _), rates in cycles.items()
                  if r == round_ and len(rates) == 2]
        result.append(((off_b[0] / off_b[1]) / (off[0] / off[1]), statistics.median(ratios)))
    return result


def pooled_line(name, rounds, which):
    ratios = [r[which] for r in rounds]
    below = sum(r < 1 for r in ratios)
    # how far the count below is from half the rounds, in standard deviations of a fair coin's
    z = (below - len(ratios) / 2) / math.sqrt(len(ratios) / 4)
    geomean = math.exp(statistics.mean(math.log(r) for r in ratios))
    return (f"{name}: {len(ratios)} rounds, off-b below off in {below} (z = {z:.2f} against half), "
            f"median {statistics.median(ratios):.3f}, geometric mean {geomean:.3f}")


def drew_orders_at_random(path):
    """Whether the run of a slices file drew its orders at random, as its report says."""
    report = path[:-len("-slices.tsv")] + ".txt"
    if os.path.exists(report):
        with open(report) as lines:
            return "shuffled orders: 1" in lines.read()
    return "shuffled" in os.path.basename(path)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results"
    fixed, shuffled = [], []
    print("| run (slices file) | rounds | off-b below off | A/A over the slices: median, rounds | the cycles' median: median |")
    print("| --- | --- | --- | --- | --- |")
    for path in sorted(glob.glob(os.path.join(results, "hot-path-wrk*-slices.tsv"))):
        rounds = rounds_of(path)
        if not rounds:
            continue
        name = os.path.basename(path)
        if drew_orders_at_random(path):
            shuffled += rounds
        elif "paired" not in name and "pairs" not in name:
            fixed += rounds
        totals = [r[0] for r in rounds]
        print(f"| {name} | {len(rounds)} | {sum(r < 1 for r in totals)} | {statistics.median(totals):.3f}: "
              f"{', '.join(f'{r:.3f}' for r in totals)} | {statistics.median(r[1] for r in rounds):.3f} |")
    print()
    for name, rounds in (("fixed order", fixed), ("shuffled", shuffled)):
        if rounds:
            print(pooled_line(f"{name}, over the slices", rounds, 0))
            print(pooled_line(f"{name}, the cycles' median", rounds, 1))


if __name__ == "__main__":
    main()
