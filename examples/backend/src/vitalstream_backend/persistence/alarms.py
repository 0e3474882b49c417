"""Global alarms stream -> alarms table. The row key is (patient, session, alarm type, onset
sample): the alarm's raise and its later end (technical alarms raised open) land on one row,
and a redelivered entry finds its row already there (INSERT ... ON CONFLICT), so the table
holds every alarm exactly once whatever the consumer's crashes. Entries are acknowledged
only after the transaction that stored them committed."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal_column
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.models import Alarm
from .registry import Registry

SEVERITY = {2: "critical", 1: "warning", 0: "advisory"}
TECH_FIRST_CODE = 32
SIGNAL_LOST_CODE = 32  # VS_RHYTHM_TECH_SIGNAL_LOST


def _f(fields: dict[str, str], name: str, default: str = "") -> str:
    return fields.get(name, default)


def alarm_values(fields: dict[str, str], patient_id: int, session_id: int, started_at: datetime,
                 fs: int) -> dict[str, Any] | None:
    """Row values of one alarms-stream entry (None for entries that are not alarms)."""
    kind = _f(fields, "type")
    if kind not in ("alarm", "technical"):
        return None
    try:
        sample = int(_f(fields, "sample", "0"))
        end = int(_f(fields, "end", "-1"))
        code = int(_f(fields, "code", "0"))
        severity_code = int(_f(fields, "severity", "0"))
        value = float(_f(fields, "value", "nan"))
    except ValueError:
        return None
    name = _f(fields, "name", kind)[:32] or kind
    technical = kind == "technical" or code >= TECH_FIRST_CODE
    if kind == "alarm" and code == SIGNAL_LOST_CODE:
        name = "signal lost"  # the library names only physiological types
    severity = "advisory" if kind == "technical" else SEVERITY.get(severity_code, "warning")
    onset_at = started_at + timedelta(seconds=max(sample, 0) / fs)
    return {
        "event_key": f"{session_id}:{name}:{sample}"[:128],
        "patient_id": patient_id, "session_id": session_id, "type": name, "severity": severity,
        "technical": technical, "onset_sample": sample, "onset_at": onset_at,
        "offset_at": started_at + timedelta(seconds=end / fs) if end >= 0 else None,
        "value": value if math.isfinite(value) else None,
    }


async def store_alarms(db: AsyncSession, registry: Registry,
                       entries: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Upsert the batch; returns (alarm id, change) for rows that are new ('raised') or just
    got their end ('ended'), to announce after the commit."""
    changes: list[tuple[int, str]] = []
    for fields in entries:
        patient = _f(fields, "patient")
        try:
            stream_session = int(_f(fields, "session", "0"))
        except ValueError:
            continue
        if not patient or stream_session <= 0:
            continue  # poison without a patient: nothing to attach it to (kept in the dead letters)
        ref = await registry.resolve(patient, stream_session)
        values = alarm_values(fields, ref.patient_id, ref.session_id, ref.started_at, ref.fs)
        if values is None:
            continue
        ins = insert(Alarm).values(**values)
        stmt: Any = ins.on_conflict_do_update(
            index_elements=["event_key"],
            set_={"offset_at": func.coalesce(Alarm.offset_at, ins.excluded.offset_at)},
        ).returning(Alarm.id, literal_column("xmax = 0").label("inserted"),
                    Alarm.offset_at)
        row = (await db.execute(stmt)).one()
        if row.inserted:
            changes.append((row.id, "raised"))
        elif values["offset_at"] is not None:
            changes.append((row.id, "ended"))
    return changes
