"""/api/alarms: filter by patient, severity, time and state; acknowledge and resolve."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from ..auth.deps import Clinician, Viewer
from ..db.base import utcnow
from ..db.models import Alarm
from .alarm_view import AlarmOut, alarm_out
from .audit import audit
from .context import Ctx, Db, get_or_404
from .live_events import publish_alarm
from .pagination import Page, Paging, paginate

router = APIRouter(prefix="/api/alarms", tags=["alarms"])

AlarmId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("", response_model=Page[AlarmOut], summary="Alarms, newest first")
async def list_alarms(
        user: Viewer, db: Db, paging: Paging,
        patient_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
        session_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
        severity: Literal["critical", "warning", "advisory"] | None = None,
        state: Literal["active", "acknowledged", "resolved", "open"] | None = Query(
            default=None, description="open = active or acknowledged"),
        technical: bool | None = None,
        since: datetime | None = None, until: datetime | None = None) -> Page[AlarmOut]:
    query = select(Alarm).order_by(Alarm.onset_at.desc(), Alarm.id.desc())
    if patient_id is not None:
        query = query.where(Alarm.patient_id == patient_id)
    if session_id is not None:
        query = query.where(Alarm.session_id == session_id)
    if severity is not None:
        query = query.where(Alarm.severity == severity)
    if technical is not None:
        query = query.where(Alarm.technical == technical)
    if state == "active":
        query = query.where(Alarm.resolved_at.is_(None), Alarm.acknowledged_at.is_(None))
    elif state == "acknowledged":
        query = query.where(Alarm.resolved_at.is_(None), Alarm.acknowledged_at.is_not(None))
    elif state == "resolved":
        query = query.where(Alarm.resolved_at.is_not(None))
    elif state == "open":
        query = query.where(Alarm.resolved_at.is_(None))
    if since is not None:
        query = query.where(Alarm.onset_at >= since)
    if until is not None:
        query = query.where(Alarm.onset_at < until)
    rows, total = await paginate(db, query, paging)
    audit(db, user, "read", "alarm_list", patient_id=patient_id, detail={"count": len(rows)})
    await db.commit()
    return Page(items=[alarm_out(a) for a in rows], total=total, page=paging.page,
                page_size=paging.page_size)


async def _get(db: Db, alarm_id: int) -> Alarm:
    return await get_or_404(db, Alarm, alarm_id, "alarm")


@router.get("/{alarm_id}", response_model=AlarmOut)
async def get_alarm(alarm_id: AlarmId, user: Viewer, db: Db) -> AlarmOut:
    alarm = await _get(db, alarm_id)
    audit(db, user, "read", "alarm", alarm.id, alarm.patient_id)
    await db.commit()
    return alarm_out(alarm)


@router.post("/{alarm_id}/ack", response_model=AlarmOut, summary="Acknowledge (idempotent)")
async def acknowledge(alarm_id: AlarmId, user: Clinician, ctx: Ctx, db: Db) -> AlarmOut:
    alarm = await _get(db, alarm_id)
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at, alarm.acknowledged_by = utcnow(), user.user_id
        audit(db, user, "update", "alarm", alarm.id, alarm.patient_id, detail={"ack": True})
        await db.commit()
        await publish_alarm(ctx.redis, alarm, "acknowledged")
    return alarm_out(alarm)


@router.post("/{alarm_id}/resolve", response_model=AlarmOut, summary="Resolve (idempotent)")
async def resolve(alarm_id: AlarmId, user: Clinician, ctx: Ctx, db: Db) -> AlarmOut:
    alarm = await _get(db, alarm_id)
    if alarm.resolved_at is None:
        now = utcnow()
        if alarm.acknowledged_at is None:
            alarm.acknowledged_at, alarm.acknowledged_by = now, user.user_id
        alarm.resolved_at, alarm.resolved_by = now, user.user_id
        audit(db, user, "update", "alarm", alarm.id, alarm.patient_id, detail={"resolve": True})
        await db.commit()
        await publish_alarm(ctx.redis, alarm, "resolved")
    return alarm_out(alarm)
