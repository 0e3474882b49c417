"""Redis connections for the stream tier: one server or a Redis Cluster, same code."""
from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis


def connect(url: str, cluster: bool) -> Any:
    """An asyncio client (bytes responses). ``cluster``: URL of any node of a Redis Cluster."""
    if cluster:
        return aioredis.RedisCluster.from_url(url, decode_responses=False)
    return aioredis.Redis.from_url(url, decode_responses=False)
