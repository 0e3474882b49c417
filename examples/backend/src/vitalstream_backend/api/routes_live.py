"""Live feeds: /sse/events (alarms) and /ws/ecg (waveform, beats, alarms of subscribed
patients). Browsers cannot send an Authorization header here, so both accept a one-time
ticket from POST /api/auth/stream-ticket (?ticket=); SSE also accepts the header. A feed stays
open while its login (refresh family) is alive and closes once the user logs out."""
from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import StreamingResponse

from ..auth import revocation
from ..auth.deps import client_ip, principal_from_access_token, principal_from_claims, unauthorized
from ..auth.principal import UserPrincipal
from ..auth.tickets import redeem_ticket
from .audit import audit
from .context import AppContext, get_ctx
from .errors import ApiError
from .live_hub import Subscriber

router = APIRouter()

KEEPALIVE_S = 15.0
RECHECK_S = 30.0


async def _principal(ctx: AppContext, ticket: str | None, authorization: str | None,
                     ip: str | None) -> UserPrincipal:
    if ticket:
        redeemed = await redeem_ticket(ctx.redis, ticket)
        if redeemed is None:
            raise unauthorized("invalid or used ticket")
        user_id, jti, family = redeemed
        return await principal_from_claims(ctx, user_id, jti, family, 0, ip)
    if authorization and authorization.lower().startswith("bearer "):
        return await principal_from_access_token(ctx, authorization[7:].strip(), ip)
    raise unauthorized("not authenticated")


async def _audit_view(ctx: AppContext, user: UserPrincipal, patient_ids: set[int] | None) -> None:
    """Watching live ECG is a read of patient data: one audit row per subscription."""
    async with ctx.sessions() as db:
        if patient_ids is None:
            audit(db, user, "read", "live_ecg", "all")
        for pid in sorted(patient_ids or ())[:100]:
            audit(db, user, "read", "live_ecg", pid, pid)
        await db.commit()


async def _still_logged_in(ctx: AppContext, user: UserPrincipal) -> bool:
    return await revocation.family_active(ctx.redis, user.family)


@router.get("/sse/events", include_in_schema=False)
async def sse_events(request: Request, ticket: Annotated[str | None, Query(max_length=64)] = None,
                     patient_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> StreamingResponse:
    ctx = get_ctx(request)
    user = await _principal(ctx, ticket, request.headers.get("authorization"), client_ip(request))
    sub = Subscriber({patient_id} if patient_id else None, alarms_only=True)
    ctx.hub.add(sub)

    async def stream() -> AsyncIterator[str]:
        try:
            yield "retry: 2000\n\n"
            last_check = last_sent = time.monotonic()
            while True:
                try:
                    # Short waits so a vanished client is noticed within a second.
                    text = await asyncio.wait_for(sub.next(), 1.0)
                except asyncio.TimeoutError:
                    if time.monotonic() - last_sent > KEEPALIVE_S:
                        last_sent = time.monotonic()
                        yield ": keep-alive\n\n"
                else:
                    last_sent = time.monotonic()
                    data = json.loads(text)
                    yield f"id: {data['alarm']['id']}\nevent: alarm\ndata: {text}\n\n"
                if time.monotonic() - last_check > RECHECK_S:
                    last_check = time.monotonic()
                    if not await _still_logged_in(ctx, user):
                        yield "event: logout\ndata: {}\n\n"
                        return
                if await request.is_disconnected():
                    return
        finally:
            ctx.hub.remove(sub)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _patient_ids(value: Any) -> set[int] | None:
    if value == "all":
        return None
    if not isinstance(value, list) or len(value) > 1000:
        raise ValueError("patient_ids must be a list of at most 1000 ids or \"all\"")
    return {int(v) for v in value if isinstance(v, int) and not isinstance(v, bool) and v > 0}


@router.websocket("/ws/ecg")
async def ws_ecg(websocket: WebSocket, ticket: str | None = None) -> None:
    ctx = get_ctx(websocket)
    ip = websocket.client.host if websocket.client else None
    try:
        user = await _principal(ctx, ticket, websocket.headers.get("authorization"), ip)
    except ApiError as exc:
        await websocket.accept()  # so that the client sees the close code
        await websocket.close(code=4401, reason=exc.message)
        return
    await websocket.accept()
    sub = Subscriber(set())
    ctx.hub.add(sub)

    async def sender() -> None:
        while True:
            await websocket.send_text(await sub.next())

    async def watchdog() -> None:
        while True:
            await asyncio.sleep(RECHECK_S)
            if not await _still_logged_in(ctx, user):
                await websocket.close(code=4401, reason="logged out")
                return

    tasks = [asyncio.create_task(sender()), asyncio.create_task(watchdog())]
    try:
        while True:
            text = await websocket.receive_text()
            try:
                msg = json.loads(text)
                if not isinstance(msg, dict):
                    raise ValueError("message must be an object")
                kind = msg.get("type")
                if kind == "subscribe":
                    ids = _patient_ids(msg.get("patient_ids"))
                    await _audit_view(ctx, user, ids)
                    if ids is None:
                        sub.patients = None
                    elif sub.patients is not None:
                        sub.patients |= ids
                elif kind == "unsubscribe":
                    ids = _patient_ids(msg.get("patient_ids"))
                    sub.patients = set() if ids is None else (sub.patients or set()) - ids
                elif kind == "ping":
                    sub.offer(json.dumps({"type": "pong", "t": time.time()}))
                else:
                    raise ValueError("unknown message type")
            except (ValueError, TypeError) as exc:
                sub.offer(json.dumps({"type": "error", "message": str(exc)[:200]}))
    except WebSocketDisconnect:
        pass
    finally:
        ctx.hub.remove(sub)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
