"""Serving the Angular build at / with index.html for client-side routes (deep links)."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from .errors import error_body

_API_PREFIXES = ("/api/", "/ws/", "/sse/", "/docs", "/redoc", "/openapi.json", "/metrics",
                 "/healthz", "/readyz")


def mount_frontend(app: FastAPI, static_dir: Path) -> None:
    root = static_dir.resolve()
    index = root / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    async def frontend(path: str, request: Request) -> Response:
        if request.url.path.startswith(_API_PREFIXES):
            from fastapi.responses import JSONResponse
            return JSONResponse(error_body(404, "not found"), status_code=404)
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            # Hashed bundle names may be cached; index.html never (it names the bundles).
            return FileResponse(candidate, headers={"Cache-Control": "public, max-age=31536000, immutable"}
                                if candidate.name != "index.html" else {"Cache-Control": "no-cache"})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
