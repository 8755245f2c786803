#!/usr/bin/env bash
# A copy of /work/shared/bench/orbital/run.sh adapted to the supervisor/worker daemon (issue 12); the differences:
#   - the webhook URL comes from the admin port's /api/workers ("webhooks", the worker's receiver) + /webhooks/default:
#     the banner now says only "webhooks  port N, /webhooks/{channel}", and the admin port answers POST with 405, so
#     the original falls back to the admin port and gives up after 30 s;
#   - PERPETUAL_DAEMON_ARGS (default "--config perpetual.webhooks.port=0") is added to the daemon's command line,
#     e.g. "--config perpetual.webhooks.threads=0";
#   - each Perpetual window also records the supervisor's own CPU (the tree minus the worker), column root_ticks;
#   - post.lua is read from ORBITAL_DIR (default /work/shared/bench/orbital); RUN_TAG names the results folder.
# Everything else (windows, ABBA order, CPU/RSS accounting, report) is the original's.
#
# Side-by-side webhook receiver benchmark, interleaved in one run:
#   orbital    Segment Orbital's webhook.New + webhook.NewRouteLogger (key: gjson "id"), net/http on 127.0.0.1:<ephemeral>
#   perpetual  the Perpetual daemon's webhook endpoint (URL from its start banner, channel "default"), real shaded
#              jar, on a one-test bundle, --port 0
# Both under the same wrk load: 2 threads, c=16 and c=64, WARMUP s warm-up then DURATION s measured, each request a
# ~200 B JSON body with a unique "id" (post.lua). Per window: requests/s, server CPU µs per request, RSS, non-2xx
# (wrk: status > 399), socket errors, latency, and wrk's own CPU per request. Server CPU and RSS are summed over the
# server process and all its descendants (a daemon's worker JVMs included), from /proc/<pid>/stat. Order alternates
# every block (ABBA...) so drifting machine load falls on both.
#
#   run.sh            3 repetitions, 3 s warm-up + 10 s measured per window  (~3 min; hard bound 6 min)
#   run.sh --smoke    1 repetition, 3 s warm-up + 3 s measured              (~40 s)
#   options: --reps N  --warmup S  --duration S  --conns "16 64"
#   env: BENCH_DIR (default /tmp/perpetual-orbital-bench: what prepare.sh built; results go to $BENCH_DIR/results)
#        PERPETUAL_JAVA_OPTS (default empty: the JVM's defaults, as `java -jar` in the README)
#        ORBITAL_EVENTS_DEBUG=true (segmentio/events Debug left on, the library default; Orbital's example tester
#        and this harness's default turn it off)
# Needs prepare.sh to have run. Writes $BENCH_DIR/results/<UTC time>-<mode>/ and prints a markdown table and a
# RESULT {json} line.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/perpetual-orbital-bench}
HARNESS=$BENCH_DIR/bin/orbital-receiver
JAR=$BENCH_DIR/perpetual-daemon.jar
BUNDLE=$BENCH_DIR/bundle/classes
BENCH_CLASS=bench.WebhookReceiverBench
ORBITAL_DIR=${ORBITAL_DIR:-/work/shared/bench/orbital}
LUA=$ORBITAL_DIR/post.lua
PERPETUAL_DAEMON_ARGS=${PERPETUAL_DAEMON_ARGS:---config perpetual.webhooks.port=0}
RUN_TAG=${RUN_TAG:-}

MODE=full REPS=3 WARMUP=3 DURATION=10 CONNS="16 64" WRK_THREADS=2
MAX_TOTAL=360  # seconds: the whole run, start to cleanup; a watchdog ends it there
PERPETUAL_JAVA_OPTS=${PERPETUAL_JAVA_OPTS:-}
ORBITAL_EVENTS_DEBUG=${ORBITAL_EVENTS_DEBUG:-false}

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "run.sh: $*" >&2; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
    case $1 in
        --smoke) MODE=smoke REPS=1 WARMUP=3 DURATION=3 ;;
        --reps) REPS=${2:?}; shift ;;
        --warmup) WARMUP=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --conns) CONNS=${2:?}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done
