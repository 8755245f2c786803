#!/usr/bin/env python3
"""Issue 18's capacity figures through the real jar: N empty @Perpetual tests (classes of 10 methods), one period.

    bench/daemon/scale.py --tests 10000 --period 60s --observe 150

Generates and compiles the fixture (WORK/scale-N/classes, against the extension jar of SRC), starts
`java -jar perpetual-daemon.jar -cp <classes> --scan-class-path --port <free>` and measures:
  banner      seconds from the JVM's start to the start banner on stdout
  ready       seconds from the JVM's start to the first 200 of /readyz
  rss         supervisor and worker RSS (MiB, from /proc), after the observation window
  metrics     time and size of GET /metrics (--scrapes, 5 s apart, after every test ran at least once)
  api/status  size of GET /api/tests and /status
  lateness    p99 of perpetual_schedule_lateness_seconds (upper bound of the bucket holding it)
  outcomes    perpetual_run_seconds_count summed by outcome (timeouts of empty methods are false timeouts)
  skipped     perpetual_run_skipped_total summed by reason
Prints one JSON object. The daemon (and its worker) is stopped at the end, also on failure.
"""
import argparse, json, os, re, signal, socket, subprocess, sys, time, urllib.request

SRC = os.environ.get("SRC", "/tmp/h18")
WORK = os.environ.get("WORK", "/tmp/bench-scale")
M2 = os.path.expanduser(os.environ.get("M2", "~/.m2/repository"))
JAR = os.environ.get("JAR", f"{SRC}/launcher-daemon/target/perpetual-daemon.jar")


def fixture(tests, period):
    out = f"{WORK}/scale-{tests}-{period}"
    classes = f"{out}/classes"
    if os.path.isdir(classes):
        return classes
    src = f"{out}/src/bench/scale"
    os.makedirs(src, exist_ok=True)
    for c in range((tests + 9) // 10):
        methods = "".join(f'    @Perpetual(period = "{period}", timeout = "5s", name = "s.c{c}.m{m}") void m{m}() {{ }}\n'
                          for m in range(min(10, tests - c * 10)))
        with open(f"{src}/C{c}.java", "w") as f:
            f.write(f"package bench.scale;\nimport dev.perpetual.Perpetual;\nclass C{c} {{\n{methods}}}\n")
    ext = [p for p in os.listdir(f"{SRC}/extension/target") if re.fullmatch(r"perpetual-extension-[\d.]+(-SNAPSHOT)?\.jar", p)][0]
    cp = ":".join([f"{SRC}/extension/target/{ext}",
                   f"{M2}/org/junit/jupiter/junit-jupiter-api/6.1.3/junit-jupiter-api-6.1.3.jar",
                   f"{M2}/org/junit/platform/junit-platform-commons/6.1.3/junit-platform-commons-6.1.3.jar",
                   f"{M2}/org/apiguardian/apiguardian-api/1.1.2/apiguardian-api-1.1.2.jar",
                   f"{M2}/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"])
    os.makedirs(classes, exist_ok=True)
    files = [f"{src}/{f}" for f in os.listdir(src)]
    subprocess.run(["javac", "-nowarn", "-d", classes, "-cp", cp] + files, check=True)
    return classes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=60):
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as r:
        body = r.read()
        return r.status, body, time.monotonic() - start


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        return None


def children(pid):
    r = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in r.stdout.split()]


def sums(text, name, label):
    totals = {}
    for m in re.finditer(r'^' + name + r'\{([^}]*)\} (\S+)$', text, re.M):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        totals[labels.get(label)] = totals.get(labels.get(label), 0) + float(m.group(2))
    return totals


def p99(text, name):
    buckets = sorted(((float("inf") if le == "+Inf" else float(le)), float(v)) for le, v in
                     re.findall(r'^' + name + r'_bucket\{[^}]*le="([^"]+)"[^}]*\} (\S+)$', text, re.M))
    if not buckets or buckets[-1][1] == 0:
        return None
    total = buckets[-1][1]
    return next(le for le, v in buckets if v >= 0.99 * total)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--tests", type=int, default=10000)
    a.add_argument("--period", default="60s")
    a.add_argument("--observe", type=int, default=150, help="seconds after ready before measuring")
    a.add_argument("--scrapes", type=int, default=3, help="scrapes of /metrics, 5 s apart")
    a.add_argument("--config", action="append", default=[])
    args = a.parse_args()
    classes = fixture(args.tests, args.period)
    port = free_port()
    cmd = ["java", "-jar", JAR, "-cp", classes, "--scan-class-path", "--port", str(port),
           "--config", "perpetual.webhooks.port=0"]
    for c in args.config:
        cmd += ["--config", c]
    log = open(f"{WORK}/scale-{args.tests}-{args.period}/daemon.log", "w")
    t0 = time.monotonic()
    daemon = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, start_new_session=True)
    result = {"tests": args.tests, "period": args.period, "config": args.config, "uptime_before": os.getloadavg()}
    try:
        for line in daemon.stdout:
            log.write(line)
            if line.startswith("Perpetual daemon"):
                result["banner_s"] = round(time.monotonic() - t0, 2)
                break
        else:
            raise SystemExit("no banner; see daemon.log")
        # keep draining stdout so the daemon never blocks on a full pipe
        import threading
        threading.Thread(target=lambda: [log.write(l) for l in daemon.stdout], daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        while True:
            try:
                if get(base + "/readyz", 5)[0] == 200:
                    break
            except Exception:
                pass
            time.sleep(0.05)
        result["ready_s"] = round(time.monotonic() - t0, 2)
        time.sleep(args.observe)
        scrapes = []
        for i in range(args.scrapes):
            if i:
                time.sleep(5)
            status, body, took = get(base + "/metrics", 120)
            scrapes.append(round(took, 3))
        text = body.decode()
        result["metrics_s"] = scrapes
        result["metrics_mib"] = round(len(body) / 2**20, 2)
        result["metrics_lines"] = sum(1 for l in text.splitlines() if l and not l.startswith("#"))
        result["run_series"] = sum(1 for l in text.splitlines() if l.startswith("perpetual_run_seconds"))
        result["api_tests_kib"] = round(len(get(base + "/api/tests")[1]) / 1024, 1)
        result["status_kib"] = round(len(get(base + "/status")[1]) / 1024, 1)
        result["outcomes"] = sums(text, "perpetual_run_seconds_count", "outcome")
        result["skipped"] = sums(text, "perpetual_run_skipped_total", "reason")
        result["lateness_p99_le_s"] = p99(text, "perpetual_schedule_lateness_seconds")
        workers = children(daemon.pid)
        result["rss_mib"] = {"supervisor": round(rss_mib(daemon.pid)),
                             "workers": [round(rss_mib(w) or 0) for w in workers]}
        result["rss_total_mib"] = result["rss_mib"]["supervisor"] + sum(result["rss_mib"]["workers"])
        result["uptime_after"] = os.getloadavg()
    finally:
        try:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(60)
        except Exception:
            os.killpg(daemon.pid, signal.SIGKILL)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
