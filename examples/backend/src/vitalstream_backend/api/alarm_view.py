"""The API's view of an alarm row (shared by /api/alarms, SSE and the WebSocket feed)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from ..db.models import Alarm


class AlarmOut(BaseModel):
    id: int
    patient_id: int
    session_id: int
    type: str
    severity: str
    technical: bool
    onset_sample: int
    onset_at: datetime
    offset_at: datetime | None
    value: float | None
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    resolved_by: int | None
    resolved_at: datetime | None
    state: str


def alarm_state(alarm: Alarm) -> str:
    if alarm.resolved_at is not None:
        return "resolved"
    if alarm.acknowledged_at is not None:
        return "acknowledged"
    return "active"


def alarm_out(alarm: Alarm) -> AlarmOut:
    value = alarm.value if alarm.value is None or alarm.value == alarm.value else None
    return AlarmOut(id=alarm.id, patient_id=alarm.patient_id, session_id=alarm.session_id,
                    type=alarm.type, severity=alarm.severity,
                    technical=alarm.technical, onset_sample=alarm.onset_sample,
                    onset_at=alarm.onset_at, offset_at=alarm.offset_at, value=value,
                    acknowledged_by=alarm.acknowledged_by, acknowledged_at=alarm.acknowledged_at,
                    resolved_by=alarm.resolved_by, resolved_at=alarm.resolved_at, state=alarm_state(alarm))


def alarm_json(alarm: Alarm) -> dict[str, Any]:
    data: dict[str, Any] = alarm_out(alarm).model_dump(mode="json")
    return data
