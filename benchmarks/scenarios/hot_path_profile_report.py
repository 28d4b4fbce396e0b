"""Report of hot-path-profile.sh: CPU microseconds per request by thread kind and, on request
threads, by component, for each profiled configuration, from async-profiler's collapsed stacks
(one sample per millisecond of CPU, thread names as root frames). Request threads are Tomcat's
(-exec-N) or, on WebFlux, Reactor Netty's event loops (-http-nio-N). With two configurations it
also lists the frames whose own CPU per request (samples innermost in them) on request threads differs
most between them.

Usage: hot_path_profile_report.py RESULTS_DIR SERVED_FILE [SUFFIX]
       (SERVED_FILE: lines "configuration round requests"; the stacks are
       RESULTS_DIR/hot-path-profile{SUFFIX}-{configuration}-{round}.collapsed)
"""

import collections
import pathlib
import re
import sys

INTERVAL_MICROS = 1000

THREAD_KINDS = [
    ("request threads", re.compile(r"-exec-\d+|-http-nio-\d+")),
    ("GC and safepoints (VM Thread, GC threads)", re.compile(r"VM Thread|GC Thread|G1 |VM Periodic")),
    ("JIT compilers", re.compile(r"CompilerThread")),
    ("Tomcat poller and acceptor", re.compile(r"Poller|Acceptor")),
]

# innermost frame of a request thread's sample that is not the JDK's or native decides
COMPONENTS = [
    ("the starter (dev.recycling, not the demo)", ("dev/recycling/",), ("dev/recycling/demo/",)),
    ("the demo's own code", ("dev/recycling/demo/",), ()),
    ("Spring Security", ("org/springframework/security/",), ()),
    ("Micrometer", ("io/micrometer/",), ()),
    ("Jackson", ("com/fasterxml/jackson/", "tools/jackson/"), ()),
    ("Spring (web, MVC, core)", ("org/springframework/",), ()),
    ("Tomcat", ("org/apache/",), ()),
    ("Reactor Netty and Netty", ("reactor/netty/", "io/netty/"), ()),
    ("Reactor", ("reactor/",), ()),
]
JDK = ("java/", "jdk/", "sun/", "com/sun/")

# request-thread samples with one of these frames anywhere on the stack (inclusive time)
THROUGH = [
    ("the request counting filter (and all below it)", "RequestCountingFilter.doFilter"),
    ("the request counting handler, WebFlux (and all below it)", "RequestCountingHttpHandler.handle"),
    ("Spring MVC finding the handler (DispatcherServlet.getHandler)", "DispatcherServlet.getHandler"),
    ("... of which matching every mapping (addMatchingMappings)", "AbstractHandlerMethodMapping.addMatchingMappings"),
    ("Spring Security's request matchers (RequestMatcher.matches)", "RequestMatcher.matches"),
]


def thread_kind(thread):
    for kind, pattern in THREAD_KINDS:
        if pattern.search(thread):
            return kind
    return "other threads (the starter's, db-scheduler, H2, ...)"


JAVA_FRAME_WITH_DOTS = re.compile(r"^[a-z][\w$]*\.[a-z]")


def component(frames):
    if frames and frames[-1].endswith("_[k]"):
        return "the kernel (loopback TCP, scheduling)"
    for frame in reversed(frames):
        if JAVA_FRAME_WITH_DOTS.match(frame):
            frame = frame.replace(".", "/")
        if "/" not in frame or frame.startswith(JDK):
            continue
        for name, prefixes, excluded in COMPONENTS:
            if frame.startswith(prefixes) and not frame.startswith(excluded):
                return name
        return "other libraries"
    return "JDK and native only"


# how many frames the list of the largest differences shows
DIFFERENCES = 25

# a lambda's or hidden class's name differs from JVM to JVM: $$Lambda$1461.0x00007fd4796107c0
GENERATED_NAME = re.compile(r"\$\$Lambda[$/.]?[\d]*[./]0x[0-9a-f]+|\$\$Lambda[$/.]\d+|/0x[0-9a-f]+")


def read(path):
    kinds = collections.Counter()
    components = collections.Counter()
    frames_through = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        samples = int(count)
        kind = thread_kind(frames[0])
        kinds[kind] += samples
        if kind == "request threads":
            components[component(frames[1:])] += samples
            normalized = stack.replace(".", "/")
            for name, frame in THROUGH:
                if frame.replace(".", "/") in normalized:
                    components["through " + name] += samples
            if len(frames) > 1:
                frames_through[GENERATED_NAME.sub("$$Lambda", frames[-1])] += samples
    return kinds, components, frames_through


def main():
    results = pathlib.Path(sys.argv[1])
    served = collections.Counter()
    kinds = collections.defaultdict(collections.Counter)
    components = collections.defaultdict(collections.Counter)
    frames = collections.defaultdict(collections.Counter)
    suffix = sys.argv[3] if len(sys.argv) > 3 else ""
    configurations = []
    for line in pathlib.Path(sys.argv[2]).read_text().split("\n"):
        if not line.strip():
            continue
        configuration, round_number, requests = line.split()
        if configuration not in configurations:
            configurations.append(configuration)
        served[configuration] += int(requests)
        k, c, f = read(results / f"hot-path-profile{suffix}-{configuration}-{round_number}.collapsed")
        kinds[configuration].update(k)
        components[configuration].update(c)
        frames[configuration].update(f)

    def per_request(counter, configuration, key):
        return counter[configuration][key] * INTERVAL_MICROS / served[configuration]

    header = "| CPU microseconds per request | " + " | ".join(configurations)
    if len(configurations) == 2:
        header += f" | {configurations[0]} - {configurations[1]}"
    print(header + " |")
    print("| --- " * (len(configurations) + 1 + (len(configurations) == 2)) + "|")

    def row(label, values):
        cells = [f"{v:.2f}" for v in values]
        if len(values) == 2:
            cells.append(f"{values[0] - values[1]:+.2f}")
        print(f"| {label} | " + " | ".join(cells) + " |")

    row("**all threads**", [sum(kinds[c].values()) * INTERVAL_MICROS / served[c] for c in configurations])
    all_kinds = sorted({k for c in configurations for k in kinds[c]}, key=lambda k: -kinds[configurations[0]][k])
    for kind in all_kinds:
        row(kind, [per_request(kinds, c, kind) for c in configurations])
    all_components = sorted({k for c in configurations for k in components[c] if not k.startswith("through ")},
                            key=lambda k: -components[configurations[0]][k])
    for name in all_components:
        row(f"request threads, innermost in {name}", [per_request(components, c, name) for c in configurations])
    for name, _ in THROUGH:
        row(f"request threads, through {name}", [per_request(components, c, "through " + name) for c in configurations])
    print()
    print("requests profiled: " + ", ".join(f"{c} {served[c]}" for c in configurations))
    if len(configurations) == 2:
        first, second = configurations
        print()
        print(f"Frames on request threads whose own CPU per request differs most, {first} - {second}:")
        print()
        print(f"| frame | {first} | {second} | difference |")
        print("| --- | --- | --- | --- |")
        names = set(frames[first]) | set(frames[second])
        differences = {name: per_request(frames, first, name) - per_request(frames, second, name) for name in names}
        for name in sorted(names, key=lambda n: -abs(differences[n]))[:DIFFERENCES]:
            print(f"| `{name}` | {per_request(frames, first, name):.2f} | {per_request(frames, second, name):.2f} "
                  f"| {differences[name]:+.2f} |")


if __name__ == "__main__":
    main()
