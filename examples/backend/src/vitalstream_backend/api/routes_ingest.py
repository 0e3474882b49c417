"""Device ingest (per-device API key, never user tokens): start a session, POST 1-second
chunks, end it — or stream the chunks over /ws/ingest. Everything is validated here so that
only well-formed entries reach the worker tier's streams."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Path, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select

from ..auth.deps import CurrentDevice, device_from_key
from ..auth.principal import DevicePrincipal
from ..db.models import Device, EcgSession, Patient
from .audit import audit
from .context import AppContext, Ctx, Db, get_ctx
from .errors import ApiError, not_found
from .routes_patients import MRN_PATTERN
from .routes_sessions import SessionOut, session_out
from .session_control import start_session, stop_session
from .streams import submit_chunk
from .ttl_cache import TtlCache

router = APIRouter(prefix="/api/ingest", tags=["ingest"])
ws_router = APIRouter()

SessionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_ABS_MV = 50.0  # beyond any surface ECG: a unit or scaling error, not a signal


class IngestStart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    mrn: str | None = Field(default=None, pattern=MRN_PATTERN)
    fs: int = Field(ge=1, le=100_000)


class Chunk(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seq: int = Field(ge=0, le=10**9, description="0, 1, 2, ... within the session")
    fs: int = Field(ge=1, le=100_000, description="must equal the session's rate")
    samples_b64: str = Field(min_length=4, max_length=1_000_000,
                             description="base64 of little-endian float32 samples in mV")


class Accepted(BaseModel):
    session_id: int
    seq: int
    samples: int


class Ended(BaseModel):
    session_id: int
    chunks: int


def decode_samples(chunk: Chunk, session_fs: int, max_seconds: int) -> np.ndarray:
    if chunk.fs != session_fs:
        raise ApiError(422, f"chunk fs {chunk.fs} Hz differs from the session's {session_fs} Hz")
    try:
        raw = base64.b64decode(chunk.samples_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "samples_b64 is not valid base64") from None
    if len(raw) % 4:
        raise ApiError(422, f"samples must be float32: {len(raw)} bytes is not a multiple of 4")
    samples = np.frombuffer(raw, dtype="<f4")
    limit = min(65536, max_seconds * session_fs)
    if not 1 <= len(samples) <= limit:
        raise ApiError(422, f"a chunk holds 1..{limit} samples ({max_seconds} s), got {len(samples)}")
    if not np.isfinite(samples).all():
        raise ApiError(422, "samples contain NaN or infinity")
    if float(np.abs(samples).max()) > MAX_ABS_MV:
        raise ApiError(422, f"samples beyond ±{MAX_ABS_MV:g} mV (units must be mV)")
    return samples


async def _device_session(ctx: AppContext, db: Db, device: DevicePrincipal,
                          session_id: int) -> tuple[EcgSession, Patient]:
    session = await db.get(EcgSession, session_id)
    if session is None or session.device_id != device.device_id:
        raise not_found("session")  # another device's session is not even revealed
    patient = await db.get(Patient, session.patient_id)
    assert patient is not None
    return session, patient


@router.post("/sessions", response_model=SessionOut, status_code=201,
             responses={404: {"description": "unknown patient"}, 409: {"description": "already running"}})
async def ingest_start(body: IngestStart, device: CurrentDevice, ctx: Ctx, db: Db) -> SessionOut:
    if (body.patient_id is None) == (body.mrn is None):
        raise ApiError(422, "give exactly one of patient_id and mrn")
    if body.patient_id is not None:
        patient = await db.get(Patient, body.patient_id)
    else:
        patient = (await db.execute(select(Patient).where(Patient.mrn == body.mrn))).scalar_one_or_none()
    if patient is None:
        raise not_found("patient")
    if device.patient_id is not None and device.patient_id != patient.id:
        raise ApiError(403, "this device is assigned to another patient")
    row = await db.get(Device, device.device_id)
    session = await start_session(ctx, db, patient, row, body.fs)
    audit(db, device, "create", "session", session.id, patient.id)
    await db.commit()
    return session_out(ctx, session, patient)


@dataclass(frozen=True)
class _Target:
    """What a chunk needs of its session: where it goes in the streams."""
    device_id: int | None
    status: str
    fs: int
    mrn: str
    stream_session: int


# Read once per SESSION_CACHE_S per session instead of once per chunk; a stopped session may
# accept chunks for that long (the workers ignore chunks after its end marker).
SESSION_CACHE_S = 2.0
_targets: TtlCache[int, _Target] = TtlCache(SESSION_CACHE_S)


async def accept_chunk(ctx: AppContext, db: Db, device: DevicePrincipal, session_id: int,
                       chunk: Chunk) -> Accepted:
    target = _targets.get(session_id)
    if target is None:
        row = await db.get(EcgSession, session_id)
        patient = await db.get(Patient, row.patient_id) if row is not None else None
        if row is None or patient is None:
            raise not_found("session")
        target = _Target(row.device_id, row.status, row.fs, patient.mrn, row.stream_session)
        _targets.put(session_id, target)
    if target.device_id != device.device_id:
        raise not_found("session")  # another device's session is not even revealed
    if target.status != "active":
        raise ApiError(409, f"session is {target.status}")
    samples = decode_samples(chunk, target.fs, ctx.settings.max_chunk_seconds)
    await submit_chunk(ctx.redis, ctx.shards, target.mrn, target.stream_session, chunk.seq,
                       target.fs, samples)
    return Accepted(session_id=session_id, seq=chunk.seq, samples=len(samples))


@router.post("/sessions/{session_id}/chunks", response_model=Accepted, status_code=202,
             responses={422: {"description": "malformed chunk (fs, base64, NaN, size)"}})
async def ingest_chunk(session_id: SessionId, chunk: Chunk, device: CurrentDevice, ctx: Ctx, db: Db) -> Accepted:
    return await accept_chunk(ctx, db, device, session_id, chunk)


@router.post("/sessions/{session_id}/end", response_model=Ended, status_code=202)
async def ingest_end(session_id: SessionId, device: CurrentDevice, ctx: Ctx, db: Db) -> Ended:
    session, patient = await _device_session(ctx, db, device, session_id)
    chunks = await stop_session(ctx, db, session, "ended by device")
    _targets.discard(session.id)
    audit(db, device, "update", "session", session.id, patient.id, detail={"end": True, "chunks": chunks})
    await db.commit()
    return Ended(session_id=session.id, chunks=chunks)


@ws_router.websocket("/ws/ingest")
async def ws_ingest(websocket: WebSocket, session: int) -> None:
    """Streaming device: header X-Device-Key, query ?session=ID; text frames with the chunk
    JSON of POST .../chunks; each answered by {"ok": true, "seq"} or {"ok": false, "error"}."""
    ctx = get_ctx(websocket)
    key = websocket.headers.get("x-device-key", "")
    try:
        device = await device_from_key(ctx, key, websocket.client.host if websocket.client else None)
    except ApiError:
        # Accept first so the client sees the close code (a refused handshake is a bare 403).
        await websocket.accept()
        await websocket.close(code=4401, reason="invalid device key")
        return
    await websocket.accept()
    try:
        while True:
            text = await websocket.receive_text()
            reply: dict[str, Any]
            try:
                if len(text) > 1_100_000:
                    raise ApiError(413, "frame too large")
                chunk = Chunk.model_validate(json.loads(text))
                async with ctx.sessions() as db:
                    accepted = await accept_chunk(ctx, db, device, session, chunk)
                reply = {"ok": True, "seq": accepted.seq}
            except ApiError as exc:
                reply = {"ok": False, "status": exc.status, "error": exc.message}
            except (ValidationError, ValueError):
                reply = {"ok": False, "status": 422, "error": "malformed chunk"}
            await websocket.send_text(json.dumps(reply))
    except WebSocketDisconnect:
        return
