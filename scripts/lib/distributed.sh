# shellcheck shell=bash
# The distributed mode's processes on one machine, for scripts/distributed
# and the load runs. Source scripts/lib/services.sh and this file, start
# PostgreSQL and Redis, then:
#
#   start_distributed BIN WORKDIR [--demo]
#       one port per process, the settings exported (AFTERCARE_…), the four
#       databases migrated, the demo network seeded when asked, and one
#       `BIN serve <service>` per service and the gateway, each waited for;
#       sets distributed_pids, distributed_names (in start order),
#       distributed_gateway (http://127.0.0.1:port), the *_port variables
#       and distributed_token_secret. Logs in WORKDIR/<service>.log.
#   stop_distributed   # stops the processes it started; safe to call twice
#
# Runs the processes from WORKDIR, where no data directory is.

distributed_pids=()
distributed_names=()

_distributed_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

# Waits until the process on port $2 answers /metrics, or fails if it died.
_distributed_wait() {
    local name=$1 port=$2 pid=$3 log=$4 i
    for ((i = 0; i < 600; i++)); do
        if curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "error: aftercare serve $name stopped:" >&2
            tail -n 20 "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "error: aftercare serve $name does not answer on port $port" >&2
    return 1
}

start_distributed() {
    local bin=$1 workdir=$2 demo=${3:-}
    # One port per process, from the usual ones up, each one free.
    gateway_port=$(_free_port 8080)
    dealers_port=$(_free_port 50051)
    parts_port=$(_free_port $((dealers_port + 1)))
    surveys_port=$(_free_port $((parts_port + 1)))
    costs_port=$(_free_port $((surveys_port + 1)))

    distributed_token_secret=$(_distributed_key)
    local server=${AFTERCARE_TEST_POSTGRES_URL%/*} service port_var upper

    # Everything the processes need, by environment (see app/src/settings.rs).
    # Each process reads what is its own: the gateway the token key, the
    # backends and the Redis its replicas share their rate limit in; each
    # service its database, the internal key, and (dealers, costs) the
    # backends of the services it calls.
    export AFTERCARE_KEYS__TOKEN_SECRET=$distributed_token_secret
    AFTERCARE_KEYS__INTERNAL_SECRET=$(_distributed_key)
    export AFTERCARE_KEYS__INTERNAL_SECRET
    export AFTERCARE_DEALERS__DATABASE_URL=$server/aftercare_dealers
    export AFTERCARE_PARTS__DATABASE_URL=$server/aftercare_parts
    export AFTERCARE_SURVEYS__DATABASE_URL=$server/aftercare_surveys
    export AFTERCARE_COSTS__DATABASE_URL=$server/aftercare_costs
    export AFTERCARE_SURVEYS__REDIS_URL=$AFTERCARE_TEST_REDIS_URL
    export AFTERCARE_GATEWAY__RATE_LIMIT_REDIS_URL=$AFTERCARE_TEST_REDIS_URL
    for service in gateway dealers parts surveys costs; do
        port_var=${service}_port
        upper=${service^^}
        export "AFTERCARE_LISTEN__$upper=127.0.0.1:${!port_var}"
        [[ $service == gateway ]] || export "AFTERCARE_BACKENDS__$upper=http://127.0.0.1:${!port_var}"
    done
    distributed_gateway=http://127.0.0.1:$gateway_port

    # No process may fall back to a data directory: run them where nothing is.
    (
        cd "$workdir" || exit 1
        printf '==> %s\n' "migrating the databases (one per service)" >&2
        for service in dealers parts surveys costs; do
            "$bin" migrate "$service" || exit 1
        done
        if [[ $demo == --demo ]]; then
            printf '==> %s\n' "seeding the demo network into the dealers database" >&2
            "$bin" seed || exit 1
        fi
    ) || return 1

    # The services (each calls the others through lazy channels), the gateway
    # last.
    for service in parts surveys dealers costs gateway; do
        printf '==> %s\n' "starting aftercare serve $service" >&2
        (cd "$workdir" && exec "$bin" serve "$service" >"$workdir/$service.log" 2>&1) &
        distributed_pids+=($!)
        distributed_names+=("$service")
        port_var=${service}_port
        _distributed_wait "$service" "${!port_var}" "${distributed_pids[-1]}" \
            "$workdir/$service.log" || return 1
    done
}

stop_distributed() {
    local pid
    for pid in "${distributed_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${distributed_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    distributed_pids=()
    distributed_names=()
    return 0
}
