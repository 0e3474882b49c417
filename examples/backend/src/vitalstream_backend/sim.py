"""``vitalstream-sim``: replays WFDB records (or CSV files) as live patients in 1-second chunks.

Patient id = record name, or ``NAME-k`` (k = 0, 1, …) for every patient when --patients exceeds
the number of records. Each session: a start marker, chunks 0..n-1 of channel 0, an end marker.
``--duplicates P`` sends an entry twice with probability P (the copy a few entries later);
``--reorder P`` swaps a chunk with the patient's next entry with probability P.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np
import vitalstream
from redis.exceptions import ClusterDownError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import keys, messages
from .messages import Fields
from .redis_client import connect

PIPELINE = 500
RETRY_SECONDS = 60.0


@dataclass
class Source:
    name: str
    fs: float
    signal: np.ndarray  # float32 mV


@dataclass
class Patient:
    pid: str
    source: Source
    session: int
    stream: str
    step: int = 1                    # samples per chunk
    n_chunks: int = 0
    queue: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))


def load_sources(db: str, records: Optional[list[str]], channel: int, csv_fs: float,
                 seconds: Optional[float]) -> list[Source]:
    if records is None:
        names = sorted(f[:-4] for f in os.listdir(db) if f.endswith(".hea"))
        names += sorted(f for f in os.listdir(db) if f.lower().endswith(".csv"))
    else:
        names = records
    if not names:
        raise SystemExit("vitalstream-sim: no records in %s" % db)
    out = []
    for name in names:
        path = os.path.join(db, name)
        if name.lower().endswith(".csv"):
            if not csv_fs > 0:
                raise SystemExit("vitalstream-sim: %s: give the CSV sampling rate with --csv-fs"
                                 % name)
            x, fs, rec = vitalstream.read_csv(path, channel), csv_fs, name[:-4]
        else:
            r = vitalstream.read_wfdb(path)
            if channel >= r.signals.shape[0]:
                raise SystemExit("vitalstream-sim: %s has no channel %d" % (name, channel))
            x, fs, rec = r.signals[channel], float(r.fs_hz), name
        x = np.ascontiguousarray(x, dtype=np.float32)
        if seconds is not None:
            x = x[: int(round(seconds * fs))]
        out.append(Source(os.path.basename(rec), fs, x))
    return out


def make_patients(sources: list[Source], n: int, shards: int, session: int,
                  chunk_s: float) -> list[Patient]:
    many = n > len(sources)
    out = []
    for i in range(n):
        s = sources[i % len(sources)]
        pid = "%s-%d" % (s.name, i // len(sources)) if many else s.name
        out.append(Patient(pid, s, session, keys.patient_stream(pid, shards),
                           max(1, int(round(chunk_s * s.fs)))))
    return out


START = -1


def build_queue(p: Patient, dup: float, reorder: float, rng: random.Random) -> None:
    """The patient's entries in send order, with injected duplicates and swaps: START for the
    start marker, k for chunk k, n_chunks for the end marker (encoded only when sent)."""
    n_chunks = (p.source.signal.shape[0] + p.step - 1) // p.step
    entries = [START] + list(range(n_chunks + 1))
    if reorder > 0:
        for i in range(len(entries) - 1):
            if rng.random() < reorder:
                entries[i], entries[i + 1] = entries[i + 1], entries[i]
    if dup > 0:
        out: list[int] = []
        for e in entries:
            out.append(e)
            if rng.random() < dup:
                out.insert(max(0, len(out) - 1 - rng.randint(0, 3)), e)
        entries = out
    p.n_chunks = n_chunks
    p.queue = np.asarray(entries, dtype=np.int32)


def encode(p: Patient, code: int, t: float) -> Fields:
    if code == START:
        return messages.encode_start(p.pid, p.session, p.source.fs, t)
    if code == p.n_chunks:
        return messages.encode_end(p.pid, p.session, p.n_chunks, t)
    x = p.source.signal[code * p.step:(code + 1) * p.step]
    return messages.encode_chunk(p.pid, p.session, code, p.source.fs, x, t)


async def send(r: Any, batch: list[tuple[Patient, int]]) -> None:
    """XADD a batch; if Redis goes away, resend the unconfirmed part until it is back (the
    workers drop what arrives twice)."""
    now = time.time()
    for k in range(0, len(batch), PIPELINE):
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            pipe = r.pipeline(transaction=False)
            for p, code in batch[k:k + PIPELINE]:
                pipe.xadd(p.stream, encode(p, code, now))
            try:
                await pipe.execute()
                break
            except (RedisConnectionError, RedisTimeoutError, ClusterDownError, OSError) as e:
                if time.monotonic() > deadline:
                    raise
                print("vitalstream-sim: redis unavailable (%s), retrying" % e, file=sys.stderr)
                await asyncio.sleep(0.2)


async def run(a: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(a.seed)
    sources = load_sources(a.db, a.records.split(",") if a.records else None, a.channel,
                           a.csv_fs, a.seconds)
    n = a.patients or len(sources)
    patients = make_patients(sources, n, a.shards, a.session or int(time.time() * 1000),
                             a.chunk_seconds)
    for p in patients:
        build_queue(p, a.duplicates, a.reorder, rng)
    r = connect(a.redis, a.cluster)
    t0 = time.monotonic()
    total = 0
    try:
        if a.speed == "max":
            rounds = max(len(p.queue) for p in patients)
            batch = []
            for k in range(rounds):  # round-robin: entry k of every patient
                batch += [(p, int(p.queue[k])) for p in patients if k < len(p.queue)]
                if len(batch) >= 4 * PIPELINE or k == rounds - 1:
                    await send(r, batch)
                    total += len(batch)
                    batch = []
        else:
            speed = float(a.speed)
            if not speed > 0:
                raise SystemExit("vitalstream-sim: --speed must be > 0 or 'max'")
            period = a.chunk_seconds / speed
            # Slot g = entry g // n of patient g % n, due at (g / n - 1) periods: every patient
            # sends one entry per period, patient i at offset i/n of it (start markers at once).
            g, end = 0, n * max(len(p.queue) for p in patients)
            while g < end:
                due = min(end, int(((time.monotonic() - t0) / period + 1) * n))
                batch = []
                for slot in range(g, due):
                    p, k = patients[slot % n], slot // n
                    if k < len(p.queue):
                        batch.append((p, int(p.queue[k])))
                g = max(g, due)
                if batch:
                    await send(r, batch)
                    total += len(batch)
                await asyncio.sleep(0.005)
    finally:
        await r.aclose()
    return {"patients": n, "entries": total, "seconds": round(time.monotonic() - t0, 3),
            "session": patients[0].session if patients else 0,
            "ids": [p.pid for p in patients][:1000]}


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(prog="vitalstream-sim", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--redis", default=os.environ.get("VS_REDIS_URL", "redis://localhost:6379/0"))
    ap.add_argument("--cluster", action="store_true", help="connect to a Redis Cluster")
    ap.add_argument("--shards", type=int, default=int(os.environ.get("VS_SHARDS",
                                                                     keys.DEFAULT_SHARDS)))
    ap.add_argument("--db", required=True, help="folder of WFDB records (.hea/.dat) or CSV files")
    ap.add_argument("--records", default="", help="comma-separated record names (default: all)")
    ap.add_argument("--patients", type=int, default=0, help="number of patients (default: one "
                    "per record)")
    ap.add_argument("--speed", default="1", help="1 = real time, X = X times faster, max")
    ap.add_argument("--duplicates", type=float, default=0.0, metavar="P")
    ap.add_argument("--reorder", type=float, default=0.0, metavar="P")
    ap.add_argument("--seconds", type=float, default=None, help="replay only the first SECONDS "
                    "of each record")
    ap.add_argument("--chunk-seconds", type=float, default=1.0)
    ap.add_argument("--channel", type=int, default=0)
    ap.add_argument("--csv-fs", type=float, default=0.0, help="sampling rate of CSV files")
    ap.add_argument("--session", type=int, default=0, help="session number (default: now in ms)")
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args(argv)
    for name in ("duplicates", "reorder"):
        if not 0.0 <= getattr(a, name) <= 1.0:
            ap.error("--%s must be a probability in [0, 1]" % name)
    if a.shards < 1:
        ap.error("--shards must be >= 1")
    try:
        summary = asyncio.run(run(a))
    except (vitalstream.VitalStreamError, OSError) as e:
        print("vitalstream-sim: %s" % e, file=sys.stderr)
        sys.exit(2)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
