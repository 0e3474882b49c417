"""The outputs of the workers: per-patient event stream with ids derived from the commit, the
global alarms stream (each alarm once, with a unique alarm_id), the live pub/sub feed."""
from __future__ import annotations

import base64
import json
import subprocess
import time
from pathlib import Path

import numpy as np
import redis
import vitalstream

from redis_procs import RedisServer
from stream_harness import Workers, script
from vitalstream_backend import keys

RECORD = "208"  # many V beats and alarms within the first minute
SECONDS = 120


def test_event_stream_alarms_and_live_feed(redis_server: RedisServer, mitdb: Path,
                                           tmp_path: Path) -> None:
    r = redis.Redis.from_url(redis_server.url)
    sub = r.pubsub()
    sub.psubscribe(keys.LIVE_PATTERN)
    w = Workers(redis_server.url, 2, tmp_path / "logs")
    w.start_all()
    try:
        subprocess.run([script("vitalstream-sim"), "--redis", redis_server.url, "--db",
                        str(mitdb), "--records", RECORD, "--speed", "max", "--seconds",
                        str(SECONDS), "--duplicates", "0.2", "--seed", "3"],
                       check=True, stdout=subprocess.DEVNULL, timeout=120)
        deadline = time.monotonic() + 60
        while r.hget(keys.state(RECORD), "status") != b"ended":
            assert time.monotonic() < deadline, "session did not end"
            time.sleep(0.1)
        live = []
        while True:
            m = sub.get_message(timeout=1.0)
            if m is None:
                break
            if m["type"] == "pmessage":
                live.append(json.loads(m["data"]))
    finally:
        w.stop_all()
    entries = r.xrange(keys.events(RECORD))
    evs = [{k.decode(): v.decode() for k, v in f.items()} for _, f in entries]
    ids = [tuple(int(x) for x in i.decode().split("-")) for i, _ in entries]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # one commit per entry: start, 120 chunks, end -> ords 1..122; events of a chunk share its ord
    seq_of_ord: dict[int, str] = {}
    for (ord_, _k), e in zip(ids, evs):
        assert seq_of_ord.setdefault(ord_, e["seq"]) == e["seq"]
    assert evs[0]["type"] == "session_start" and evs[-1]["type"] == "session_end"
    beats = [e for e in evs if e["type"] == "beat"]
    assert len(beats) > 100 and {b["name"] for b in beats} >= {"N", "V"}
    # the same beats as one Monitor run over the same samples
    x = vitalstream.read_wfdb(mitdb / RECORD).signals[0][: SECONDS * 360]
    m = vitalstream.Monitor(360.0)
    ref = np.concatenate([m.process(x), m.finish()])
    ref_beats = ref[ref["type"] == vitalstream.EVENT_BEAT]
    assert [int(b["sample"]) for b in beats] == ref_beats["sample_idx"].tolist()
    # alarms: in the patient's stream and exactly once each in the global stream
    alarms = [e for e in evs if e["type"] in ("alarm", "alarm_end", "technical")]
    assert alarms, "record 208 raises alarms in its first two minutes"
    glob = [{k.decode(): v.decode() for k, v in f.items()} for _, f in r.xrange(keys.ALARMS)]
    mine = [a for a in glob if a["patient"] == RECORD]
    assert len(mine) == len(alarms) == len({a["alarm_id"] for a in mine})
    assert r.llen(keys.outbox(RECORD)) == 0
    # live feed: every chunk once per commit, samples intact
    chunks = [x for x in live if x["kind"] == "chunk" and x["patient"] == RECORD]
    assert sorted(c["seq"] for c in chunks) == list(range(SECONDS))
    c5 = next(c for c in chunks if c["seq"] == 5)
    got = np.frombuffer(base64.b64decode(c5["samples_b64"]), dtype="<f4")
    assert c5["start"] == 5 * 360 and np.array_equal(got, x[5 * 360:6 * 360])
    assert any(x["kind"] == "end" for x in live)
