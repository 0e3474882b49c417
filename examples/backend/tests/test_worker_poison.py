"""Bad input never blocks a shard: poison chunks move to the dead-letter stream with a technical
alarm while the session goes on; a corrupt state blob stops the session with an alarm; entries
of a dead consumer are taken over within 5 s; the worker's metrics endpoint reports them."""
from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import numpy as np
import redis

from redis_procs import RedisServer
from stream_harness import Workers
from vitalstream_backend import keys, messages

SHARDS = 8
FS = 360.0


def wait_for(cond: Callable[[], bool], timeout: float = 20.0) -> float:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError("condition not met within %g s" % timeout)
        time.sleep(0.02)
    return time.monotonic() - t0


def xadd(r: Any, patient: str, fields: dict[str, Any]) -> None:
    r.xadd(keys.patient_stream(patient, SHARDS), fields)


def ecg(seconds: int) -> np.ndarray:
    """A clean synthetic ECG-like signal (spikes at 75 bpm) in mV."""
    n = int(seconds * FS)
    x = np.zeros(n, dtype=np.float32)
    x[::int(FS * 0.8)] = 1.2
    return np.convolve(x, np.hanning(15).astype(np.float32), mode="same").astype(np.float32)


def status(r: Any, p: str) -> dict[str, str]:
    return {k.decode(): v.decode(errors="replace") for k, v in r.hgetall(keys.state(p)).items()
            if k != b"blob"}


def events(r: Any, p: str) -> list[dict[str, str]]:
    return [{k.decode(): v.decode() for k, v in f.items()} for _, f in r.xrange(keys.events(p))]


def first_chunk_done(r: Any, p: str, session: int, x: np.ndarray) -> None:
    """Start a session of ``p`` and wait until its chunk 0 (x[:360]) is committed."""
    xadd(r, p, messages.encode_start(p, session, FS))
    xadd(r, p, messages.encode_chunk(p, session, 0, FS, x[:360]))
    wait_for(lambda: status(r, p).get("next_seq") == "1")


def test_poison_chunks_dead_lettered_session_continues(redis_server: RedisServer,
                                                        tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    w = Workers(redis_server.url, 1, tmp_path / "logs", extra=["--metrics-port", "0", "--log-level", "info"])
    w.start_all()
    try:
        p, x = "poison-1", ecg(6)
        xadd(r, p, messages.encode_start(p, 5, FS))
        xadd(r, p, messages.encode_chunk(p, 5, 0, FS, x[:360]))
        bad_bytes = messages.encode_chunk(p, 5, 1, FS, x[360:720])
        bad_bytes["samples"] = b"\x00" * 7                         # not float32
        xadd(r, p, bad_bytes)
        xadd(r, p, messages.encode_chunk(p, 5, 2, 250.0, x[720:1080]))  # wrong fs
        for k in range(3, 6):
            xadd(r, p, messages.encode_chunk(p, 5, k, FS, x[k * 360:(k + 1) * 360]))
        xadd(r, p, messages.encode_end(p, 5, 6))
        r.xadd(keys.shard_stream(0), {"kind": "chunk", "garbage": "yes"})  # no patient at all
        wait_for(lambda: status(r, p).get("status") == "ended" and r.xlen(keys.DEAD_LETTER) == 3)
        st = status(r, p)
        assert st["rejected"] == "2" and st["next_seq"] == "7"
        assert "250" in st["last_error"]
        evs = events(r, p)
        tech = [e for e in evs if e["type"] == "technical"]
        assert [e["name"] for e in tech] == ["chunk_rejected", "chunk_rejected"]
        assert [e["seq"] for e in tech] == ["1", "2"]
        assert evs[-1]["type"] == "session_end" and evs[0]["type"] == "session_start"
        dl = r.xrange(keys.DEAD_LETTER)
        reasons = sorted(f[b"reason"].decode() for _, f in dl)
        assert any("float32" in x for x in reasons) and any("Hz" in x for x in reasons)
        assert any("patient" in x for x in reasons)
        wait_for(lambda: r.xlen(keys.ALARMS) >= 3)
        alarms = [{k.decode(): v.decode() for k, v in f.items()} for _, f in r.xrange(keys.ALARMS)]
        assert {a["patient"] for a in alarms} == {p, ""}
        assert len({a["alarm_id"] for a in alarms}) == len(alarms)
        assert r.llen(keys.outbox(p)) == 0  # relayed
        # the shard is not blocked: a later patient on the same shard is processed
        q = next("q%d" % i for i in range(100)
                 if keys.shard_of("q%d" % i, SHARDS) == keys.shard_of(p, SHARDS))
        xadd(r, q, messages.encode_start(q, 1, FS))
        xadd(r, q, messages.encode_chunk(q, 1, 0, FS, x[:360]))
        xadd(r, q, messages.encode_end(q, 1, 1))
        wait_for(lambda: status(r, q).get("status") == "ended")
        port = metrics_port(tmp_path / "logs")
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port).read().decode()
        assert re.search(r"^vs_worker_dead_letters_total 3\.0$", text, re.M)
        assert sum(int(r.xpending(s, keys.GROUP)["pending"])  # poison acknowledged once copied
                   for s in keys.all_shard_streams(SHARDS)) == 0
        assert re.search(r'^vs_worker_chunks_total 5\.0$', text, re.M)
    finally:
        w.stop_all()


