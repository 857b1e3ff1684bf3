# shellcheck shell=bash
# What the scripts/fault-* share: start PostgreSQL (and Redis when asked),
# build the aftercare binary and aftercare-load in release, and run
# `aftercare-load fault-<name>` with the binary, stopping what was started
# on exit, failure or interrupt. Source it, then call
#
#   fault_run NAME [--redis] -- [ARGUMENTS FOR THE TOOL]

# shellcheck source=SCRIPTDIR/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

fault_run() {
    local name=$1 redis=false
    shift
    if [[ ${1:-} == --redis ]]; then
        redis=true
        shift
    fi
    [[ ${1:-} == -- ]] && shift

    phase() { printf '\n==> %s\n' "$*" >&2; }
    if ! command -v cargo >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
    trap stop_all EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    phase "starting PostgreSQL"
    start_postgres
    if $redis; then
        phase "starting Redis"
        start_redis
    fi

    phase "building aftercare and aftercare-load (release)"
    cargo build --release -p aftercare --bin aftercare -p aftercare-load --bin aftercare-load
    local target=${CARGO_TARGET_DIR:-target}/release

    phase "aftercare-load fault-$name"
    "$target/aftercare-load" "fault-$name" --aftercare "$target/aftercare" "$@"
}
