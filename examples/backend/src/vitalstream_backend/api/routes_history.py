"""Patient history: per-minute trends (HR, HRV) and rhythm episodes."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from ..auth.deps import Viewer
from ..db.models import Episode, Trend
from .audit import audit
from .context import Db
from .routes_patients import PatientId, get_patient_or_404

router = APIRouter(prefix="/api/patients", tags=["history"])

MAX_ROWS = 10_080  # one week of minutes


class TrendOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    session_id: int
    minute: datetime
    beats: int
    hr_bpm: float | None
    sdnn_ms: float | None
    rmssd_ms: float | None


class EpisodeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    session_id: int
    rhythm: str
    onset_at: datetime
    offset_at: datetime | None


class Trends(BaseModel):
    items: list[TrendOut]


class Episodes(BaseModel):
    items: list[EpisodeOut]


Since = Annotated[datetime | None, Query(description="from (inclusive), ISO-8601")]
Until = Annotated[datetime | None, Query(description="to (exclusive), ISO-8601")]
SessionFilter = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


@router.get("/{patient_id}/trends", response_model=Trends, summary="Per-minute HR and HRV")
async def trends(patient_id: PatientId, user: Viewer, db: Db, since: Since = None, until: Until = None,
                 session_id: SessionFilter = None) -> Trends:
    patient = await get_patient_or_404(db, patient_id)
    query = select(Trend).where(Trend.patient_id == patient.id).order_by(Trend.minute).limit(MAX_ROWS)
    if since is not None:
        query = query.where(Trend.minute >= since)
    if until is not None:
        query = query.where(Trend.minute < until)
    if session_id is not None:
        query = query.where(Trend.session_id == session_id)
    rows = (await db.execute(query)).scalars().all()
    audit(db, user, "read", "trends", patient.id, patient.id)
    await db.commit()
    return Trends(items=[TrendOut.model_validate(r) for r in rows])


@router.get("/{patient_id}/episodes", response_model=Episodes, summary="Rhythm episodes")
async def episodes(patient_id: PatientId, user: Viewer, db: Db, since: Since = None, until: Until = None,
                   session_id: SessionFilter = None) -> Episodes:
    patient = await get_patient_or_404(db, patient_id)
    query = select(Episode).where(Episode.patient_id == patient.id).order_by(Episode.onset_at).limit(MAX_ROWS)
    if since is not None:
        query = query.where(Episode.onset_at >= since)
    if until is not None:
        query = query.where(Episode.onset_at < until)
    if session_id is not None:
        query = query.where(Episode.session_id == session_id)
    rows = (await db.execute(query)).scalars().all()
    audit(db, user, "read", "episodes", patient.id, patient.id)
    await db.commit()
    return Episodes(items=[EpisodeOut.model_validate(r) for r in rows])
