# Sourced by the scenarios that run the demo jar: wait_up PORT LOG waits until the instance
# on PORT answers /actuator/health, or prints LOG and fails; operator_get PORT PATH reads an
# actuator endpoint that needs the demo's operator (every one but health and prometheus).

# the operator of the demo instances this scenario starts: a password of this run only
export DEMO_OPERATOR_PASSWORD="scenario-${RANDOM}${RANDOM}${RANDOM}"

operator_get() {
  curl -sf -u "operator:$DEMO_OPERATOR_PASSWORD" "http://127.0.0.1:$1$2"
}

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