for v in "$REPS" "$WARMUP" "$DURATION"; do is_uint "$v" && [ "$v" -ge 1 ] || die "not a positive integer: $v"; done
for c in $CONNS; do is_uint "$c" && [ "$c" -ge "$WRK_THREADS" ] || die "bad connection count: $c"; done
N_CONNS=$(wc -w <<<"$CONNS")
BLOCKS=$((REPS * N_CONNS))
PLANNED=$((15 + BLOCKS * 2 * (WARMUP + DURATION + 2)))
[ "$PLANNED" -le $((MAX_TOTAL - 30)) ] ||
    die "planned ~${PLANNED}s exceeds the ${MAX_TOTAL}s bound (less 30 s margin): fewer --reps or shorter windows"

for f in "$HARNESS" "$JAR" "$LUA" "$BUNDLE/bench/WebhookReceiverBench.class"; do
    [ -e "$f" ] || die "missing $f: run $(dirname "$0")/prepare.sh first (with the same BENCH_DIR)"
done
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "run.sh: installing wrk (apt-get)" >&2
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk ||
            { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }; } >/dev/null 2>&1 ||
            die "apt-get install wrk failed"
    else
        die "missing command: wrk; install it with  sudo apt-get install -y wrk  (or run this as root)"
    fi
fi
for t in wrk java python3 curl timeout getconf; do command -v "$t" >/dev/null || die "missing command: $t"; done

RUN=$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)-$MODE${RUN_TAG:+-$RUN_TAG}
mkdir -p "$RUN" || die "cannot create $RUN"
CLK_TCK=$(getconf CLK_TCK)
PAGE_KB=$(($(getconf PAGESIZE) / 1024))
START_EPOCH=$(date +%s)
UPTIME_START=$(uptime)
NPROC=$(nproc)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
QUIET=$(awk -v l="$LOAD_START" -v n="$NPROC" 'BEGIN { print (l <= n / 2) ? "true" : "false" }')
[ "$QUIET" = true ] || echo "run.sh: WARNING: the machine is not quiet (load1 $LOAD_START on $NPROC CPUs): figures will be noisy" >&2

