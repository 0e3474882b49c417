"""End to end: a device streams an MIT-BIH record (203: ventricular runs) through the ingest
API into the worker tier (real `vitalstream-worker` processes); the persistence consumer —
killed with SIGKILL mid-run and restarted — stores every alarm exactly once; an SSE client and
a WebSocket viewer receive them; the report PDF and the WFDB download are checked."""
from __future__ import annotations

import asyncio
import base64
import io
import json
import shutil
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import vitalstream
import websockets
import wfdb
from pypdf import PdfReader

from api_fixtures import ApiProcess, Services, auth, launch_api, tool
from stream_harness import reference
from vitalstream_backend.archive.reanalysis import analyse

RECORD = "203"
SECONDS = 120  # 203 raises two VT alarms and two couplets by 2:00 (first minute and a half: one)
FS = 360


@dataclass
class Run:
    api: ApiProcess
    token: str
    patient: dict[str, Any]
    session_id: int
    signal: np.ndarray
    alarms: list[dict[str, Any]]
    sse: list[dict[str, Any]] = field(default_factory=list)
    ws: list[dict[str, Any]] = field(default_factory=list)


def _sse_listener(api: ApiProcess, ticket: str, out: list[dict[str, Any]], stop: threading.Event) -> None:
    try:
        with httpx.Client(base_url=api.base, timeout=None) as c, c.stream("GET", f"/sse/events?ticket={ticket}") as r:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    out.append(json.loads(line[6:]))
                if stop.is_set():
                    return
    except httpx.TransportError:
        pass  # the API stopped


def _ws_listener(api: ApiProcess, ticket: str, patient_id: int, out: list[dict[str, Any]],
                 stop: threading.Event, ready: threading.Event) -> None:
    async def run() -> None:
        async with websockets.connect(api.base.replace("http", "ws") + f"/ws/ecg?ticket={ticket}") as ws:
            await ws.send(json.dumps({"type": "subscribe", "patient_ids": [patient_id]}))
            ready.set()
            while not stop.is_set():
                try:
                    out.append(json.loads(await asyncio.wait_for(ws.recv(), 0.5)))
                except asyncio.TimeoutError:
                    pass
    try:
        asyncio.run(run())
    except websockets.ConnectionClosed:
        pass  # the API stopped (end of the module, or a failed setup)


def _wait(what: str, check: Any, timeout: float, api: ApiProcess) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}\n--- persistence ---\n{api.log_tail('persistence')}"
                f"\n--- worker ---\n{api.log_tail('worker-0')}")


@pytest.fixture(scope="module")
def run(services: Services, mitdb: Path) -> Iterator[Run]:
    api = launch_api(services, "api-e2e", redis_db=2)
    try:
        for i in range(2):
            api.start(f"worker-{i}", [tool("vitalstream-worker"), "--redis", api.redis_url,
                                      "--consumer", f"e2e-{i}", "--log-level", "warning"])
        api.start("persistence", [tool("vitalstream-persistence")])
        signal_mv = vitalstream.read_wfdb(mitdb / RECORD).signals[0][:SECONDS * FS].astype(np.float32)
        admin = api.token("admin")
        with api.client() as c:
            patient = c.post("/api/patients", headers=auth(admin),
                             json={"mrn": f"MIT{RECORD}", "name": "End To End", "sex": "M", "ward": "CCU"}).json()
            key = c.post("/api/devices", headers=auth(admin),
                         json={"name": "e2e-dev", "patient_id": patient["id"]}).json()["api_key"]
            tickets = [c.post("/api/auth/stream-ticket", headers=auth(admin)).json()["ticket"] for _ in range(2)]
        result = Run(api, admin, patient, 0, signal_mv, [])
        stop, ws_ready = threading.Event(), threading.Event()
        threads = [threading.Thread(target=_sse_listener, args=(api, tickets[0], result.sse, stop), daemon=True),
                   threading.Thread(target=_ws_listener, args=(api, tickets[1], patient["id"], result.ws, stop,
                                                               ws_ready), daemon=True)]
        for t in threads:
            t.start()
        assert ws_ready.wait(30)
        dev = {"X-Device-Key": key}
        with api.client() as c:
            session = c.post("/api/ingest/sessions", headers=dev, json={"patient_id": patient["id"], "fs": FS})
            assert session.status_code == 201, session.text
            result.session_id = session.json()["id"]
            for seq in range(SECONDS):
                chunk = signal_mv[seq * FS:(seq + 1) * FS]
                body = {"seq": seq, "fs": FS, "samples_b64": base64.b64encode(chunk.tobytes()).decode()}
                assert c.post(f"/api/ingest/sessions/{result.session_id}/chunks", headers=dev, json=body).status_code == 202
                if seq in (5, 40):  # a device retry: the same chunk twice
                    c.post(f"/api/ingest/sessions/{result.session_id}/chunks", headers=dev, json=body)
                if seq == 45:
                    time.sleep(1.0)
                    api.kill("persistence")  # SIGKILL mid-run
                    api.start("persistence", [tool("vitalstream-persistence")])
                time.sleep(0.02)
            assert c.post(f"/api/ingest/sessions/{result.session_id}/end", headers=dev).status_code == 202

            def archived() -> bool:
                s = c.get(f"/api/sessions/{result.session_id}", headers=auth(admin)).json()
                return bool(s["samples"] == SECONDS * FS)
            _wait("the archive", archived, 90, api)
            expected = _expected_alarms(signal_mv)

            def stored() -> bool:
                r = c.get("/api/alarms", params={"session_id": result.session_id, "page_size": 200},
                          headers=auth(admin)).json()
                result.alarms = r["items"]
                return len(result.alarms) >= len(expected)
            _wait("the alarms in PostgreSQL", stored, 90, api)
            time.sleep(2)  # any duplicate would show up by now
            stored()
            _wait("SSE delivery", lambda: any(e["change"] == "raised" for e in result.sse), 30, api)
        stop.set()
        yield result
    finally:
        api.stop()


