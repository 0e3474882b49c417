"""One shard stream's consumer loop inside a worker process.

A shard is read by one worker at a time: the one holding its lease (worker/leases.py). That keeps
each patient's chunks in order on one worker (no waiting, hot Monitors), while the consumer group
and the compare-and-set commit keep everything exactly once when leases change hands or a lease
holder stalls. Per batch: XREADGROUP (new entries) and, once a second, XPENDING + XCLAIM of the
entries other consumers left on this shard (dead: heartbeat expired; or the previous lease
holder's, once idle); group entries by patient; read the state of patients not kept hot
(one pipeline); plan every entry in (session, seq) order in memory; run all compare-and-set
commits in one pipeline; then relay alarms / dead letters and XACK in one more. An entry that is
not yet due (a later chunk of a patient whose previous chunk is elsewhere) stays pending in our
PEL and is retried every 20 ms.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Optional, Union

from redis.exceptions import RedisError, ResponseError

from .. import keys, metrics
from .. import events as ev
from ..jsonlog import log
from ..messages import KIND_CHUNK, KIND_END, KIND_START, Entry, PoisonMessage, decode
from .commit import Alarm, CommitScript
from .config import WorkerConfig
from .plan import (ACTIVE, DUPLICATE, PROCESS, STALE, STATE_FIELDS, WAIT, Commit, Item, View,
                   apply, classify, close_gap, end_silent, reject, start_missing,
                   view_from_hash)

LOG = logging.getLogger("vitalstream.worker")
MAX_ROUNDS = 3


def _s(x: Union[bytes, str]) -> str:
    return x.decode() if isinstance(x, bytes) else x


class ShardConsumer:
    def __init__(self, r: Any, cfg: WorkerConfig, shard: int, script: CommitScript) -> None:
        self.r = r
        self.cfg = cfg
        self.shard = shard
        self.stream = keys.shard_stream(shard)
        self.script = script
        self.hot: OrderedDict[str, View] = OrderedDict()
        self.waiting: dict[str, list[Item]] = {}
        self.attempts: dict[str, int] = {}
        self.last_claim = 0.0
        self.last_watch = 0.0
        self.activity = keys.shard_activity(shard)
        self.touched: dict[str, tuple[bool, float]] = {}  # patient -> (active, arrival) to index
        self.caught_up = False  # the last read found everything there was
        self.settled = False    # ... and nothing of the shard is pending elsewhere
        self.stopping = False
        self.owned = False
        self.claim_more = False

    # ---- setup ---------------------------------------------------------------------------
    async def ensure_group(self) -> None:
        try:
            await self.r.xgroup_create(self.stream, keys.GROUP, id="0", mkstream=True)
        except ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    # ---- main loop -----------------------------------------------------------------------
    def set_owned(self, owned: bool) -> None:
        """Called by the lease keeper. Losing the shard drops what we hold of it: the new owner
        takes the pending entries over, and Redis stays the truth for the monitors."""
        if owned and not self.owned:
            self.last_claim = 0.0  # look for the previous owner's entries at once
            self.claim_more = False
        if not owned and self.owned:
            self.waiting = {}
            self.hot.clear()
        self.owned = owned

    async def run(self) -> None:
        backoff = 0.1
        while not self.stopping:
            try:
                await self.ensure_group()
                while not self.stopping:
                    if not self.owned:
                        await asyncio.sleep(0.1)
                        continue
                    await self.step()
                    backoff = 0.1
            except Exception as e:  # Redis errors above all; never let a shard loop die
                metrics.REDIS_ERRORS.inc()
                self.hot.clear()  # a commit may or may not have happened: trust Redis again
                level = logging.WARNING if isinstance(e, (RedisError, OSError)) else logging.ERROR
                log(LOG, level, "shard loop error, retrying", shard=self.shard,
                    error=repr(e), backoff_s=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)

    async def step(self) -> None:
        """One batch of at most ``batch`` entries: taken-over entries first (oldest first, so a
        big inherited backlog is worked off in bounded, committed portions even if we are
        killed meanwhile), then new ones, while what waits stays below a batch."""
        t0 = time.perf_counter()
        raw: list[tuple[str, dict[bytes, bytes], int]] = []
        now = time.monotonic()
        if self.claim_more or now - self.last_claim >= self.cfg.claim_interval_s:
            self.last_claim = now
            raw = await self.autoclaim(self.cfg.batch)
            self.claim_more = len(raw) >= self.cfg.batch
        room = self.cfg.batch - len(raw) - sum(len(v) for v in self.waiting.values())
        self.caught_up = False
        if room > 0 and not self.claim_more:
            block = 20 if (self.waiting or raw) else min(self.cfg.block_ms, 500)
            resp = await self.r.xreadgroup(keys.GROUP, self.cfg.consumer, {self.stream: ">"},
                                           count=room, block=block)
            t0 = time.perf_counter()
            got = 0
            for _name, entries in resp or []:
                got += len(entries)
                raw += [(_s(i), f, 1) for i, f in entries if f is not None]
            self.caught_up = got < room
        elif not raw:
            await asyncio.sleep(0.02)
        if raw or self.waiting:
            await self.handle(raw)
            metrics.BATCH_SECONDS.observe(time.perf_counter() - t0)
        if self.caught_up and self.cfg.stale_after_s > 0 and \
                time.monotonic() - self.last_watch >= self.cfg.watch_interval_s:
            self.last_watch = time.monotonic()
            await self.watchdog()
        metrics.WAITING.set(sum(len(v) for v in self.waiting.values()))
        metrics.HOT_MONITORS.set(len(self.hot))

    async def autoclaim(self, limit: int) -> list[tuple[str, dict[bytes, bytes], int]]:
        """Take over the pending entries of dead consumers (heartbeat key expired) and our own
        entries that we no longer hold (lost in a Redis error). Live consumers keep theirs,
        however long they take. Returns (id, fields, deliveries)."""
        held = {x.entry_id for items in self.waiting.values() for x in items}
        me = self.cfg.consumer.encode()
        alive: dict[bytes, bool] = {me: True}
        take: list[dict[str, Any]] = []
        start = "-"
        for _ in range(20):  # oldest first, until `limit` are found; the rest comes next time
            page = await self.r.xpending_range(self.stream, keys.GROUP, min=start, max="+",
                                               count=1000)
            unknown = sorted({r["consumer"] for r in page} - set(alive))
            if unknown:
                pipe = self.r.pipeline(transaction=False)
                for c in unknown:
                    pipe.exists(keys.consumer_alive(_s(c)))
                alive.update({c: bool(n) for c, n in zip(unknown, await pipe.execute())})
            # We own the shard (lease): entries of others are of a dead worker or of the
            # previous owner, which dropped them when it lost the lease: dead ones at once,
            # others once idle; ours only if we lost track of them (a Redis error).
            for r in page:
                idle = int(r["time_since_delivered"])
                if r["consumer"] != me:
                    if not alive[r["consumer"]] or idle >= self.cfg.takeover_idle_ms:
                        take.append(r)
                elif _s(r["message_id"]) not in held and idle >= self.cfg.claim_idle_ms:
                    take.append(r)
            if len(page) < 1000 or len(take) >= limit:
                break
            start = "(" + _s(page[-1]["message_id"])
        take = take[:limit]
        if not take:
            return []
        count = {_s(r["message_id"]): int(r["times_delivered"]) + 1 for r in take}
        out: list[tuple[str, dict[bytes, bytes], int]] = []
        ids = list(count)
        for k in range(0, len(ids), 500):
            got = await self.r.xclaim(self.stream, keys.GROUP, self.cfg.consumer, 0,
                                      ids[k:k + 500])
            out += [(_s(i), f, count[_s(i)]) for i, f in got if f is not None]
        metrics.REDELIVERIES.inc(len(out))
        log(LOG, logging.INFO, "took over pending entries", shard=self.shard, count=len(out),
            from_consumers=sorted({_s(r["consumer"]) for r in take}))
        return out

    # ---- one batch -----------------------------------------------------------------------
    async def handle(self, raw: list[tuple[str, dict[bytes, bytes], int]]) -> None:
        pending: dict[str, list[Item]] = self.waiting
        self.waiting = {}
        unplaceable: list[tuple[str, dict[bytes, bytes], PoisonMessage]] = []
        for eid, fields, deliveries in raw:
            entry: Union[Entry, PoisonMessage]
            try:
                entry = decode(fields)
            except PoisonMessage as bad:
                entry = bad
            if deliveries > self.cfg.max_deliveries and not isinstance(entry, PoisonMessage):
                entry = PoisonMessage("delivered %d times without completing" % deliveries,
                                      entry.patient, entry.session,
                                      None if entry.kind == KIND_START else entry.seq)
            if isinstance(entry, PoisonMessage) and (
                    entry.patient is None or entry.session is None or entry.seq is None):
                unplaceable.append((eid, fields, entry))
                continue
            assert entry.patient is not None
            pending.setdefault(entry.patient, []).append(Item(eid, entry, fields))
        acks: list[str] = []
        relay: list[Alarm] = []
        dead: list[tuple[str, dict[bytes, bytes], str]] = []
        for eid, fields, poison in unplaceable:
            dead.append((eid, fields, poison.reason))
            relay.append(self.technical_alarm(poison))
            metrics.ENTRIES.labels("poison", "dead_letter").inc()
        self.settled = await self.all_seen(pending)
        for rnd in range(MAX_ROUNDS):
            if not pending:
                break
            retry = await self.round(pending, acks, relay, dead, force_read=rnd > 0)
            pending = retry
        for p, items in pending.items():
            self.waiting.setdefault(p, []).extend(items)
        await self.finish(acks, unique_alarms(relay), dead)

    def technical_alarm(self, p: PoisonMessage) -> Alarm:
        patient = p.patient or ""
        f = ev.marker_fields(ev.TECHNICAL, "message_rejected", p.session or 0, p.seq or -1, 0,
                             0.0, p.reason)
        return Alarm.direct(patient, f, "%s:%s:dl-%d" % (patient, p.session or 0,
                                                         int(time.time() * 1000)))

    async def round(self, pending: dict[str, list[Item]], acks: list[str],
                    relay: list[Alarm], dead: list[tuple[str, dict[bytes, bytes], str]],
                    force_read: bool) -> dict[str, list[Item]]:
        """Plan and commit what is due; returns the items to try again at once (conflicts)."""
        for items in pending.values():
            items.sort(key=lambda it: (it.session, it.kind != KIND_START, it.seq))
        to_read = [p for p, items in pending.items()
                   if force_read or p not in self.hot
                   or any(classify(self.hot[p], it) == WAIT for it in items)]
        if to_read:
            pipe = self.r.pipeline(transaction=False)
            for p in to_read:
                pipe.hmget(keys.state(p), STATE_FIELDS)
            for p, vals in zip(to_read, await pipe.execute()):
                self.hot.pop(p, None)
                self.hot[p] = view_from_hash(vals)
        commits: list[Commit] = []
        waiting: dict[str, list[Item]] = {}
        retry: dict[str, list[Item]] = {}
        for p, items in pending.items():
            view = self.hot.pop(p, None)
            if view is None:  # dropped meanwhile (the shard's lease was lost): read it again
                retry[p] = items
                continue
            self.hot[p] = view  # most recently used last
            rest = self.plan_patient(p, view, items, commits, acks, dead)
            if rest:
                waiting[p] = rest
        if commits:
            results = await self.script.run_many(self.r, commits, self.cfg)
            failed: set[str] = set()
            for c, res in zip(commits, results):
                if res is None:
                    failed.add(c.patient)
                    retry.setdefault(c.patient, []).extend([c.item] if c.consumes else [])
                    metrics.CONFLICTS.inc()
                    continue
                relay += res
                if c.consumes:
                    acks.append(c.item.entry_id)
                    self.account(c, dead)
                self.touched[c.patient] = (c.after.status == ACTIVE, c.item.arrived)
                if c.patient not in failed:
                    if c.after.status == "active":
                        self.hot[c.patient] = c.after
                    else:
                        self.hot.pop(c.patient, None)
            for p in failed:
                self.hot.pop(p, None)
        for p, items in waiting.items():
            if p in retry:
                retry[p].extend(items)
            else:
                self.waiting[p] = items
        while len(self.hot) > self.cfg.hot_limit:
            self.hot.popitem(last=False)
        return retry

    def plan_patient(self, p: str, view: View, items: list[Item], commits: list[Commit],
                     acks: list[str], dead: list[tuple[str, dict[bytes, bytes], str]]
                     ) -> list[Item]:
        """Commits for every item due on ``view`` in order; returns the items that must wait.
        The first waiting item of a patient waits at most gap_timeout_s (since it reached
        Redis) for what should come before it; then the gap is closed (or the missing start
        made up) with a technical event, and the session goes on."""
        rest: list[Item] = []
        progressed = True
        todo = items
        while progressed:
            progressed = False
            rest = []
            for it in todo:
                verdict = classify(view, it)
                if verdict == WAIT:
                    c = None if rest else self.end_wait(p, view, it)
                    if isinstance(c, str):
                        dead.append((it.entry_id, it.fields, c))
                        metrics.ENTRIES.labels(it.kind, "dead_letter").inc()
                        continue
                    if c is not None:
                        commits.append(c)
                        view = c.after
                        progressed = True
                    rest.append(it)
                    continue
                if verdict in (DUPLICATE, STALE):
                    late = self.late_reason(view, it, verdict)
                    if late:  # not a copy of something processed: keep it, say why
                        dead.append((it.entry_id, it.fields, late))
                        metrics.ENTRIES.labels(it.kind, "dead_letter").inc()
                        continue
                    acks.append(it.entry_id)
                    metrics.ENTRIES.labels(it.kind, verdict).inc()
                    if verdict == DUPLICATE:
                        metrics.DUPLICATES.inc()
                    continue
                assert verdict == PROCESS
                try:
                    c = apply(p, view, it, self.cfg.live)
                except Exception as e:  # a bug, not bad data: retry, then give up on the entry
                    it.attempts += 1
                    log(LOG, logging.ERROR, "processing failed", patient=p, entry=it.entry_id,
                        attempt=it.attempts, error=repr(e))
                    if it.attempts < self.cfg.max_attempts:
                        rest.append(it)
                        view.monitor = None
                        continue
                    c = reject(p, view, it, "processing failed %d times: %r" % (it.attempts, e))
                commits.append(c)
                view = c.after
                progressed = True
            todo = rest
        return rest

    async def all_seen(self, pending: dict[str, list[Item]]) -> bool:
        """May a wait that outlasted gap_timeout_s end now? Only if what it waits for is not
        in the shard unread (a backlog) or pending elsewhere (a dead worker's entries, not yet
        taken over): then it never came."""
        if self.cfg.gap_timeout_s <= 0 or not self.caught_up:
            return False
        oldest = time.time() - self.cfg.gap_timeout_s
        if not any(it.arrived <= oldest for items in pending.values() for it in items):
            return False
        return await self.none_elsewhere(sum(len(v) for v in pending.values()))

    async def none_elsewhere(self, held: int) -> bool:
        """Are the shard's pending entries only the ``held`` ones we hold?"""
        return int((await self.r.xpending(self.stream, keys.GROUP))["pending"]) <= held

    def end_wait(self, p: str, view: View, it: Item) -> Union[Commit, str, None]:
        """What ends ``it``'s wait once gap_timeout_s passed: a commit, or the reason to
        dead-letter it; None while it may still wait."""
        waited = time.time() - it.arrived
        if not self.settled or waited < self.cfg.gap_timeout_s:
            return None
        e = it.entry
        if it.session > view.session:
            if isinstance(e, Entry) and e.kind == KIND_CHUNK:
                return start_missing(p, view, it, e, waited, self.cfg.live)
            return "session %d never started (waited %.1f s)" % (it.session, waited)
        if view.status == ACTIVE and it.seq > view.next_seq:
            log(LOG, logging.WARNING, "sequence gap closed", patient=p, session=it.session,
                missing_from=view.next_seq, missing_to=it.seq - 1, waited_s=round(waited, 1))
            return close_gap(p, view, it, waited)
        return None

    @staticmethod
    def late_reason(view: View, it: Item, verdict: str) -> str:
        """Why an entry that will not be processed is kept in the dead letters ('' = a true
        duplicate, safe to drop)."""
        if it.kind == KIND_START:
            return ""
        if verdict == DUPLICATE:
            if it.kind == KIND_CHUNK and it.session == view.session and view.in_closed_gap(it.seq):
                return "late chunk %d: its sequence gap was closed before it came" % it.seq
            return ""
        if it.session < view.session:
            return "entry of session %d after session %d started" % (it.session, view.session)
        return "entry of session %d, which is %s" % (it.session, view.status or "unknown")

    async def watchdog(self) -> None:
        """End the active sessions of this shard whose device went silent: no entry for
        stale_after_s. Run only when the shard is caught up and nothing of it is pending
        elsewhere (a backlog or a dead worker's entries are not silence)."""
        now = time.time()
        silent = [_s(p) for p in await self.r.zrangebyscore(
            self.activity, "-inf", now - self.cfg.stale_after_s, start=0, num=100)]
        silent = [p for p in silent if p not in self.waiting]
        if not silent:
            return
        if not await self.none_elsewhere(sum(len(v) for v in self.waiting.values())):
            return
        pipe = self.r.pipeline(transaction=False)
        for p in silent:
            pipe.hmget(keys.state(p), STATE_FIELDS)
            pipe.zscore(self.activity, p)
        got = await pipe.execute()
        commits: list[Commit] = []
        gone: list[str] = []
        for p, vals, last in zip(silent, got[0::2], got[1::2]):
            view = view_from_hash(vals)
            if view.status != ACTIVE or last is None:
                gone.append(p)
                continue
            idle = now - float(last)
            log(LOG, logging.WARNING, "session ended: device silent", patient=p,
                session=view.session, idle_s=round(idle, 1))
            commits.append(end_silent(p, view, idle))
        if gone:
            await self.r.zrem(self.activity, *gone)
        if not commits:
            return
        relay: list[Alarm] = []
        results = await self.script.run_many(self.r, commits, self.cfg)
        for c, res in zip(commits, results):
            self.hot.pop(c.patient, None)
            if res is not None:  # None: a chunk came meanwhile and was committed first
                relay += res
                self.touched[c.patient] = (False, now)
                metrics.ENTRIES.labels("watchdog", "session_ended").inc()
        await self.finish([], unique_alarms(relay), [])

    def account(self, c: Commit, dead: list[tuple[str, dict[bytes, bytes], str]]) -> None:
        kind = c.item.kind
        if c.dead_letter:
            dead.append((c.item.entry_id, c.item.fields, c.dead_letter))
            metrics.ENTRIES.labels(kind, "dead_letter").inc()
            return
        metrics.ENTRIES.labels(kind, "processed").inc()
        if c.chunk_t:
            metrics.CHUNKS.inc()
            metrics.LATENCY.observe(max(0.0, time.time() - c.chunk_t))

    async def finish(self, acks: list[str], relay: list[Alarm],
                     dead: list[tuple[str, dict[bytes, bytes], str]]) -> None:
        """Dead letters and alarms first (at least once), then XACK and outbox cleanup."""
        if relay or dead:
            pipe = self.r.pipeline(transaction=False)
            for alarm in relay:
                pipe.xadd(keys.ALARMS, alarm.fields)
            for eid, fields, reason in dead:
                f: dict[Any, Any] = dict(fields)
                f.update({"reason": reason[:500], "shard": str(self.shard), "entry_id": eid})
                pipe.xadd(keys.DEAD_LETTER, f)
            await pipe.execute()
            if dead:
                metrics.DEAD_LETTERS.inc(len(dead))
                log(LOG, logging.WARNING, "dead-lettered entries", shard=self.shard,
                    entries=[d[0] for d in dead], reasons=[d[2][:200] for d in dead])
        touched, self.touched = self.touched, {}
        acks = acks + [d[0] for d in dead if d[0] not in acks]  # copied: done with them
        if acks or relay or touched:
            pipe = self.r.pipeline(transaction=False)
            if acks:
                pipe.xack(self.stream, keys.GROUP, *acks)
            live = {p: t for p, (active, t) in touched.items() if active}
            if live:
                pipe.zadd(self.activity, live)
            gone = [p for p, (active, _) in touched.items() if not active]
            if gone:
                pipe.zrem(self.activity, *gone)
            for alarm in relay:
                if alarm.outbox_item is not None:
                    pipe.lrem(keys.outbox(alarm.patient), 1, alarm.outbox_item)
            await pipe.execute()


def unique_alarms(relay: list[Alarm]) -> list[Alarm]:
    """Every commit returns the patient's whole outbox: relay each outbox item once per batch."""
    seen: set[tuple[str, bytes]] = set()
    out: list[Alarm] = []
    for a in relay:
        if a.outbox_item is not None:
            k = (a.patient, a.outbox_item)
            if k in seen:
                continue
            seen.add(k)
        out.append(a)
    return out
