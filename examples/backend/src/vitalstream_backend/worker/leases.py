"""Shard leases and the worker heartbeat, kept by a thread of their own.

Every live worker refreshes a heartbeat key (``vs:consumer:<name>``, TTL) and its score in the
``vs:workers`` set; from the number of live workers it takes its fair share of the S shards:
ceil(S / live). A lease is a key ``vs:lease:{k}`` = consumer name with a TTL, taken with SET NX,
renewed or released only by its holder (a tiny compare script). A killed worker's leases expire
after lease_ttl_ms and are taken by the others, which then claim its pending entries.

The keeper runs in a thread with its own connection, so that a worker busy with a large batch
(or starved of CPU) keeps its leases as long as the process lives; ownership changes are handed
to the event loop with call_soon_threadsafe.
"""
from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
import zlib
from typing import Any

import redis

from .. import keys
from ..jsonlog import log
from .config import WorkerConfig
from .shard import ShardConsumer

LOG = logging.getLogger("vitalstream.worker")

RENEW = """if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end"""
RELEASE = """if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end"""


def sync_connect(url: str, cluster: bool) -> Any:
    if cluster:
        return redis.RedisCluster.from_url(url, socket_timeout=2)
    return redis.Redis.from_url(url, socket_timeout=2)


class LeaseKeeper:
    def __init__(self, cfg: WorkerConfig, consumers: list[ShardConsumer],
                 loop: asyncio.AbstractEventLoop) -> None:
        self.cfg = cfg
        self.consumers = consumers
        self.loop = loop
        self.r = sync_connect(cfg.redis_url, cfg.cluster)
        self.owned: set[int] = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="lease-keeper", daemon=True)
        # start the search for free shards at a per-worker offset: spreads the first grabs
        self.offset = zlib.crc32(cfg.consumer.encode()) % max(1, len(consumers))

    def _tell(self, shard: int, owned: bool) -> None:
        if owned:
            self.owned.add(shard)
        else:
            self.owned.discard(shard)
        self.loop.call_soon_threadsafe(self.consumers[shard].set_owned, owned)

    def beat(self) -> int:
        """Refresh our heartbeat; the number of live workers (us included)."""
        now = int(time.time() * 1000)
        ttl = self.cfg.heartbeat_ttl_ms
        self.r.set(keys.consumer_alive(self.cfg.consumer), str(os.getpid()), px=ttl)
        self.r.zadd(keys.WORKERS, {self.cfg.consumer: now})
        self.r.zremrangebyscore(keys.WORKERS, "-inf", now - ttl)
        return max(1, int(self.r.zcard(keys.WORKERS)))

    def balance(self, live: int) -> None:
        me, ttl = self.cfg.consumer, self.cfg.lease_ttl_ms
        share = math.ceil(len(self.consumers) / live)
        for s in sorted(self.owned):  # renew; a lease lost (expired meanwhile) stops that shard
            if not self.r.eval(RENEW, 1, keys.shard_lease(s), me, str(ttl)):
                self._tell(s, False)
                log(LOG, logging.WARNING, "shard lease lost", shard=s)
        for s in sorted(self.owned)[share:]:  # more than our share: give back
            self._tell(s, False)
            self.r.eval(RELEASE, 1, keys.shard_lease(s), me)
            log(LOG, logging.INFO, "shard released", shard=s, share=share)
        n = len(self.owned)
        shards = list(range(len(self.consumers)))
        for s in shards[self.offset:] + shards[:self.offset]:
            if n >= share:
                break
            if s not in self.owned and self.r.set(keys.shard_lease(s), me, nx=True, px=ttl):
                self._tell(s, True)
                n += 1
                log(LOG, logging.INFO, "shard acquired", shard=s, share=share)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.balance(self.beat())
            except (redis.RedisError, OSError) as e:
                log(LOG, logging.WARNING, "lease keeping failed", error=repr(e))
            self.stop.wait(self.cfg.heartbeat_every_s)

    def wait_alive(self) -> None:
        """First heartbeat before anything is read (Redis may still be starting)."""
        while True:
            try:
                self.beat()
                return
            except (redis.RedisError, OSError) as e:
                log(LOG, logging.WARNING, "redis not reachable yet", error=repr(e))
                time.sleep(0.2)

    def release_all(self) -> None:
        """Clean stop: give our shards and heartbeat back so others take over at once."""
        self.stop.set()
        self.thread.join(5)
        try:
            for s in sorted(self.owned):
                self.r.eval(RELEASE, 1, keys.shard_lease(s), self.cfg.consumer)
            self.r.delete(keys.consumer_alive(self.cfg.consumer))
            self.r.zrem(keys.WORKERS, self.cfg.consumer)
        except (redis.RedisError, OSError):
            pass
        self.r.close()
