"""Starting and stopping ECG sessions (used by clinicians' /api/sessions and devices' ingest)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.base import utcnow
from ..db.models import Device, EcgSession, Patient
from .context import AppContext
from .errors import ApiError
from .streams import submit_end, submit_start

MIN_FS, MAX_FS = 50, 2000


def check_fs(fs: int, allowed: tuple[int, ...]) -> None:
    if fs not in allowed:
        raise ApiError(422, f"unsupported sampling rate {fs} Hz (supported: {', '.join(map(str, allowed))})")


async def start_session(ctx: AppContext, db: AsyncSession, patient: Patient, device: Device | None,
                        fs: int) -> EcgSession:
    check_fs(fs, ctx.settings.allowed_fs)
    last = (await db.execute(select(func.max(EcgSession.stream_session))
                             .where(EcgSession.patient_id == patient.id))).scalar_one_or_none()
    stream_session = max(int(time.time() * 1000), (last or 0) + 1)
    session = EcgSession(patient_id=patient.id, device_id=device.id if device else None, fs=fs,
                         stream_session=stream_session,
                         started_at=datetime.fromtimestamp(stream_session / 1000, timezone.utc),
                         status="active")
    db.add(session)
    try:
        await db.flush()
    except IntegrityError:
        await db.rollback()
        raise ApiError(409, "the patient already has a running session") from None
    await db.commit()
    try:
        await submit_start(ctx.redis, ctx.shards, patient.mrn, stream_session, fs)
    except Exception:
        session.status, session.ended_at, session.end_reason = "error", utcnow(), "stream unavailable"
        await db.commit()
        raise ApiError(503, "stream tier unavailable", code="unavailable") from None
    return session


async def stop_session(ctx: AppContext, db: AsyncSession, session: EcgSession, reason: str) -> int:
    """End marker into the stream, session row ended; returns the number of chunks submitted."""
    if session.status != "active":
        raise ApiError(409, f"session is {session.status}")
    patient = await db.get(Patient, session.patient_id)
    assert patient is not None  # foreign key
    chunks = await submit_end(ctx.redis, ctx.shards, patient.mrn, session.stream_session)
    session.status, session.ended_at, session.end_reason = "ended", utcnow(), reason
    await db.commit()
    return chunks
