# Sourced by the scenarios that profile: downloads async-profiler from Maven Central once (into
# benchmarks/target) and sets AGENT to its library, for jcmd PID JVMTI.agent_load "$AGENT" ...
AP_VERSION=4.2
AP_DIR=benchmarks/target/async-profiler-$AP_VERSION
if [ ! -f "$AP_DIR/linux-x64/libasyncProfiler.so" ]; then
  mkdir -p "$AP_DIR"
  curl -sfL -o "$AP_DIR/async-profiler.jar" \
    "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
  (cd "$AP_DIR" && unzip -q -o async-profiler.jar 'linux-x64/*')
fi
AGENT=$(realpath "$AP_DIR/linux-x64/libasyncProfiler.so")
