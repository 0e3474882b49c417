"""Load benchmark of the stream tier (examples/backend) on this machine: redis-server, the
simulator and the workers all on it. For each N, N patients replay MIT-BIH records at 360 Hz in
real time (1-second chunks, starts spread over the second); after a warm-up, a measuring window
gives chunk-to-events latency (producer XADD -> events committed, from the workers' histograms),
CPU per process, Redis commands/s and the backlog. N passes when p99 <= 200 ms and the backlog
does not grow. Results: bench/results/system.json, system.md and system.png.

usage: python bench/system/run_load.py [--patients 500,1000,2000,...] [--workers 3]
       [--warmup 15] [--window 30] [--shards 8] [--out bench/results]
(run it in a venv with ./bindings/python and ./examples/backend installed, plus matplotlib)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Optional

import redis

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
P99_LIMIT_S = 0.200
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (children not included)."""
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICKS


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / TICKS  # everything but idle and iowait


def renice(pids: list[int], nice: int) -> None:
    """Each process was started in its own session, so its own scheduler autogroup (Linux
    shares the CPU fairly between autogroups first): set the process's and the group's nice."""
    for pid in pids:
        os.setpriority(os.PRIO_PROCESS, pid, nice)
        try:
            with open("/proc/%d/autogroup" % pid, "w") as f:
                f.write(str(nice))
        except OSError:
            pass  # no autogroups on this kernel: the process's nice is what counts


def scrape(port: int) -> dict[str, Any]:
    """Latency histogram buckets and counters of one worker's /metrics."""
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
    buckets: dict[float, float] = {}
    for m in re.finditer(r'^vs_worker_chunk_latency_seconds_bucket\{le="([^"]+)"\} (\S+)$', text,
                         re.M):
        buckets[float(m.group(1))] = float(m.group(2))
    chunks = re.search(r"^vs_worker_chunks_total (\S+)$", text, re.M)
    return {"buckets": buckets, "chunks": float(chunks.group(1)) if chunks else 0.0}


def quantile(buckets: dict[float, float], q: float) -> float:
    """Quantile from cumulative histogram buckets, linear inside the bucket."""
    edges = sorted(buckets)
    total = buckets[edges[-1]]
    if total <= 0:
        return float("nan")
    want = q * total
    prev_edge, prev_count = 0.0, 0.0
    for e in edges:
        c = buckets[e]
        if c >= want:
            if e == float("inf"):
                return prev_edge
            frac = (want - prev_count) / (c - prev_count) if c > prev_count else 1.0
            return prev_edge + frac * (e - prev_edge)
        prev_edge, prev_count = e, c
    return edges[-1]


def backlog(r: redis.Redis, shards: int) -> int:
    """Entries not yet acknowledged: undelivered (lag) + pending, over all shards."""
    total = 0
    for i in range(shards):
        for g in r.xinfo_groups("vs:chunks:{%d}" % i):
            total += int(g.get("lag") or 0) + int(g["pending"])
    return total


