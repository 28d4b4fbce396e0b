#!/usr/bin/env python3
"""Every configuration against off, pooled over several hot-path-wrk.sh runs of the same code.

One run of five rounds cannot resolve one percent on this shared machine: fresh JVMs of the same
configuration differ by a few percent for their whole life (the A/A). Runs of the same code can
be pooled: per round, the median of the cycles' ratios (a configuration's slice over off's slice
of the same cycle, as hot_path_slices_report.py), against off and against off and off-b together
(the geometric mean of their two slices: a baseline of two JVMs); then, per configuration, over
the rounds of all the runs given: the median, a 90 % bootstrap interval of that median (10 000
resamples of the rounds, seeded, so a report can be repeated), and in how many rounds it was
below its baseline. (Off-b against off and off-b together is the square root of its A/A.)

A configuration can be given another name for a run (NAME=ALIAS after the file, comma-separated),
so that an instance of the levels patch that runs the code as shipped (hot-path-wrk.sh
ACROSS_LEVELS, level 4) pools with the full starter of an official run. Several instances of a
run given one name are replicas (hot-path-wrk.sh VARIANTS="full=;full-b=;off-c=--recycling.enabled=false"):
their slices of a cycle count as one, their geometric mean, and the baseline of off and off-b
together is the geometric mean of every replica of both.

Usage: benchmarks/scenarios/pooled_report.py SLICES.tsv[:NAME=ALIAS,...] ...
       e.g. benchmarks/scenarios/pooled_report.py \\
              benchmarks/results/hot-path-wrk-management-port-fresh-slices.tsv \\
              benchmarks/results/hot-path-wrk-levels-management-port-filter-slices.tsv:level-4=full
"""
import collections
import random
import statistics
import sys

RESAMPLES = 10_000


def file_and_aliases(argument):
    """A report's argument, SLICES.tsv[:NAME=ALIAS,...]: the file and its configurations' other names."""
    path, _, renames = argument.partition(":")
    return path, dict(rename.split("=", 1) for rename in renames.split(",") if rename)


def rounds_of(path, aliases):
    """Per round of a slices file: {configuration: (cycles' median against off, against off and off-b)}."""
    cycles = collections.defaultdict(dict)
    with open(path) as lines:
        next(lines)
        for line in lines:
            round_, cycle, configuration, requests, seconds = line.rstrip("\n").split("\t")[:5]
            configuration = aliases.get(configuration, configuration)
            cycles[round_, cycle].setdefault(configuration, []).append(int(requests) / float(seconds))
    by_round = collections.defaultdict(lambda: collections.defaultdict(lambda: ([], [])))
    for (round_, _), replicas in cycles.items():
        if "off" not in replicas or "off-b" not in replicas:
            continue
        rates = {configuration: statistics.geometric_mean(values) for configuration, values in replicas.items()}
        both = statistics.geometric_mean(replicas["off"] + replicas["off-b"])
        for configuration, rate in rates.items():
            if configuration != "off":
                by_round[round_][configuration][0].append(rate / rates["off"])
                by_round[round_][configuration][1].append(rate / both)
    return [{configuration: (statistics.median(ratios[0]), statistics.median(ratios[1]))
             for configuration, ratios in configurations.items()}
            for _, configurations in sorted(by_round.items(), key=lambda item: int(item[0]))]


def interval(values, generator):
    """A 90 % bootstrap interval of the median of the values."""
    medians = sorted(statistics.median(generator.choices(values, k=len(values))) for _ in range(RESAMPLES))
    return medians[int(RESAMPLES * 0.05)], medians[int(RESAMPLES * 0.95) - 1]


def describe(values, generator):
    low, high = interval(values, generator)
    below = sum(value < 1 for value in values)
    return f"{statistics.median(values):.3f} [{low:.3f}, {high:.3f}], {below} of {len(values)} below"


def main(arguments):
    pooled = collections.defaultdict(list)
    for argument in arguments:
        for configurations in rounds_of(*file_and_aliases(argument)):
            for configuration, ratios in configurations.items():
                pooled[configuration].append(ratios)
    generator = random.Random(18)
    print("| configuration | rounds | against off: the rounds' median [90 % interval], rounds below "
          "| against off and off-b together |")
    print("| --- | --- | --- | --- |")
    for configuration, rounds in sorted(pooled.items()):
        print(f"| {configuration} | {len(rounds)} | {describe([r[0] for r in rounds], generator)} "
              f"| {describe([r[1] for r in rounds], generator)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
