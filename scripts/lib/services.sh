# shellcheck shell=bash
# Throwaway PostgreSQL and Redis servers for the test suite and the
# benchmarks. Source this file, then:
#
#   start_postgres   # exports AFTERCARE_TEST_POSTGRES_URL
#   start_redis      # exports AFTERCARE_TEST_REDIS_URL, AFTERCARE_TEST_REDIS_SERVER
#   pgbench_one_row_tps CLIENTS SECONDS   # prints pgbench's tps on one hot row
#   pgbench_random_row_tps CLIENTS SECONDS ROWS   # … on a random row of ROWS
#   postgres_pid, redis_pid   # print the running servers' pids (for CPU time)
#   stop_all         # stops both and removes their files; safe to call twice
#
# Everything lives in one temporary directory ($AFTERCARE_SERVICES_DIR, not
# exported): data, sockets, pid files and logs. Nothing is left behind after
# stop_all, and no fixed port is assumed: each server gets the first free port
# from a base (54329 for PostgreSQL, 63790 for Redis), retried on the next one
# when another process wins the race for it.
#
# The functions set variables in the calling shell: call them directly, not in
# a command substitution. They do not change the caller's shell options.

# Ours alone: never taken from the environment, since stop_all deletes it.
unset AFTERCARE_SERVICES_DIR
AFTERCARE_SERVICES_DIR=
_aftercare_pg_bindir=
_aftercare_pg_home=
_aftercare_redis_pidfile=

_services_log() { printf '==> %s\n' "$*" >&2; }
_services_err() { printf 'error: %s\n' "$*" >&2; }

# The temporary directory shared by both servers, created on first use.
_services_dir() {
    if [[ -z "$AFTERCARE_SERVICES_DIR" || ! -d "$AFTERCARE_SERVICES_DIR" ]]; then
        AFTERCARE_SERVICES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aftercare-services.XXXXXX") || return 1
        # The postgres user must be able to reach its subdirectory.
        chmod 0755 "$AFTERCARE_SERVICES_DIR"
    fi
}

