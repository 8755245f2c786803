#!/usr/bin/env python3
"""Measures the Perpetual daemon through its real jar: supervisor + worker JVM (and, as the same-run baseline,
perpetual.isolation=in-process). See README.md in this folder.

    bench.py latency    [--rounds 3 --warmup 20 --measure 40]     per-run overhead, 20 empty tests at 200 ms
    bench.py throughput [--rate 4000|1000 --rounds 2 --warmup 15 --measure 30]
    bench.py soak       [--seconds 600 --sample 30]               heap, threads and RSS over a long run (4,000/s)
    bench.py recycle    [--after 20000 --seconds 100]             time to the new worker, lateness meanwhile
    bench.py idle       [--seconds 120]                           RSS of an idle daemon (one test at 1 h)
    bench.py classsize  [--modes worker,worker-fresh --rounds 2]  a run's cost in a class of 10 vs 1,000 methods
    bench.py quiet                                                only wait for a quiet machine (used by orbital.sh)

Every command waits for a quiet machine first (no surefire/failsafe/maven process; polls every 30 s, 25 min at
most), records load average and versions, writes raw data and a summary.json into $WORK/results/<time>-<cmd>/, and
stops every process it started (the daemon, and its worker should it outlive the daemon) even on failure.
"""
import argparse
import atexit
import calendar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

WORK = os.environ.get("WORK", "/tmp/bench-daemon")
SRC = os.environ.get("SRC", "/tmp/bench-src")
JAR = os.environ.get("JAR", f"{SRC}/launcher-daemon/target/perpetual-daemon.jar")
FIXTURES = os.environ.get("FIXTURES", f"{WORK}/fixtures/classes")
CLK_TCK = os.sysconf("SC_CLK_TCK")
BUSY = re.compile(r"surefire|failsafe|plexus-classworlds|maven")


# ---- the machine --------------------------------------------------------------------------------------------------

def busy_processes():
    """The other engineer's builds/tests (what the brief says to wait for), not this process."""
    out = subprocess.run(["pgrep", "-fa", "surefire|failsafe|plexus-classworlds|maven"], capture_output=True,
                         text=True).stdout
    return [l for l in out.splitlines() if "pgrep" not in l and str(os.getpid()) != l.split()[0]]


def wait_quiet(log, max_wait=int(os.environ.get("QUIET_MAX_WAIT", 25 * 60)), poll=30):
    """Waits until no Maven/surefire/failsafe process runs (poll 30 s, 25 min or QUIET_MAX_WAIT s at most); returns
    what it saw."""
    if os.environ.get("SKIP_QUIET"):  # smoke tests of the harness only, never for figures
        return {"waited_s": 0, "quiet": None, "skipped_check": True}
    t0 = time.time()
    first = busy_processes()
    while True:
        busy = busy_processes()
        if not busy:
            waited = time.time() - t0
            info = {"waited_s": round(waited), "quiet": True, "busy_at_start": len(first)}
            log(f"quiet after {waited:.0f} s; {uptime()}")
            return info
        if time.time() - t0 >= max_wait:
            log(f"NOT QUIET after {max_wait} s ({len(busy)} processes): measuring anyway; {uptime()}")
            return {"waited_s": round(time.time() - t0), "quiet": False, "busy": [b[:160] for b in busy]}
        log(f"busy ({len(busy)}: {busy[0][:100]}...); waiting {poll} s")
        time.sleep(poll)


class Watch:
    """Watches the machine during a measurement window: other builds that started meanwhile, and the load."""

    def __init__(self):
        self.busy_seen = []
        self.loads = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            busy = busy_processes()
            if busy:
                self.busy_seen.append((time.strftime("%H:%M:%S"), busy[0][:100]))
            self.loads.append(load1())
            self._stop.wait(5)

    def done(self):
        self._stop.set()
        self._thread.join(10)
        return {"other_builds_during": len(self.busy_seen) > 0, "busy_samples": len(self.busy_seen),
                "busy_first": self.busy_seen[0] if self.busy_seen else None,
                "load1_max": max(self.loads) if self.loads else None}


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def load1():
    return float(open("/proc/loadavg").read().split()[0])


def stat(pid):
    """(utime+stime ticks, ppid, starttime) of one process, or None."""
    try:
        s = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12]), int(f[1]), int(f[19])


def rss_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid):
    kids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            st = stat(int(p))
            if st and st[1] == pid:
                kids.append(int(p))
    return kids


def tree_ticks(pid):
    """CPU ticks of pid and its live descendants (its worker JVMs)."""
    total, own = 0, 0
    queue = [pid]
    while queue:
        p = queue.pop()
        st = stat(p)
        if st is None:
            continue
        total += st[0]
        if p == pid:
            own = st[0]
        queue.extend(children(p))
    return total, own