def run_one(n: int, a: argparse.Namespace, work: Path) -> dict[str, Any]:
    port = free_port()
    rdir = work / ("redis-%d" % n)
    rdir.mkdir(parents=True, exist_ok=True)
    rproc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(rdir)],
                             stdout=subprocess.DEVNULL, start_new_session=True)
    url = "redis://127.0.0.1:%d/0" % port
    r = redis.Redis(port=port)
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.RedisError:
            time.sleep(0.05)
    mports = [free_port() for _ in range(a.workers)]
    wargs = ["--shards", str(a.shards), "--log-level", "warning"] + (["--no-live"] if a.no_live
                                                                     else [])
    workers = [subprocess.Popen([str(BIN / "vitalstream-worker"), "--redis", url,
                                 "--metrics-port", str(mp), *wargs],
                                stdout=open(work / ("worker-%d-%d.log" % (n, i)), "wb"),
                                stderr=subprocess.STDOUT, start_new_session=True)
               for i, mp in enumerate(mports)]
    deadline = time.monotonic() + 120
    while int(r.zcard("vs:workers")) < a.workers:  # every worker up and holding shards
        if time.monotonic() > deadline:
            raise RuntimeError("workers did not start: see %s" % work)
        time.sleep(0.2)
    duration = a.warmup + a.window + 5
    sim = subprocess.Popen([str(BIN / "vitalstream-sim"), "--redis", url, "--shards",
                            str(a.shards), "--db", str(a.db), "--patients", str(n), "--speed",
                            "1", "--seconds", str(duration)],
                           stdout=open(work / ("sim-%d.log" % n), "wb"), stderr=subprocess.STDOUT,
                           start_new_session=True)
    procs = {"redis": [rproc.pid], "workers": [w.pid for w in workers], "sim": [sim.pid]}
    if a.nice:
        renice([p for v in procs.values() for p in v], a.nice)
    try:
        time.sleep(a.warmup)
        if sim.poll() is not None:
            raise RuntimeError("simulator exited early: %s" % (work / ("sim-%d.log" % n)))
        m0 = [scrape(p) for p in mports]
        c0 = {k: sum(cpu_seconds(p) for p in v) for k, v in procs.items()}
        busy0 = machine_busy_seconds()
        ops0 = int(r.info("stats")["total_commands_processed"])
        b0 = backlog(r, a.shards)
        t0 = time.monotonic()
        time.sleep(a.window)
        dt = time.monotonic() - t0
        m1 = [scrape(p) for p in mports]
        c1 = {k: sum(cpu_seconds(p) for p in v) for k, v in procs.items()}
        busy1 = machine_busy_seconds()
        ops1 = int(r.info("stats")["total_commands_processed"])
        b1 = backlog(r, a.shards)
        mem = int(r.info("memory")["used_memory"])
    finally:
        for p in [sim, *workers]:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in [sim, *workers]:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        rproc.terminate()
        rproc.wait()
    buckets: dict[float, float] = {}
    for x0, x1 in zip(m0, m1):
        for e, c in x1["buckets"].items():
            buckets[e] = buckets.get(e, 0.0) + c - x0["buckets"].get(e, 0.0)
    chunks = sum(x1["chunks"] - x0["chunks"] for x0, x1 in zip(m0, m1))
    cpu = {k: (c1[k] - c0[k]) / dt for k in c0}
    p50, p99 = quantile(buckets, 0.50), quantile(buckets, 0.99)
    growing = b1 - b0 > n / 2  # more than half a second of chunks piled up in the window
    res = {"patients": n, "window_s": round(dt, 1), "chunks_per_s": round(chunks / dt, 1),
           "expected_chunks_per_s": n, "p50_ms": round(p50 * 1000, 1),
           "p99_ms": round(p99 * 1000, 1), "backlog_start": b0, "backlog_end": b1,
           "cpu_cores": {k: round(v, 3) for k, v in cpu.items()},
           "cpu_cores_total": round(sum(cpu.values()), 3),
           "cpu_cores_others": round(max(0.0, (busy1 - busy0) / dt - sum(cpu.values())), 2),
           "worker_cpu_per_1000": round(cpu["workers"] / n * 1000, 3),
           "redis_ops_per_s": round((ops1 - ops0) / dt), "redis_used_memory_mb":
           round(mem / 2**20, 1)}
    res["pass"] = bool(p99 <= P99_LIMIT_S and not growing and chunks / dt >= 0.95 * n)
    return res


