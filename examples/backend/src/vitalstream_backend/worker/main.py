"""``vitalstream-worker``: a stateless ECG worker on Redis Streams (run as many as you like)."""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import uuid
from urllib.parse import urlsplit, urlunsplit
from typing import Any, Optional, Sequence

from prometheus_client import start_http_server

from .. import jsonlog, keys, metrics
from ..jsonlog import log
from ..redis_client import connect
from .commit import CommitScript
from .config import WorkerConfig
from .leases import LeaseKeeper
from .shard import ShardConsumer

LOG = logging.getLogger("vitalstream.worker")
DEAD_CONSUMER_IDLE_MS = 60_000


def parse_args(argv: Optional[Sequence[str]] = None) -> tuple[WorkerConfig, argparse.Namespace]:
    d = WorkerConfig()
    ap = argparse.ArgumentParser(prog="vitalstream-worker", description=__doc__)
    ap.add_argument("--redis", default=os.environ.get("VS_REDIS_URL", d.redis_url),
                    help="Redis URL (any node of the cluster with --cluster)")
    ap.add_argument("--cluster", action="store_true", help="connect to a Redis Cluster")
    ap.add_argument("--shards", type=int, default=int(os.environ.get("VS_SHARDS", d.shards)),
                    help="number of shard streams (same as the producers'; env VS_SHARDS)")
    ap.add_argument("--consumer", default="", help="consumer name (default host-pid-random)")
    ap.add_argument("--batch", type=int, default=d.batch, help="entries per XREADGROUP")
    ap.add_argument("--claim-idle-ms", type=int, default=d.claim_idle_ms,
                    help="idle time after which a pending entry is taken over")
    ap.add_argument("--claim-interval", type=float, default=d.claim_interval_s,
                    help="seconds between XAUTOCLAIM scans of each shard")
    ap.add_argument("--max-deliveries", type=int, default=d.max_deliveries,
                    help="deliveries after which an entry is dead-lettered")
    ap.add_argument("--events-maxlen", type=int, default=d.events_maxlen,
                    help="approximate cap of each patient's event stream")
    ap.add_argument("--gap-timeout", type=float, default=d.gap_timeout_s,
                    help="seconds an entry waits for a missing predecessor before the gap is "
                         "closed with a technical event (0: wait forever)")
    ap.add_argument("--stale-after", type=float, default=d.stale_after_s,
                    help="seconds without entries after which an active session is ended as "
                         "device_silent (0: never)")
    ap.add_argument("--no-live", action="store_true", help="do not publish the live feed")
    ap.add_argument("--metrics-port", type=int, default=None,
                    help="serve Prometheus metrics on this port (0: any free port)")
    ap.add_argument("--log-level", default="info")
    a = ap.parse_args(argv)
    if a.shards < 1 or a.batch < 1:
        ap.error("--shards and --batch must be >= 1")
    if not (0 <= a.gap_timeout < 1e6 and 0 <= a.stale_after < 1e7):
        ap.error("--gap-timeout and --stale-after must be >= 0 seconds")
    cfg = WorkerConfig(
        redis_url=a.redis, cluster=a.cluster, shards=a.shards,
        consumer=a.consumer or "%s-%d-%s" % (socket.gethostname(), os.getpid(),
                                             uuid.uuid4().hex[:6]),
        batch=a.batch, claim_idle_ms=a.claim_idle_ms, claim_interval_s=a.claim_interval,
        max_deliveries=a.max_deliveries, events_maxlen=a.events_maxlen, live=not a.no_live,
        gap_timeout_s=a.gap_timeout, stale_after_s=a.stale_after)
    return cfg, a


def redact(url: str) -> str:
    """The URL without its password, for logs."""
    u = urlsplit(url)
    if u.password is None:
        return url
    host = u.hostname or ""
    netloc = "%s:***@%s%s" % (u.username or "", host, ":%d" % u.port if u.port else "")
    return urlunsplit((u.scheme, netloc, u.path, u.query, u.fragment))


def _id(x: Any) -> tuple[int, int]:
    s = x.decode() if isinstance(x, bytes) else str(x)
    ms, _, sq = s.partition("-")
    return int(ms), int(sq or 0)


async def trim_acknowledged(r: Any, stream: str, groups: list[dict[Any, Any]]) -> None:
    """Drop the shard entries EVERY consumer group (ours, the archive's, ...) is done with: older
    than each group's oldest pending entry and last delivered one (dead letters were copied
    before their XACK)."""
    low: Optional[tuple[int, int]] = None
    for g in groups:
        bound = _id(g["last-delivered-id"])
        if int(g["pending"]):
            first = (await r.xpending(stream, g["name"])).get("min")
            if first:
                bound = min(bound, _id(first))
        low = bound if low is None else min(low, bound)
    if low is not None and low > (0, 0):
        await r.xtrim(stream, minid="%d-%d" % low, approximate=True)


async def observe(r: Any, cfg: WorkerConfig, stop: asyncio.Event) -> None:
    """Pending/lag gauges every 5 s, and removal of long-dead consumers with nothing pending."""
    while not stop.is_set():
        for stream in keys.all_shard_streams(cfg.shards):
            label = stream.split("{")[1].rstrip("}")
            try:
                groups = await r.xinfo_groups(stream)
                for g in groups:
                    if g["name"] == keys.GROUP.encode():
                        metrics.PENDING.labels(label).set(int(g["pending"]))
                        if g.get("lag") is not None:
                            metrics.LAG.labels(label).set(int(g["lag"]))
                await trim_acknowledged(r, stream, groups)
                for c in await r.xinfo_consumers(stream, keys.GROUP):
                    if int(c["pending"]) == 0 and int(c["idle"]) > DEAD_CONSUMER_IDLE_MS:
                        await r.xgroup_delconsumer(stream, keys.GROUP, c["name"])
            except Exception as e:  # observation only: never stop the worker for it
                log(LOG, logging.DEBUG, "observe failed", stream=stream, error=repr(e))
        try:
            await asyncio.wait_for(stop.wait(), 5.0)
        except asyncio.TimeoutError:
            pass


async def run(cfg: WorkerConfig) -> None:
    r = connect(cfg.redis_url, cfg.cluster)
    script = CommitScript()
    consumers = [ShardConsumer(r, cfg, i, script) for i in range(cfg.shards)]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        log(LOG, logging.INFO, "stopping", consumer=cfg.consumer)
        stop.set()
        for c in consumers:
            c.stopping = True

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)
    log(LOG, logging.INFO, "worker started", consumer=cfg.consumer, redis=redact(cfg.redis_url),
        cluster=cfg.cluster, shards=cfg.shards)
    keeper = LeaseKeeper(cfg, consumers, loop)
    await asyncio.to_thread(keeper.wait_alive)
    keeper.thread.start()
    tasks: list[asyncio.Task[None]] = []
    tasks += [asyncio.create_task(c.run()) for c in consumers]
    tasks.append(asyncio.create_task(observe(r, cfg, stop)))
    await asyncio.gather(*tasks)
    await asyncio.to_thread(keeper.release_all)
    await r.aclose()


def main(argv: Optional[Sequence[str]] = None) -> None:
    cfg, a = parse_args(argv)
    jsonlog.setup(a.log_level)
    if a.metrics_port is not None:
        server, _thread = start_http_server(a.metrics_port)
        log(LOG, logging.INFO, "metrics", port=server.server_port)
    asyncio.run(run(cfg))


if __name__ == "__main__":
    main()
