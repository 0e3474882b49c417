"""Per-patient event streams -> per-minute trends and rhythm episodes, exactly once.

The consumer's position in each patient's event stream is a row of stream_cursors, written in
the same transaction as the trend/episode rows derived from the entries up to it: after a
crash the transaction either happened (cursor moved) or did not (entries are read again)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.base import utcnow
from ..db.models import EcgSession, Episode, StreamCursor, Trend
from .registry import Registry, SessionRef

RR_MIN_MS, RR_MAX_MS = 200.0, 3000.0


@dataclass
class MinuteSums:
    beats: int = 0
    rr_sum: float = 0.0
    rr_n: int = 0
    nn_sum: float = 0.0
    nn_sq: float = 0.0
    nn_n: int = 0
    sd_sq: float = 0.0
    sd_n: int = 0


@dataclass
class SessionBatch:
    ref: SessionRef
    minutes: dict[int, MinuteSums] = field(default_factory=dict)


def _derived(s: MinuteSums) -> dict[str, float | None]:
    """HR, SDNN and RMSSD of a minute whose beats all came in one batch (the same formulas as
    the SQL below, which merges later batches)."""
    sdnn = None
    if s.nn_n > 1:
        sdnn = math.sqrt(max((s.nn_sq - s.nn_sum * s.nn_sum / s.nn_n) / (s.nn_n - 1), 0.0))
    return {"hr_bpm": 60000.0 * s.rr_n / s.rr_sum if s.rr_n > 0 and s.rr_sum > 0 else None,
            "sdnn_ms": sdnn, "rmssd_ms": math.sqrt(s.sd_sq / s.sd_n) if s.sd_n > 0 else None}


def _trend_upsert(ref: SessionRef, minute_index: int, s: MinuteSums) -> Any:
    t = Trend.__table__.c
    stmt = insert(Trend).values(
        patient_id=ref.patient_id, session_id=ref.session_id, minute_index=minute_index,
        minute=ref.started_at + timedelta(minutes=minute_index), beats=s.beats,
        rr_sum_ms=s.rr_sum, rr_count=s.rr_n, nn_sum_ms=s.nn_sum, nn_sq_sum=s.nn_sq, nn_count=s.nn_n,
        sd_sq_sum=s.sd_sq, sd_count=s.sd_n, **_derived(s))
    ex = stmt.excluded
    rr_sum, rr_n = t.rr_sum_ms + ex.rr_sum_ms, t.rr_count + ex.rr_count
    nn_sum, nn_sq, nn_n = t.nn_sum_ms + ex.nn_sum_ms, t.nn_sq_sum + ex.nn_sq_sum, t.nn_count + ex.nn_count
    sd_sq, sd_n = t.sd_sq_sum + ex.sd_sq_sum, t.sd_count + ex.sd_count
    return stmt.on_conflict_do_update(
        constraint="uq_trends_session_minute",
        set_={
            "beats": t.beats + ex.beats, "rr_sum_ms": rr_sum, "rr_count": rr_n, "nn_sum_ms": nn_sum,
            "nn_sq_sum": nn_sq, "nn_count": nn_n, "sd_sq_sum": sd_sq, "sd_count": sd_n,
            "hr_bpm": case((rr_n > 0, 60000.0 * rr_n / func.nullif(rr_sum, 0)), else_=None),
            "sdnn_ms": case((nn_n > 1, func.sqrt(func.greatest(
                (nn_sq - nn_sum * nn_sum / nn_n) / (nn_n - 1), 0))), else_=None),
            "rmssd_ms": case((sd_n > 0, func.sqrt(sd_sq / func.nullif(sd_n, 0))), else_=None),
        })


FAILURES = ("state_corrupt", "session_rejected")  # technical events that stop a session


def session_outcome(kind: str, f: dict[str, str]) -> tuple[str, str] | None:
    """(status, end_reason) of the session row when the worker ended or failed the session."""
    name = f.get("name", "")
    if kind == "technical" and name in FAILURES:
        return "error", "%s: %s" % (name, f.get("reason", ""))
    if kind != "session_end":
        return None
    reasons = {"end": "end of stream", "superseded": "superseded"}
    return "ended", reasons.get(name) or "%s: %s" % (name, f.get("reason", ""))


async def apply_events(db: AsyncSession, registry: Registry, stream: str,
                       entries: list[tuple[str, dict[str, str]]]) -> None:
    """Fold a batch of one patient's event entries into trends/episodes and move the cursor
    (the caller commits)."""
    cursor = await db.get(StreamCursor, stream, with_for_update=True)
    state: dict[str, Any] = dict(cursor.state or {}) if cursor else {}
    patient = stream.split("{", 1)[1].split("}", 1)[0]
    batches: dict[int, SessionBatch] = {}
    for _entry_id, f in entries:
        kind = f.get("type", "")
        try:
            stream_session = int(f.get("session", "0"))
            sample = int(f.get("sample", "0"))
        except ValueError:
            continue
        if stream_session <= 0:
            continue
        outcome = session_outcome(kind, f)
        if outcome is not None:
            ref = await registry.resolve(patient, stream_session)
            await db.execute(update(EcgSession).where(
                EcgSession.id == ref.session_id, EcgSession.status == "active").values(
                    status=outcome[0], end_reason=outcome[1][:64], ended_at=utcnow()))
            continue
        if kind not in ("beat", "rhythm"):
            continue
        batch = batches.get(stream_session)
        if batch is None:
            batch = batches[stream_session] = SessionBatch(await registry.resolve(patient, stream_session))
        ref = batch.ref
        if kind == "rhythm":
            try:
                end = int(f.get("end", "-1"))
            except ValueError:
                end = -1
            name = f.get("name", "unknown")[:32]
            stmt = insert(Episode).values(
                event_key=f"{ref.session_id}:{name}:{sample}"[:128], patient_id=ref.patient_id,
                session_id=ref.session_id, rhythm=name, onset_sample=sample,
                offset_sample=end if end >= 0 else None,
                onset_at=ref.started_at + timedelta(seconds=sample / ref.fs),
                offset_at=ref.started_at + timedelta(seconds=end / ref.fs) if end >= 0 else None)
            await db.execute(stmt.on_conflict_do_update(
                index_elements=["event_key"],
                set_={"offset_sample": stmt.excluded.offset_sample, "offset_at": stmt.excluded.offset_at}
                if end >= 0 else {"rhythm": stmt.excluded.rhythm}))
            continue
        # A beat: its RR (value) belongs to the minute of the beat.
        key = str(stream_session)
        prev = state.get(key, {})
        minute = sample // (ref.fs * 60)
        sums = batch.minutes.setdefault(minute, MinuteSums())
        sums.beats += 1
        try:
            rr = float(f.get("value", "nan"))
        except ValueError:
            rr = float("nan")
        normal = f.get("name") == "N"
        if RR_MIN_MS <= rr <= RR_MAX_MS and prev.get("seen"):
            sums.rr_sum += rr
            sums.rr_n += 1
            if normal and prev.get("normal"):
                sums.nn_sum += rr
                sums.nn_sq += rr * rr
                sums.nn_n += 1
                last_nn = prev.get("nn")
                if last_nn is not None:
                    sums.sd_sq += (rr - last_nn) ** 2
                    sums.sd_n += 1
                prev["nn"] = rr
            else:
                prev["nn"] = None
        prev["seen"], prev["normal"] = True, normal
        state[key] = prev
    for batch in batches.values():
        for minute, sums in sorted(batch.minutes.items()):
            await db.execute(_trend_upsert(batch.ref, minute, sums))
    # Keep the per-session carry-over of the latest sessions only.
    if len(state) > 4:
        state = {k: state[k] for k in sorted(state, key=int)[-4:]}
    last_id = entries[-1][0]
    if cursor is None:
        db.add(StreamCursor(stream=stream, last_id=last_id, state=state))
    else:
        cursor.last_id, cursor.state = last_id, state


async def load_cursors(db: AsyncSession, streams: list[str]) -> dict[str, str]:
    rows = (await db.execute(select(StreamCursor.stream, StreamCursor.last_id)
                             .where(StreamCursor.stream.in_(streams)))).all()
    return {s: i for s, i in rows}