def metrics_port(log_dir: Path) -> int:
    for f in log_dir.glob("worker*.log"):
        m = re.search(r'"msg": "metrics", "port": (\d+)', f.read_text())
        if m:
            return int(m.group(1))
    raise AssertionError("no metrics port logged")


def test_corrupt_blob_fails_session_with_alarm(redis_server: RedisServer,
                                               tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    w = Workers(redis_server.url, 1, tmp_path / "logs", extra=["--log-level", "info"])
    w.start_all()
    try:
        p, x = "corrupt-1", ecg(3)
        first_chunk_done(r, p, 9, x)
        w.kill(0)  # the hot Monitor goes with it: the next worker must load the blob
        blob = r.hget(keys.state(p), "blob")
        assert blob is not None
        r.hset(keys.state(p), "blob", blob[:100] + b"\xff" * 20 + blob[120:])
        w.start(0)
        xadd(r, p, messages.encode_chunk(p, 9, 1, FS, x[360:720]))
        xadd(r, p, messages.encode_chunk(p, 9, 2, FS, x[720:1080]))
        wait_for(lambda: status(r, p).get("status") == "failed")
        tech = [e for e in events(r, p) if e["type"] == "technical"]
        assert [e["name"] for e in tech] == ["state_corrupt"]
        # chunk 1 (the blob failed) and chunk 2 (its session has failed) are both kept
        wait_for(lambda: r.xlen(keys.ALARMS) == 1 and r.xlen(keys.DEAD_LETTER) == 2)
        reasons = {f[b"seq"]: f[b"reason"].decode() for _, f in r.xrange(keys.DEAD_LETTER)}
        assert "checksum" in reasons[b"1"] and "which is failed" in reasons[b"2"]
        # a new session recovers the patient
        xadd(r, p, messages.encode_start(p, 10, FS))
        xadd(r, p, messages.encode_chunk(p, 10, 0, FS, x[:360]))
        wait_for(lambda: status(r, p).get("session") == "10"
                 and status(r, p).get("next_seq") == "1")
        assert status(r, p)["status"] == "active"
    finally:
        w.stop_all()


def test_dead_consumer_entries_taken_over_within_5_s(redis_server: RedisServer,
                                                      tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    p, x = "orphan-1", ecg(2)
    stream = keys.patient_stream(p, SHARDS)
    for s in keys.all_shard_streams(SHARDS):
        r.xgroup_create(s, keys.GROUP, id="0", mkstream=True)
    xadd(r, p, messages.encode_start(p, 1, FS))
    xadd(r, p, messages.encode_chunk(p, 1, 0, FS, x[:360]))
    # a consumer reads both entries and dies without acknowledging them
    got = r.xreadgroup(keys.GROUP, "ghost", {stream: ">"}, count=10)
    assert len(got[0][1]) == 2
    w = Workers(redis_server.url, 1, tmp_path / "logs")
    t_dead = time.monotonic()
    w.start_all()
    try:
        wait_for(lambda: status(r, p).get("next_seq") == "1", timeout=10)
        took = time.monotonic() - t_dead
        assert took <= 5.0, "takeover took %.2f s" % took
        wait_for(lambda: r.xpending(stream, keys.GROUP)["pending"] == 0, timeout=5)
    finally:
        w.stop_all()
