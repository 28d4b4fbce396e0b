# Sourced by the scenarios that run the demo jar: wait_up PORT LOG waits until the instance
# on PORT answers /actuator/health, or prints LOG and fails.
wait_up() {
  local port=$1 log=$2
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null; then return 0; fi
    sleep 0.25
  done
  echo "the demo on port $port did not start" >&2
  cat "$log" >&2
  return 1
}