def java_version():
    r = subprocess.run(["java", "-version"], capture_output=True, text=True)
    return r.stderr.splitlines()[0] if r.stderr else "?"


def git_version():
    r = subprocess.run(["git", "-C", SRC, "log", "-1", "--format=%h %cs"], capture_output=True, text=True)
    return r.stdout.strip()


# ---- HTTP and metrics ---------------------------------------------------------------------------------------------

def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def get_json(url, timeout=10):
    return json.loads(get(url, timeout))


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape(port):
    """/metrics as a list of (name, labels, value)."""
    out = []
    for line in get(f"http://127.0.0.1:{port}/metrics", 30).splitlines():
        if not line or line[0] == "#":
            continue
        m = LINE.match(line)
        if not m:
            continue
        labels = dict(LABEL.findall(m.group(3) or ""))
        try:
            v = float(m.group(4))
        except ValueError:
            continue
        out.append((m.group(1), labels, v))
    return out


def msum(samples, name, **match):
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in match.items()))


def by_label(samples, name, label):
    d = {}
    for n, l, v in samples:
        if n == name:
            d[l.get(label)] = d.get(l.get(label), 0) + v
    return d


def buckets(samples, name):
    """{le: cumulative count} of a histogram (summed over label sets)."""
    d = {}
    for n, l, v in samples:
        if n == name + "_bucket":
            le = float("inf") if l["le"] == "+Inf" else float(l["le"])
            d[le] = d.get(le, 0) + v
    return d


def hist_quantile(b0, b1, q):
    """Quantile q of the histogram delta b1 - b0: (bucket upper bound, linear interpolation in the bucket)."""
    les = sorted(b1)
    delta = [(le, b1[le] - b0.get(le, 0)) for le in les]
    total = delta[-1][1] if delta else 0
    if total <= 0:
        return None, None
    rank = q * total
    prev_le, prev_c = 0.0, 0
    for le, c in delta:
        if c >= rank:
            if le == float("inf"):
                return le, prev_le
            inside = (rank - prev_c) / max(c - prev_c, 1e-9)
            return le, prev_le + (le - prev_le) * inside
        prev_le, prev_c = le, c
    return None, None


def hist_above(b0, b1, bound):
    """Observations above bound (a bucket bound) in the delta."""
    inf = float("inf")
    return (b1.get(inf, 0) - b0.get(inf, 0)) - (b1.get(bound, 0) - b0.get(bound, 0))


# ---- time ---------------------------------------------------------------------------------------------------------

ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z")


def iso_ns(text):
    m = ISO.match(text)
    secs = calendar.timegm(tuple(int(x) for x in m.groups()[:6]) + (0, 0, 0))
    frac = (m.group(7) or "0")[:9].ljust(9, "0")
    return secs * 1_000_000_000 + int(frac)


