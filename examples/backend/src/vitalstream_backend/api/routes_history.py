"""Patient history: per-minute trends (HR, HRV) and rhythm episodes."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from ..auth.deps import Viewer
from ..auth.principal import UserPrincipal
from ..db.models import Episode, Trend
from .audit import audit
from .context import Db
from .routes_patients import PatientId, get_patient_or_404

router = APIRouter(prefix="/api/patients", tags=["history"])

MAX_ROWS = 10_080  # one week of minutes
Row = TypeVar("Row", Trend, Episode)


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


async def _history(db: Db, user: UserPrincipal, model: type[Row], time_column: InstrumentedAttribute[datetime],
                   patient_id: int, since: datetime | None, until: datetime | None, session_id: int | None,
                   what: str) -> Sequence[Row]:
    """A patient's rows of one history table in [since, until), oldest first (audited)."""
    patient = await get_patient_or_404(db, patient_id)
    query = select(model).where(model.patient_id == patient.id).order_by(time_column).limit(MAX_ROWS)
    if since is not None:
        query = query.where(time_column >= since)
    if until is not None:
        query = query.where(time_column < until)
    if session_id is not None:
        query = query.where(model.session_id == session_id)
    rows = (await db.execute(query)).scalars().all()
    audit(db, user, "read", what, patient.id, patient.id)
    await db.commit()
    return rows


@router.get("/{patient_id}/trends", response_model=Trends, summary="Per-minute HR and HRV")
async def trends(patient_id: PatientId, user: Viewer, db: Db, since: Since = None, until: Until = None,
                 session_id: SessionFilter = None) -> Trends:
    rows = await _history(db, user, Trend, Trend.minute, patient_id, since, until, session_id, "trends")
    return Trends(items=[TrendOut.model_validate(r) for r in rows])


@router.get("/{patient_id}/episodes", response_model=Episodes, summary="Rhythm episodes")
async def episodes(patient_id: PatientId, user: Viewer, db: Db, since: Since = None, until: Until = None,
                   session_id: SessionFilter = None) -> Episodes:
    rows = await _history(db, user, Episode, Episode.onset_at, patient_id, since, until, session_id, "episodes")
    return Episodes(items=[EpisodeOut.model_validate(r) for r in rows])
