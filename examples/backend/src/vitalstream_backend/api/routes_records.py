"""Session downloads: the WFDB record (+ annotations) and the PDF report. Both are built from
the waveform archive (the monitor is re-run over it; results equal the live ones)."""
from __future__ import annotations

import re
from typing import Annotated

import anyio
import numpy as np
from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy import select

from ..archive.store import ArchiveReader
from ..archive.wfdb_export import record_files, zip_files
from ..archive.reanalysis import analyse
from ..auth.deps import Viewer
from ..db.base import utcnow
from ..db.models import Alarm, Device, EcgSession, Patient, User
from ..report.pdf import AlarmLine, PatientInfo, SessionInfo, build_report
from .alarm_view import alarm_state
from .audit import audit
from .context import AppContext, Ctx, Db
from .errors import ApiError, not_found
from .routes_sessions import SessionId, get_session_or_404

router = APIRouter(tags=["records"])

MAX_EXPORT_SAMPLES = 24 * 3600 * 1000  # one day at 1 kHz
_FILE_RE = re.compile(r"^s(\d+)\.(hea|dat|atr)$")


def record_name(session_id: int) -> str:
    return f"s{session_id}"


async def _signal(ctx: AppContext, db: Db, session: EcgSession) -> tuple[Patient, np.ndarray]:
    patient = await db.get(Patient, session.patient_id)
    if patient is None:
        raise not_found("patient")
    reader = ArchiveReader(ctx.settings.archive_dir, patient.mrn, session.stream_session)
    n = reader.n_samples()
    if n == 0:
        raise ApiError(404, "no samples archived for this session yet")
    if n > MAX_EXPORT_SAMPLES:
        raise ApiError(413, "session too long to export in one piece")
    return patient, await anyio.to_thread.run_sync(reader.read_all)


async def _record_files(ctx: AppContext, db: Db, user: Viewer, session_id: int) -> dict[str, bytes]:
    session = await get_session_or_404(db, session_id)
    patient, signal = await _signal(ctx, db, session)
    audit(db, user, "read", "wfdb", session.id, patient.id)
    await db.commit()
    comments = f"VitalStream session {session.id} started {session.started_at.isoformat()}"
    return await anyio.to_thread.run_sync(record_files, signal, session.fs, record_name(session.id), comments)


@router.get("/api/sessions/{session_id}/wfdb.zip", response_class=Response,
            responses={200: {"content": {"application/zip": {}}, "description": "s<ID>.hea/.dat/.atr"}},
            summary="The session as a WFDB record with the monitor's annotations")
async def wfdb_zip(session_id: SessionId, user: Viewer, ctx: Ctx, db: Db) -> Response:
    files = await _record_files(ctx, db, user, session_id)
    return Response(zip_files(files), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{record_name(session_id)}.zip"'})


@router.get("/api/sessions/{session_id}/wfdb/{filename}", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}},
            summary="One file of the WFDB record: s<ID>.hea, s<ID>.dat or s<ID>.atr")
async def wfdb_file(session_id: SessionId, filename: Annotated[str, Path(max_length=32)], user: Viewer,
                    ctx: Ctx, db: Db) -> Response:
    m = _FILE_RE.match(filename)
    if m is None or int(m.group(1)) != session_id:
        raise ApiError(404, f"files of this record are {record_name(session_id)}.hea/.dat/.atr")
    files = await _record_files(ctx, db, user, session_id)
    media = "text/plain" if filename.endswith(".hea") else "application/octet-stream"
    return Response(files[filename], media_type=media)


@router.get("/api/reports/{session_id}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}}, summary="PDF report of a session")
async def report(session_id: SessionId, user: Viewer, ctx: Ctx, db: Db) -> Response:
    session = await get_session_or_404(db, session_id)
    patient, signal = await _signal(ctx, db, session)
    device = await db.get(Device, session.device_id) if session.device_id else None
    rows = (await db.execute(select(Alarm, User.username).join(User, User.id == Alarm.acknowledged_by, isouter=True)
                             .where(Alarm.session_id == session.id).order_by(Alarm.onset_sample))).all()
    alarms = [AlarmLine(a.type, a.severity, a.onset_sample, a.value, alarm_state(a), who) for a, who in rows]
    audit(db, user, "read", "report", session.id, patient.id)
    await db.commit()
    pinfo = PatientInfo(patient.name, patient.mrn, patient.birth_date, patient.sex, patient.ward, patient.bed)
    sinfo = SessionInfo(session.id, session.fs, session.started_at, session.ended_at, session.status,
                        device.name if device else None)

    def build() -> bytes:
        analysis = analyse(signal, session.fs)
        return build_report(pinfo, sinfo, signal, analysis.events, analysis.hrv, alarms, utcnow(), user.username)

    pdf = await anyio.to_thread.run_sync(build)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="session-{session.id}.pdf"'})
