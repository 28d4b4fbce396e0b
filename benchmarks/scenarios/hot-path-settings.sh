# Sourced by hot-path-wrk.sh, hot-path-profile.sh and jvm-modes.sh: the settings they measure with.
# SEPARATE_MANAGEMENT=1: the actuator on its own port (the application's port + 100), as in
# production behind a load balancer whose probes go there; then no request of the application's
# port is matched against the actuator's endpoints. Results then carry SUFFIX (-management-port).
# LABELS=1: every request carries the client's name and version (CLIENT_HEADERS, wrk options), so
# the API-usage record has labels.
SEPARATE_MANAGEMENT=${SEPARATE_MANAGEMENT:-0}
MANAGEMENT_OFFSET=$((SEPARATE_MANAGEMENT ? 100 : 0))
SUFFIX=$([ "$SEPARATE_MANAGEMENT" = 0 ] || echo -management-port)
LABELS=${LABELS:-1}
# the request measured: the demos' GET /api/v1/flags, or with APP=sample-shop the shop's catalog
# (GET /api/products: a JPA query on its embedded H2 and the JSON of its rows, a request shaped
# like users' rather than the demo's lookup in a map)
# (COUNTED_RESOURCE: the resource its @ApiUsage names)
case ${APP:-demo-app} in
  sample-shop) REQUEST_PATH=/api/products COUNTED_RESOURCE=products ;;
  *) REQUEST_PATH=/api/v1/flags COUNTED_RESOURCE=flags ;;
esac
CLIENT_HEADERS=()
[ "$LABELS" = 0 ] || CLIENT_HEADERS=(-H 'X-Client-Name: hot-path-wrk' -H 'X-Client-Version: 1.0')
# the measured request's headers, as wrk options: the caller's environment key (what the count is
# recorded for) and the client's labels
REQUEST_HEADERS=(-H 'X-Environment-Key: demo-production' "${CLIENT_HEADERS[@]}")

# management_args PORT: the JVM arguments that put the actuator of the instance on PORT on its
# own port, or none
management_args() {
  [ "$SEPARATE_MANAGEMENT" = 0 ] || echo "--management.server.port=$(($1 + MANAGEMENT_OFFSET))"
}

# each configuration's application arguments: the whole starter with a request limit far away,
# recycling only (analytics off), and the starter switched off (off-b: a second off, the A/A)
declare -A CONFIG_ARGS=([full]="--recycling.max-requests=1000000000"
  [recycling]="--recycling.max-requests=1000000000 --recycling.analytics.enabled=false"
  [off]="--recycling.enabled=false" [off-b]="--recycling.enabled=false")

# install_wrk: wrk from Debian's package, if it is not installed yet
install_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "Installing wrk (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
}
