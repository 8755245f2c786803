#!/usr/bin/env python3
"""Measures the run store (issue 15) through the daemon's real jar, with a real SQLite file and a real PostgreSQL
started here (Debian's postgresql, on a free port; stopped at the end). See README.md in this folder.

    store.py path   [--rounds 2 --warmup 30 --measure 40]     a run's path with each store, same run (ABBA pairs
                                                              against memory): 100 planned runs/s (latency fixture)
    store.py rate   [--rounds 1 --warmup 20 --measure 30]     2,000 planned runs/s sustained into each store, pairs
                                                              against memory; the store's queue, drops and rows
    store.py status [--store sqlite|postgresql --runs 1000000 --requests 2000 --keep | --db FILE]
                                                              fills a store with --runs runs of 100 tests through
                                                              the jar, then times /status, /api/tests and
                                                              /api/tests/{name}/runs?limit=100 on a daemon running
                                                              those 100 tests at 1 s

Every daemon is the real jar (bench.py's Daemon: supervisor + worker, stopped at the end, also on failure).
"""
import argparse
import atexit
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

import bench
from bench import Daemon, Run, dist, msum, scrape, uptime, wait_quiet

PG_BIN = "/usr/lib/postgresql/15/bin"
STATUS_CLASSES = [f"bench.load.C{c:02d}" for c in range(10)]  # 100 tests, load.cNN.mM
STATUS_TESTS = [f"load.c{c:02d}.m{m}" for c in range(10) for m in range(10)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A real PostgreSQL 15 (Debian's) in a temporary folder, as the project's PostgresServer test helper starts it
    (but with fsync on: a benchmark keeps the server's defaults); stop() removes it."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="bench-pg-")
        self.port = free_port()
        self.owner = os.geteuid() == 0
        if self.owner:
            subprocess.run(["chown", "postgres:postgres", self.folder], check=True)
        data = f"{self.folder}/data"
        self._run([f"{PG_BIN}/initdb", "-D", data, "-U", "perpetual", "--auth=trust", "-E", "UTF8"])
        self._run([f"{PG_BIN}/pg_ctl", "-D", data, "-l", f"{self.folder}/log", "-w", "-t", "60", "-o",
                   f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start"])
        self.started = True
        atexit.register(self.stop)

    def _run(self, cmd):
        if self.owner:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def url(self):
        return f"jdbc:postgresql://127.0.0.1:{self.port}/postgres"

    def config(self):
        return (f"perpetual.history.url={self.url()}", "perpetual.history.user=perpetual")

    def sql(self, statement):
        out = subprocess.run([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "perpetual", "-d",
                              "postgres", "-At", "-c", statement], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def stop(self):
        if getattr(self, "started", False):
            self.started = False
            self._run([f"{PG_BIN}/pg_ctl", "-D", f"{self.folder}/data", "-m", "fast", "-w", "stop"])
            shutil.rmtree(self.folder, ignore_errors=True)


class Sqlite:
    def __init__(self, path):
        self.path = path

    def config(self):
        return (f"perpetual.history.url=jdbc:sqlite:{self.path}",)

    def sql(self, statement):
        with sqlite3.connect(self.path, timeout=60) as c:
            rows = c.execute(statement).fetchall()
            c.commit()
        return "\n".join("|".join(str(v) for v in r) for r in rows)


def store_modes(run_dir, which):
    """bench.MODES entries for the stores in `which` (memory is bench.py's plain `worker`)."""
    stores = {}
    for name in which:
        if name == "sqlite":
            stores[name] = Sqlite(f"{run_dir}/runs.db")
        elif name == "postgresql":
            stores[name] = Postgres()
        bench.MODES[f"worker-{name}"] = stores[name].config()
    return stores


# ---- a run's path, and the rate sustained ---------------------------------------------------------------------------

def cmd_path(a):
    stores = store_modes(tempfile.mkdtemp(prefix="bench-store-"), a.stores.split(","))
    try:
        for name in stores:
            bench.cmd_latency(argparse.Namespace(rounds=a.rounds, warmup=a.warmup, measure=a.measure,
                                                 fixture="trivial", modes=f"worker,worker-{name}"))
    finally:
        for s in stores.values():
            getattr(s, "stop", lambda: None)()


def cmd_rate(a):
    stores = store_modes(tempfile.mkdtemp(prefix="bench-store-"), a.stores.split(","))
    try:
        for name, s in stores.items():
            bench.cmd_throughput(argparse.Namespace(rate=2000, rounds=a.rounds, warmup=a.warmup, measure=a.measure,
                                                    worker_only=False, modes=f"worker,worker-{name}",
                                                    config=["perpetual.period.min=10ms"] + list(a.config)))
            print(f"{name}: {s.sql('SELECT COUNT(*) FROM perpetual_runs')} rows stored", flush=True)
    finally:
        for s in stores.values():
            getattr(s, "stop", lambda: None)()


# ---- the status page with 1 M stored runs --------------------------------------------------------------------------

def timed_get(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
        status = r.status
    return (time.perf_counter() - t) * 1e3, status, len(body)


def cmd_status(a):
    run = Run(f"status-{a.store}")
    store = Sqlite(a.db or f"{run.dir}/runs.db") if a.store == "sqlite" else Postgres()
    try:
        if a.db:
            run.summary["reused"] = {"db": a.db, "runs": int(store.sql("SELECT COUNT(*) FROM perpetual_runs"))}
        else:
            fill(run, store, a)
            backdate_rollups(run, store, a.days)
        if a.requests:
            measure_status(run, store, a)
    finally:
        getattr(store, "stop", lambda: None)()
        if a.store == "sqlite" and not a.keep and not a.db:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(store.path + suffix):
                    os.remove(store.path + suffix)
    run.save()


def fill(run, store, a):
    """100 tests at 20 ms (5,000 planned runs/s) through the jar until --runs runs are stored."""
    q = wait_quiet(run.log)
    config = store.config() + ("perpetual.period.min=10ms",) + tuple(
        f"perpetual.test.{t}.period=20ms" for t in STATUS_TESTS)
    d = Daemon(run.dir, "fill", STATUS_CLASSES, config)
    t0 = time.time()
    try:
        run.log(f"fill: 100 tests at 20 ms into {a.store}; port {d.port}; until {a.runs} runs")
        while True:
            time.sleep(10)
            m = scrape(d.port)
            runs = msum(m, "perpetual_run_seconds_count")
            run.log(f"  {runs:.0f} runs, queue {msum(m, 'perpetual_history_queue'):.0f}, dropped "
                    f"{msum(m, 'perpetual_history_dropped_total'):.0f}; {uptime().split('load average: ')[1]}")
            if runs >= a.runs * 1.02:
                break
    finally:
        d.stop()
    stored = int(store.sql("SELECT COUNT(*) FROM perpetual_runs"))
    run.summary["fill"] = {"quiet": q, "seconds": round(time.time() - t0), "runs": runs, "stored": stored,
                           "cmd": " ".join(d.cmd)}
    run.log(f"fill done: {stored} runs stored in {time.time() - t0:.0f} s")


def backdate_rollups(run, store, days):
    """Gives each test --days days of hourly rollups (copies of its oldest hour), as a daemon that ran that long
    would have: what the uptime over 24 h, 7 d and 30 d and the hourly trend are computed from."""
    if days <= 0:
        return
    for table in ("perpetual_rollups", "perpetual_latency"):
        oldest = int(store.sql(f"SELECT MIN(hour_s) FROM {table}"))
        cols = "test, hour_s, outcome, runs" if table == "perpetual_rollups" else "test, hour_s, bucket, runs"
        key = "outcome" if table == "perpetual_rollups" else "bucket"
        for k in range(1, days * 24 + 1):
            store.sql(f"INSERT INTO {table} ({cols}) SELECT test, hour_s - {k * 3600}, {key}, runs FROM {table} "
                      f"WHERE hour_s = {oldest}")
    counts = {t: int(store.sql(f"SELECT COUNT(*) FROM {t}")) for t in ("perpetual_rollups", "perpetual_latency")}
    run.summary["rollups"] = counts | {"days": days}
    run.log(f"rollups over {days} days: {counts}")


def measure_status(run, store, a):
    q = wait_quiet(run.log)
    config = store.config() + tuple(f"perpetual.test.{t}.period=1s" for t in STATUS_TESTS)
    t0 = time.time()
    d = Daemon(run.dir, "serve", STATUS_CLASSES, config)
    ready = None
    try:
        while ready is None and time.time() - t0 < 120:
            try:
                if timed_get(d.url("/readyz"))[1] == 200:
                    ready = time.time() - t0
            except Exception:
                time.sleep(0.05)
        run.log(f"serve: 100 tests at 1 s on {store.sql('SELECT COUNT(*) FROM perpetual_runs')} stored runs; "
                f"port {d.port}; ready after {ready:.1f} s; warm-up {a.warmup} s")
        time.sleep(a.warmup)
        paths = {"status": "/status", "api_tests": "/api/tests",
                 "runs_limit_100": f"/api/tests/{STATUS_TESTS[0]}/runs?limit=100"}
        results = {}
        for name, path in paths.items():
            for _ in range(a.requests // 10):  # warm-up
                timed_get(d.url(path))
            load0 = uptime()
            times, sizes, statuses = [], set(), set()
            for _ in range(a.requests):
                ms, status, size = timed_get(d.url(path))
                times.append(ms)
                sizes.add(size)
                statuses.add(status)
            results[name] = {"path": path, "load_before": load0, "load_after": uptime(), "ms": dist(times),
                             "bytes": sorted(sizes)[-1], "statuses": sorted(statuses)}
            run.log(f"  {path}: p50 {results[name]['ms']['p50']} p99 {results[name]['ms']['p99']} max "
                    f"{results[name]['ms']['max']} ms, {results[name]['bytes']} bytes; "
                    f"{load0.split('load average: ')[1]}")
        m = scrape(d.port)
        subprocess.run(["jcmd", str(d.pid), "GC.run"], capture_output=True)
        heap = subprocess.run(["jcmd", str(d.pid), "GC.heap_info"], capture_output=True, text=True).stdout
        used = re.search(r"used (\d+)K", heap)
        run.log(f"  supervisor heap used after a full GC: {int(used.group(1)) / 1024 if used else '?'} MiB; RSS "
                f"{bench.rss_kb(d.pid) / 1024:.0f} MiB")
        run.summary["serve"] = {"quiet": q, "ready_s": round(ready, 2), "results": results,
                                "heap_used_after_gc_mib": round(int(used.group(1)) / 1024, 1) if used else None,
                                "runs_recorded_meanwhile": msum(m, "perpetual_run_seconds_count"),
                                "supervisor_rss_mib": round(bench.rss_kb(d.pid) / 1024, 1), "cmd": " ".join(d.cmd)}
    finally:
        d.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("path")
    s.add_argument("--stores", default="sqlite,postgresql")
    s.add_argument("--rounds", type=int, default=2)
    s.add_argument("--warmup", type=int, default=30)
    s.add_argument("--measure", type=int, default=40)
    s = sub.add_parser("rate")
    s.add_argument("--stores", default="sqlite,postgresql")
    s.add_argument("--rounds", type=int, default=1)
    s.add_argument("--warmup", type=int, default=20)
    s.add_argument("--measure", type=int, default=30)
    s.add_argument("--config", action="append", default=[])
    s = sub.add_parser("status")
    s.add_argument("--store", default="sqlite", choices=["sqlite", "postgresql"])
    s.add_argument("--runs", type=int, default=1_000_000)
    s.add_argument("--days", type=int, default=30, help="days of hourly rollups to give each test")
    s.add_argument("--requests", type=int, default=2000)
    s.add_argument("--warmup", type=int, default=20)
    s.add_argument("--keep", action="store_true", help="keep the SQLite file")
    s.add_argument("--db", help="an SQLite file an earlier --keep run filled: measure only")
    a = p.parse_args()
    try:
        {"path": cmd_path, "rate": cmd_rate, "status": cmd_status}[a.cmd](a)
    finally:
        bench.stop_all()


if __name__ == "__main__":
    main()