def _expected_alarms(signal_mv: np.ndarray) -> list[tuple[str, int]]:
    ev = analyse(signal_mv, FS).events
    alarms = ev[ev["type"] == vitalstream.EVENT_ALARM]
    return sorted((vitalstream.rhythm_type_name(int(a["code"])), int(a["sample_idx"])) for a in alarms)


def test_alarms_stored_exactly_once(run: Run) -> None:
    expected = _expected_alarms(run.signal)
    physiological = [a for a in run.alarms if not a["technical"]]
    got = sorted((a["type"], a["onset_sample"]) for a in physiological)
    assert len(expected) >= 3 and any(a["severity"] == "critical" for a in physiological)
    assert got == expected  # none lost, none duplicated, despite the SIGKILL and device retries


def test_sse_and_websocket_clients_receive_alarms(run: Run) -> None:
    ids = {a["id"] for a in run.alarms}
    raised = [e["alarm"]["id"] for e in run.sse if e["change"] == "raised"]
    assert raised and set(raised) <= ids
    assert len(raised) == len(set(raised))  # an alarm is announced once
    kinds = {m["type"] for m in run.ws}
    assert {"waveform", "beats", "alarm"} <= kinds, kinds
    waves = [m for m in run.ws if m["type"] == "waveform"]
    assert all(m["patient_id"] == run.patient["id"] and len(m["samples"]) == FS for m in waves)
    first = waves[0]
    start = first["start_sample"]
    np.testing.assert_allclose(first["samples"], run.signal[start:start + FS], atol=1e-3)


def test_report_pdf(run: Run, tmp_path: Path) -> None:
    with run.api.client() as c:
        r = c.get(f"/api/reports/{run.session_id}.pdf", headers=auth(run.token))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(r.content))
    texts = [p.extract_text() for p in pdf.pages]
    assert "End To End" in texts[0] and "MIT203" in texts[0]
    for section in ("Heart-rate trend", "Heart-rate variability", "Rhythm episodes", "Alarms"):
        assert any(section in t for t in texts), section
    critical = [a for a in run.alarms if a["severity"] == "critical"]
    strip_pages = [t for t in texts if "Critical alarm" in t]
    assert len(strip_pages) == min(len(critical), 40) > 0
    assert all("25 mm/s" in t and "10 mm/mV" in t for t in strip_pages)
    assert float(pdf.pages[-1].mediabox.width) > float(pdf.pages[-1].mediabox.height)  # landscape strips
    if shutil.which("pdftoppm"):
        (tmp_path / "r.pdf").write_bytes(r.content)
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True)
        assert len(list(tmp_path.glob("page-*.png"))) == len(pdf.pages)


