"""Hostile and malformed input gets a clear 4xx with the common error body and changes
nothing: SQL injection, unknown ids, NaN / wrong fs / oversized / bad base64 chunks, unknown
patients and sessions."""
from __future__ import annotations

import asyncio
import base64
import json
import math
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import psycopg
import pytest
import redis
import websockets

from api_fixtures import ApiProcess, auth
from vitalstream_backend import keys


def _count(api: ApiProcess, table: str) -> int:
    with psycopg.connect(api.database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # table names are literals here
        assert row is not None
        return int(row[0])


def _stream_lengths(api: ApiProcess) -> int:
    r = redis.Redis.from_url(api.redis_url)
    try:
        return sum(int(r.xlen(s)) for s in keys.all_shard_streams(keys.DEFAULT_SHARDS))
    finally:
        r.close()


def _error(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()["error"]
    assert body["code"] and body["message"]
    return body


@pytest.fixture(scope="module")
def device(api: ApiProcess, tokens: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A patient, its device and a running session at 360 Hz."""
    with api.client() as c:
        p = c.post("/api/patients", headers=auth(tokens["clinician"]),
                   json={"mrn": "VAL-1", "name": "Validation Patient", "sex": "F"}).json()
        d = c.post("/api/devices", headers=auth(tokens["admin"]),
                   json={"name": "val-device", "patient_id": p["id"]}).json()
        s = c.post("/api/ingest/sessions", headers={"X-Device-Key": d["api_key"]},
                   json={"patient_id": p["id"], "fs": 360})
        assert s.status_code == 201, s.text
        yield {"patient": p, "key": d["api_key"], "session": s.json()}
        c.post(f"/api/ingest/sessions/{s.json()['id']}/end", headers={"X-Device-Key": d["api_key"]})


def _chunk(samples: np.ndarray, seq: int = 0, fs: int = 360) -> dict[str, Any]:
    return {"seq": seq, "fs": fs, "samples_b64": base64.b64encode(np.asarray(samples, "<f4").tobytes()).decode()}


def test_sql_injection_is_inert(api: ApiProcess, tokens: dict[str, str]) -> None:
    before = _count(api, "patients")
    with api.client() as c:
        h = auth(tokens["viewer"])
        for q in ["' OR '1'='1", "x'; DROP TABLE patients; --", "%", "_", "\\", "\x00"]:
            r = c.get("/api/patients", params={"q": q}, headers=h)
            assert r.status_code in (200, 422), r.text
            if r.status_code == 200:
                assert r.json()["total"] == 0, q
        _error(c.get("/api/patients/1;DROP TABLE patients", headers=h), 422)
        _error(c.get("/api/alarms", params={"patient_id": "1 OR 1=1"}, headers=h), 422)
        login = c.post("/api/auth/login", data={"username": "admin' --", "password": "x"})
        _error(login, 401)
        created = c.post("/api/patients", headers=auth(tokens["clinician"]),
                         json={"mrn": "X'); DROP TABLE users;--", "name": "n"})
        _error(created, 422)
        named = c.post("/api/patients", headers=auth(tokens["clinician"]),
                       json={"mrn": "SQLI-1", "name": "Robert'); DROP TABLE patients;--"})
        assert named.status_code == 201
        found = c.get("/api/patients", params={"q": "DROP TABLE"}, headers=h).json()
        assert [p["mrn"] for p in found["items"]] == ["SQLI-1"]
    assert _count(api, "patients") == before + 1 and _count(api, "users") >= 3


def test_malformed_patients(api: ApiProcess, tokens: dict[str, str]) -> None:
    h = auth(tokens["clinician"])
    before = _count(api, "patients")
    with api.client() as c:
        _error(c.post("/api/patients", headers=h, json={"mrn": "M1", "name": "a", "extra": 1}), 422)
        _error(c.post("/api/patients", headers=h, json={"mrn": "M1", "name": "a", "birth_date": "2999-01-01"}), 422)
        _error(c.post("/api/patients", headers=h, json={"mrn": "M1", "name": "a", "sex": "Q"}), 422)
        _error(c.post("/api/patients", headers=h, content=b"{not json", ), 422)
        _error(c.post("/api/patients", headers=h, json={"mrn": "", "name": "a"}), 422)
        assert c.post("/api/patients", headers=h, json={"mrn": "DUP-1", "name": "a"}).status_code == 201
        _error(c.post("/api/patients", headers=h, json={"mrn": "DUP-1", "name": "b"}), 409)
        _error(c.get("/api/patients/999999", headers=h), 404)
        _error(c.get("/api/patients/0", headers=h), 422)
        _error(c.get("/api/patients/99999999999999999999", headers=h), 422)
        _error(c.get("/api/patients", params={"page_size": 100000}, headers=h), 422)
    assert _count(api, "patients") == before + 1


def test_bad_chunks_are_rejected_and_never_reach_the_streams(api: ApiProcess, device: dict[str, Any]) -> None:
    sid, h = device["session"]["id"], {"X-Device-Key": device["key"]}
    good = np.sin(np.arange(360) / 20).astype(np.float32)
    url = f"/api/ingest/sessions/{sid}/chunks"
    before = _stream_lengths(api)
    with api.client() as c:
        nan = good.copy()
        nan[10] = math.nan
        assert "NaN" in _error(c.post(url, headers=h, json=_chunk(nan)), 422)["message"]
        inf = good.copy()
        inf[0] = math.inf
        _error(c.post(url, headers=h, json=_chunk(inf)), 422)
        assert "fs" in _error(c.post(url, headers=h, json=_chunk(good, fs=250)), 422)["message"]
        bad_b64 = {"seq": 0, "fs": 360, "samples_b64": "!!!not-base64!!!"}
        assert "base64" in _error(c.post(url, headers=h, json=bad_b64), 422)["message"]
        odd = {"seq": 0, "fs": 360, "samples_b64": base64.b64encode(b"12345").decode()}
        _error(c.post(url, headers=h, json=odd), 422)
        _error(c.post(url, headers=h, json=_chunk(good * 1000)), 422)  # volts sent as millivolts * 1000
        _error(c.post(url, headers=h, json=_chunk(np.zeros(360 * 11, np.float32))), 422)  # > 10 s
        _error(c.post(url, headers=h, json={**_chunk(good), "seq": -1}), 422)
        _error(c.post(url, headers=h, content=b'{"seq": 0, "fs": 360, "samples_b64": NaN}',
                      ), 422)
        big = {"seq": 0, "fs": 360, "samples_b64": "A" * (10 * 1024 * 1024)}
        _error(c.post(url, headers=h, json=big), 413)
        _error(c.post("/api/ingest/sessions/999999/chunks", headers=h, json=_chunk(good)), 404)
        _error(c.post(url, headers={"X-Device-Key": "vsd_wrong"}, json=_chunk(good)), 401)
        _error(c.post("/api/ingest/sessions", headers=h, json={"mrn": "NO-SUCH", "fs": 360}), 404)
        _error(c.post("/api/ingest/sessions", headers=h, json={"mrn": "VAL-1", "fs": 7}), 422)
        assert _stream_lengths(api) == before  # nothing reached the worker tier
        ok = c.post(url, headers=h, json=_chunk(good))
        assert ok.status_code == 202, ok.text
        assert _stream_lengths(api) == before + 1


def test_device_bound_to_a_patient_cannot_start_another(api: ApiProcess, tokens: dict[str, str],
                                                        device: dict[str, Any]) -> None:
    with api.client() as c:
        other = c.post("/api/patients", headers=auth(tokens["clinician"]),
                       json={"mrn": "VAL-2", "name": "Other"}).json()
        r = c.post("/api/ingest/sessions", headers={"X-Device-Key": device["key"]},
                   json={"patient_id": other["id"], "fs": 360})
        _error(r, 403)


def test_streaming_ingest_websocket(api: ApiProcess, device: dict[str, Any]) -> None:
    sid = device["session"]["id"]
    url = api.base.replace("http", "ws") + f"/ws/ingest?session={sid}"
    good = np.cos(np.arange(360) / 15).astype(np.float32)

    async def run() -> list[dict[str, Any]]:
        replies = []
        async with websockets.connect(url, additional_headers={"X-Device-Key": device["key"]}) as ws:
            for frame in (json.dumps(_chunk(good, seq=1)), json.dumps(_chunk(good, fs=500)), "not json",
                          json.dumps({"seq": 2})):
                await ws.send(frame)
                replies.append(json.loads(await ws.recv()))
        return replies

    before = _stream_lengths(api)
    ok, wrong_fs, garbage, incomplete = asyncio.run(run())
    assert ok == {"ok": True, "seq": 1}
    assert wrong_fs["ok"] is False and wrong_fs["status"] == 422 and "fs" in wrong_fs["error"]
    assert garbage["ok"] is False and incomplete["ok"] is False
    assert _stream_lengths(api) == before + 1

    async def bad_key() -> None:
        async with websockets.connect(url, additional_headers={"X-Device-Key": "vsd_nope"}) as ws:
            await ws.recv()
    with pytest.raises(websockets.ConnectionClosed) as closed:
        asyncio.run(bad_key())
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
