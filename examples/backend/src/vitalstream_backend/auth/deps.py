"""FastAPI dependencies: bearer-token users with a minimum role, and device API keys.

Every user request re-reads the user row (deactivation and role changes act at once) and
checks Redis for logout/family revocation, then counts against the per-user rate limit."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy import select
from starlette.requests import HTTPConnection

from ..api.context import AppContext, get_ctx
from ..api.errors import ApiError
from ..api.ratelimit import hit
from ..api.ttl_cache import TtlCache
from ..db.models import Device, User
from ..db.base import utcnow
from . import revocation, tokens
from .device_keys import hash_device_key
from .principal import DevicePrincipal, UserPrincipal

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/login", auto_error=False)
device_key_header = APIKeyHeader(name="X-Device-Key", auto_error=False,
                                 description="Per-device ingest key (admin: POST /api/devices)")

_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def client_ip(conn: HTTPConnection) -> str | None:
    return conn.client.host if conn.client else None


def unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers=_UNAUTHORIZED)


async def principal_from_access_token(ctx: AppContext, token: str, ip: str | None) -> UserPrincipal:
    try:
        claims = tokens.decode(ctx.settings.jwt_secret, token, "access")
    except tokens.TokenError as exc:
        raise unauthorized(str(exc)) from None
    return await principal_from_claims(ctx, claims.user_id, claims.jti, claims.family,
                                       claims.expires_at, ip)


async def principal_from_claims(ctx: AppContext, user_id: int, jti: str, family: str,
                                expires_at: int, ip: str | None) -> UserPrincipal:
    if not await revocation.access_allowed(ctx.redis, jti, family):
        raise unauthorized("token revoked")
    async with ctx.sessions() as db:
        user = await db.get(User, user_id)
    if user is None or not user.active:
        raise unauthorized("user inactive")
    return UserPrincipal(user.id, user.username, user.role, jti, family, expires_at, ip)


async def current_user(request: Request,
                       token: Annotated[str | None, Depends(oauth2_scheme)]) -> UserPrincipal:
    if not token:
        raise unauthorized("not authenticated")
    ctx = get_ctx(request)
    principal = await principal_from_access_token(ctx, token, client_ip(request))
    await hit(ctx.redis, "api", str(principal.user_id), ctx.settings.api_per_min)
    return principal


def require(role: str) -> Callable[..., Awaitable[UserPrincipal]]:
    """Dependency: an authenticated user with at least `role` (admin > clinician > viewer)."""
    async def dependency(user: Annotated[UserPrincipal, Depends(current_user)]) -> UserPrincipal:
        if not user.has_role(role):
            raise ApiError(403, f"requires role {role}")
        return user
    dependency.__name__ = f"require_{role}"
    return dependency


async def current_device(request: Request,
                         key: Annotated[str | None, Depends(device_key_header)]) -> DevicePrincipal:
    if not key:
        raise ApiError(401, "device key required (X-Device-Key)")
    return await device_from_key(get_ctx(request), key, client_ip(request))


# Device keys are checked on every chunk; a revoked key stops working within DEVICE_CACHE_S.
DEVICE_CACHE_S = 10.0
_devices: TtlCache[str, DevicePrincipal] = TtlCache(DEVICE_CACHE_S)


async def device_from_key(ctx: AppContext, key: str, ip: str | None) -> DevicePrincipal:
    if len(key) > 128:
        raise ApiError(401, "invalid device key")
    key_hash = hash_device_key(key)
    cached = _devices.get(key_hash)
    if cached is not None:
        await hit(ctx.redis, "device", str(cached.device_id), ctx.settings.device_per_min)
        return DevicePrincipal(cached.device_id, cached.name, cached.patient_id, ip)
    async with ctx.sessions() as db:
        device = (await db.execute(select(Device).where(Device.key_hash == key_hash))).scalar_one_or_none()
        if device is None or not device.active:
            raise ApiError(401, "invalid device key")
        now = utcnow()
        # Coarse last-seen: one write per half minute, not one per chunk.
        if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 30:
            device.last_seen_at = now
            await db.commit()
        principal = DevicePrincipal(device.id, device.name, device.patient_id, ip)
    _devices.put(key_hash, principal)
    await hit(ctx.redis, "device", str(principal.device_id), ctx.settings.device_per_min)
    return principal


Viewer = Annotated[UserPrincipal, Depends(require("viewer"))]
Clinician = Annotated[UserPrincipal, Depends(require("clinician"))]
Admin = Annotated[UserPrincipal, Depends(require("admin"))]
CurrentDevice = Annotated[DevicePrincipal, Depends(current_device)]
