#!/usr/bin/env python3
"""For each recycle of a `bench.py recycle` run: when the successor (the next worker number) was first seen up in
/api/workers, and first seen with runs (polled every 200 ms), counted from the "Recycling" console event; and the
runs handed per second (all workers, from /api/workers' counts) in 5 s steps.   recycle_timeline.py RESULT_DIR..."""
import json
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from bench import iso_ns  # noqa: E402

for d in sys.argv[1:]:
    s = json.load(open(f"{d}/summary.json"))
    tl = json.load(open(f"{d}/workers-timeline.json"))
    print(f"== {d}  ({s['perpetual']})")
    for r in s["recycles"]:
        t0 = iso_ns(r["time"])
        old = int(r["message"].split("Recycling worker ")[1].split()[0])
        up = runs = retired_gone = None
        for snap in tl:
            if snap["t_ns"] < t0:
                continue
            ws = {w[0]: w for w in snap["workers"]}
            new = [w for n, w in ws.items() if n > old]
            if up is None and any(w[2] == "up" for w in new):
                up = (snap["t_ns"] - t0) / 1e6
            if runs is None and any(w[3] > 0 for w in new):
                runs = (snap["t_ns"] - t0) / 1e6
            if retired_gone is None and old not in ws:
                retired_gone = (snap["t_ns"] - t0) / 1e6
        print(f"  recycle of worker {old} at {r['time'][11:23]}: successor up after {up and round(up)} ms, with runs "
              f"after {runs and round(runs)} ms; old worker gone from /api/workers after "
              f"{retired_gone and round(retired_gone)} ms; probes planned -1 s..+10 s: max lateness "
              f"{r['probe_lateness_around_ms']['max']} ms, p99 {r['probe_lateness_around_ms']['p99']} ms")
    t_start = tl[0]["t_ns"]
    last, out, series = {}, [], []
    for snap in tl:
        for w in snap["workers"]:
            last[w[0]] = max(last.get(w[0], 0), w[3])
        series.append(((snap["t_ns"] - t_start) / 1e9, sum(last.values())))
    for b in range(0, int(series[-1][0]) - 4, 5):
        a = [x for x in series if b <= x[0] < b + 5]
        if len(a) > 1:
            out.append(f"{b}:{(a[-1][1] - a[0][1]) / (a[-1][0] - a[0][0]):.0f}")
    print("  runs handed/s, 5 s steps (s:rate):", " ".join(out))
    w = s["window"]
    print(f"  window: {w['runs_per_s']} runs/s, skipped {w['skipped']}, late > 1 s {w['lateness_over_1s']:.0f}, "
          f"max {w['lateness_max_s']:.3f} s, restarts {s['restarts']}, outcomes {w['outcomes']}, watch {s['watch']}")
