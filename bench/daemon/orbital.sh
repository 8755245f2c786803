#!/usr/bin/env bash
# Item 4: the worker's webhook receiver beside Orbital's, with the shared harness (/work/shared/bench/orbital),
# through orbital-run.sh (its copy adapted to the supervisor/worker daemon: see the header there).
#   orbital.sh prepare              build Orbital's receiver, the daemon jar (in $SRC, default /tmp/bench-src) and the bundle
#   orbital.sh run [run.sh options] one full run with the daemon's default webhook threads (0: an event loop per
#                                   processor), one with threads=1 (env THREADS_ORDER="1 0" for the other order),
#                                   each after waiting for a quiet machine
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export BENCH_DIR=${BENCH_DIR:-${WORK:-/tmp/bench-daemon}/orbital}
SRC=${SRC:-/tmp/bench-src}
case ${1:-run} in
    prepare) exec /work/shared/bench/orbital/prepare.sh "$SRC" ;;
    run)
        shift || true
        for threads in ${THREADS_ORDER:-0 1}; do
            python3 "$HERE/bench.py" quiet >"$BENCH_DIR/quiet-$threads.json"
            args="--config perpetual.webhooks.port=0"
            [ "$threads" = 0 ] || args="$args --config perpetual.webhooks.threads=$threads"
            RUN_TAG=threads$threads PERPETUAL_DAEMON_ARGS="$args" "$HERE/orbital-run.sh" "$@" ||
                echo "orbital.sh: the run with threads=$threads failed" >&2
        done ;;
    *) sed -n '2,7p' "$0"; exit 2 ;;
esac
