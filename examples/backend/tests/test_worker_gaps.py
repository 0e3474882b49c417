"""Bounded waits: a sequence gap is closed after --gap-timeout with a technical event (the session
goes on; a chunk of the gap that comes later is dead-lettered as late, never silently dropped),
also when the worker holding the waiting chunk is killed with SIGKILL; chunks of a session whose
start never came start it implicitly; the stale-session watchdog ends a session whose device went
silent (here: its end marker was malformed and dead-lettered), and what comes after is kept."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import redis

from redis_procs import RedisServer
from stream_harness import Workers
from test_worker_poison import FS, ecg, events, first_chunk_done, status, wait_for, xadd
from vitalstream_backend import keys, messages

GAP_S = 1.5


def technical(r: Any, p: str) -> list[dict[str, str]]:
    return [e for e in events(r, p) if e["type"] == "technical"]


def dead_reasons(r: Any) -> dict[str, str]:
    return {"%s/%s" % (f[b"patient"].decode(), f.get(b"seq", b"-").decode()):
            f[b"reason"].decode() for _, f in r.xrange(keys.DEAD_LETTER)}


def test_gap_closed_after_timeout_and_late_chunk_kept(redis_server: RedisServer,
                                                      tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    w = Workers(redis_server.url, 1, tmp_path / "logs", extra=["--gap-timeout", str(GAP_S)])
    w.start_all()
    try:
        p, x = "gap-1", ecg(6)
        xadd(r, p, messages.encode_start(p, 3, FS))
        for k in (0, 1, 4, 5):  # 2 and 3 never come (in time)
            xadd(r, p, messages.encode_chunk(p, 3, k, FS, x[k * 360:(k + 1) * 360]))
        xadd(r, p, messages.encode_end(p, 3, 6))
        t0 = time.time()
        wait_for(lambda: status(r, p).get("status") == "ended", timeout=15)
        assert time.time() - t0 >= GAP_S - 0.3  # it did wait for the missing chunks first
        st = status(r, p)
        assert st["gaps"] == "2-3" and st["samples"] == str(4 * 360) and st["next_seq"] == "7"
        gap = technical(r, p)
        assert [(e["name"], e["seq"]) for e in gap] == [("sequence_gap", "2")]
        assert "chunks 2..3 missing" in gap[0]["reason"] and gap[0]["sample"] == str(2 * 360)
        assert events(r, p)[-1]["type"] == "session_end"
        alarms = [f for _, f in r.xrange(keys.ALARMS)]
        assert [f[b"name"] for f in alarms] == [b"sequence_gap"]  # visible to clinicians
        # chunk 3 comes after all: kept in the dead letters, the session unchanged
        xadd(r, p, messages.encode_chunk(p, 3, 3, FS, x[3 * 360:4 * 360]))
        xadd(r, p, messages.encode_chunk(p, 3, 1, FS, x[360:720]))  # a plain duplicate
        wait_for(lambda: r.xlen(keys.DEAD_LETTER) == 1)
        assert "late chunk 3" in dead_reasons(r)["gap-1/3"]
        time.sleep(0.5)
        assert r.xlen(keys.DEAD_LETTER) == 1 and status(r, p) == st
    finally:
        w.stop_all()


def test_gap_wait_bounded_when_worker_killed(redis_server: RedisServer, tmp_path: Path) -> None:
    """The wait is measured from the chunk's arrival in Redis, so a worker killed while it holds
    the waiting chunk does not restart the clock (takeover adds at most a few seconds)."""
    r = redis.Redis.from_url(redis_server.url)
    w = Workers(redis_server.url, 1, tmp_path / "logs", extra=["--gap-timeout", "3"])
    w.start_all()
    try:
        p, x = "gap-kill", ecg(3)
        first_chunk_done(r, p, 4, x)
        t0 = time.time()
        xadd(r, p, messages.encode_chunk(p, 4, 2, FS, x[720:1080]))  # 1 is lost
        wait_for(lambda: int(r.xpending(keys.patient_stream(p, 8), keys.GROUP)["pending"]) == 1)
        w.kill(0)  # SIGKILL while chunk 2 waits in its pending list
        w.start(0)
        wait_for(lambda: status(r, p).get("next_seq") == "3", timeout=20)
        took = time.time() - t0
        assert 2.7 <= took <= 3 + 5, took
        assert [e["name"] for e in technical(r, p)] == ["sequence_gap"]
        assert status(r, p)["status"] == "active" and status(r, p)["samples"] == str(720)
    finally:
        w.stop_all()


def test_missing_start_and_silent_device(redis_server: RedisServer, tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    w = Workers(redis_server.url, 1, tmp_path / "logs",
                extra=["--gap-timeout", str(GAP_S), "--stale-after", "3"])
    w.start_all()
    try:
        x = ecg(4)
        # a session whose start marker was lost: started implicitly after the gap wait
        p = "nostart-1"
        for k in range(2):
            xadd(r, p, messages.encode_chunk(p, 8, k, FS, x[k * 360:(k + 1) * 360]))
        wait_for(lambda: status(r, p).get("next_seq") == "2", timeout=15)
        assert status(r, p)["status"] == "active"
        assert [e["name"] for e in technical(r, p)] == ["start_missing"]
        # a session whose end marker is malformed (dead-lettered): the watchdog ends it
        q = "silent-1"
        xadd(r, q, messages.encode_start(q, 9, FS))
        for k in range(3):
            xadd(r, q, messages.encode_chunk(q, 9, k, FS, x[k * 360:(k + 1) * 360]))
        bad_end = messages.encode_end(q, 9, 3)
        del bad_end["seq"]
        xadd(r, q, bad_end)
        t0 = time.time()
        wait_for(lambda: status(r, q).get("status") == "ended", timeout=20)
        assert 2.0 <= time.time() - t0 <= 3 + 4
        end = events(r, q)[-1]
        assert end["type"] == "session_end" and end["name"] == "device_silent"
        assert "no data for" in end["reason"]
        assert [e["name"] for e in technical(r, q)] == ["device_silent"]
        # nostart-1 went silent too; both are in the global alarms stream, once each
        wait_for(lambda: status(r, p).get("status") == "ended", timeout=20)
        names = sorted((f[b"patient"], f[b"name"]) for _, f in r.xrange(keys.ALARMS))
        assert names == [(b"nostart-1", b"device_silent"), (b"nostart-1", b"start_missing"),
                         (b"silent-1", b"device_silent"), (b"silent-1", b"message_rejected")]
        assert r.zcard(keys.shard_activity(keys.shard_of(q, 8))) == 0
        # the device comes back with the old session: kept in the dead letters, not processed
        xadd(r, q, messages.encode_chunk(q, 9, 3, FS, x[:360]))
        wait_for(lambda: "silent-1/3" in dead_reasons(r))
        assert "which is ended" in dead_reasons(r)["silent-1/3"]
        assert status(r, q)["samples"] == str(3 * 360)
    finally:
        w.stop_all()
