"""A device that loses chunks and then falls silent, seen from PostgreSQL and the API: the
sequence gap and the silence are technical alarms in /api/alarms, the session row ends with the
reason, the device's late chunk is refused, and the archive holds exactly the chunks that the
monitor analysed (the late one is in the dead letters, not in the waveform)."""
from __future__ import annotations

import base64
import time
from typing import Any

import numpy as np
import redis

from api_fixtures import Services, auth, launch_api, tool
from vitalstream_backend import keys, messages

FS = 360


def chunk(seq: int) -> dict[str, Any]:
    x = np.full(FS, 0.01 * seq, dtype="<f4")  # each chunk recognisable by its level
    return {"seq": seq, "fs": FS, "samples_b64": base64.b64encode(x.tobytes()).decode()}


def test_gap_and_silent_device_reach_postgres(services: Services) -> None:
    api = launch_api(services, "api-gaps", redis_db=5)
    try:
        api.start("worker", [tool("vitalstream-worker"), "--redis", api.redis_url, "--log-level",
                             "warning", "--gap-timeout", "1", "--stale-after", "4"])
        api.start("persistence", [tool("vitalstream-persistence")])
        admin = api.token("admin")
        with api.client() as c:
            patient = c.post("/api/patients", headers=auth(admin),
                             json={"mrn": "GAP-1", "name": "Gap Patient"}).json()
            key = c.post("/api/devices", headers=auth(admin),
                         json={"name": "gap-dev", "patient_id": patient["id"]}).json()["api_key"]
            dev = {"X-Device-Key": key}
            sid = c.post("/api/ingest/sessions", headers=dev,
                         json={"patient_id": patient["id"], "fs": FS}).json()["id"]
            for seq in (0, 1, 2, 4, 5):  # chunk 3 is lost; then the device stops, no end
                assert c.post(f"/api/ingest/sessions/{sid}/chunks", headers=dev,
                              json=chunk(seq)).status_code == 202
            deadline = time.monotonic() + 40
            session: dict[str, Any] = {}
            while time.monotonic() < deadline:
                session = c.get(f"/api/sessions/{sid}", headers=auth(admin)).json()
                alarms = c.get("/api/alarms", headers=auth(admin),
                               params={"session_id": sid, "technical": "true"}).json()["items"]
                if session["status"] == "ended" and len(alarms) >= 2:
                    break
                time.sleep(0.5)
            types = sorted(a["type"] for a in alarms)
            assert types == ["device_silent", "sequence_gap"], (types, session)
            assert all(a["technical"] and a["severity"] == "advisory" for a in alarms)
            gap = next(a for a in alarms if a["type"] == "sequence_gap")
            assert gap["onset_sample"] == 3 * FS
            assert session["status"] == "ended" and session["end_reason"].startswith("device_silent")
            # the device wakes up: the API refuses, the workers would keep it aside
            late = c.post(f"/api/ingest/sessions/{sid}/chunks", headers=dev, json=chunk(3))
            assert late.status_code == 409 and late.json()["error"]["code"] == "conflict"
            wave = c.get(f"/api/sessions/{sid}/waveform", headers=auth(admin),
                         params={"start": 0, "duration": 10}).json()
            levels = sorted({round(v, 2) for v in wave["samples"]})
            assert levels == [0.0, 0.01, 0.02, 0.04, 0.05] and len(wave["samples"]) == 5 * FS
        r = redis.Redis.from_url(api.redis_url)
        try:  # the lost chunk came in time for nothing: the workers recorded the gap instead
            st = {k.decode(): v for k, v in r.hgetall(keys.state("GAP-1")).items()}
            assert st["gaps"] == b"3-3" and st["status"] == b"ended"
            # a producer that bypasses the API sends more of the ended session: dead-lettered by
            # the workers, and left out of the archive (which holds what the monitor analysed)
            stream = keys.patient_stream("GAP-1", 8)
            eid = r.xadd(stream, messages.encode_chunk("GAP-1", int(st["session"]), 6, FS,
                                                       np.full(FS, 0.06, dtype="<f4")))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                done = {g["name"]: g for g in r.xinfo_groups(stream)}
                if b"vs-archive" in done and done[b"vs-archive"]["pending"] == 0 and \
                        done[b"vs-archive"]["last-delivered-id"] >= eid and r.xlen(keys.DEAD_LETTER):
                    break
                time.sleep(0.2)
            reasons = [f[b"reason"] for _, f in r.xrange(keys.DEAD_LETTER)]
            assert any(b"which is ended" in x for x in reasons), reasons
        finally:
            r.close()
        with api.client() as c:
            wave = c.get(f"/api/sessions/{sid}/waveform", headers=auth(admin),
                         params={"start": 0, "duration": 10}).json()
            assert len(wave["samples"]) == 5 * FS
    finally:
        api.stop()
