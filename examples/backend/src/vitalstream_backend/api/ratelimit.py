"""Sliding-window rate limits in Redis, so every API process shares one count per client.

Each client's requests of the last window are kept as a sorted set of timestamps; a request
is allowed while fewer than `limit` lie within the window (no burst of twice the limit at a
fixed window's edge). Refused requests are not counted."""
from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

from .errors import ApiError

# KEYS[1] set; ARGV: now (s), window (s), limit, member. Returns 0 if allowed, else seconds to wait.
_HIT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
return 0
"""


async def hit(redis: Redis, scope: str, ident: str, limit: int, window_s: int = 60) -> None:
    """Count one request of `ident` in `scope`; ApiError 429 once `limit` were made within
    the last `window_s` seconds."""
    if limit <= 0:
        return
    wait = await redis.eval(_HIT, 1, f"vs:rl:{scope}:{ident}", repr(time.time()), str(window_s), str(limit),
                            uuid.uuid4().hex)
    if int(wait) > 0:
        raise ApiError(429, f"rate limit of {limit} requests per {window_s} s exceeded",
                       headers={"Retry-After": str(int(wait))})
