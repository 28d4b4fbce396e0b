#!/usr/bin/env python3
"""Where each configuration's CPU per request goes, by group of threads, from hot-path-wrk.sh's
threads file (hot-path-wrk*-threads.tsv: per slice, the CPU time of each group of the instance's
threads, from /proc/<pid>/task/<tid>/schedstat).

Per configuration and group: the microseconds of CPU per request in each round (the group's CPU
over the round's slices divided by the requests of those slices), their median over the rounds,
and the median of each round's difference to the mean of off and off-b in the same round. The
groups: request (the application port's server threads), jit (the compiler threads), gc (the VM
thread, where the serial collector of a JVM started on one CPU runs), other (every other thread),
and all of them.

Several instances of a run can be given one name (NAME=ALIAS after the file, comma-separated, as
pooled_report.py takes them): replicas, whose CPU and requests in a round count together.

Usage: benchmarks/scenarios/threads_report.py THREADS.tsv[:NAME=ALIAS,...] ...
"""
import collections
import statistics
import sys

from pooled_report import file_and_aliases

GROUPS = ("request", "jit", "gc", "other", "all")


def rounds_of(paths):
    """{(file, round): {configuration: {group: microseconds per request}}}"""
    cpu = collections.defaultdict(float)
    requests = collections.defaultdict(int)
    seen = set()
    for index, argument in enumerate(paths):
        path, aliases = file_and_aliases(argument)
        with open(path) as lines:
            next(lines)
            for line in lines:
                round_, cycle, instance, count, group, ns = line.rstrip("\n").split("\t")
                configuration = aliases.get(instance, instance)
                key = (index, round_, configuration)
                cpu[key + (group,)] += int(ns)
                cpu[key + ("all",)] += int(ns)
                if (key, cycle, instance) not in seen:
                    seen.add((key, cycle, instance))
                    requests[key] += int(count)
    per_round = collections.defaultdict(lambda: collections.defaultdict(dict))
    for (index, round_, configuration, group), ns in cpu.items():
        per_round[(index, round_)][configuration][group] = ns / 1000 / requests[(index, round_, configuration)]
    return per_round


def main(paths):
    per_round = rounds_of(paths)
    configurations = sorted({c for by_configuration in per_round.values() for c in by_configuration})
    print(f"{len(per_round)} rounds; microseconds of CPU per request, median over the rounds, "
          "and [the median of the rounds' differences to the mean of off and off-b]")
    print("configuration\t" + "\t".join(GROUPS))
    for configuration in configurations:
        cells = []
        for group in GROUPS:
            values, differences = [], []
            for by_configuration in per_round.values():
                if configuration not in by_configuration:
                    continue
                value = by_configuration[configuration].get(group, 0.0)
                values.append(value)
                if "off" in by_configuration and "off-b" in by_configuration:
                    baseline = (by_configuration["off"].get(group, 0.0) + by_configuration["off-b"].get(group, 0.0)) / 2
                    differences.append(value - baseline)
            cell = f"{statistics.median(values):.2f}"
            if differences:
                cell += f" [{statistics.median(differences):+.2f}]"
            cells.append(cell)
        print(configuration + "\t" + "\t".join(cells))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
