"""Settings of one worker process."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class WorkerConfig:
    redis_url: str = "redis://localhost:6379/0"
    cluster: bool = False
    shards: int = 8
    consumer: str = ""
    batch: int = 256               # entries per XREADGROUP
    block_ms: int = 1000           # XREADGROUP BLOCK when nothing is waiting
    heartbeat_ttl_ms: int = 2000   # a consumer whose heartbeat key expired is dead
    heartbeat_every_s: float = 0.5
    lease_ttl_ms: int = 2000       # a shard lease not renewed for this long is free
    takeover_idle_ms: int = 1000   # on a shard we own, others' entries this idle are taken
    claim_idle_ms: int = 2000      # own pending entries this idle and not held are lost: reclaim
    claim_interval_s: float = 1.0  # how often each shard looks for dead consumers' entries
    max_deliveries: int = 20       # a crash-looping entry is dead-lettered after this many
    max_attempts: int = 3          # local failures (unexpected errors) before dead-lettering
    events_maxlen: int = 50000     # approximate cap of each patient's event stream
    live: bool = True              # publish the live feed
    hot_limit: int = 20000         # Monitor objects kept in memory
    gap_timeout_s: float = 10.0    # an entry waits this long (since it reached Redis) for what
                                   # should come before it; then the gap is closed (0: forever)
    stale_after_s: float = 30.0    # an active session without new entries this long is ended as
                                   # device_silent (0: never)
    watch_interval_s: float = 1.0  # how often each owned shard looks for silent sessions