def pct(values, q):
    """Nearest-rank percentile of a list."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 1)) - 1))
    return s[k]


def dist(values_ms):
    return {"n": len(values_ms), "p50": r3(pct(values_ms, .5)), "p90": r3(pct(values_ms, .9)),
            "p99": r3(pct(values_ms, .99)), "max": r3(max(values_ms) if values_ms else None)}


def r3(x):
    return None if x is None else round(x, 3)


# ---- the daemon ---------------------------------------------------------------------------------------------------

STARTED = []


class Daemon:
    """One `java -jar perpetual-daemon.jar` this script started; stop() ends it and any worker it left behind."""

    def __init__(self, run_dir, name, selects, config=(), log_format="text", extra=()):
        self.name = name
        self.out_path = f"{run_dir}/{name}.out"
        self.err_path = f"{run_dir}/{name}.err"
        if any("isolation=in-process" in c for c in config):
            # In-process, the -cp option does not work: discovery runs on a thread whose context class loader is the
            # daemon's, not -cp's, and fails with "Could not load class" (see README). The fixtures go on the JVM's
            # own class path instead, as the daemon's own tests do (TestDaemon).
            cmd = ["java", "-cp", f"{JAR}:{FIXTURES}", "dev.perpetual.daemon.PerpetualDaemon"]
        else:
            cmd = ["java", "-jar", JAR, "-cp", FIXTURES]
        cmd += ["--port", "0", "--grace", "2s", "--log-format", log_format]
        for s in selects:
            cmd += ["--select-class", s]
        for kv in ("perpetual.webhooks.port=0",) + tuple(config):
            cmd += ["--config", kv]
        cmd += list(extra)
        self.cmd = cmd
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=self.err, start_new_session=False)
        self.pid = self.proc.pid
        self.start_time = time.time()
        self.workers_seen = {}  # pid -> starttime
        STARTED.append(self)
        self.port = self._port()

    def _port(self):
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daemon {self.name} ended at start ({self.proc.returncode}): "
                                   + open(self.err_path).read()[-2000:] + open(self.out_path).read()[-2000:])
            text = open(self.out_path).read()
            m = re.search(r"on port (\d+)", text) or re.search(r'"event":"start"[^\n]*"port":(\d+)', text)
            if m:
                return int(m.group(1))
            time.sleep(0.1)
        raise RuntimeError(f"daemon {self.name} printed no port in 90 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self):
        view = get_json(self.url("/api/workers"))
        for w in view.get("workers", []):
            pid = w.get("pid")
            if pid and pid != self.pid:
                st = stat(pid)
                if st:
                    self.workers_seen.setdefault(pid, st[2])
        return view

    def worker_pid(self):
        for w in self.workers().get("workers", []):
            if w.get("state") == "up" and w.get("test") is None:
                return w.get("pid")
        return None

    def stop(self):
        if self in STARTED:
            STARTED.remove(self)
        try:
            self.workers()
        except Exception:
            pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for pid, start in self.workers_seen.items():  # a worker must not outlive its supervisor
            deadline = time.time() + 5
            while time.time() < deadline:
                st = stat(pid)
                if not st or st[2] != start:
                    break
                time.sleep(0.1)
            st = stat(pid)
            if st and st[2] == start:
                print(f"worker {pid} outlived daemon {self.name}: killing it", file=sys.stderr)
                os.kill(pid, signal.SIGKILL)
        self.out.close()
        self.err.close()
        return self.proc.returncode


def stop_all():
    for d in list(STARTED):
        try:
            d.stop()
        except Exception as e:  # keep stopping the others
            print(f"stopping {d.name}: {e}", file=sys.stderr)


atexit.register(stop_all)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))


# ---- runs ---------------------------------------------------------------------------------------------------------

def json_events(path):
    """The console's JSON events (--log-format json)."""
    events = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    return events


def collect_runs(d, tests, store):
    for t in tests:
        try:
            view = get_json(d.url(f"/api/tests/{t}/runs"))
        except Exception:
            continue
        for r in view["runs"]:
            store[r["runId"]] = dict(r, test=t)


class Run:
    def __init__(self, cmd):
        self.dir = f"{WORK}/results/{time.strftime('%Y%m%dT%H%M%S')}-{cmd}"
        os.makedirs(self.dir, exist_ok=True)
        self.logf = open(f"{self.dir}/log.txt", "a")
        self.summary = {"cmd": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                        "java": java_version(), "perpetual": git_version(), "jar": JAR, "cpus": os.cpu_count(),
                        "windows": []}

    def log(self, text):
        line = f"{time.strftime('%H:%M:%S')} {text}"
        print(line, flush=True)
        self.logf.write(line + "\n")
        self.logf.flush()

    def save(self):
        json.dump(self.summary, open(f"{self.dir}/summary.json", "w"), indent=1)
        self.log(f"summary: {self.dir}/summary.json")


MODES = {"worker": (), "in-process": ("perpetual.isolation=in-process",),
         # The worker as before descriptor reuse: every run discovers its test's class again.
         "worker-fresh": ("perpetual.worker.reuse-discovery=false",)}


def alternate(rounds, modes=("worker", "in-process")):
    """ABBA...: worker, in-process, in-process, worker, ... (or the given modes, reversed every other round)"""
    order = []
    for i in range(rounds):
        order += list(modes) if i % 2 == 0 else list(reversed(modes))
    return order


def modes_of(text):
    modes = tuple(m.strip() for m in text.split(",") if m.strip())
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        sys.exit(f"--modes {text}: use a comma-separated list of {', '.join(MODES)}")
    return modes


# ---- 1a. per-run overhead -----------------------------------------------------------------------------------------

LAT_TESTS = [f"lat.t{i:02d}" for i in range(20)]
FIXTURE_SETS = {"trivial": (["bench.latency.Trivial"], LAT_TESTS),
                "single": ([f"bench.single.S{i:02d}" for i in range(20)], [f"one.s{i:02d}" for i in range(20)])}


