"""Token revocation and refresh-token rotation in Redis, shared by every API process.

A login starts a refresh *family*. Redis keeps, per family, the one refresh token id that may
be used next. Using it atomically replaces it with the new token's id (rotation). Presenting
any other token of the family — an already spent one, i.e. a stolen copy or a replay — marks
the family revoked, so neither the thief's nor the user's tokens work any more. Logout revokes
the family and puts the access token's id on a deny list until it would have expired."""
from __future__ import annotations

import time

from redis.asyncio import Redis

_PREFIX = "vs:auth:"

# KEYS[1] family key; ARGV: presented jti, new jti, ttl seconds.
# Returns 1 rotated, 0 reuse (family now revoked), -1 unknown/revoked family.
_ROTATE = """
local cur = redis.call('GET', KEYS[1])
if not cur or cur == 'revoked' then return -1 end
if cur ~= ARGV[1] then
  redis.call('SET', KEYS[1], 'revoked', 'KEEPTTL')
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1
"""


def _family_key(family: str) -> str:
    return f"{_PREFIX}family:{family}"


def _deny_key(jti: str) -> str:
    return f"{_PREFIX}deny:{jti}"


async def start_family(redis: Redis, family: str, refresh_jti: str, ttl_s: int) -> None:
    await redis.set(_family_key(family), refresh_jti, ex=ttl_s)


async def rotate(redis: Redis, family: str, presented_jti: str, new_jti: str, ttl_s: int) -> int:
    result = await redis.eval(_ROTATE, 1, _family_key(family), presented_jti, new_jti, str(ttl_s))
    return int(result)


async def family_active(redis: Redis, family: str) -> bool:
    value = await redis.get(_family_key(family))
    return value is not None and value != b"revoked"


async def revoke_family(redis: Redis, family: str) -> None:
    await redis.set(_family_key(family), "revoked", keepttl=True)


async def deny_access(redis: Redis, jti: str, expires_at: int) -> None:
    ttl = max(1, expires_at - int(time.time()) + 1)
    await redis.set(_deny_key(jti), "1", ex=ttl)


async def access_allowed(redis: Redis, jti: str, family: str) -> bool:
    """Not logged out and its family not revoked (one round trip)."""
    denied, fam = await redis.mget([_deny_key(jti), _family_key(family)])
    return denied is None and fam is not None and fam != b"revoked"
