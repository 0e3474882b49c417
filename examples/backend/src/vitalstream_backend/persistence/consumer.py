"""``vitalstream-persistence``: moves the worker tier's output into PostgreSQL and archives the
raw chunks, exactly once and restartable at any moment.

Three loops share one process:
- archive: consumer group ``vs-archive`` on the shard streams. Each chunk is written to its
  own file (idempotent by sequence number); start/end markers open/close the session row.
- alarms: consumer group ``vs-persistence`` on ``vs:alarms``; upserts keyed by
  (session, type, onset), acknowledged after commit; new alarms are announced to the API
  processes (pub/sub) after the commit.
- events: per-patient event streams read from cursors stored with the derived rows.
A killed consumer leaves entries pending; the next one reads its group's pending entries first
(and claims those of consumers that have been idle for a while)."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

from prometheus_client import Counter, start_http_server
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy import select, update

from .. import keys, messages
from ..api.live_events import ALARM_CHANNEL
from ..api.alarm_view import alarm_json
from ..archive.store import ArchiveWriter
from ..db.base import utcnow
from ..db.models import Alarm, EcgSession, Patient
from ..db.session import make_engine, make_sessionmaker
from .alarms import store_alarms
from .registry import Registry
from .trends import apply_events, load_cursors
from ..worker.plan import seq_in_gaps

log = logging.getLogger("vitalstream.persistence")

CHUNKS = Counter("vitalstream_persistence_chunks_archived_total", "Chunks written to the waveform archive")
ALARMS = Counter("vitalstream_persistence_alarm_entries_total", "Alarm stream entries stored (incl. redeliveries)")
NEW_ALARMS = Counter("vitalstream_persistence_alarms_raised_total", "Alarm rows inserted and announced")
EVENTS = Counter("vitalstream_persistence_events_total", "Per-patient event entries folded into trends/episodes")

ARCHIVE_GROUP = "vs-archive"
ALARM_GROUP = "vs-persistence"
BATCH = 200
BLOCK_MS = 1000
CLAIM_IDLE_MS = 15_000
PATIENT_REFRESH_S = 2.0
_RECENT = timedelta(minutes=10)  # ended sessions whose last events may still be unread


def _text(fields: dict[bytes, bytes]) -> dict[str, str]:
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in fields.items() if k != b"samples"}


class Consumer:
    def __init__(self, redis: Redis, database_url: str, archive_dir: Path, shards: int, name: str) -> None:
        self.redis = redis
        self.engine = make_engine(database_url, pool_size=4)
        self.sessions = make_sessionmaker(self.engine)
        self.registry = Registry(self.sessions, redis)
        self.archive = ArchiveWriter(archive_dir)
        self.shards = shards
        self.name = name
        self.stopping = asyncio.Event()

    async def _ensure_group(self, stream: str, group: str) -> None:
        try:
            await self.redis.xgroup_create(stream, group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _read_group(self, group: str, streams: list[str]) -> list[tuple[str, list[tuple[bytes, dict[bytes, bytes]]]]]:
        """Own pending entries first (after a crash), then claimed stale ones, then new ones."""
        out: list[tuple[str, list[tuple[bytes, dict[bytes, bytes]]]]] = []
        pending: Any = await self.redis.xreadgroup(group, self.name, {s: "0" for s in streams}, count=BATCH)
        for stream, entries in pending or []:
            entries = [(i, f) for i, f in entries if f]
            if entries:
                out.append((stream.decode() if isinstance(stream, bytes) else stream, entries))
        if out:
            return out
        for stream in streams:
            claimed: Any = await self.redis.xautoclaim(stream, group, self.name, CLAIM_IDLE_MS, "0-0", count=BATCH)
            entries = [(i, f) for i, f in claimed[1] if f]
            if entries:
                out.append((stream, entries))
        if out:
            return out
        fresh: Any = await self.redis.xreadgroup(group, self.name, {s: ">" for s in streams}, count=BATCH, block=BLOCK_MS)
        for stream, entries in fresh or []:
            out.append((stream.decode() if isinstance(stream, bytes) else stream, entries))
        return out

    async def archive_loop(self) -> None:
        streams = keys.all_shard_streams(self.shards)
        for s in streams:
            await self._ensure_group(s, ARCHIVE_GROUP)
        while not self.stopping.is_set():
            for stream, entries in await self._read_group(ARCHIVE_GROUP, streams):
                for entry_id, fields in entries:
                    await self._archive_entry(fields)
                await self.redis.xack(stream, ARCHIVE_GROUP, *[i for i, _ in entries])

    async def _archive_entry(self, fields: dict[bytes, bytes]) -> None:
        try:
            entry = messages.decode(fields)
        except messages.PoisonMessage:
            return  # the workers dead-letter it; nothing to archive
        if entry.kind == messages.KIND_CHUNK:
            if await self._late(entry):
                return  # the workers closed its gap without it (it is in the dead letters)
            await asyncio.to_thread(self.archive.write_chunk, entry.patient, entry.session, entry.seq, entry.samples)
            CHUNKS.inc()
        elif entry.kind == messages.KIND_START:
            await self.registry.resolve(entry.patient, entry.session, entry.fs)
        elif entry.kind == messages.KIND_END:
            ref = await self.registry.resolve(entry.patient, entry.session)
            async with self.sessions() as db:
                await db.execute(update(EcgSession).where(
                    EcgSession.id == ref.session_id, EcgSession.status == "active").values(
                        status="ended", ended_at=utcnow(), end_reason="end of stream"))
                await db.commit()

    async def _late(self, entry: messages.Entry) -> bool:
        """A chunk that came after the workers closed its sequence gap, or after its session
        ended (the watchdog's end takes no place in the sequence): not part of what the monitor
        analysed (the workers dead-letter it), so not part of the archive either."""
        session, gaps, status, next_seq = await self.redis.hmget(
            keys.state(entry.patient), ["session", "gaps", "status", "next_seq"])
        if session is None or int(session) != entry.session:
            return False
        if status is not None and status != b"active" and next_seq is not None \
                and entry.seq >= int(next_seq):
            return True
        return isinstance(gaps, bytes) and bool(gaps) and seq_in_gaps(gaps.decode(), entry.seq)

    async def alarms_loop(self) -> None:
        await self._ensure_group(keys.ALARMS, ALARM_GROUP)
        while not self.stopping.is_set():
            for stream, entries in await self._read_group(ALARM_GROUP, [keys.ALARMS]):
                async with self.sessions() as db:
                    changes = await store_alarms(db, self.registry, [_text(f) for _, f in entries])
                    await db.commit()
                    ALARMS.inc(len(entries))
                    NEW_ALARMS.inc(sum(1 for _, change in changes if change == "raised"))
                    for alarm_id, change in changes:
                        alarm = await db.get(Alarm, alarm_id)
                        if alarm is not None:
                            await self.redis.publish(ALARM_CHANNEL, json.dumps(
                                {"change": change, "alarm": alarm_json(alarm)}))
                await self.redis.xack(stream, ALARM_GROUP, *[i for i, _ in entries])

    async def _event_streams(self) -> list[str]:
        """Event streams of patients with a running or recently ended session."""
        async with self.sessions() as db:
            rows = (await db.execute(select(Patient.mrn).join(EcgSession).where(
                (EcgSession.status == "active")
                | (EcgSession.ended_at > utcnow() - _RECENT)).distinct())).scalars().all()
        return [keys.events(m) for m in rows]

    async def events_loop(self) -> None:
        streams: list[str] = []
        positions: dict[str, str] = {}
        last_refresh = 0.0
        loop = asyncio.get_running_loop()
        while not self.stopping.is_set():
            if loop.time() - last_refresh > PATIENT_REFRESH_S:
                last_refresh = loop.time()
                streams = await self._event_streams()
                new = [s for s in streams if s not in positions]
                if new:
                    async with self.sessions() as db:
                        stored = await load_cursors(db, new)
                    for s in new:
                        positions[s] = stored.get(s, "0-0")
            if not streams:
                await asyncio.sleep(0.5)
                continue
            result: Any = await self.redis.xread({s: positions[s] for s in streams}, count=BATCH * 5, block=BLOCK_MS)
            for stream_b, entries in result or []:
                stream = stream_b.decode() if isinstance(stream_b, bytes) else stream_b
                batch = [(i.decode(), _text(f)) for i, f in entries]
                async with self.sessions() as db:
                    await apply_events(db, self.registry, stream, batch)
                    await db.commit()
                EVENTS.inc(len(batch))
                positions[stream] = batch[-1][0]

    async def run(self) -> None:
        tasks = [asyncio.create_task(coro) for coro in (self.archive_loop(), self.alarms_loop(), self.events_loop())]
        stopper = asyncio.create_task(self.stopping.wait())
        await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for t in tasks:
            t.cancel()
        failure: BaseException | None = None
        for t in tasks:
            try:
                await t
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # a loop died: report it after cleaning up
                failure = failure or exc
        stopper.cancel()
        await self.engine.dispose()
        if failure is not None:
            raise failure


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="vitalstream-persistence",
                                     description="worker-tier streams -> PostgreSQL + waveform archive")
    parser.add_argument("--redis", default=os.environ.get("VITALSTREAM_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database", default=os.environ.get("VITALSTREAM_DATABASE_URL"))
    parser.add_argument("--archive-dir", type=Path,
                        default=Path(os.environ.get("VITALSTREAM_ARCHIVE_DIR", "vitalstream-data/archive")))
    parser.add_argument("--shards", type=int, default=int(os.environ.get("VS_SHARDS", keys.DEFAULT_SHARDS)))
    parser.add_argument("--name", default=f"persist-{socket.gethostname()}-{os.getpid()}")
    parser.add_argument("--metrics-port", type=int, default=None, help="serve Prometheus metrics on this port")
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database or VITALSTREAM_DATABASE_URL is required")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.metrics_port:
        start_http_server(args.metrics_port, addr="127.0.0.1")

    async def runner() -> None:
        redis = Redis.from_url(args.redis)
        consumer = Consumer(redis, args.database, args.archive_dir, args.shards, args.name)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, consumer.stopping.set)
        try:
            await consumer.run()
        finally:
            await redis.aclose()

    asyncio.run(runner())
