# Sourced by the scenarios that run the demo jar: wait_up PORT LOG waits until the instance
# on PORT answers /actuator/health, or prints LOG and fails; operator_get PORT PATH reads an
# actuator endpoint that needs the demo's operator (every one but health and prometheus).

# the operator of the demo instances this scenario starts: a password of this run only
export DEMO_OPERATOR_PASSWORD="scenario-${RANDOM}${RANDOM}${RANDOM}"

operator_get() {
  curl -sf -u "operator:$DEMO_OPERATOR_PASSWORD" "http://127.0.0.1:$1$2"
}

# (up to 3 minutes: four instances starting at once on one CPU of a busy machine took over one)
wait_up() {
  local port=$1 log=$2
  for _ in $(seq 1 720); do
    if curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null; then return 0; fi
    sleep 0.25
  done
  echo "the demo on port $port did not start" >&2
  cat "$log" >&2
  return 1
}

# haproxy_config LB_PORT PORT...: HAProxy on LB_PORT in front of the demo instances on the
# PORTs, round robin, checking readiness every 500 ms and taking an instance out at the first
# failed check (fall 1 rise 2), with retries 0 so that no failed request is masked
haproxy_config() {
  local lb_port=$1 n=0
  shift
  cat <<CFG
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 0
  option http-server-close
listen demo
  bind 127.0.0.1:$lb_port
  balance roundrobin
  option httpchk GET /actuator/health/readiness
  http-check expect status 200
  default-server inter 500ms fall 1 rise 2
CFG
  for port in "$@"; do
    n=$((n + 1))
    echo "  server s$n 127.0.0.1:$port check"
  done
}
