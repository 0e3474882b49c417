"""Drives the stream tier for the tests and the benchmark: worker processes (killable), the
simulator, reference annotation files from the `vitalstream` CLI, and the export."""
from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np
import redis
import vitalstream

from vitalstream_backend import keys
from vitalstream_backend.export import export

BIN = Path(sys.executable).parent


def script(name: str) -> str:
    """A console script of the installed package (next to the interpreter of this venv)."""
    p = BIN / name
    return str(p) if p.exists() else name


def records_of(db: Path, names: str) -> list[str]:
    """'all' or a comma list -> record names present in db."""
    if names in ("", "all"):
        return sorted(p.stem for p in db.glob("*.hea"))
    return names.split(",")


def reference(cli: Path, db: Path, record: str, seconds: Optional[float], out_dir: Path) -> Path:
    """`vitalstream detect --classify` of channel 0 of the record (or its first seconds, via a
    CSV that holds exactly the same float32 samples)."""
    out = out_dir / ("%s.ref" % record)
    if out.exists():
        return out
    if seconds is None:
        src = [str(db / record)]
    else:
        rec = vitalstream.read_wfdb(db / record)
        x = rec.signals[0][: int(round(seconds * rec.fs_hz))]
        csv = out_dir / ("%s.csv" % record)
        with open(csv, "w") as f:
            f.write("mv\n")
            f.write("\n".join("%.9g" % float(v) for v in x))
            f.write("\n")
        src = [str(csv), "--fs", repr(float(rec.fs_hz))]
        if not np.array_equal(vitalstream.read_csv(csv, 0), x):
            raise AssertionError("CSV copy of %s does not hold the same samples" % record)
    subprocess.run([str(cli), "detect", *src, "--classify", "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def sync_client(url: str, cluster: bool) -> Any:
    if cluster:
        return redis.RedisCluster.from_url(url)
    return redis.Redis.from_url(url)


class Workers:
    """N worker processes; kill -9 and restart any of them."""

    def __init__(self, url: str, n: int, log_dir: Path, cluster: bool = False,
                 extra: Optional[list[str]] = None) -> None:
        self.url, self.cluster, self.log_dir = url, cluster, log_dir
        self.extra = extra or []
        self.procs: list[Optional[subprocess.Popen[bytes]]] = [None] * n
        self.starts = 0
        self.kills = 0
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(self, i: int) -> None:
        self.starts += 1
        log = open(self.log_dir / ("worker%d-%d.log" % (i, self.starts)), "wb")
        args = [script("vitalstream-worker"), "--redis", self.url, "--log-level", "warning",
                *self.extra]
        if self.cluster:
            args.append("--cluster")
        self.procs[i] = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def start_all(self) -> None:
        for i in range(len(self.procs)):
            self.start(i)

    def kill(self, i: int) -> None:
        p = self.procs[i]
        if p is not None and p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.kills += 1
        self.procs[i] = None

    def check_alive(self) -> None:
        for i, p in enumerate(self.procs):
            if p is not None and p.poll() is not None:
                raise AssertionError("worker %d exited by itself (code %s); logs in %s"
                                     % (i, p.returncode, self.log_dir))

    def stop_all(self) -> None:
        for i, p in enumerate(self.procs):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            self.procs[i] = None


def start_sim(url: str, db: Path, records: list[str], seconds: Optional[float], cluster: bool,
              log: Path, duplicates: float = 0.05, reorder: float = 0.05, seed: int = 1,
              speed: str = "max", patients: int = 0) -> "subprocess.Popen[bytes]":
    args = [script("vitalstream-sim"), "--redis", url, "--db", str(db), "--records",
            ",".join(records), "--speed", speed, "--duplicates", str(duplicates), "--reorder",
            str(reorder), "--seed", str(seed)]
    if seconds is not None:
        args += ["--seconds", str(seconds)]
    if patients:
        args += ["--patients", str(patients)]
    if cluster:
        args.append("--cluster")
    f = open(log, "wb")
    p = subprocess.Popen(args, stdout=f, stderr=subprocess.STDOUT)
    f.close()
    return p


def all_ended(client: Any, patients: list[str]) -> bool:
    try:
        for p in patients:
            if client.hget(keys.state(p), "status") != b"ended":
                return False
        return True
    except redis.RedisError:
        return False


def run_with_chaos(workers: Workers, done: Callable[[], bool], timeout: float,
                   kill_every: float = 2.0, seed: int = 7,
                   on_tick: Optional[Callable[[float], None]] = None) -> float:
    """Kill a random worker with SIGKILL every ~kill_every s and restart it at once, until
    done() or timeout. Returns the elapsed seconds."""
    rng = random.Random(seed)
    t0 = time.monotonic()
    next_kill = t0 + kill_every * rng.uniform(0.5, 1.5)
    while not done():
        now = time.monotonic()
        if now - t0 > timeout:
            raise AssertionError("not finished within %g s" % timeout)
        if on_tick is not None:
            on_tick(now - t0)
        if kill_every > 0 and now >= next_kill:
            i = rng.randrange(len(workers.procs))
            workers.kill(i)
            workers.start(i)
            next_kill = now + kill_every * rng.uniform(0.5, 1.5)
        workers.check_alive()
        time.sleep(0.1)
    return time.monotonic() - t0


def export_all(url: str, cluster: bool, patients: list[str], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)

    async def go() -> dict[str, Path]:
        res = {}
        for p in patients:
            f = out_dir / ("%s.exp" % p)
            status = await export(url, cluster, p, str(f), 0, 30.0)
            assert status == "ended", "%s: session %s" % (p, status)
            res[p] = f
        return res
    return asyncio.run(go())


def compare(refs: dict[str, Path], got: dict[str, Path]) -> list[str]:
    """Records whose exported file differs from the CLI's."""
    return [r for r in sorted(refs) if refs[r].read_bytes() != got[r].read_bytes()]


def env_float(name: str, default: Optional[float]) -> Optional[float]:
    v = os.environ.get(name, "")
    if v == "":
        return default
    if v in ("0", "full"):
        return None
    return float(v)