def cmd_latency(a):
    run = Run("latency" + ("" if a.fixture == "trivial" else "-" + a.fixture))
    classes, tests = FIXTURE_SETS[a.fixture]
    for i, mode in enumerate(alternate(a.rounds, modes_of(a.modes))):
        q = wait_quiet(run.log)
        d = Daemon(run.dir, f"w{i}-{mode}", classes, MODES[mode], log_format="json")
        try:
            run.log(f"window {i} {mode}: port {d.port}; warm-up {a.warmup} s")
            time.sleep(a.warmup)
            load0 = uptime()
            watch = Watch()
            m0, c0, w0 = scrape(d.port), tree_ticks(d.pid), time.time()
            store = {}
            t_end = w0 + a.measure
            while time.time() < t_end:
                time.sleep(min(5, max(0, t_end - time.time())))
                collect_runs(d, tests, store)
            m1, c1, w1 = scrape(d.port), tree_ticks(d.pid), time.time()
            load1_ = uptime()
            watched = watch.done()
            wpid = d.worker_pid() if mode != "in-process" else None
            rss = {"supervisor_kb": rss_kb(d.pid), "worker_kb": rss_kb(wpid) if wpid else None}
            time.sleep(1.5)  # the console writer flushes the last run lines
        finally:
            d.stop()
        recorded = {e["runId"]: iso_ns(e["time"]) for e in json_events(d.out_path) if e.get("event") == "run"}
        lo, hi = int(w0 * 1e9), int((w1 - 1) * 1e9)
        rows = []
        for r in store.values():
            planned = iso_ns(r["planned"]) if r.get("planned") else None
            if planned is None or not (lo <= planned <= hi) or r["runId"] not in recorded:
                continue
            start = iso_ns(r["start"])
            dur = r["durationMs"] * 1e6
            rec = recorded[r["runId"]]
            rows.append({"out": (start - planned) / 1e6, "exec": r["durationMs"],
                         "back": (rec - start - dur) / 1e6, "total": (rec - planned) / 1e6,
                         "outcome": r["outcome"]})
        runs = msum(m1, "perpetual_run_seconds_count") - msum(m0, "perpetual_run_seconds_count")
        ticks = c1[0] - c0[0]
        lb0, lb1 = buckets(m0, "perpetual_run_seconds"), buckets(m1, "perpetual_run_seconds")
        w = {"i": i, "mode": mode, "port": d.port, "cmd": " ".join(d.cmd), "load_before": load0,
             "load_after": load1_, "quiet": q, "watch": watched, "seconds": round(w1 - w0, 1), "runs": runs,
             "runs_per_s": round(runs / (w1 - w0), 1), "records": len(rows),
             "non_pass": sum(1 for x in rows if x["outcome"] != "pass"),
             "cpu_us_per_run": round(ticks / CLK_TCK * 1e6 / max(runs, 1), 1),
             "supervisor_cpu_us_per_run": round((c1[1] - c0[1]) / CLK_TCK * 1e6 / max(runs, 1), 1),
             "run_seconds_hist_p50_le": hist_quantile(lb0, lb1, .5)[0],
             "run_seconds_hist_p99_le": hist_quantile(lb0, lb1, .99)[0], **rss}
        for k in ("out", "exec", "back", "total"):
            w[k] = dist([x[k] for x in rows])
        run.summary["windows"].append(w)
        run.log(f"  {mode}: {w['records']} records; exec p50 {w['exec']['p50']} ms; out p50 {w['out']['p50']} "
                f"back p50 {w['back']['p50']} total p50 {w['total']['p50']} p99 {w['total']['p99']} ms; "
                f"{w['cpu_us_per_run']} us CPU/run; {load1_.split('load average: ')[1]}")
        json.dump(rows, open(f"{run.dir}/w{i}-{mode}-records.json", "w"))
    # same-run ratios: each worker window against the other mode's window next to it (ABBA pairs; in-process unless
    # --modes says otherwise)
    ws = run.summary["windows"]
    pairs = []
    for j in range(0, len(ws) - 1, 2):
        a_, b_ = ws[j], ws[j + 1]
        wk, ip = (a_, b_) if a_["mode"] == "worker" else (b_, a_)
        pairs.append({k: r3(wk[k]["p50"] / ip[k]["p50"]) if ip[k]["p50"] else None for k in ("exec", "total")}
                     | {"cpu": r3(wk["cpu_us_per_run"] / ip["cpu_us_per_run"])})
    other = ws[1]["mode"] if len(ws) > 1 and ws[0]["mode"] == "worker" else ws[0]["mode"] if ws else "in-process"
    run.summary["ratios_worker_over_in_process" if other == "in-process" else f"ratios_worker_over_{other}"] = pairs
    run.log(f"ratios (worker / {other}, per pair): {pairs}")
    run.save()


# ---- 1b/1c. throughput and lateness -------------------------------------------------------------------------------

def load_classes(rate):
    n = {4000: 20, 2000: 10, 1000: 5}[rate]
    return [f"bench.load.C{c:02d}" for c in range(n)]


