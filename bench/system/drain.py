"""Worker CPU per shard entry when draining a backlog: the simulator first writes N patients x S
seconds into a throwaway redis-server (as fast as possible), then W workers start and work it
off; prints entries/s and the workers' CPU seconds per entry (from /proc). Full batches, hot
Monitors after the first chunk: the per-entry cost of the worker's own code, without the
real-time benchmark's waiting. Used to compare worker versions (e.g. two venvs' bin folders).

usage: python bench/system/drain.py [--bin VENV/bin] [--patients 1000] [--seconds 20] [--workers 1]
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICKS


def backlog(r: redis.Redis, shards: int) -> int:
    total = 0
    for i in range(shards):
        for g in r.xinfo_groups("vs:chunks:{%d}" % i):
            total += int(g.get("lag") or 0) + int(g["pending"])
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(Path(sys.executable).parent),
                    help="folder with vitalstream-sim and vitalstream-worker")
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--db", default=os.environ.get("VITALSTREAM_MITDB",
                                                   str(REPO.parent / "shared" / "data" / "mitdb")))
    a = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="vs_drain_") as tmp:
        rp = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", tmp],
                              stdout=subprocess.DEVNULL)
        r = redis.Redis(port=port)
        try:
            for _ in range(100):
                try:
                    r.ping()
                    break
                except redis.RedisError:
                    time.sleep(0.05)
            url = "redis://127.0.0.1:%d/0" % port
            subprocess.run([os.path.join(a.bin, "vitalstream-sim"), "--redis", url, "--db", a.db,
                            "--patients", str(a.patients), "--speed", "max", "--seconds",
                            str(a.seconds)], check=True, stdout=subprocess.DEVNULL)
            entries = sum(int(r.xlen("vs:chunks:{%d}" % i)) for i in range(8))
            t0 = time.monotonic()
            workers = [subprocess.Popen([os.path.join(a.bin, "vitalstream-worker"), "--redis", url,
                                         "--log-level", "warning"]) for _ in range(a.workers)]
            time.sleep(1.0)
            while backlog(r, 8) > 0:
                time.sleep(0.1)
            wall = time.monotonic() - t0
            cpu = sum(cpu_seconds(w.pid) for w in workers)
            for w in workers:
                w.terminate()
                w.wait()
        finally:
            rp.terminate()
            rp.wait()
    print("%d entries in %.1f s (%.0f/s, incl. worker start-up); worker CPU %.2f s = %.3f ms/entry"
          % (entries, wall, entries / wall, cpu, cpu / entries * 1000))


if __name__ == "__main__":
    main()
