"""Report of count-levels.sh: each level's requests/s over the base level's in the same cycle.

Usage: count_levels_report.py SLICES.tsv [BASE] [APP]
(APP demo-webflux: the levels of webflux-levels.patch)
SLICES.tsv holds one line a slice: jvm cycle level requests requests/s.
"""

import statistics
import sys

NAMES = {
    "10": "none, and no request counting either",
    "0": "none (the chain only)",
    "1": "the pending usage and its attribute",
    "2": "+ the @ApiUsage lookup",
    "5": "+ the environment key header",
    "6": "+ Host",
    "7": "+ client name and version",
    "8": "+ User-Agent",
    "3": "all headers and the labels",
    "4": "the whole count (as shipped)",
    "9": "the whole count again (A/A)",
    "11": "a lean count: no pending usage or attribute, no control-character check",
    "12": "the lean count with a memo of the last key",
    "14": "the lean count with Tomcat's raw header bytes, decoded as ISO-8859-1",
    "13": "the lean count with Tomcat's raw header bytes and a memo of the last ones",
    "15": "the @ApiUsage lookup and one record of a fixed key, no header read",
    "16": "a count as a user would write it by hand: path, five headers, a string key, a map of LongAdders",
    "17": "the count as shipped less the pending usage and its attribute made before the chain",
    "18": "level 16 with the starter's UsageCounter for the map of LongAdders",
    "19": "level 16 with the starter's ApiUsageKey and Labels for the string key",
    "20": "the count as shipped before the memo of the headers and their key",
    "21": "level 16 with the @ApiUsage lookup for the path match",
    "22": "level 16 with the memo and ApiUsageCache for the string key and the map",
    "23": "the count with the pending usage made and set as a request attribute before the chain (before it was lazy)",
}

WEBFLUX_NAMES = {
    "0": "none (both filters let the exchange through)",
    "1": "request counting as shipped",
    "3": "request counting as shipped less its defer",
    "2": "request counting, lean: counted as the exchange starts, one doFinally, no commit action",
    "4": "both as shipped (the whole starter)",
    "6": "request counting as shipped, the usage filter with one operator of its own",
    "5": "both lean",
}

# benchmarks/experiments/webflux-usage-levels.patch (on the code after the request counting change):
# the usage web filter's levels, the request counting filter as shipped at every level
WEBFLUX_USAGE_NAMES = {
    "0": "none (the usage filter lets the exchange through)",
    "4": "the usage filter as shipped",
    "7": "one doOnSuccess (nothing dropped on an error or a cancel)",
    "8": "one doOnSuccess, no pending usage or attribute before the chain",
}


def main():
    path = sys.argv[1]
    base = sys.argv[2] if len(sys.argv) > 2 else "0"
    names = WEBFLUX_NAMES if len(sys.argv) > 3 and sys.argv[3] == "demo-webflux" else NAMES
    if len(sys.argv) > 4 and sys.argv[4] == "webflux-usage-levels":
        names = WEBFLUX_USAGE_NAMES
    slices = {}
    with open(path) as lines:
        for line in lines:
            if line.strip():
                jvm, cycle, level, _, rate = line.split()
                slices.setdefault((jvm, cycle), {})[level] = float(rate)
    order = [level for level in names if any(level in cycle for cycle in slices.values())]
    jvms = sorted({jvm for jvm, _ in slices}, key=int)
    print(f"| level | against level {base}: median, all JVMs | cycles below | " + " | ".join(f"JVM {jvm}" for jvm in jvms) + " |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in jvms) + " |")
    for level in order:
        if level == base:
            continue
        ratios = {jvm: [] for jvm in jvms}
        for (jvm, _), cycle in slices.items():
            if level in cycle and base in cycle:
                ratios[jvm].append(cycle[level] / cycle[base])
        every = [ratio for jvm in jvms for ratio in ratios[jvm]]
        if not every:
            continue
        below = sum(ratio < 1 for ratio in every)
        per_jvm = " | ".join(f"{statistics.median(ratios[jvm]):.3f}" if ratios[jvm] else "" for jvm in jvms)
        print(f"| {level}: {names[level]} | {statistics.median(every):.3f} | {below} of {len(every)} | {per_jvm} |")


if __name__ == "__main__":
    main()