# Prints the first port from $1 upward on which nothing listens on 127.0.0.1.
_free_port() {
    local port=$1 last=$(($1 + 200))
    while ((port <= last)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
        port=$((port + 1))
    done
    _services_err "no free port in $1..$last"
    return 1
}

# ---------------------------------------------------------------- PostgreSQL

# Finds initdb, pg_ctl and postgres: $AFTERCARE_PG_BINDIR, else PATH, else the
# Debian layout /usr/lib/postgresql/<version>/bin (15 preferred, else newest).
_pg_find_bindir() {
    [[ -n "$_aftercare_pg_bindir" ]] && return 0
    local candidates=() dir
    [[ -n "${AFTERCARE_PG_BINDIR:-}" ]] && candidates+=("$AFTERCARE_PG_BINDIR")
    if command -v initdb >/dev/null 2>&1; then
        # Resolve symlinks (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb).
        candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
    fi
    candidates+=(/usr/lib/postgresql/15/bin)
    while IFS= read -r dir; do candidates+=("$dir"); done < <(
        printf '%s\n' /usr/lib/postgresql/*/bin /usr/local/pgsql/bin | sort -rV
    )
    for dir in "${candidates[@]}"; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
            _aftercare_pg_bindir=$dir
            return 0
        fi
    done
    _services_err "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or under /usr/lib/postgresql/*/bin; set AFTERCARE_PG_BINDIR"
    return 1
}

# Runs a command as the postgres user when we are root (initdb and pg_ctl
# refuse to run as root), from / so that an unreadable cwd does not matter.
_as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

_pg_is_ready() {
    local port=$1
    if [[ -x "$_aftercare_pg_bindir/pg_isready" ]]; then
        "$_aftercare_pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres
    elif command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p "$port" -U postgres -d postgres
    elif [[ -x "$_aftercare_pg_bindir/psql" ]]; then
        "$_aftercare_pg_bindir/psql" -qAt -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1
    elif command -v psql >/dev/null 2>&1; then
        psql -qAt -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1
    else
        return 0 # pg_ctl -w already waited for the server to accept connections
    fi
}

start_postgres() {
    if [[ -n "$_aftercare_pg_home" ]]; then
        _services_log "PostgreSQL already running ($AFTERCARE_TEST_POSTGRES_URL)"
        return 0
    fi
    _pg_find_bindir || return 1
    _services_dir || return 1
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres || return 1
    fi

    local home=$AFTERCARE_SERVICES_DIR/postgres
    mkdir -p "$home" || return 1
    [[ $(id -u) -eq 0 ]] && chown postgres: "$home"
    chmod 0700 "$home"

    _services_log "PostgreSQL: initdb ($_aftercare_pg_bindir)"
    if ! _as_postgres "$_aftercare_pg_bindir/initdb" -D "$home/data" -U postgres \
        --auth=trust --encoding=UTF8 --locale=C --no-sync >"$AFTERCARE_SERVICES_DIR/initdb.log" 2>&1; then
        _services_err "initdb failed:"
        cat "$AFTERCARE_SERVICES_DIR/initdb.log" >&2
        return 1
    fi
    # Trust authentication is initdb's default pg_hba.conf with --auth=trust
    # (local socket and host 127.0.0.1/32 alike). Throwaway settings: speed over
    # durability, enough connections for parallel test binaries.
    cat >>"$home/data/postgresql.conf" <<EOF

# aftercare throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$home'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
EOF
    _aftercare_pg_home=$home

    local port attempt
    port=$(_free_port 54329) || return 1
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if _as_postgres "$_aftercare_pg_bindir/pg_ctl" -D "$home/data" -l "$home/postgres.log" \
            -o "-p $port" -w -t 60 start >/dev/null; then
            local i
            for ((i = 0; i < 300; i++)); do
                if _pg_is_ready "$port"; then
                    export AFTERCARE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
                    _services_log "PostgreSQL ready: $AFTERCARE_TEST_POSTGRES_URL"
                    return 0
                fi
                sleep 0.1
            done
            _services_err "PostgreSQL started on port $port but does not accept connections"
            tail -n 30 "$home/postgres.log" >&2 || true
            return 1
        fi
        # Most likely the port was taken meanwhile: try the next free one.
        _services_log "PostgreSQL did not start on port $port (attempt $attempt), trying another"
        port=$(_free_port $((port + 1))) || return 1
    done
    _services_err "PostgreSQL failed to start:"
    tail -n 30 "$home/postgres.log" >&2 || true
    return 1
}

stop_postgres() {
    [[ -n "$_aftercare_pg_home" ]] || return 0
    local data=$_aftercare_pg_home/data
    if [[ -f "$data/postmaster.pid" ]]; then
        _services_log "stopping PostgreSQL"
        if ! _as_postgres "$_aftercare_pg_bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            _as_postgres "$_aftercare_pg_bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
    fi
    _aftercare_pg_home=
    unset AFTERCARE_TEST_POSTGRES_URL
}

# Prints the postmaster's pid of the cluster start_postgres started.
postgres_pid() {
    [[ -n "$_aftercare_pg_home" && -s "$_aftercare_pg_home/data/postmaster.pid" ]] || return 1
    head -n 1 "$_aftercare_pg_home/data/postmaster.pid"
}

# Finds pgbench next to the server binaries, installing it with apt-get
# when missing: Debian ships it in postgresql-<version>, which
# postgresql-contrib-<version> names. The package's own cluster is not
# started (see ensure_redis_server).
ensure_pgbench() {
    _pg_find_bindir || return 1
    [[ -x "$_aftercare_pg_bindir/pgbench" && -x "$_aftercare_pg_bindir/psql" ]] && return 0
    local version
    version=$("$_aftercare_pg_bindir/postgres" --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
    if [[ $(id -u) -ne 0 || -z "$version" ]]; then
        _services_err "pgbench is not in $_aftercare_pg_bindir: install postgresql-contrib-${version:-<version>}"
        return 1
    fi
    _services_log "installing pgbench (apt-get postgresql-contrib-$version)"
    local policy=/usr/sbin/policy-rc.d made_policy=
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made_policy=1
    fi
    local status=0
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        "postgresql-contrib-$version" >/dev/null || status=$?
    [[ -n "$made_policy" ]] && rm -f "$policy"
    if ((status != 0)); then
        _services_err "apt-get install postgresql-contrib-$version failed"
        return "$status"
    fi
    [[ -x "$_aftercare_pg_bindir/pgbench" ]] || {
        _services_err "pgbench still missing from $_aftercare_pg_bindir"
        return 1
    }
}

# Prints the transactions per second pgbench keeps up with CLIENTS clients
# for SECONDS seconds (-n: no vacuum), each transaction one UPDATE of the
# same row of a one-row table, in a database of its own on the cluster
# start_postgres started: how many writes a second one hot row takes here.
pgbench_one_row_tps() {
    _pgbench_update_tps "$1" "$2" 1
}

# As pgbench_one_row_tps, but each transaction updates one row picked at
# random among ROWS: how many single-row writes a second the cluster takes
# when they do not queue on one row.
pgbench_random_row_tps() {
    _pgbench_update_tps "$1" "$2" "$3"
}

# CLIENTS SECONDS ROWS: pgbench's tps on one-row UPDATEs of a table of ROWS
# rows (the one row when ROWS is 1, else a random one).
_pgbench_update_tps() {
    local clients=$1 seconds=$2 rows=$3
    [[ -n "$_aftercare_pg_home" ]] || {
        _services_err "pgbench: start_postgres first"
        return 1
    }
    [[ "$rows" =~ ^[1-9][0-9]*$ ]] || {
        _services_err "pgbench: ROWS must be a whole number ≥ 1, not '$rows'"
        return 1
    }
    ensure_pgbench || return 1
    local psql=("$_aftercare_pg_bindir/psql" -X -q -v ON_ERROR_STOP=1)
    local url=${AFTERCARE_TEST_POSTGRES_URL%/*}/pgbench_one_row
    "${psql[@]}" "$AFTERCARE_TEST_POSTGRES_URL" -c 'DROP DATABASE IF EXISTS pgbench_one_row' \
        -c 'CREATE DATABASE pgbench_one_row' || return 1
    "${psql[@]}" "$url" -c 'CREATE TABLE one (id INT PRIMARY KEY, n BIGINT NOT NULL)' \
        -c "INSERT INTO one SELECT i, 0 FROM generate_series(1, $rows) AS i" \
        -c 'VACUUM ANALYZE one' || return 1
    local script=$AFTERCARE_SERVICES_DIR/pgbench-one-row.sql out threads
    if ((rows == 1)); then
        printf 'UPDATE one SET n = n + 1 WHERE id = 1;\n' >"$script"
    else
        printf '\\set id random(1, %s)\nUPDATE one SET n = n + 1 WHERE id = :id;\n' "$rows" >"$script"
    fi
    # One pgbench thread per core (as the load tool runs one worker per
    # core), and no more threads than clients, which pgbench refuses.
    threads=$(nproc)
    ((threads > clients)) && threads=$clients
    out=$("$_aftercare_pg_bindir/pgbench" -n -c "$clients" -j "$threads" -T "$seconds" \
        -f "$script" "$url" 2>&1) || {
        _services_err "pgbench failed:"
        printf '%s\n' "$out" >&2
        return 1
    }
    printf '%s\n' "$out" >&2
    sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out" | head -n 1
}

# --------------------------------------------------------------------- Redis

# Installs redis-server (with redis-cli and redis-benchmark) when missing.
# The package's own service is not started: a temporary policy-rc.d tells the
# maintainer scripts not to (most containers already have one).
ensure_redis_server() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
    if [[ $(id -u) -ne 0 ]]; then
        _services_err "redis-server is not installed and we are not root: install the redis-server package"
        return 1
    fi
    _services_log "installing redis-server (apt-get)"
    local policy=/usr/sbin/policy-rc.d made_policy=
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made_policy=1
    fi
    local status=0
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null || status=$?
    [[ -n "$made_policy" ]] && rm -f "$policy"
    if ((status != 0)); then
        _services_err "apt-get install redis-server failed"
        return "$status"
    fi
    command -v redis-server >/dev/null 2>&1
}

start_redis() {
    if [[ -n "$_aftercare_redis_pidfile" ]]; then
        _services_log "Redis already running ($AFTERCARE_TEST_REDIS_URL)"
        return 0
    fi
    ensure_redis_server || return 1
    _services_dir || return 1
    local home=$AFTERCARE_SERVICES_DIR/redis
    mkdir -p "$home" || return 1

    local port attempt i pid
    port=$(_free_port 63790) || return 1
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        local pidfile=$home/redis-$port.pid logfile=$home/redis-$port.log
        # The pid file is written only once the server listens.
        redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --daemonize yes --pidfile "$pidfile" --logfile "$logfile" --dir "$home" \
            >/dev/null 2>&1 || true
        for ((i = 0; i < 100; i++)); do
            if [[ -s "$pidfile" ]] &&
                [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then
                pid=$(<"$pidfile")
                # Make sure the PONG came from our server, not from a stranger on that port.
                if redis-cli -h 127.0.0.1 -p "$port" info server 2>/dev/null | tr -d '\r' |
                    grep -qx "process_id:$pid"; then
                    _aftercare_redis_pidfile=$pidfile
                    export AFTERCARE_TEST_REDIS_URL="redis://127.0.0.1:$port"
                    AFTERCARE_TEST_REDIS_SERVER=$(command -v redis-server)
                    export AFTERCARE_TEST_REDIS_SERVER
                    _services_log "Redis ready: $AFTERCARE_TEST_REDIS_URL"
                    return 0
                fi
                break
            fi
            # Gone already: it could not listen (port taken meanwhile). Its pid
            # is in the pid file, or before that in the first lines of its log.
            pid=
            if [[ -s "$pidfile" ]]; then
                pid=$(<"$pidfile")
            elif [[ -s "$logfile" ]]; then
                pid=$(sed -n 's/.* pid=\([0-9][0-9]*\),.*/\1/p;T;q' "$logfile")
            fi
            if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
                break
            fi
            sleep 0.1
        done
        # Not ours or not up: make sure a late starter does not linger, then move on.
        if [[ -s "$pidfile" ]]; then
            kill "$(<"$pidfile")" 2>/dev/null || true
        fi
        _services_log "Redis did not start on port $port (attempt $attempt), trying another"
        port=$(_free_port $((port + 1))) || return 1
    done
    _services_err "Redis failed to start:"
    tail -n 30 "$logfile" >&2 || true
    return 1
}

# Prints the pid of the Redis server start_redis started.
redis_pid() {
    [[ -n "$_aftercare_redis_pidfile" && -s "$_aftercare_redis_pidfile" ]] || return 1
    cat "$_aftercare_redis_pidfile"
}

stop_redis() {
    [[ -n "$_aftercare_redis_pidfile" ]] || return 0
    local pid i
    if [[ -s "$_aftercare_redis_pidfile" ]]; then
        pid=$(<"$_aftercare_redis_pidfile")
        _services_log "stopping Redis"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    _aftercare_redis_pidfile=
    unset AFTERCARE_TEST_REDIS_URL AFTERCARE_TEST_REDIS_SERVER
}

# ----------------------------------------------------------------------- all

# Stops everything started above and removes the temporary directory. Never
# fails, so it is safe in an EXIT trap and keeps the caller's exit status.
stop_all() {
    stop_redis || true
    stop_postgres || true
    if [[ -n "$AFTERCARE_SERVICES_DIR" && -d "$AFTERCARE_SERVICES_DIR" ]]; then
        rm -rf "$AFTERCARE_SERVICES_DIR" || true
    fi
    AFTERCARE_SERVICES_DIR=
    return 0
}
