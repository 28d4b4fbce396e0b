"""Where a WebFlux level's CPU went, from the collapsed stacks count-levels.sh keeps.

Usage: webflux_profile_report.py LEVEL.collapsed BASE.collapsed
(count-levels.sh APP=demo-webflux PROFILE_LEVELS="4 0" PROFILE_KEEP=dir: dir/profile-jvm1-level4.collapsed
and dir/profile-jvm1-level0.collapsed)

First, per profile, the samples in the starter's own frames (the innermost frame of
dev.recycling and what it calls, unless that runs the filter chain or the handler), by frame
and callee. Then the frames that are innermost (running, not waiting on a callee) in more of
the level's samples than of the base's: the starter's frames and what Reactor, Spring and Netty
run for it. The level watchers of the patch (the threads reading the level file) show in both.
"""

import collections
import sys

CHAIN = ("DefaultWebFilterChain", "InvocableHandlerMethod", "DispatcherHandler")


def load(path):
    stacks = []
    with open(path) as lines:
        for line in lines:
            stack, count = line.rsplit(" ", 1)
            stacks.append((stack.split(";"), int(count)))
    return stacks


def short(frame):
    return frame.split("/")[-1]


def own(path, stacks):
    total = sum(count for _, count in stacks)
    parts = collections.Counter()
    for frames, count in stacks:
        ours = [i for i, frame in enumerate(frames) if frame.startswith("dev/recycling")]
        if not ours:
            continue
        rest = frames[ours[-1] + 1:]
        if any(name in frame for frame in rest for name in CHAIN):
            continue
        parts[short(frames[ours[-1]]) + " > " + (short(rest[0]) if rest else "(self)")] += count
    print(f"{path}: {total} samples, in the starter's own frames {100 * sum(parts.values()) / total:.2f} %")
    for part, count in parts.most_common(20):
        print(f"  {100 * count / total:5.2f} %  {part}")
    return total


def leaves(stacks):
    innermost = collections.Counter()
    for frames, count in stacks:
        innermost[short(frames[-1])] += count
    return innermost


def main():
    level_path, base_path = sys.argv[1:3]
    level, base = load(level_path), load(base_path)
    level_total, base_total = own(level_path, level), own(base_path, base)
    level_leaves, base_leaves = leaves(level), leaves(base)
    differences = sorted(((level_leaves[frame] / level_total - base_leaves.get(frame, 0) / base_total, frame)
                          for frame in level_leaves), reverse=True)
    print("innermost frames, share of the samples: level minus base (level, base)")
    for difference, frame in differences[:30]:
        print(f"  {100 * difference:+5.2f} %  ({100 * level_leaves[frame] / level_total:5.2f}, "
              f"{100 * base_leaves.get(frame, 0) / base_total:5.2f})  {frame}")


if __name__ == "__main__":
    main()
