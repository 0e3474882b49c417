"""``vitalstream-device-sim``: bedside devices streaming through the ingest API.

Logs in as an admin once to provision the demo patients (MRN = record name, or NAME-k when
there are more patients than records) and one device each in bulk (POST /api/devices/provision;
each key is issued once and kept in memory); each device then starts a session and POSTs one chunk per second of its record in
real time (or --speed times faster), looping the record with a new session at its end."""
from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from ..sim import Source
from .demo_data import demo_sources, find_mitdb


@dataclass
class DemoPatient:
    mrn: str
    source: Source
    patient_id: int = 0
    device_key: str = ""


class ApiClient:
    """Admin calls with 429 back-off (the per-user limit applies to this tool too)."""

    def __init__(self, base: str, user: str, password: str) -> None:
        self.http = httpx.AsyncClient(base_url=base, timeout=30)
        self.user, self.password = user, password
        self.token = ""

    async def login(self) -> None:
        r = await self._send("POST", "/api/auth/login", data={"username": self.user, "password": self.password},
                             auth=False)
        self.token = r.json()["access_token"]

    async def _send(self, method: str, url: str, auth: bool = True, **kw: Any) -> httpx.Response:
        for _ in range(20):
            headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
            r = await self.http.request(method, url, headers=headers, **kw)
            if r.status_code == 429:
                await asyncio.sleep(float(r.headers.get("Retry-After", "5")))
                continue
            if r.status_code == 401 and auth:
                await self.login()
                continue
            return r
        raise RuntimeError(f"{method} {url}: still rate limited")

    async def call(self, method: str, url: str, ok: tuple[int, ...] = (200, 201, 204), **kw: Any) -> httpx.Response:
        r = await self._send(method, url, **kw)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} {url}: {r.status_code} {r.text[:300]}")
        return r


PROVISION_BATCH = 128  # beds per POST /api/devices/provision (its maximum)


async def provision(api: ApiClient, patients: list[DemoPatient]) -> None:
    """Patients and device keys through the bulk route: a few requests for any number of beds
    (one call per patient and device would run into the admin's per-user rate limit); a
    session still running from an earlier run is ended."""
    stamp = int(time.time())
    for first in range(0, len(patients), PROVISION_BATCH):
        batch = patients[first:first + PROVISION_BATCH]
        beds = [{"patient": {"mrn": p.mrn, "name": f"Demo patient {p.mrn}", "sex": "U", "ward": "ICU",
                             "bed": str(first + i + 1)},
                 "device_name": f"bedside-{p.mrn}-{stamp}"} for i, p in enumerate(batch)]
        r = await api.call("POST", "/api/devices/provision", ok=(201,),
                           json={"beds": beds, "stop_running_sessions": True})
        for p, item in zip(batch, r.json()["items"]):
            p.patient_id, p.device_key = item["patient_id"], item["device"]["api_key"]


async def stream(base: str, p: DemoPatient, speed: float, offset_s: float, stop: asyncio.Event,
                 started: asyncio.Semaphore) -> None:
    headers = {"X-Device-Key": p.device_key}
    fs = int(round(p.source.fs))
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as http:
        await asyncio.sleep(offset_s)
        while not stop.is_set():
            r = await http.post("/api/ingest/sessions", json={"patient_id": p.patient_id, "fs": fs})
            if r.status_code != 201:
                raise RuntimeError(f"{p.mrn}: session start {r.status_code} {r.text[:200]}")
            sid = r.json()["id"]
            started.release()
            t0 = time.monotonic()
            n_chunks = len(p.source.signal) // fs
            for seq in range(n_chunks):
                if stop.is_set():
                    break
                due = t0 + (seq + 1) / speed  # a chunk is sent once its last sample exists
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                chunk = np.ascontiguousarray(p.source.signal[seq * fs:(seq + 1) * fs], dtype="<f4")
                body = {"seq": seq, "fs": fs, "samples_b64": base64.b64encode(chunk.tobytes()).decode()}
                for attempt in range(5):
                    try:
                        r = await http.post(f"/api/ingest/sessions/{sid}/chunks", json=body)
                    except httpx.TransportError:
                        await asyncio.sleep(0.5 * (attempt + 1))
                        continue
                    if r.status_code == 202:
                        break
                    if r.status_code == 429:
                        await asyncio.sleep(float(r.headers.get("Retry-After", "1")))
                        continue
                    if r.status_code == 409:  # ended meanwhile (stopped, or found silent)
                        break
                    raise RuntimeError(f"{p.mrn}: chunk {seq}: {r.status_code} {r.text[:200]}")
                if r.status_code == 409:
                    break  # a new session follows
            else:
                await http.post(f"/api/ingest/sessions/{sid}/end")


async def run(args: argparse.Namespace) -> None:
    mitdb = Path(args.db) if args.db else find_mitdb()
    sources = demo_sources(args.patients, mitdb)
    many = args.patients > len(sources)
    patients = [DemoPatient(f"{s.name}-{i // len(sources)}" if many else s.name, s)
                for i, s in ((i, sources[i % len(sources)]) for i in range(args.patients))]
    api = ApiClient(args.api, args.user, args.password)
    await api.login()
    await provision(api, patients)
    await api.http.aclose()
    print(f"device-sim: {len(patients)} patients from {'MIT-BIH ' + str(mitdb) if mitdb else 'synthetic records'}",
          flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started = asyncio.Semaphore(0)
    streams = asyncio.gather(*(stream(args.api, p, args.speed, i / max(1, len(patients)), stop, started)
                               for i, p in enumerate(patients)))
    for _ in patients:  # ready once every device's session is running
        await started.acquire()
    if args.ready_file:
        Path(args.ready_file).write_text(" ".join(p.mrn for p in patients) + "\n")
    await streams


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="vitalstream-device-sim", description=__doc__.splitlines()[0])
    ap.add_argument("--api", default="http://127.0.0.1:8000")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default=os.environ.get("VITALSTREAM_ADMIN_PASSWORD", ""))
    ap.add_argument("--patients", type=int, default=8)
    ap.add_argument("--db", default="", help="WFDB folder (default: MIT-BIH if found, else synthetic)")
    ap.add_argument("--speed", type=float, default=1.0, help="1 = real time")
    ap.add_argument("--ready-file", default="")
    args = ap.parse_args(argv)
    if not args.password:
        ap.error("--password or VITALSTREAM_ADMIN_PASSWORD is required")
    asyncio.run(run(args))