def test_wfdb_download_reads_with_physionet_tools(run: Run, tmp_path: Path, mitdb: Path,
                                                  vitalstream_cli: Path) -> None:
    with run.api.client() as c:
        r = c.get(f"/api/sessions/{run.session_id}/wfdb.zip", headers=auth(run.token))
    assert r.status_code == 200
    zipfile.ZipFile(io.BytesIO(r.content)).extractall(tmp_path)
    name = f"s{run.session_id}"
    rec = wfdb.rdrecord(str(tmp_path / name))
    assert rec.fs == FS and rec.sig_len == SECONDS * FS and rec.units == ["mV"]
    np.testing.assert_allclose(rec.p_signal[:, 0], run.signal, atol=0.5 / 200 + 1e-6)
    ann = wfdb.rdann(str(tmp_path / name), "atr")
    assert len(ann.sample) > 50
    ref = reference(vitalstream_cli, mitdb, RECORD, SECONDS, tmp_path)
    assert (tmp_path / f"{name}.atr").read_bytes() == ref.read_bytes()  # = `vitalstream detect --classify`
    with run.api.client() as c:  # the record agrees with the API's own waveform and files
        for ext in ("hea", "dat", "atr"):
            single = c.get(f"/api/sessions/{run.session_id}/wfdb/{name}.{ext}", headers=auth(run.token))
            assert single.status_code == 200 and single.content == (tmp_path / f"{name}.{ext}").read_bytes()
        for start in (0, 37, SECONDS - 5):
            w = c.get(f"/api/sessions/{run.session_id}/waveform", headers=auth(run.token),
                      params={"start": start, "duration": 5}).json()
            api_mv = np.array(w["samples"], dtype=np.float64)
            np.testing.assert_allclose(rec.p_signal[w["start_sample"]:w["start_sample"] + len(api_mv), 0],
                                       api_mv, atol=0.5 / 200 + 1e-6)
    beats = {"N", "S", "V", "F", "Q", "A", "L", "R", "J", "a", "e", "j", "E", "/", "f"}
    assert set(ann.symbol) <= beats | {"+", "~", "|", "\"\""}  # WFDB beat and rhythm codes only
    _physionet_c_tools(tmp_path, name, rec, ann)


def _physionet_c_tools(folder: Path, name: str, rec: Any, ann: Any) -> None:
    """PhysioNet's C WFDB tools, where installed (Debian 12 does not package them; the
    Python package above is PhysioNet's own reader): rdsamp and rdann agree with it."""
    if not (shutil.which("rdsamp") and shutil.which("rdann")):
        return
    out = subprocess.run(["rdsamp", "-r", name, "-p", "-c", "-H"], cwd=folder, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    rows = [line.split(",") for line in out if line and line[0].isdigit()]
    assert len(rows) == rec.sig_len
    np.testing.assert_allclose([float(r[1]) for r in rows[:2000]], rec.p_signal[:2000, 0], atol=1e-3)
    lines = subprocess.run(["rdann", "-r", name, "-a", "atr"], cwd=folder, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    assert [int(line.split()[1]) for line in lines] == [int(x) for x in ann.sample]


def test_acknowledge_and_resolve_are_announced(run: Run) -> None:
    alarm = run.alarms[0]
    with run.api.client() as c:
        viewer = run.api.token("viewer")
        assert c.post(f"/api/alarms/{alarm['id']}/ack", headers=auth(viewer)).status_code == 403
        clin = run.api.token("clinician")
        acked = c.post(f"/api/alarms/{alarm['id']}/ack", headers=auth(clin)).json()
        assert acked["state"] == "acknowledged" and acked["acknowledged_by"] is not None
        again = c.post(f"/api/alarms/{alarm['id']}/ack", headers=auth(clin)).json()
        assert again["acknowledged_at"] == acked["acknowledged_at"]
        resolved = c.post(f"/api/alarms/{alarm['id']}/resolve", headers=auth(clin)).json()
        assert resolved["state"] == "resolved"
        open_ids = {a["id"] for a in c.get("/api/alarms", params={"state": "open", "session_id": run.session_id,
                                                                   "page_size": 200}, headers=auth(clin)).json()["items"]}
        assert alarm["id"] not in open_ids


def test_trends_and_episodes(run: Run) -> None:
    with run.api.client() as c:
        pid = run.patient["id"]
        trends = c.get(f"/api/patients/{pid}/trends", headers=auth(run.token)).json()["items"]
        episodes = c.get(f"/api/patients/{pid}/episodes", headers=auth(run.token)).json()["items"]
    assert len(trends) == 2  # 90 s = minutes 0 and 1
    beats = analyse(run.signal, FS).events
    n_beats = int((beats["type"] == vitalstream.EVENT_BEAT).sum())
    assert sum(t["beats"] for t in trends) == n_beats  # every beat counted once
    beat_rows = beats[beats["type"] == vitalstream.EVENT_BEAT][1:]  # the first beat has no RR
    for t in trends:
        minute = beat_rows[(beat_rows["sample_idx"] // (FS * 60)) == (len([x for x in trends if x["minute"] < t["minute"]]))]
        rr = minute["value"][(minute["value"] >= 200) & (minute["value"] <= 3000)].astype(np.float64)
        assert t["hr_bpm"] == pytest.approx(60000.0 * len(rr) / rr.sum(), rel=1e-6)
    ev = analyse(run.signal, FS).events
    rhythm_onsets = {int(e["sample_idx"]) for e in ev[ev["type"] == vitalstream.EVENT_RHYTHM]}
    assert len(episodes) == len(rhythm_onsets)
