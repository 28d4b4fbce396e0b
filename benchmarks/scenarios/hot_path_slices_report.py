#!/usr/bin/env python3
"""Ratios of every configuration of a hot-path-wrk slices file to one of them.

For each configuration: its requests/s over the baseline's, per round (all slices of the round)
and the median of the rounds; the same for CPU time per request (the baseline's over the
configuration's, so higher is better for both); in how many cycles its slice served fewer
requests per second than the baseline's slice of the same cycle; and per round the median of the
cycles' ratios (its slice over the baseline's slice of the same cycle), with the median of the
rounds: a burst of the machine's other load that falls on a few slices moves a round's total
but not the median of its cycles.

Usage: benchmarks/scenarios/hot_path_slices_report.py SLICES.tsv BASELINE
       e.g. benchmarks/scenarios/hot_path_slices_report.py benchmarks/results/hot-path-wrk-bisect-run2-slices.tsv recycling-only
"""
import collections
import statistics
import sys


def main(path, baseline):
    requests = collections.defaultdict(float)
    seconds = collections.defaultdict(float)
    ticks = collections.defaultdict(float)
    by_cycle = collections.defaultdict(dict)
    configurations = []
    with open(path) as slices:
        next(slices)
        for line in slices:
            round_, cycle, configuration, count, duration, cpu = line.rstrip('\n').split('\t')
            requests[round_, configuration] += int(count)
            seconds[round_, configuration] += float(duration)
            ticks[round_, configuration] += int(cpu)
            by_cycle[round_, cycle][configuration] = int(count) / float(duration)
            if configuration not in configurations:
                configurations.append(configuration)
    if baseline not in configurations:
        sys.exit(f"no configuration {baseline} in {path}: {', '.join(configurations)}")
    rounds = sorted({round_ for round_, _ in requests}, key=int)
    for configuration in configurations:
        ratios = [(requests[r, configuration] / seconds[r, configuration])
                  / (requests[r, baseline] / seconds[r, baseline]) for r in rounds]
        cpu = [(ticks[r, baseline] / requests[r, baseline]) / (ticks[r, configuration] / requests[r, configuration])
               for r in rounds]
        cycles = [rates for rates in by_cycle.values() if configuration in rates and baseline in rates]
        below = sum(1 for rates in cycles if rates[configuration] < rates[baseline])
        cycle_medians = [statistics.median(rates[configuration] / rates[baseline]
                                           for (round_, _), rates in by_cycle.items()
                                           if round_ == r and configuration in rates and baseline in rates)
                         for r in rounds]
        print(f"{configuration}: against {baseline} median {statistics.median(ratios):.3f}"
              f" (rounds {', '.join(f'{ratio:.3f}' for ratio in ratios)}),"
              f" CPU per request median {statistics.median(cpu):.3f}, slices below {below} of {len(cycles)};"
              f" the cycles' median {statistics.median(cycle_medians):.3f}"
              f" (rounds {', '.join(f'{ratio:.3f}' for ratio in cycle_medians)})")


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