def window_metrics(d, m0, m1, c0, c1, w0, w1):
    runs = msum(m1, "perpetual_run_seconds_count") - msum(m0, "perpetual_run_seconds_count")
    sk0, sk1 = by_label(m0, "perpetual_run_skipped_total", "reason"), by_label(m1, "perpetual_run_skipped_total",
                                                                             "reason")
    oc0, oc1 = by_label(m0, "perpetual_run_seconds_count", "outcome"), by_label(m1, "perpetual_run_seconds_count",
                                                                               "outcome")
    b0, b1 = buckets(m0, "perpetual_schedule_lateness_seconds"), buckets(m1, "perpetual_schedule_lateness_seconds")
    p50 = hist_quantile(b0, b1, .5)
    p99 = hist_quantile(b0, b1, .99)
    late_n = (b1.get(float("inf"), 0) - b0.get(float("inf"), 0))
    return {"seconds": round(w1 - w0, 1), "runs": runs, "runs_per_s": round(runs / (w1 - w0), 1),
            "outcomes": {k: v - oc0.get(k, 0) for k, v in oc1.items() if v - oc0.get(k, 0)},
            "skipped": {k: v - sk0.get(k, 0) for k, v in sk1.items() if v - sk0.get(k, 0)},
            "lateness_observed": late_n,
            "lateness_p50_ms": {"bucket_le": p50[0] and p50[0] * 1e3, "interpolated": p50[1] and r3(p50[1] * 1e3)},
            "lateness_p99_ms": {"bucket_le": p99[0] and p99[0] * 1e3, "interpolated": p99[1] and r3(p99[1] * 1e3)},
            "lateness_over_5ms": hist_above(b0, b1, 0.005), "lateness_over_100ms": hist_above(b0, b1, 0.1),
            "lateness_over_1s": hist_above(b0, b1, 1.0),
            "lateness_max_s": max((v for n, l, v in m1 if n == "perpetual_schedule_lateness_seconds_max"), default=None),
            "in_flight_end": msum(m1, "perpetual_runs_in_flight"),
            "cpu_cores": round((c1[0] - c0[0]) / CLK_TCK / (w1 - w0), 2),
            "cpu_us_per_run": round((c1[0] - c0[0]) / CLK_TCK * 1e6 / max(runs, 1), 1),
            "supervisor_cpu_us_per_run": round((c1[1] - c0[1]) / CLK_TCK * 1e6 / max(runs, 1), 1)}


def cmd_throughput(a):
    classes = load_classes(a.rate)
    period_ms = getattr(a, "period_ms", None) or 50
    planned = len(classes) * 10 * 1000 // period_ms
    run = Run(f"throughput{planned}")
    # --period-ms: every test's period overridden (perpetual.test.<name>.period), e.g. 25 ms for 8,000 planned/s
    periods = () if period_ms == 50 else ("perpetual.period.min=10ms",) + tuple(
        f"perpetual.test.load.c{c[-2:]}.m{m}.period={period_ms}ms" for c in classes for m in range(10))
    modes = alternate(a.rounds, modes_of(a.modes)) if not a.worker_only else ["worker"] * a.rounds
    for i, mode in enumerate(modes):
        q = wait_quiet(run.log)
        d = Daemon(run.dir, f"w{i}-{mode}", classes, MODES[mode] + periods + tuple(a.config))
        try:
            run.log(f"window {i} {mode}: {len(classes) * 10} tests at {period_ms} ms = {planned} planned runs/s; "
                    f"port {d.port}; warm-up {a.warmup} s")
            time.sleep(a.warmup)
            load0 = uptime()
            watch = Watch()
            m0, c0, w0 = scrape(d.port), tree_ticks(d.pid), time.time()
            time.sleep(a.measure)
            m1, c1, w1 = scrape(d.port), tree_ticks(d.pid), time.time()
            load1_ = uptime()
            watched = watch.done()
            wpid = d.worker_pid() if mode != "in-process" else None
            workers = d.workers()
            rss = {"supervisor_kb": rss_kb(d.pid), "worker_kb": rss_kb(wpid) if wpid else None,
                   "threads_supervisor": msum(m1, "jvm_threads_live_threads"), "workers": workers}
        finally:
            d.stop()
        w = {"i": i, "mode": mode, "cmd": " ".join(d.cmd), "load_before": load0, "load_after": load1_, "quiet": q,
             "watch": watched,
             **window_metrics(d, m0, m1, c0, c1, w0, w1), **rss}
        run.summary["windows"].append(w)
        run.log(f"  {mode}: {w['runs_per_s']} runs/s; skipped {w['skipped']}; lateness p50 {w['lateness_p50_ms']} "
                f"p99 {w['lateness_p99_ms']} (>5ms {w['lateness_over_5ms']:.0f}, >1s {w['lateness_over_1s']:.0f}); "
                f"{w['cpu_cores']} cores, {w['cpu_us_per_run']} us/run; {load1_.split('load average: ')[1]}"
                f"{'; OTHER BUILD DURING WINDOW' if watched['other_builds_during'] else ''}")
    run.save()


