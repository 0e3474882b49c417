"""One error body for every failure: {"error": {"code", "message", "details"?}}."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("vitalstream.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None,
                 details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def error_body(status: int, message: str, code: str | None = None, details: Any = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code or _CODES.get(status, "error"), "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only location, message and type: the offending input may be huge, binary or NaN
    # (not representable in strict JSON).
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in exc.errors()][:20]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message, exc.code, exc.details),
                            status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return JSONResponse(error_body(exc.status_code, message), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(422, "request validation failed", details=_validation_details(exc)),
                            status_code=422)

    @app.exception_handler(DataError)
    async def _data_error(_: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL refused a value the validation let through (NUL characters, overflow).
        return JSONResponse(error_body(422, "a value cannot be stored (NUL character or out of range)"),
                            status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(500, "internal error", "internal_error"), status_code=500)


__all__ = ["ApiError", "HTTPException", "install_error_handlers", "error_body", "not_found"]