def write_results(results: list[dict[str, Any]], a: argparse.Namespace, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    meta = {"machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "workers": a.workers, "shards": a.shards, "warmup_s": a.warmup, "window_s": a.window,
            "live_feed": not a.no_live, "load_average_at_start": a.loadavg, "nice": a.nice,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    (out / (a.stem + ".json")).write_text(json.dumps({"meta": meta, "runs": results}, indent=1))
    passed = [x["patients"] for x in results if x["pass"]]
    lines = ["# Stream tier load benchmark (generated by bench/system/run_load.py)", "",
             "Machine: %s CPUs, Python %s; %d worker processes, %d shard streams; redis-server, "
             "simulator and workers on the same machine. Load average when the run started: %s.%s"
             % (meta["cpus"], meta["python"], a.workers, a.shards, a.loadavg,
                " The machine was shared with other jobs; the benchmark's processes ran at nice "
                "%d, and the column 'CPU others' is what everything else used meanwhile."
                % a.nice if a.nice else ""), "",
             "Each row: N patients at 360 Hz in real time (1-s chunks), %g s warm-up, then a %g s "
             "window. Latency = producer XADD to events committed (worker histogram, "
             "interpolated in its buckets). Pass: p99 <= 200 ms, backlog not growing, all chunks "
             "processed." % (a.warmup, a.window), "",
             "| N | chunks/s | p50 ms | p99 ms | backlog start->end | CPU workers | CPU redis | "
             "CPU sim | CPU others | worker CPU per 1000 patients | Redis cmds/s | Redis MB | pass |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for x in results:
        c = x["cpu_cores"]
        lines.append("| %d | %.0f | %.1f | %.1f | %d -> %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d "
                     "| %.0f | %s |" % (x["patients"], x["chunks_per_s"], x["p50_ms"], x["p99_ms"],
                                 x["backlog_start"], x["backlog_end"], c["workers"], c["redis"],
                                 c["sim"], x["cpu_cores_others"], x["worker_cpu_per_1000"],
                                 x["redis_ops_per_s"],
                                 x["redis_used_memory_mb"], "yes" if x["pass"] else "NO"))
    lines += ["", "Largest N that passed: **%s**." % (max(passed) if passed else "none"), ""]
    (out / (a.stem + ".md")).write_text("\n".join(lines))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot", file=sys.stderr)
        return
    ns = [x["patients"] for x in results]
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    ax[0].plot(ns, [x["p50_ms"] for x in results], "o-", label="p50")
    ax[0].plot(ns, [x["p99_ms"] for x in results], "s-", label="p99")
    ax[0].axhline(200, color="r", ls="--", lw=1, label="200 ms target")
    ax[0].set_xlabel("patients (360 Hz, real time)")
    ax[0].set_ylabel("chunk-to-events latency, ms")
    ax[0].set_yscale("log")
    ax[0].legend()
    for key in ("workers", "redis", "sim"):
        ax[1].plot(ns, [x["cpu_cores"][key] for x in results], "o-", label=key)
    ax[1].axhline(os.cpu_count() or 2, color="r", ls="--", lw=1, label="machine")
    ax[1].set_xlabel("patients")
    ax[1].set_ylabel("CPU cores used")
    ax[1].legend()
    fig.tight_layout()
    fig.savefig(out / (a.stem + ".png"), dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--patients", default="500,1000,2000,3000,4000,5000")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--warmup", type=float, default=15.0)
    ap.add_argument("--window", type=float, default=30.0)
    ap.add_argument("--no-live", action="store_true", help="workers without the live pub/sub")
    ap.add_argument("--nice", type=int, default=0,
                    help="run redis/workers/simulator at this nice value (negative needs root): "
                         "on a machine shared with other jobs")
    ap.add_argument("--db", default=os.environ.get("VITALSTREAM_MITDB",
                                                   str(REPO.parent / "shared" / "data" / "mitdb")))
    ap.add_argument("--out", default=str(REPO / "bench" / "results"))
    ap.add_argument("--stem", default="system", help="result file names: STEM.json/.md/.png")
    ap.add_argument("--stop-after-fail", type=int, default=1,
                    help="stop after this many failing N in a row")
    a = ap.parse_args()
    a.loadavg = "%.1f %.1f %.1f" % os.getloadavg()
    results = []
    fails = 0
    with tempfile.TemporaryDirectory(prefix="vs_load_") as tmp:
        for n in [int(x) for x in a.patients.split(",")]:
            res = run_one(n, a, Path(tmp))
            print(json.dumps(res), flush=True)
            results.append(res)
            fails = 0 if res["pass"] else fails + 1
            if fails >= a.stop_after_fail:
                break
    write_results(results, a, Path(a.out))


if __name__ == "__main__":
    main()