# ---- process trees ------------------------------------------------------------------------------------------------
# One pass over /proc/[0-9]*/stat (processes only; a process's utime and stime already cover all its threads). In a
# stat line, after "pid (comm) ", $1 is field 3 (state), so field n is $((n - 2)): ppid (4) $2, utime (14) $12,
# stime (15) $13, cutime (16) $14, cstime (17) $15, starttime (22) $20, rss in pages (24) $22.
declare -A PS_KIDS=() PS_FIELDS=()
ps_scan() {
    local f line pid rest
    PS_KIDS=() PS_FIELDS=()
    for f in /proc/[0-9]*/stat; do
        { read -r line <"$f"; } 2>/dev/null || continue
        pid=${line%% *}
        rest=${line##*) }
        PS_FIELDS[$pid]=$rest
        set -- $rest
        PS_KIDS[$2]+=" $pid"
    done
}
tree_pids() { # root pid -> the pids of root and all its descendants (after ps_scan), root first
    local queue=("$1") out=() p
    while [ ${#queue[@]} -gt 0 ]; do
        p=${queue[0]}
        queue=("${queue[@]:1}")
        [ -n "${PS_FIELDS[$p]:-}" ] || continue
        out+=("$p")
        # shellcheck disable=SC2206
        queue+=(${PS_KIDS[$p]:-})
    done
    echo "${out[*]}"
}
# root pid -> "cpu_ticks rss_kb hwm_kb procs", summed over root and all its live descendants. cpu_ticks: utime +
# stime of each, plus cutime + cstime (descendants that ended and were reaped within the tree stay counted, so the
# sum never drops when a worker process exits). rss_kb: resident now; hwm_kb: each process's own peak (VmHWM),
# summed. -1s when root is gone.
own_ticks() { # utime + stime of the process itself (its threads; not its children)
    local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    set -- ${s##*) }; echo $((${12} + ${13}))
}
tree_sample() {
    local ticks=0 rss=0 hwm=0 n=0 p k v
    ps_scan
    [ -n "${PS_FIELDS[$1]:-}" ] || { echo "-1 -1 -1 0"; return; }
    for p in $(tree_pids "$1"); do
        # shellcheck disable=SC2086
        set -- ${PS_FIELDS[$p]}
        ticks=$((ticks + ${12} + ${13} + ${14} + ${15}))
        rss=$((rss + ${22} * PAGE_KB))
        while read -r k v _; do
            [ "$k" = VmHWM: ] && { hwm=$((hwm + v)); break; }
        done 2>/dev/null <"/proc/$p/status"
        n=$((n + 1))
    done
    echo "$ticks $rss $hwm $n"
}

# ---- processes this script starts; only these (and, at the end, their own descendants) are ever signalled --------
ORB_PID= DAEMON_PID= WRK_PID= WD_PID=

is_running() { # alive and not a zombie
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    [ "${s%% *}" != Z ]
}
stop_pid() {
    local pid=$1 i
    [ -n "$pid" ] || return 0
    if is_running "$pid"; then
        kill -TERM "$pid" 2>/dev/null
        for i in $(seq 1 60); do is_running "$pid" || break; sleep 0.1; done
        is_running "$pid" && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}
starttime_of() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0; set -- ${s##*) }; echo "${20}"; }
stop_tree() { # stop_pid root; then any descendant it left behind (same pid and start time as before: no reused pid)
    local root=$1 p i left=() st
    [ -n "$root" ] || return 0
    ps_scan
    for p in $(tree_pids "$root"); do
        [ "$p" = "$root" ] || left+=("$p:$(starttime_of "$p")")
    done
    stop_pid "$root"
    for p in ${left[@]+"${left[@]}"}; do
        st=${p#*:} p=${p%%:*}
        [ -n "$st" ] && [ "$(starttime_of "$p")" = "$st" ] && is_running "$p" || continue
        echo "run.sh: pid $p, a descendant of $root, outlived it: stopping it" >&2
        kill -TERM "$p" 2>/dev/null
        for i in $(seq 1 30); do is_running "$p" || break; sleep 0.1; done
        is_running "$p" && [ "$(starttime_of "$p")" = "$st" ] && kill -KILL "$p" 2>/dev/null
    done
    return 0
}
cleanup() {
    trap - EXIT INT TERM
    stop_pid "$WRK_PID"; WRK_PID=
    stop_tree "$DAEMON_PID"; DAEMON_PID=
    stop_tree "$ORB_PID"; ORB_PID=
    stop_pid "$WD_PID"; WD_PID=
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted (SIGINT)" >&2; exit 130' INT
trap 'echo "run.sh: stopped (SIGTERM: watchdog at ${MAX_TOTAL}s, or a signal)" >&2; exit 124' TERM

# Watchdog: ends the whole run at MAX_TOTAL seconds; its sleep is killed with it when the run ends first.
(
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$MAX_TOTAL" & sp=$!
    wait "$sp"
    echo "run.sh: watchdog: ${MAX_TOTAL}s bound reached" >&2
    kill -TERM $$
) &
WD_PID=$!

# ---- helpers ------------------------------------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
children_cpu_ms() { # children user+sys of this shell, from the builtin `times` (its second line)
    local line u s
    line=$(sed -n 2p "$1")
    [[ $line =~ ^([0-9]+)m([0-9]+)\.([0-9]+)s\ ([0-9]+)m([0-9]+)\.([0-9]+)s ]] || { echo -1; return; }
    u=$((10#${BASH_REMATCH[1]} * 60000 + 10#${BASH_REMATCH[2]} * 1000 + 10#${BASH_REMATCH[3]}))
    s=$((10#${BASH_REMATCH[4]} * 60000 + 10#${BASH_REMATCH[5]} * 1000 + 10#${BASH_REMATCH[6]}))
    echo $((u + s))
}
post_status() { # HTTP status of one POST with a JSON body
    curl -s -m 2 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$2" "$1" 2>/dev/null || true
}
alive_or_die() { is_running "$1" || { echo "--- $3:"; tail -n 30 "$3"; die "$2 (pid $1) is not running"; }; }
# The webhook URL from the daemon's start banner, whose line reads "  webhooks  http://HOST:PORT/webhooks/{channel}";
# the channel is "default"; a wildcard bind address becomes loopback. Empty when the banner has no such line (yet).
# The worker's webhook URL from the admin port's /api/workers ({"webhooks": "http://HOST:PORT", ...}), channel
# "default"; empty until the worker's receiver is up (the bundle's test asked for it).
api_webhooks_url() {
    curl -s -m 2 "http://127.0.0.1:$1/api/workers" 2>/dev/null | python3 -c '
import json, sys
try:
    base = json.load(sys.stdin).get("webhooks")
except Exception:
    base = None
if base:
    print(base.rstrip("/") + "/webhooks/default")' 2>/dev/null || true
}
banner_webhooks_url() {
    local u
    u=$(grep -m1 -oP '^\s*webhooks\s+\Khttps?://\S+' "$1" 2>/dev/null) || return 0
    case $u in
        *'{channel}'*) u=${u//\{channel\}/default} ;;
        *'<channel>'*) u=${u//<channel>/default} ;;
        *) u=${u%/}/default ;;
    esac
    u=${u/:\/\/0.0.0.0:/://127.0.0.1:}
    u=${u/:\/\/\[::\]:/://[::1]:}
    echo "$u"
}

# ---- start Orbital's receiver -------------------------------------------------------------------------------------
"$HARNESS" -addr 127.0.0.1:0 -port-file "$RUN/orbital.port" -events-debug="$ORBITAL_EVENTS_DEBUG" \
    >"$RUN/orbital.log" 2>&1 &
ORB_PID=$!
for _ in $(seq 1 100); do [ -s "$RUN/orbital.port" ] && break; alive_or_die "$ORB_PID" orbital "$RUN/orbital.log"; sleep 0.1; done
ORB_PORT=$(cat "$RUN/orbital.port" 2>/dev/null) || die "orbital wrote no port file"
ORB_URL=http://127.0.0.1:$ORB_PORT/webhooks/default
code=
for i in $(seq 1 50); do
    code=$(post_status "$ORB_URL" "{\"id\":\"ready-orbital-$i\"}"); [ "$code" = 200 ] && break; sleep 0.1
done
[ "$code" = 200 ] || die "orbital not ready: POST answered '$code'"

# ---- start the Perpetual daemon -----------------------------------------------------------------------------------
# shellcheck disable=SC2086
java $PERPETUAL_JAVA_OPTS -jar "$JAR" -cp "$BUNDLE" --select-class "$BENCH_CLASS" --port 0 --grace 2s \
    $PERPETUAL_DAEMON_ARGS >"$RUN/perpetual.log" 2>&1 &
DAEMON_PID=$!
# The banner: its first line ends "on port N" (the admin port: /metrics); its webhooks line gives the receiver's URL.
# Once the admin port shows, a webhooks line gets 2 s more; without one, the URL falls back to the admin port's
# /webhooks/default (and a webhooks line that shows later, while waiting for readiness, still wins).
DAEMON_PORT= P_URL= seen=
for i in $(seq 1 600); do
    [ -n "$DAEMON_PORT" ] || DAEMON_PORT=$(grep -m1 -oP 'on port \K[0-9]+' "$RUN/perpetual.log" 2>/dev/null)
    P_URL=$(banner_webhooks_url "$RUN/perpetual.log")
    [ -n "$P_URL" ] && break
    if [ -n "$DAEMON_PORT" ]; then
        P_URL=$(api_webhooks_url "$DAEMON_PORT")
        [ -n "$P_URL" ] && { P_URL_FROM=api-workers; break; }
    fi
    alive_or_die "$DAEMON_PID" perpetual "$RUN/perpetual.log"; sleep 0.1
done
[ -n "$DAEMON_PORT" ] || DAEMON_PORT=$(grep -m1 -oP 'on port \K[0-9]+' "$RUN/perpetual.log" 2>/dev/null)
if [ -n "$P_URL" ]; then
    P_URL_FROM=${P_URL_FROM:-banner}
elif [ -n "$DAEMON_PORT" ]; then
    P_URL=http://127.0.0.1:$DAEMON_PORT/webhooks/default P_URL_FROM=admin-port
    echo "run.sh: the daemon's banner has no webhooks line: trying the admin port, $P_URL" >&2
else
    die "perpetual printed neither 'on port N' nor a webhooks line within 60 s (log: $RUN/perpetual.log)"
fi
code=
for i in $(seq 1 300); do # 404 until the bundle's test has run once and asked for webhooks
    if [ "$P_URL_FROM" = admin-port ]; then
        u=$(banner_webhooks_url "$RUN/perpetual.log")
        [ -n "$u" ] && { P_URL=$u P_URL_FROM=banner; echo "run.sh: the banner's webhooks line showed: $P_URL" >&2; }
    fi
    code=$(post_status "$P_URL" "{\"id\":\"ready-perpetual-$i\"}"); [ "$code" = 200 ] && break
    alive_or_die "$DAEMON_PID" perpetual "$RUN/perpetual.log"; sleep 0.1
done
[ "$code" = 200 ] || die "perpetual $P_URL not ready within 30 s: POST answered '$code' (the bundle's test should" \
    "run within 1.5 s of start: see $RUN/perpetual.log)"
READY_S=$(($(date +%s) - START_EPOCH))

read -r _ _ _ ORB_PROCS <<<"$(tree_sample "$ORB_PID")"
read -r _ _ _ P_PROCS <<<"$(tree_sample "$DAEMON_PID")"
echo "orbital   pid $ORB_PID ($ORB_PROCS process(es))  $ORB_URL"
echo "perpetual pid $DAEMON_PID ($P_PROCS process(es))  $P_URL  (URL from the $P_URL_FROM)"
echo "mode $MODE: $REPS rep(s) x c=[$CONNS] x 2 servers, wrk -t$WRK_THREADS, ${WARMUP}s warm-up + ${DURATION}s measured;" \
     "ready after ${READY_S}s; load at start: ${UPTIME_START##*load average: }"

# ---- one window ---------------------------------------------------------------------------------------------------
run_wrk() { # conns seconds url tag outfile
    timeout -s INT -k 5 $(($2 + 20)) wrk -t"$WRK_THREADS" -c"$1" -d"$2"s -s "$LUA" "$3" -- "$4" >"$5" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID"
    local rc=$?
    WRK_PID=
    return $rc
}
TSV=$RUN/windows.tsv
printf 'block\tpos\trep\tconns\ttarget\trequests\tduration_us\tserver_ticks\tclk_tck\tclient_cpu_ms\trss_kb\thwm_kb\terr_connect\terr_read\terr_write\terr_status\terr_timeout\tlat_p50_us\tlat_p99_us\tlat_max_us\tload1_before\tload1_after\twarm_requests\twarm_err_status\tbody_bytes\twrk_rc\tprocs\troot_ticks\n' >"$TSV"

measure() { # block pos rep conns target
    local block=$1 pos=$2 rep=$3 conns=$4 target=$5 pid url tag w m c0 c1 k0 k1 l0 rc rss hwm procs
    if [ "$target" = orbital ]; then pid=$ORB_PID url=$ORB_URL; else pid=$DAEMON_PID url=$P_URL; fi
    alive_or_die "$pid" "$target" "$RUN/$target.log"
    tag="r${rep}c${conns}${target:0:1}"
    w=$RUN/wrk-${tag}-warmup.txt m=$RUN/wrk-${tag}-measure.txt
    run_wrk "$conns" "$WARMUP" "$url" "${tag}w" "$w"
    l0=$(load1)
    read -r c0 _ _ _ <<<"$(tree_sample "$pid")"
    local r0 r1; r0=$(own_ticks "$pid")
    times >"$RUN/.times0" # wrk's CPU: this shell's reaped-children time, taken tight around the one wrk
    run_wrk "$conns" "$DURATION" "$url" "${tag}m" "$m"; rc=$?
    times >"$RUN/.times1"
    read -r c1 rss hwm procs <<<"$(tree_sample "$pid")"
    r1=$(own_ticks "$pid")
    k0=$(children_cpu_ms "$RUN/.times0") k1=$(children_cpu_ms "$RUN/.times1")
    alive_or_die "$pid" "$target" "$RUN/$target.log"
    [ "$c0" -ge 0 ] && [ "$c1" -ge "$c0" ] || die "server CPU of $target went from $c0 to $c1 ticks"
    local r wr
    r=$(grep -m1 '^WRK_RESULT' "$m") || die "wrk gave no result for $tag (rc $rc): $(tail -n 5 "$m")"
    wr=$(grep -m1 '^WRK_RESULT' "$w")
    declare -A v=() wv=()
    local kv
    for kv in ${r#WRK_RESULT }; do v[${kv%%=*}]=${kv#*=}; done
    for kv in ${wr#WRK_RESULT }; do wv[${kv%%=*}]=${kv#*=}; done
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$block" "$pos" "$rep" "$conns" "$target" "${v[requests]}" "${v[duration_us]}" $((c1 - c0)) "$CLK_TCK" \
        $((k1 - k0)) "$rss" "$hwm" "${v[err_connect]}" "${v[err_read]}" \
        "${v[err_write]}" "${v[err_status]}" "${v[err_timeout]}" "${v[lat_p50_us]}" "${v[lat_p99_us]}" \
        "${v[lat_max_us]}" "$l0" "$(load1)" "${wv[requests]:--1}" "${wv[err_status]:--1}" "${v[body_bytes]}" "$rc" \
        "$procs" $((r1 - r0)) >>"$TSV"
    awk -F'\t' -v t="$target" -v c="$conns" -v r="$rep" 'END {
        rps = $6 / ($7 / 1e6); cpu = ($8 / $9 * 1e6) / $6
        printf "  rep %s c=%-3s %-9s %9.0f req/s  %6.1f us CPU/req  RSS %5.0f MiB (%d proc)  non-2xx %s  sock-err %d  load %s\n",
            r, c, t, rps, cpu, $11 / 1024, $27, $16, $13 + $14 + $15 + $17, $22 }' "$TSV"
}

block=0
for rep in $(seq 1 "$REPS"); do
    for conns in $CONNS; do
        block=$((block + 1))
        if [ $((block % 2)) -eq 1 ]; then order="orbital perpetual"; else order="perpetual orbital"; fi
        pos=0
        for target in $order; do
            pos=$((pos + 1))
            measure "$block" "$pos" "$rep" "$conns" "$target"
        done
    done
done

# What the daemon itself counted (cross-check: every request wrk completed, plus the readiness probes, is here).
if [ -n "$DAEMON_PORT" ]; then
    curl -s -m 5 "http://127.0.0.1:$DAEMON_PORT/metrics" | grep '^perpetual_webhook_received' >"$RUN/perpetual-received.txt" || true
fi
UPTIME_END=$(uptime)
ELAPSED=$(($(date +%s) - START_EPOCH))

cleanup # stop both servers before the report (the report is computed from the files)

info() { sed -n "s/^$1=//p" "$BENCH_DIR/build-info" 2>/dev/null | head -n 1; }
ORB_VERSION=$(info orbital); ORB_VERSION=${ORB_VERSION:-unknown}
P_VERSION=$(info perpetual); P_VERSION=${P_VERSION:-unknown}
GO_VERSION=$(info go); GO_VERSION=${GO_VERSION:-unknown}
JAVA_VERSION=$(java -version 2>&1 | head -n 1)
WRK_VERSION=$(wrk -v 2>&1 | head -n 1 | awk '{print $2}')

export QUIET LOAD_START RUN MODE REPS WARMUP DURATION CONNS WRK_THREADS UPTIME_START UPTIME_END ELAPSED READY_S ORB_VERSION P_VERSION \
    JAVA_VERSION GO_VERSION WRK_VERSION PERPETUAL_JAVA_OPTS ORBITAL_EVENTS_DEBUG P_URL P_URL_FROM
python3 - <<'EOF' | tee "$RUN/report.md"
import csv, json, os, re, statistics as st

E = os.environ
rows = list(csv.DictReader(open(os.path.join(E["RUN"], "windows.tsv")), delimiter="\t"))
for r in rows:
    for k in list(r):
        if k != "target":
            r[k] = float(r[k])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["cpu_us"] = r["server_ticks"] / r["clk_tck"] * 1e6 / r["requests"]
    r["cores"] = r["server_ticks"] / r["clk_tck"] / (r["duration_us"] / 1e6)
    r["client_us"] = r["client_cpu_ms"] * 1e3 / r["requests"]
    r["sock"] = r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"]

def rng(xs, f):
    return f"{f(st.median(xs))} [{f(min(xs))}–{f(max(xs))}]" if len(xs) > 1 else f(xs[0])

conns = [int(c) for c in E["CONNS"].split()]
targets = ["orbital", "perpetual"]
summary = {}
lines = []
lines.append(f"### Webhook receiver, side by side ({E['MODE']}: {E['REPS']} rep(s), wrk -t{E['WRK_THREADS']}, "
             f"{E['WARMUP']} s warm-up + {E['DURATION']} s measured, ~{int(rows[0]['body_bytes'])} B JSON, unique id)")
lines.append("")
lines.append("| c | server | req/s median [min–max] | server CPU µs/req median [min–max] | server cores | "
             "RSS MiB (end / peak) | non-2xx | socket errors | p50 / p99 µs | wrk CPU µs/req |")
lines.append("|---|---|---|---|---|---|---|---|---|---|")
for c in conns:
    summary[f"c{c}"] = {}
    for t in targets:
        rs = [r for r in rows if r["target"] == t and int(r["conns"]) == c]
        s = {
            "rps_median": round(st.median(x["rps"] for x in rs)), "rps_min": round(min(x["rps"] for x in rs)),
            "rps_max": round(max(x["rps"] for x in rs)),
            "cpu_us_per_req_median": round(st.median(x["cpu_us"] for x in rs), 2),
            "cpu_us_per_req_min": round(min(x["cpu_us"] for x in rs), 2),
            "cpu_us_per_req_max": round(max(x["cpu_us"] for x in rs), 2),
            "server_cores_median": round(st.median(x["cores"] for x in rs), 2),
            "rss_mib_end_max": round(max(x["rss_kb"] for x in rs) / 1024, 1),
            "rss_mib_peak": round(max(x["hwm_kb"] for x in rs) / 1024, 1),
            "non_2xx": int(sum(x["err_status"] for x in rs)),
            "socket_errors": int(sum(x["sock"] for x in rs)),
            "lat_p50_us_median": round(st.median(x["lat_p50_us"] for x in rs)),
            "lat_p99_us_median": round(st.median(x["lat_p99_us"] for x in rs)),
            "wrk_cpu_us_per_req_median": round(st.median(x["client_us"] for x in rs), 2),
            "requests_measured": int(sum(x["requests"] for x in rs)),
            "procs_max": int(max(x["procs"] for x in rs)),
            "windows": len(rs),
        }
        summary[f"c{c}"][t] = s
        lines.append(
            f"| {c} | {t} | {rng([x['rps'] for x in rs], lambda v: f'{v:,.0f}')} | "
            f"{rng([x['cpu_us'] for x in rs], lambda v: f'{v:.1f}')} | {s['server_cores_median']:.2f} | "
            f"{s['rss_mib_end_max']:.0f} / {s['rss_mib_peak']:.0f} | {s['non_2xx']} | {s['socket_errors']} | "
            f"{s['lat_p50_us_median']:,} / {s['lat_p99_us_median']:,} | {s['wrk_cpu_us_per_req_median']:.1f} |")
    # same-block pairs: the two servers measured back to back in one block
    pairs = []
    for b in sorted({r["block"] for r in rows if int(r["conns"]) == c}):
        o = [r for r in rows if r["block"] == b and r["target"] == "orbital"]
        p = [r for r in rows if r["block"] == b and r["target"] == "perpetual"]
        if o and p:
            pairs.append((p[0]["rps"] / o[0]["rps"], p[0]["cpu_us"] / o[0]["cpu_us"]))
    if pairs:
        summary[f"c{c}"]["perpetual_over_orbital"] = {
            "rps_ratio_median": round(st.median(x[0] for x in pairs), 3),
            "cpu_per_req_ratio_median": round(st.median(x[1] for x in pairs), 3),
            "rps_ratios": [round(x[0], 3) for x in pairs], "cpu_per_req_ratios": [round(x[1], 3) for x in pairs]}
        lines.append(f"| {c} | **perpetual ÷ orbital** (same-block pairs) | "
                     f"{rng([x[0] for x in pairs], lambda v: f'{v:.2f}×')} | "
                     f"{rng([x[1] for x in pairs], lambda v: f'{v:.2f}×')} | | | | | | |")
lines.append("")
lines.append("Windows, in run order:")
lines.append("")
lines.append("| block | rep | c | server | req/s | CPU µs/req | cores | RSS MiB | procs | non-2xx | sock err | p99 µs | load1 before→after |")
lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in sorted(rows, key=lambda r: (r["block"], r["pos"])):
    lines.append(f"| {int(r['block'])} | {int(r['rep'])} | {int(r['conns'])} | {r['target']} | {r['rps']:,.0f} | "
                 f"{r['cpu_us']:.1f} | {r['cores']:.2f} | {r['rss_kb']/1024:.0f} | {int(r['procs'])} | {int(r['err_status'])} | "
                 f"{int(r['sock'])} | {int(r['lat_p99_us']):,} | {r['load1_before']:.2f}→{r['load1_after']:.2f} |")
pw = [r for r in rows if r["target"] == "perpetual" and r.get("root_ticks") is not None and r["server_ticks"] > 0]
if pw:
    share = [r["root_ticks"] / r["server_ticks"] for r in pw]
    sup_us = [r["root_ticks"] / r["clk_tck"] * 1e6 / r["requests"] for r in pw]
    lines.append("")
    lines.append(f"Perpetual's supervisor JVM (the tree's root) took {rng(share, lambda v: f'{v:.0%}')} of the tree's CPU "
                 f"({rng(sup_us, lambda v: f'{v:.1f}')} µs per request); the rest is the worker JVM, whose receiver serves the webhooks.")
received = {}
try:
    for line in open(os.path.join(E["RUN"], "perpetual-received.txt")):
        m = re.match(r'^(\S+?)\{(.*)\}\s+(\S+)$', line.strip())
        if m:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            k = labels.get("result", "?")
            received[k] = received.get(k, 0) + float(m.group(3))
except OSError:
    pass
p_sent = int(sum(r["requests"] + max(r["warm_requests"], 0) for r in rows if r["target"] == "perpetual"))
load = lambda u: re.sub(r".*load average: ", "", u)
lines.append("")
lines.append(("" if E["QUIET"] == "true" else "**Not a quiet machine** (load1 at start above half the CPUs): noisy figures. ")
             + f"Load average (1/5/15 min): start {load(E['UPTIME_START'])}; end {load(E['UPTIME_END'])}. "
             f"Elapsed {E['ELAPSED']} s (servers ready after {E['READY_S']} s).")
procs = {t: int(max(r["procs"] for r in rows if r["target"] == t)) for t in targets}
lines.append(f"Server CPU and RSS are summed over each server's process tree (the process and its descendants; at most "
             f"{procs['orbital']} for orbital, {procs['perpetual']} for perpetual); RSS peak is the sum of each process's own "
             f"peak. Perpetual's webhook URL {E['P_URL']} (from the {E['P_URL_FROM']}).")
lines.append(f"Perpetual's own counter `perpetual_webhook_received_total` by result: "
             f"{ {k: int(v) for k, v in received.items()} } (wrk completed {p_sent:,} requests to it, plus readiness probes).")
lines.append(f"Orbital {E['ORB_VERSION'][:12]} on {E['GO_VERSION']} (events debug {E['ORBITAL_EVENTS_DEBUG']}); "
             f"Perpetual {E['P_VERSION']} on {E['JAVA_VERSION']} (JAVA_OPTS '{E['PERPETUAL_JAVA_OPTS']}'); "
             f"wrk {E['WRK_VERSION']}; {os.cpu_count()} CPUs. Files: {E['RUN']}")
print("\n".join(lines))
result = {
    "mode": E["MODE"], "reps": int(E["REPS"]), "warmup_s": int(E["WARMUP"]), "duration_s": int(E["DURATION"]),
    "wrk_threads": int(E["WRK_THREADS"]), "conns": conns, "body_bytes": int(rows[0]["body_bytes"]),
    "uptime_start": E["UPTIME_START"].strip(), "uptime_end": E["UPTIME_END"].strip(),
    "load1_start": float(load(E["UPTIME_START"]).split(",")[0]), "load1_end": float(load(E["UPTIME_END"]).split(",")[0]),
    "elapsed_s": int(E["ELAPSED"]), "quiet_at_start": E["QUIET"] == "true", "ready_s": int(E["READY_S"]), "cpus": os.cpu_count(),
    "versions": {"orbital": E["ORB_VERSION"], "go": E["GO_VERSION"], "perpetual": E["P_VERSION"],
                 "java": E["JAVA_VERSION"], "wrk": E["WRK_VERSION"]},
    "perpetual_url": E["P_URL"], "perpetual_url_from": E["P_URL_FROM"],
    "server_cpu_rss_scope": "process tree (the server process and all its descendants)",
    "perpetual_java_opts": E["PERPETUAL_JAVA_OPTS"], "orbital_events_debug": E["ORBITAL_EVENTS_DEBUG"] == "true",
    "summary": summary,
    "perpetual_received_by_result": {k: int(v) for k, v in received.items()}, "perpetual_wrk_completed": p_sent,
    "windows": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
    "run_dir": E["RUN"],
}
json.dump(result, open(os.path.join(E["RUN"], "result.json"), "w"), indent=1)
print()
print("RESULT " + json.dumps({k: v for k, v in result.items() if k != "windows"}, separators=(",", ":")))
EOF
