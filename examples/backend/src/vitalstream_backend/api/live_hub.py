"""Fan-out of live data inside one API process.

Two Redis pub/sub connections per process: one for the API's alarm channel, one for the worker
tier's live feed (`vs:live:*`, one message per processed chunk), so alarms never wait behind
waveform traffic. Each message is translated and JSON-encoded once, then queued to every
WebSocket/SSE client that wants it; a client's alarms go out before its queued waveforms. A
client that cannot keep up loses its oldest queued waveforms, never slows the others, and a
process that falls behind skips waveform chunks older than STALE_S (a late trace helps nobody)."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .. import keys
from ..db.models import EcgSession, Episode, Patient
from .live_events import ALARM_CHANNEL

log = logging.getLogger("vitalstream.live")

QUEUE_LIMIT = 256
STALE_S = 5.0


class Subscriber:
    """One client: the patients it follows (None = all), its alarm queue (never dropped) and
    its bounded queue of live data."""

    def __init__(self, patients: set[int] | None = None, alarms_only: bool = False) -> None:
        self.patients = patients
        self.alarms_only = alarms_only
        self.alarms: deque[str] = deque()
        self.live: deque[str] = deque(maxlen=QUEUE_LIMIT)
        self._ready = asyncio.Event()

    def wants(self, patient_id: int) -> bool:
        return self.patients is None or patient_id in self.patients

    def offer(self, message: str) -> None:
        self.live.append(message)  # a full deque drops its oldest
        self._ready.set()

    def offer_alarm(self, message: str) -> None:
        self.alarms.append(message)
        self._ready.set()

    async def next(self) -> str:
        """The next message to send: alarms first."""
        while not (self.alarms or self.live):
            self._ready.clear()
            await self._ready.wait()
        return self.alarms.popleft() if self.alarms else self.live.popleft()


@dataclass
class PatientLive:
    rhythm: str = "unknown"
    quality: str = "unknown"
    rr_ms: deque[float] = field(default_factory=lambda: deque(maxlen=8))

    def hr_bpm(self) -> float | None:
        if not self.rr_ms:
            return None
        return round(60000.0 / float(np.median(np.asarray(self.rr_ms))), 1)


class LiveHub:
    def __init__(self, redis: Redis, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.redis = redis
        self.sessions = sessions
        self.subscribers: set[Subscriber] = set()
        self.patient_ids: dict[str, int] = {}
        self.session_ids: dict[tuple[str, int], int] = {}
        self.state: dict[int, PatientLive] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.messages = 0
        self.stale_skipped = 0

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._run(channel, pattern), name=f"live-hub-{channel or pattern}")
                       for channel, pattern in ((ALARM_CHANNEL, None), (None, keys.LIVE_PATTERN))]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def add(self, sub: Subscriber) -> None:
        self.subscribers.add(sub)

    def remove(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)

    async def _run(self, channel: str | None, pattern: str | None) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                if channel:
                    await pubsub.subscribe(channel)
                if pattern:
                    await pubsub.psubscribe(pattern)
                async for message in pubsub.listen():
                    if message["type"] in ("message", "pmessage"):
                        await self._dispatch(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: Redis pub/sub failed; reconnecting")
                await asyncio.sleep(1)

    async def _dispatch(self, message: dict[str, Any]) -> None:
        self.messages += 1
        channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
        try:
            data = json.loads(message["data"])
        except (ValueError, TypeError):
            return
        if channel == ALARM_CHANNEL:
            text = json.dumps({"type": "alarm", "change": data.get("change"), "alarm": data.get("alarm"),
                               "t_sent": time.time()})
            patient_id = int(data.get("alarm", {}).get("patient_id", 0))
            for sub in list(self.subscribers):
                if sub.wants(patient_id):
                    sub.offer_alarm(text)
            return
        await self._live_chunk(data)

    async def _resolve(self, patient: str, session: int) -> tuple[int | None, int | None]:
        pid = self.patient_ids.get(patient)
        sid = self.session_ids.get((patient, session))
        if pid is None or sid is None:
            async with self.sessions() as db:
                row = (await db.execute(select(Patient.id, EcgSession.id).join(
                    EcgSession, (EcgSession.patient_id == Patient.id)
                    & (EcgSession.stream_session == session), isouter=True)
                    .where(Patient.mrn == patient))).first()
            if row is None:
                return None, None
            pid, sid = row[0], row[1]
            self.patient_ids[patient] = pid
            if sid is not None:
                self.session_ids[(patient, session)] = sid
                await self._load_rhythm(pid, sid)
        return pid, sid

    async def _load_rhythm(self, patient_id: int, session_id: int) -> None:
        """The rhythm in force when this process first sees a session (episodes the
        persistence consumer stored), so viewers need not wait for the next rhythm change."""
        async with self.sessions() as db:
            rhythm = (await db.execute(select(Episode.rhythm).where(Episode.session_id == session_id)
                                       .order_by(Episode.onset_sample.desc()).limit(1))).scalar_one_or_none()
        if rhythm is not None:
            self.state.setdefault(patient_id, PatientLive()).rhythm = rhythm

    async def _live_chunk(self, data: dict[str, Any]) -> None:
        patient = str(data.get("patient", ""))
        if not any(not sub.alarms_only for sub in self.subscribers):
            return
        t_commit = data.get("t_commit")
        if isinstance(t_commit, (int, float)) and time.time() - t_commit > STALE_S:
            self.stale_skipped += 1
            return
        try:
            session = int(data.get("session", 0))
        except (TypeError, ValueError):
            return
        pid, sid = await self._resolve(patient, session)
        if pid is None:
            return
        live = self.state.setdefault(pid, PatientLive())
        beats = []
        for ev in data.get("events", []):
            kind = ev.get("type")
            if kind == "beat":
                beats.append({"sample": ev.get("sample"), "class": ev.get("name")})
                value = ev.get("value")
                if isinstance(value, (int, float)) and 200 <= value <= 3000:
                    live.rr_ms.append(float(value))
            elif kind == "rhythm" and int(ev.get("end", -1)) < 0:
                live.rhythm = str(ev.get("name", "unknown"))
            elif kind == "quality":
                live.quality = str(ev.get("name", "unknown"))
        messages = []
        if data.get("samples_b64"):
            samples = np.frombuffer(base64.b64decode(data["samples_b64"]), dtype="<f4")
            messages.append(json.dumps({
                "type": "waveform", "patient_id": pid, "session_id": sid, "seq": data.get("seq"),
                "fs": data.get("fs"), "start_sample": data.get("start"),
                "samples": [round(float(v), 3) if v == v else None for v in samples]}))
        messages.append(json.dumps({
            "type": "beats", "patient_id": pid, "session_id": sid, "beats": beats,
            "hr_bpm": live.hr_bpm(), "rhythm": live.rhythm, "quality": live.quality}))
        for sub in list(self.subscribers):
            if not sub.alarms_only and sub.wants(pid):
                for text in messages:
                    sub.offer(text)
