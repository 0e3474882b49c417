"""One-time stream tickets: EventSource and browser WebSockets cannot send an Authorization
header, so the client trades its access token for a 30-second single-use ticket and puts that
in the URL instead of the token itself."""
from __future__ import annotations

import secrets

from redis.asyncio import Redis

_PREFIX = "vs:auth:ticket:"


async def create_ticket(redis: Redis, user_id: int, jti: str, family: str, ttl_s: int) -> str:
    ticket = secrets.token_urlsafe(24)
    await redis.set(_PREFIX + ticket, f"{user_id}:{jti}:{family}", ex=ttl_s)
    return ticket


async def redeem_ticket(redis: Redis, ticket: str) -> tuple[int, str, str] | None:
    """(user id, access jti, family) once; None when unknown, used or expired."""
    if not ticket or len(ticket) > 64:
        return None
    raw = await redis.getdel(_PREFIX + ticket)
    if raw is None:
        return None
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    user, jti, family = text.split(":", 2)
    return int(user), jti, family