# ---- 2. soak ------------------------------------------------------------------------------------------------------

def cmd_classsize(a):
    """The same empty test at the same planned rate (100 runs/s), in a class of 10 and in a class of 1,000 methods;
    with --modes worker,worker-fresh, each with descriptor reuse and without, in one run."""
    run = Run("classsize")
    combos = [(f, m) for m in modes_of(a.modes) for f in ("bench.size.Small", "bench.size.Large")]
    order = []
    for r in range(a.rounds):
        order += combos if r % 2 == 0 else list(reversed(combos))  # ABBA
    for i, (fixture, mode) in enumerate(order):
        q = wait_quiet(run.log)
        d = Daemon(run.dir, f"w{i}-{fixture.rsplit('.', 1)[1]}-{mode}", [fixture], MODES[mode] + tuple(a.config))
        try:
            run.log(f"window {i} {fixture} {mode}: 100 planned runs/s; port {d.port}; warm-up {a.warmup} s")
            time.sleep(a.warmup)
            watch = Watch()
            m0, c0, w0 = scrape(d.port), tree_ticks(d.pid), time.time()
            time.sleep(a.measure)
            m1, c1, w1 = scrape(d.port), tree_ticks(d.pid), time.time()
            watched = watch.done()
        finally:
            d.stop()
        b0, b1 = buckets(m0, "perpetual_run_seconds"), buckets(m1, "perpetual_run_seconds")
        p50, p99 = hist_quantile(b0, b1, .5), hist_quantile(b0, b1, .99)
        w = {"i": i, "fixture": fixture, "mode": mode, "quiet": q, "watch": watched,
             **window_metrics(d, m0, m1, c0, c1, w0, w1),
             "run_p50_ms": p50[1] and r3(p50[1] * 1e3), "run_p99_ms": p99[1] and r3(p99[1] * 1e3)}
        run.summary["windows"].append(w)
        run.log(f"  {fixture} {mode}: {w['runs_per_s']} runs/s, {w['cpu_us_per_run']} us CPU/run (supervisor "
                f"{w['supervisor_cpu_us_per_run']}), run p50 {w['run_p50_ms']} ms p99 {w['run_p99_ms']} ms, "
                f"skipped {w['skipped']}")
    run.save()


def cmd_soak(a):
    run = Run("soak")
    classes = load_classes(a.rate)
    q = wait_quiet(run.log)
    d = Daemon(run.dir, "soak-worker", classes, tuple(a.config))
    samples = []
    watch = Watch()
    try:
        run.log(f"soak: {len(classes) * 10} tests at 50 ms ({a.rate} planned/s) for {a.seconds} s; port {d.port}")
        t0 = time.time()
        m_first = None
        c_first = None
        while True:
            now = time.time()
            m = scrape(d.port)
            c = tree_ticks(d.pid)
            view = d.workers()
            main = [w for w in view["workers"] if w.get("test") is None]
            wpid = main[0]["pid"] if main else None
            s = {"t": round(now - t0), "load1": load1(),
                 "runs": msum(m, "perpetual_run_seconds_count"),
                 "skipped": by_label(m, "perpetual_run_skipped_total", "reason"),
                 "supervisor_rss_mib": round((rss_kb(d.pid) or 0) / 1024, 1),
                 "supervisor_threads": msum(m, "jvm_threads_live_threads"),
                 "supervisor_heap_used_mib": round(msum(m, "jvm_memory_used_bytes", area="heap") / 2**20, 1),
                 "supervisor_nonheap_used_mib": round(msum(m, "jvm_memory_used_bytes", area="nonheap") / 2**20, 1),
                 "worker_pid": wpid, "worker_rss_mib": round((rss_kb(wpid) or 0) / 1024, 1) if wpid else None,
                 "worker_heap_after_gc_mib": main[0].get("heapAfterGcMiB") if main else None,
                 "worker_threads": None, "worker_runs": main[0].get("runs") if main else None,
                 "restarts": by_label(m, "perpetual_worker_restarts_total", "reason"),
                 "cpu_ticks": c[0], "supervisor_ticks": c[1], "in_flight": msum(m, "perpetual_runs_in_flight")}
            if wpid:
                try:
                    s["worker_threads"] = int(open(f"/proc/{wpid}/status").read().split("Threads:")[1].split()[0])
                except (OSError, IndexError):
                    pass
            if m_first is None:
                m_first, c_first = m, c
            samples.append(s)
            run.log(f"  t={s['t']}s runs {s['runs']:.0f} sup RSS {s['supervisor_rss_mib']} MiB heap "
                    f"{s['supervisor_heap_used_mib']} threads {s['supervisor_threads']:.0f}; worker RSS "
                    f"{s['worker_rss_mib']} heapAfterGC {s['worker_heap_after_gc_mib']} threads {s['worker_threads']}"
                    f"; load {s['load1']}")
            if now - t0 >= a.seconds:
                break
            time.sleep(max(0, a.sample - (time.time() - now)))
        w1 = time.time()
        m_last = m
        run.summary["final"] = window_metrics(d, m_first, m_last, c_first, c, t0, w1)
        run.summary["quiet"] = q
        run.summary["watch"] = watch.done()
        run.summary["load_end"] = uptime()
        run.summary["cmd_line"] = " ".join(d.cmd)
    finally:
        d.stop()
    run.summary["samples"] = samples
    run.log(f"final: {run.summary['final']}")
    run.save()


