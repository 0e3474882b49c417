"""ECG sessions: list per patient, details, start/stop by clinicians, waveform ranges."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from ..archive.store import ArchiveReader
from ..auth.deps import Clinician, Viewer
from ..db.models import Device, EcgSession, Patient
from .audit import audit
from .context import Ctx, Db, get_or_404
from .errors import ApiError, not_found
from .pagination import Page, Paging, paginate
from .routes_patients import PatientId, get_patient_or_404
from .session_control import start_session, stop_session

router = APIRouter(tags=["sessions"])

SessionId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    patient_id: int
    device_id: int | None
    fs: int
    started_at: datetime
    ended_at: datetime | None
    status: str
    end_reason: str | None
    samples: int = 0


class SessionStart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: int = Field(ge=1, le=2**31 - 1)
    device_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    fs: int = Field(ge=1, le=100_000)


class Waveform(BaseModel):
    session_id: int
    fs: int
    start_sample: int
    samples: list[float | None] = Field(description="mV; null where no sample was received")


async def get_session_or_404(db: Db, session_id: int) -> EcgSession:
    return await get_or_404(db, EcgSession, session_id, "session")


def session_out(ctx: Ctx, session: EcgSession, patient: Patient) -> SessionOut:
    out = SessionOut.model_validate(session)
    out.samples = ArchiveReader(ctx.settings.archive_dir, patient.mrn, session.stream_session).n_samples()
    return out


@router.get("/api/patients/{patient_id}/sessions", response_model=Page[SessionOut])
async def list_sessions(patient_id: PatientId, user: Viewer, ctx: Ctx, db: Db, paging: Paging) -> Page[SessionOut]:
    patient = await get_patient_or_404(db, patient_id)
    rows, total = await paginate(db, select(EcgSession).where(EcgSession.patient_id == patient.id)
                                 .order_by(EcgSession.started_at.desc()), paging)
    audit(db, user, "read", "session_list", patient.id, patient.id)
    await db.commit()
    return Page(items=[session_out(ctx, s, patient) for s in rows], total=total, page=paging.page,
                page_size=paging.page_size)


@router.get("/api/sessions/{session_id}", response_model=SessionOut)
async def get_session(session_id: SessionId, user: Viewer, ctx: Ctx, db: Db) -> SessionOut:
    session = await get_session_or_404(db, session_id)
    patient = await get_patient_or_404(db, session.patient_id)
    audit(db, user, "read", "session", session.id, patient.id)
    await db.commit()
    return session_out(ctx, session, patient)


@router.post("/api/sessions", response_model=SessionOut, status_code=201,
             responses={409: {"description": "patient already monitored"}})
async def create_session(body: SessionStart, user: Clinician, ctx: Ctx, db: Db) -> SessionOut:
    patient = await get_patient_or_404(db, body.patient_id)
    device = None
    if body.device_id is not None:
        device = await db.get(Device, body.device_id)
        if device is None or not device.active:
            raise not_found("device")
    session = await start_session(ctx, db, patient, device, body.fs)
    audit(db, user, "create", "session", session.id, patient.id)
    await db.commit()
    return session_out(ctx, session, patient)


@router.post("/api/sessions/{session_id}/stop", response_model=SessionOut)
async def stop(session_id: SessionId, user: Clinician, ctx: Ctx, db: Db) -> SessionOut:
    session = await get_session_or_404(db, session_id)
    patient = await get_patient_or_404(db, session.patient_id)
    await stop_session(ctx, db, session, f"stopped by {user.username}")
    audit(db, user, "update", "session", session.id, patient.id, detail={"stop": True})
    await db.commit()
    return session_out(ctx, session, patient)


@router.get("/api/sessions/{session_id}/waveform", response_model=Waveform,
            summary="Samples of any time range of a session (≤ 60 s per request)")
async def waveform(session_id: SessionId, user: Viewer, ctx: Ctx, db: Db,
                   start: Annotated[float, Query(ge=0, le=1e7, description="seconds from session start")] = 0,
                   duration: Annotated[float, Query(gt=0, le=60, description="seconds")] = 10) -> Waveform:
    session = await get_session_or_404(db, session_id)
    patient = await get_patient_or_404(db, session.patient_id)
    first = int(round(start * session.fs))
    count = max(1, int(round(duration * session.fs)))
    reader = ArchiveReader(ctx.settings.archive_dir, patient.mrn, session.stream_session)
    values = reader.read(first, count)
    audit(db, user, "read", "waveform", session.id, patient.id, detail={"start": first, "count": count})
    await db.commit()
    if len(values) == 0 and first > 0:
        raise ApiError(404, "range beyond the recorded signal")
    return Waveform(session_id=session.id, fs=session.fs, start_sample=first,
                    samples=[None if v != v else round(float(v), 4) for v in values])
