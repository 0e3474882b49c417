"""Operations endpoints (no auth, outside the OpenAPI schema, no patient data):
/healthz (process alive), /readyz (PostgreSQL and Redis answer), /metrics (Prometheus)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from sqlalchemy import text

from .context import get_ctx

router = APIRouter(include_in_schema=False)

LIVE_CLIENTS = Gauge("vitalstream_api_live_clients", "Connected SSE/WebSocket clients")
LIVE_MESSAGES = Gauge("vitalstream_api_live_messages", "Pub/sub messages handled by this process")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    checks: dict[str, str] = {}

    async def db() -> None:
        async with ctx.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    for name, probe in (("postgres", db()), ("redis", ctx.redis.ping())):
        try:
            await asyncio.wait_for(probe, 2.0)
            checks[name] = "ok"
        except Exception as exc:  # any failure means not ready
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(request: Request) -> PlainTextResponse:
    ctx = get_ctx(request)
    LIVE_CLIENTS.set(len(ctx.hub.subscribers))
    LIVE_MESSAGES.set(ctx.hub.messages)
    return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)