# ---- 3. recycle ---------------------------------------------------------------------------------------------------

def cmd_recycle(a):
    run = Run(f"recycle-{a.after}")
    classes = load_classes(1000) + ["bench.latency.Trivial"]
    q = wait_quiet(run.log)
    d = Daemon(run.dir, "recycle", classes, (f"perpetual.worker.recycle-after={a.after}",) + tuple(a.config),
               log_format="json")
    store = {}
    timeline = []
    stop = threading.Event()

    def poll_workers():
        while not stop.is_set():
            try:
                v = d.workers()
                timeline.append({"t_ns": time.time_ns(), "workers": [(w["number"], w["pid"], w["state"], w["runs"],
                                                                      w["held"]) for w in v["workers"]]})
            except Exception:
                pass
            stop.wait(0.2)

    poller = threading.Thread(target=poll_workers, daemon=True)
    try:
        run.log(f"recycle after {a.after}: 50 tests at 50 ms + 20 probes at 200 ms (1,100 planned/s), "
                f"{a.seconds} s; port {d.port}")
        poller.start()
        load0 = uptime()
        watch = Watch()
        m0, w0 = scrape(d.port), time.time()
        t_end = w0 + a.seconds
        while time.time() < t_end:
            time.sleep(min(4, max(0, t_end - time.time())))
            collect_runs(d, LAT_TESTS, store)
        m1, w1 = scrape(d.port), time.time()
        load1_ = uptime()
        watched = watch.done()
        time.sleep(1.5)
    finally:
        stop.set()
        d.stop()
    events = json_events(d.out_path)
    recycles = [e for e in events if e.get("event") == "warning" and "Recycling" in e.get("message", "")]
    probes = []
    for r in store.values():
        if r.get("planned"):
            p, s = iso_ns(r["planned"]), iso_ns(r["start"])
            probes.append((p, s, r["outcome"], r["test"]))
    probes.sort()
    res = []
    for e in recycles:
        t0 = iso_ns(e["time"])
        after = [x for x in probes if x[0] >= t0]
        first_new = min((x[1] for x in after), default=None)
        near = [x for x in probes if t0 - 1e9 <= x[0] <= t0 + 10e9]
        late = [(x[1] - x[0]) / 1e6 for x in near]
        # the first moment /api/workers shows the new worker up with runs
        new_up = None
        for snap in timeline:
            if snap["t_ns"] >= t0 and any(st == "up" and runs > 0 for (_, _, st, runs, _) in snap["workers"]):
                new_up = (snap["t_ns"] - t0) / 1e6
                break
        res.append({"time": e["time"], "message": e["message"][:160],
                    "first_probe_planned_after_ms": r3((after[0][0] - t0) / 1e6) if after else None,
                    "to_first_run_on_new_worker_ms": r3((first_new - t0) / 1e6) if first_new else None,
                    "api_workers_shows_new_up_with_runs_ms": r3(new_up),
                    "probe_lateness_around_ms": dist(late),
                    "probe_runs_late_over_1s": sum(1 for x in late if x > 1000)})
        run.log(f"  recycle at {e['time']}: first run on new worker after {res[-1]['to_first_run_on_new_worker_ms']}"
                f" ms; probes around it: {res[-1]['probe_lateness_around_ms']}")
    all_late = [(s - p) / 1e6 for p, s, _, _ in probes if w0 * 1e9 <= p <= (w1 - 1) * 1e9]
    c0 = stat(d.pid)
    run.summary.update({"quiet": q, "watch": watched, "load_before": load0, "load_after": load1_, "cmd_line": " ".join(d.cmd),
                        "recycles": res,
                        "window": window_metrics(d, m0, m1, (0, 0), (0, 0), w0, w1),
                        "restarts": by_label(m1, "perpetual_worker_restarts_total", "reason"),
                        "probe_lateness_all_ms": dist(all_late),
                        "probe_outcomes": {o: sum(1 for x in probes if x[2] == o) for o in {x[2] for x in probes}},
                        "warnings": [e.get("message", "")[:200] for e in events if e.get("event") == "warning"][:20]})
    json.dump(timeline, open(f"{run.dir}/workers-timeline.json", "w"))
    json.dump(probes, open(f"{run.dir}/probes.json", "w"))
    run.log(f"window: {run.summary['window']}")
    run.save()


