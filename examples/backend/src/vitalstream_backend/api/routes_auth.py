"""/api/auth: OAuth2 password login, refresh with rotation (body or HttpOnly cookie), logout,
who-am-I and one-time stream tickets."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Cookie, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from ..auth import revocation, tokens
from ..auth.deps import Viewer, client_ip, unauthorized
from ..auth.passwords import verify_password
from ..auth.principal import UserPrincipal
from ..auth.tickets import create_ticket
from ..db.models import User
from .audit import audit
from .context import AppContext, Ctx, Db
from .ratelimit import hit

router = APIRouter(prefix="/api/auth", tags=["auth"])

REFRESH_COOKIE = "vs_refresh"
COOKIE_PATH = "/api/auth"


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    role: str
    active: bool
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user: UserOut


class RefreshIn(BaseModel):
    refresh_token: str | None = Field(default=None, max_length=4096)


class Ticket(BaseModel):
    ticket: str
    expires_in: int


def _issue_pair(ctx: AppContext, user: User, family: str, response: Response) -> tuple[TokenPair, str]:
    """A new access + refresh token of `family` (and the refresh cookie); also the refresh
    token's id, which the caller registers as the family's next valid one."""
    s = ctx.settings
    access, _ = tokens.issue(s.jwt_secret, user.id, user.role, "access", s.access_ttl_s, family)
    refresh, claims = tokens.issue(s.jwt_secret, user.id, user.role, "refresh", s.refresh_ttl_s, family)
    response.set_cookie(REFRESH_COOKIE, refresh, max_age=s.refresh_ttl_s, path=COOKIE_PATH,
                        httponly=True, samesite="strict", secure=s.cookie_secure)
    response.headers["Cache-Control"] = "no-store"
    pair = TokenPair(access_token=access, expires_in=s.access_ttl_s, refresh_token=refresh,
                     refresh_expires_in=s.refresh_ttl_s, user=UserOut.model_validate(user))
    return pair, claims.jti


@router.post("/login", response_model=TokenPair, summary="Log in (OAuth2 password flow)")
async def login(request: Request, response: Response, ctx: Ctx, db: Db,
                form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenPair:
    ip = client_ip(request) or "unknown"
    await hit(ctx.redis, "login", ip, ctx.settings.login_per_min)
    user = (await db.execute(select(User).where(User.username == form.username[:64]))).scalar_one_or_none()
    if not verify_password(user.password_hash if user else None, form.password) or user is None \
            or not user.active:
        raise unauthorized("invalid username or password")
    family = tokens.new_id()
    pair, refresh_jti = _issue_pair(ctx, user, family, response)
    await revocation.start_family(ctx.redis, family, refresh_jti, ctx.settings.refresh_ttl_s)
    return pair


@router.post("/refresh", response_model=TokenPair,
             summary="New token pair from a refresh token (JSON body or vs_refresh cookie)",
             responses={401: {"description": "invalid, expired, spent (family revoked) token"}})
async def refresh(request: Request, response: Response, ctx: Ctx, db: Db,
                  body: Annotated[RefreshIn | None, Body()] = None,
                  vs_refresh: Annotated[str | None, Cookie(max_length=4096)] = None) -> TokenPair:
    await hit(ctx.redis, "refresh", client_ip(request) or "unknown", ctx.settings.login_per_min * 6)
    token = (body.refresh_token if body else None) or vs_refresh
    if not token:
        raise unauthorized("refresh token required")
    try:
        claims = tokens.decode(ctx.settings.jwt_secret, token, "refresh")
    except tokens.TokenError as exc:
        raise unauthorized(str(exc)) from None
    user = await db.get(User, claims.user_id)
    if user is None or not user.active:
        raise unauthorized("user inactive")
    pair, refresh_jti = _issue_pair(ctx, user, claims.family, response)
    outcome = await revocation.rotate(ctx.redis, claims.family, claims.jti, refresh_jti,
                                      ctx.settings.refresh_ttl_s)
    if outcome != 1:
        response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH)
        if outcome == 0:
            audit(db, _as_principal(user, claims, request), "reuse", "refresh_token",
                  claims.family, detail={"revoked_family": True})
            await db.commit()
            raise unauthorized("refresh token reuse detected: session revoked")
        raise unauthorized("session revoked or expired")
    return pair


def _as_principal(user: User, claims: tokens.TokenClaims, request: Request) -> UserPrincipal:
    return UserPrincipal(user.id, user.username, user.role, claims.jti, claims.family,
                         claims.expires_at, client_ip(request))


@router.post("/logout", status_code=204, summary="Revoke this access token and its refresh family")
async def logout(user: Viewer, ctx: Ctx) -> Response:
    await revocation.deny_access(ctx.redis, user.jti, user.expires_at)
    await revocation.revoke_family(ctx.redis, user.family)
    response = Response(status_code=204)
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH)
    return response


@router.get("/me", response_model=UserOut)
async def me(user: Viewer, db: Db) -> User:
    row = await db.get(User, user.user_id)
    assert row is not None  # current_user just loaded it
    return row


@router.post("/stream-ticket", response_model=Ticket,
             summary="One-time 30 s ticket for EventSource / WebSocket URLs")
async def stream_ticket(user: Viewer, ctx: Ctx) -> Ticket:
    ticket = await create_ticket(ctx.redis, user.user_id, user.jti, user.family, ctx.settings.ticket_ttl_s)
    return Ticket(ticket=ticket, expires_in=ctx.settings.ticket_ttl_s)

