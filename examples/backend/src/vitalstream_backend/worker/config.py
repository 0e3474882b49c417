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
    claim_idle_ms: int = 2000      # a pending entry this idle belongs to a dead consumer
    claim_interval_s: float = 1.0  # how often each shard runs XAUTOCLAIM (takeover <= idle + this)
    max_deliveries: int = 5        # a crash-looping entry is dead-lettered after this many
    max_attempts: int = 3          # local failures (unexpected errors) before dead-lettering
    events_maxlen: int = 50000     # approximate cap of each patient's event stream
    live: bool = True              # publish the live feed
    hot_limit: int = 20000         # Monitor objects kept in memory
    gap_alarm_s: float = 30.0      # a chunk waiting this long for its predecessor raises an alarm