# ---- 5. idle ------------------------------------------------------------------------------------------------------

def cmd_idle(a):
    run = Run("idle")
    for i, mode in enumerate(["worker", "in-process"] if not a.worker_only else ["worker"]):
        q = wait_quiet(run.log)
        d = Daemon(run.dir, f"idle-{mode}", ["bench.idle.Idle"], MODES[mode])
        try:
            run.log(f"idle {mode}: port {d.port}; {a.seconds} s")
            watch = Watch()
            samples = []
            t0 = time.time()
            while time.time() - t0 < a.seconds:
                time.sleep(30)
                m = scrape(d.port)
                wpid = d.worker_pid() if mode == "worker" else None
                samples.append({"t": round(time.time() - t0), "supervisor_rss_mib": round(rss_kb(d.pid) / 1024, 1),
                                "worker_rss_mib": round(rss_kb(wpid) / 1024, 1) if wpid else None,
                                "supervisor_heap_used_mib": round(
                                    msum(m, "jvm_memory_used_bytes", area="heap") / 2**20, 1),
                                "supervisor_threads": msum(m, "jvm_threads_live_threads"),
                                "worker_threads": int(open(f"/proc/{wpid}/status").read().split("Threads:")[1]
                                                      .split()[0]) if wpid else None,
                                "cpu_ticks": tree_ticks(d.pid), "load": uptime().split("load average: ")[1]})
                run.log(f"  {samples[-1]}")
        finally:
            d.stop()
        run.summary["windows"].append({"mode": mode, "quiet": q, "watch": watch.done(), "cmd": " ".join(d.cmd),
                                       "samples": samples})
    run.save()


def cmd_quiet(a):
    info = wait_quiet(lambda t: print(f"{time.strftime('%H:%M:%S')} {t}", file=sys.stderr, flush=True))
    print(json.dumps(info))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("latency")
    s.add_argument("--rounds", type=int, default=3)
    s.add_argument("--warmup", type=int, default=20)
    s.add_argument("--measure", type=int, default=40)
    s.add_argument("--fixture", default="trivial", choices=sorted(FIXTURE_SETS))
    s.add_argument("--modes", default="worker,in-process", help="modes to alternate: " + ", ".join(MODES))
    s = sub.add_parser("throughput")
    s.add_argument("--rate", type=int, default=4000, choices=[1000, 2000, 4000])
    s.add_argument("--rounds", type=int, default=2)
    s.add_argument("--warmup", type=int, default=15)
    s.add_argument("--measure", type=int, default=30)
    s.add_argument("--worker-only", action="store_true")
    s.add_argument("--modes", default="worker,in-process", help="modes to alternate: " + ", ".join(MODES))
    s.add_argument("--config", action="append", default=[])
    s.add_argument("--period-ms", type=int, help="override every test's period (50 ms): 25 gives 8,000 planned/s")
    s = sub.add_parser("soak")
    s.add_argument("--rate", type=int, default=4000, choices=[1000, 2000, 4000])
    s.add_argument("--seconds", type=int, default=600)
    s.add_argument("--sample", type=int, default=30)
    s.add_argument("--config", action="append", default=[])
    s = sub.add_parser("recycle")
    s.add_argument("--after", default="20000")
    s.add_argument("--seconds", type=int, default=100)
    s.add_argument("--config", action="append", default=[])
    sub.add_parser("quiet")
    s = sub.add_parser("classsize")
    s.add_argument("--modes", default="worker", help="modes, each with both classes: " + ", ".join(MODES))
    s.add_argument("--rounds", type=int, default=2)
    s.add_argument("--warmup", type=int, default=30)
    s.add_argument("--measure", type=int, default=40)
    s.add_argument("--config", action="append", default=[])
    s = sub.add_parser("idle")
    s.add_argument("--seconds", type=int, default=120)
    s.add_argument("--worker-only", action="store_true")
    a = p.parse_args()
    try:
        {"latency": cmd_latency, "throughput": cmd_throughput, "soak": cmd_soak, "recycle": cmd_recycle,
         "idle": cmd_idle, "quiet": cmd_quiet, "classsize": cmd_classsize}[a.cmd](a)
    finally:
        stop_all()


if __name__ == "__main__":
    main()
