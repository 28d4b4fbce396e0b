"""Report of count-levels.sh's profiles: the share of the request threads' CPU samples that the
usage filter takes (its own work, the application's filter chain left out), by part of the count.

Usage: count_profile_report.py PROFILE.collapsed...
Each file holds async-profiler's collapsed stacks of one JVM at one level
(profile-jvm<N>-level<L>.collapsed).
"""

import collections
import os
import sys

FILTER = "UsageRecordingFilter.doFilter"
CHAIN = "ApplicationFilterChain"
PART_ROOTS = ("UsageRecordingFilter.complete", "UsageRecordingFilter.doFilter")


def frame_name(frame):
    return frame.rsplit("/", 1)[-1]


def report(path):
    request = 0
    in_filter = 0
    parts = collections.Counter()
    with open(path) as lines:
        for line in lines:
            stack, samples = line.rsplit(" ", 1)
            samples = int(samples)
            frames = stack.split(";")
            if not any(CHAIN in frame for frame in frames):
                continue
            request += samples
            starts = [i for i, frame in enumerate(frames) if FILTER in frame]
            if not starts or any(CHAIN in frame for frame in frames[starts[0] + 1:]):
                continue
            in_filter += samples
            below = [frame_name(frame) for frame in frames[starts[0] + 1:]]
            # the part: the first two frames below the filter's completion, or below the filter
            if below and below[0].startswith("UsageRecordingFilter.complete"):
                below = below[1:]
            parts[";".join(below[:2]) or "(the filter itself)"] += samples
    name = os.path.basename(path).removesuffix(".collapsed")
    print(f"{name}: {request} samples on request threads, {in_filter} in the usage filter "
          f"(the chain left out): {100 * in_filter / max(request, 1):.2f} %")
    for part, samples in parts.most_common(10):
        print(f"  {100 * samples / request:5.2f} %  {part}")


def main():
    for path in sorted(sys.argv[1:]):
        report(path)


if __name__ == "__main__":
    main()
