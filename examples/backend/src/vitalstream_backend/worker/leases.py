"""Shard leases and the worker heartbeat.

Every live worker refreshes a heartbeat key (``vs:consumer:<name>``, TTL) and its score in the
``vs:workers`` set; from the number of live workers it takes its fair share of the S shards:
ceil(S / live). A lease is a key ``vs:lease:{k}`` = consumer name with a TTL, taken with SET NX,
renewed or released only by its holder (a tiny compare script). A killed worker's leases expire
after lease_ttl_ms and are taken by the others, which then claim its pending entries.
"""
from __future__ import annotations

import asyncio
import logging
import math
import os
import time
import zlib
from typing import Any

from .. import keys
from ..jsonlog import log
from .config import WorkerConfig
from .shard import ShardConsumer

LOG = logging.getLogger("vitalstream.worker")

RENEW = """if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end"""
RELEASE = """if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end"""


class LeaseKeeper:
    def __init__(self, r: Any, cfg: WorkerConfig, consumers: list[ShardConsumer]) -> None:
        self.r = r
        self.cfg = cfg
        self.consumers = consumers
        # start the search for free shards at a per-worker offset: spreads the first grabs
        self.offset = zlib.crc32(cfg.consumer.encode()) % max(1, len(consumers))

    async def beat(self) -> int:
        """Refresh our heartbeat; the number of live workers (us included)."""
        now = int(time.time() * 1000)
        ttl = self.cfg.heartbeat_ttl_ms
        await self.r.set(keys.consumer_alive(self.cfg.consumer), str(os.getpid()), px=ttl)
        pipe = self.r.pipeline(transaction=False)
        pipe.zadd(keys.WORKERS, {self.cfg.consumer: now})
        pipe.zremrangebyscore(keys.WORKERS, "-inf", now - ttl)
        pipe.zcard(keys.WORKERS)
        res = await pipe.execute()
        return max(1, int(res[2]))

    async def balance(self, live: int) -> None:
        me, ttl = self.cfg.consumer, str(self.cfg.lease_ttl_ms)
        share = math.ceil(len(self.consumers) / live)
        owned = [c for c in self.consumers if c.owned]
        for c in owned:  # renew; a lease lost (expired while we stalled) stops that shard
            if not await self.r.eval(RENEW, 1, keys.shard_lease(c.shard), me, ttl):
                c.set_owned(False)
                log(LOG, logging.WARNING, "shard lease lost", shard=c.shard)
        owned = [c for c in self.consumers if c.owned]
        for c in owned[share:]:  # more than our share: give back (its holder drops its work)
            c.set_owned(False)
            await self.r.eval(RELEASE, 1, keys.shard_lease(c.shard), me)
            log(LOG, logging.INFO, "shard released", shard=c.shard, share=share)
        n = min(len(owned), share)
        order = self.consumers[self.offset:] + self.consumers[:self.offset]
        for c in order:
            if n >= share:
                break
            if c.owned:
                continue
            if await self.r.set(keys.shard_lease(c.shard), me, nx=True, px=int(ttl)):
                c.set_owned(True)
                n += 1
                log(LOG, logging.INFO, "shard acquired", shard=c.shard, share=share)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.balance(await self.beat())
            except Exception as e:  # Redis away: shards keep going until their lease is lost
                log(LOG, logging.WARNING, "lease keeping failed", error=repr(e))
            try:
                await asyncio.wait_for(stop.wait(), self.cfg.heartbeat_every_s)
            except asyncio.TimeoutError:
                pass

    async def release_all(self) -> None:
        """Clean stop: give our shards and heartbeat back so others take over at once."""
        for c in self.consumers:
            if c.owned:
                c.set_owned(False)
                try:
                    await self.r.eval(RELEASE, 1, keys.shard_lease(c.shard), self.cfg.consumer)
                except Exception:
                    pass
        try:
            await self.r.delete(keys.consumer_alive(self.cfg.consumer))
            await self.r.zrem(keys.WORKERS, self.cfg.consumer)
        except Exception:
            pass
