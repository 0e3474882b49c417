"""The FastAPI application factory and the `vitalstream-api` entry point."""
from __future__ import annotations

import argparse
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from redis.asyncio import Redis

from .. import keys
from ..config import Settings, load_settings
from ..db.session import make_engine, make_sessionmaker
from . import (routes_alarms, routes_auth, routes_devices, routes_history, routes_ingest,
               routes_live, routes_ops, routes_patients, routes_provision, routes_records,
               routes_sessions, routes_users)
from .context import AppContext
from .errors import install_error_handlers
from .live_hub import LiveHub
from .middleware import BodyLimit, Metrics, SecurityHeaders
from .static import mount_frontend

MAX_BODY_BYTES = 2 * 1024 * 1024

DESCRIPTION = """VitalStream central-station API: patients, ECG sessions, alarms, trends,
waveforms, WFDB downloads and PDF reports. Users authenticate with the OAuth2 password flow
(Bearer JWT, 15 min; refresh tokens rotate); devices ingest with `X-Device-Key`. Errors are
`{"error": {"code", "message", "details"?}}`."""


def shard_count() -> int:
    return int(os.environ.get("VS_SHARDS", keys.DEFAULT_SHARDS))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
        redis = Redis.from_url(settings.redis_url)
        hub = LiveHub(redis, sessions)
        hub.start()
        app.state.ctx = AppContext(settings, engine, sessions, redis, hub, shard_count())
        try:
            yield
        finally:
            await hub.stop()
            await redis.aclose()
            await engine.dispose()

    app = FastAPI(title="VitalStream API", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    install_error_handlers(app)
    for module in (routes_auth, routes_users, routes_patients, routes_devices, routes_sessions,
                   routes_ingest, routes_alarms, routes_history, routes_records, routes_live,
                   routes_ops, routes_provision):
        app.include_router(module.router)
    app.include_router(routes_ingest.ws_router)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_credentials=True, allow_methods=["GET", "POST", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"], max_age=600)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Metrics)
    if settings.static_dir is not None and (settings.static_dir / "index.html").is_file():
        mount_frontend(app, settings.static_dir)
    return app


def main() -> None:
    import uvicorn
    parser = argparse.ArgumentParser(prog="vitalstream-api", description="run the VitalStream web API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--static-dir", type=Path, default=None,
                        help="frontend build to serve at / (env VITALSTREAM_STATIC_DIR)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    if args.static_dir is not None:
        os.environ["VITALSTREAM_STATIC_DIR"] = str(args.static_dir)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level,
                proxy_headers=False, server_header=False, ws_max_size=2 * 1024 * 1024,
                timeout_graceful_shutdown=3)
