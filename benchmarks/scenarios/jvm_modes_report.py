"""Report of jvm-modes.sh: per JVM, its requests/s measured alone, its request threads' CPU per
request, and how its request threads' samples ran: the compiled unit each sample ran in (its
innermost frame not inlined into a caller), which async-profiler (ann) marks as interpreted
(_[0]), C1-compiled (_[1]) or C2-compiled (_[j]); inlined frames are _[i]. A JVM whose JIT left a
hot method in C1 or the interpreter shows it here; the methods that ran so are listed per JVM,
in microseconds per request.

With an allocation profile (a sixth column, the requests it served; its stacks in
PREFIX-{n}-{configuration}.alloc.collapsed, bytes in total): each configuration's request threads'
bytes a request, and the starter's own (the allocating frame below the innermost starter frame,
which is below the innermost call into the rest of the filter chain), by class allocated.

Usage: jvm_modes_report.py SERVED_FILE RESULTS_DIR PREFIX
       (SERVED_FILE: lines "n configuration requests/s request-cpu-us profiled-requests
       [allocation-profiled-requests]"; the stacks are RESULTS_DIR/PREFIX-{n}-{configuration}.collapsed)
"""

import collections
import pathlib
import re
import statistics
import sys

INTERVAL_MICROS = 1000
REQUEST_THREAD = re.compile(r"^\[(http-nio-\d+-exec-\d+|reactor-http-[\w-]+)")
MODES = {"_[0]": "interpreted", "_[1]": "C1", "_[j]": "C2", "_[i]": "inlined", "_[k]": "kernel"}
TOP = 8
STARTER = re.compile(r"dev/recycling/(?!demo/|shop/)")
CHAIN = re.compile(r"org/apache/catalina/core/ApplicationFilterChain\.|reactor/netty/http/server/HttpServerHandle\.")


def mode_of(frame):
    for suffix, mode in MODES.items():
        if frame.endswith(suffix):
            return mode, frame[: -len(suffix)]
    return None, frame


def request_stacks(path):
    """The request threads' stacks of a collapsed profile, each with its count."""
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if REQUEST_THREAD.match(frames[0]):
            yield frames, int(count)


def profile(path):
    """Request threads' samples by how the code they ran was compiled, and the methods (compiled
    units) that ran in C1 or interpreted."""
    by_mode = collections.Counter()
    slow = collections.Counter()
    own = collections.Counter()
    for frames, count in request_stacks(path):
        # the compiled unit (or interpreter frame) the sample ran in: the innermost frame that
        # is not inlined into its caller, if the innermost frame is Java code at all
        unit_mode, unit = "native or VM", None
        if mode_of(frames[-1])[0] not in (None, "kernel"):
            for frame in reversed(frames[1:]):
                mode, name = mode_of(frame)
                if mode in ("C2", "C1", "interpreted"):
                    unit_mode, unit = mode, name
                    break
        by_mode[unit_mode] += count
        # the starter's own work: the innermost starter frame is below the innermost call into
        # the rest of the filter chain (the application's code is below that call)
        frame = own_frame(frames)
        if frame is not None:
            own[frame] += count
        if unit_mode in ("C1", "interpreted"):
            slow[f"{unit} ({unit_mode})"] += count
    return by_mode, slow, own


def own_frame(frames):
    """The innermost starter frame of a request thread's stack if it is below the innermost call
    into the rest of the filter chain (the starter's own work), else None."""
    starter = max((i for i, f in enumerate(frames) if STARTER.match(f)), default=-1)
    chain = max((i for i, f in enumerate(frames) if CHAIN.match(f)), default=-1)
    return re.sub(r"_\[.\]$", "", frames[starter]) if starter > chain else None


def allocations(path):
    """Request threads' bytes allocated, and the starter's own by its frame and class allocated."""
    total = 0
    own = collections.Counter()
    for frames, count in request_stacks(path):
        total += count
        frame = own_frame(frames[:-1])
        if frame is not None:
            allocated = re.sub(r"_\[.\]$", "", frames[-1])
            own[f"{frame} -> {allocated}"] += count
    return total, own


def report_allocations(rows, results, prefix):
    totals = collections.defaultdict(list)
    own_by_config = collections.defaultdict(collections.Counter)
    requests_by_config = collections.Counter()
    for row in rows:
        if len(row) < 6:
            continue
        n, which, requests = row[0], row[1], int(row[5])
        total, own = allocations(results / f"{prefix}-{n}-{which}.alloc.collapsed")
        totals[which].append(total / requests)
        own_by_config[which].update(own)
        requests_by_config[which] += requests
    if not totals:
        return
    print()
    print("Request threads' bytes allocated a request (async-profiler event=alloc, total):")
    for which, values in totals.items():
        per_jvm = ", ".join(f"{v:.0f}" for v in values)
        print(f"  {which}: median {statistics.median(values):.0f} (JVMs: {per_jvm})")
    for which, own in own_by_config.items():
        if own:
            print(f"  {which}, the starter's own {sum(own.values()) / requests_by_config[which]:.0f} bytes a request, by frame and class:")
            for name, count in own.most_common(TOP):
                print(f"    {count / requests_by_config[which]:8.1f}  {name}")


def main():
    served, results, prefix = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    rows = [line.split("\t") for line in pathlib.Path(served).read_text().splitlines() if line.strip()]
    rates = collections.defaultdict(list)
    print()
    print("JVM  configuration  requests/s  request CPU/request  the starter's own  request-thread samples per request (us): C2 / C1 / interpreted / native or VM")
    details = []
    own_by_config = collections.defaultdict(collections.Counter)
    requests_by_config = collections.Counter()
    for n, which, rate, cpu_us, profiled, *_ in rows:
        rates[which].append(float(rate))
        by_mode, slow, own = profile(results / f"{prefix}-{n}-{which}.collapsed")
        per = INTERVAL_MICROS / int(profiled)
        cells = " / ".join(f"{by_mode[m] * per:.1f}" for m in ("C2", "C1", "interpreted", "native or VM"))
        print(f"{n:>3}  {which:<13}  {float(rate):>10.0f}  {float(cpu_us):>15.2f} us  {sum(own.values()) * per:>14.2f} us  {cells}")
        own_by_config[which].update(own)
        requests_by_config[which] += int(profiled)
        details.append((n, which, slow, per))
    print()
    for which, values in rates.items():
        print(f"{which}: requests/s median {statistics.median(values):.0f}, range {min(values):.0f} to {max(values):.0f}")
    for which, own in own_by_config.items():
        if own:
            per = INTERVAL_MICROS / requests_by_config[which]
            print()
            print(f"{which}, all its JVMs: the starter's own {sum(own.values()) * per:.2f} us a request, by its innermost frame:")
            for name, count in own.most_common(TOP):
                print(f"  {count * per:6.3f}  {name}")
    report_allocations(rows, results, prefix)
    print()
    print(f"Per JVM, the methods its request threads ran in C1 or interpreted, top {TOP}, us per request:")
    for n, which, slow, per in details:
        total = sum(slow.values()) * per
        print(f"  {n} {which}: {total:.2f} us in all")
        for name, count in slow.most_common(TOP):
            print(f"    {count * per:6.2f}  {name}")


if __name__ == "__main__":
    main()
