"""Fixed-window rate limits in Redis, so every API process shares one count per client."""
from __future__ import annotations

import time

from redis.asyncio import Redis

from .errors import ApiError


async def hit(redis: Redis, scope: str, ident: str, limit: int, window_s: int = 60) -> None:
    """Count one request of `ident` in `scope`; ApiError 429 once over `limit` per window."""
    if limit <= 0:
        return
    now = time.time()
    window = int(now // window_s)
    key = f"vs:rl:{scope}:{ident}:{window}"
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window_s + 1)
        count, _ = await pipe.execute()
    if int(count) > limit:
        retry = max(1, int((window + 1) * window_s - now) + 1)
        raise ApiError(429, f"rate limit of {limit} requests per {window_s} s exceeded",
                       headers={"Retry-After": str(retry)})
