"""Mapping stream ids to database rows: patient id = MRN, session = the stream's session
number. Sessions started through the API already exist; ones started by another producer
(e.g. vitalstream-sim) are registered on first sight, so no output is ever dropped."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .. import keys
from ..db.models import EcgSession, Patient

DEFAULT_FS = 360


@dataclass(frozen=True)
class SessionRef:
    patient_id: int
    session_id: int
    fs: int
    started_at: datetime


def session_start_time(stream_session: int) -> datetime:
    """Producers number sessions by their start in epoch milliseconds."""
    return datetime.fromtimestamp(stream_session / 1000.0, timezone.utc)


class Registry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], redis: Redis) -> None:
        self.sessions = sessions
        self.redis = redis
        self.cache: dict[tuple[str, int], SessionRef] = {}

    async def _fs_hint(self, patient: str, stream_session: int) -> int:
        state = await self.redis.hmget(keys.state(patient), ["session", "fs"])
        if state[0] is not None and state[1] is not None and int(state[0]) == stream_session:
            return int(round(float(state[1])))
        return DEFAULT_FS

    async def resolve(self, patient: str, stream_session: int, fs: float | None = None) -> SessionRef:
        key = (patient, stream_session)
        ref = self.cache.get(key)
        if ref is not None:
            return ref
        async with self.sessions() as db:
            row = (await db.execute(select(EcgSession, Patient.id).join(Patient).where(
                Patient.mrn == patient, EcgSession.stream_session == stream_session))).first()
            if row is None:
                fs_value = int(round(fs)) if fs else await self._fs_hint(patient, stream_session)
                await db.execute(insert(Patient).values(mrn=patient, name=f"Unregistered {patient}", sex="U")
                                 .on_conflict_do_nothing(index_elements=["mrn"]))
                pid = (await db.execute(select(Patient.id).where(Patient.mrn == patient))).scalar_one()
                # A newer session of the patient supersedes a running one (as in the workers).
                await db.execute(update(EcgSession).where(
                    EcgSession.patient_id == pid, EcgSession.status == "active",
                    EcgSession.stream_session < stream_session).values(
                        status="ended", end_reason="superseded", ended_at=session_start_time(stream_session)))
                status = "active"
                newer = (await db.execute(select(EcgSession.id).where(
                    EcgSession.patient_id == pid, EcgSession.stream_session > stream_session))).first()
                if newer is not None:
                    status = "ended"
                await db.execute(insert(EcgSession).values(
                    patient_id=pid, fs=fs_value, stream_session=stream_session,
                    started_at=session_start_time(stream_session), status=status,
                    end_reason=None if status == "active" else "superseded")
                    .on_conflict_do_nothing())
                await db.commit()
                row = (await db.execute(select(EcgSession, Patient.id).join(Patient).where(
                    Patient.mrn == patient, EcgSession.stream_session == stream_session))).first()
                if row is None:  # lost a race with the one-active-session index: retry once
                    return await self.resolve(patient, stream_session, fs)
            session = row[0]
            ref = SessionRef(session.patient_id, session.id, session.fs, session.started_at)
        self.cache[key] = ref
        return ref
