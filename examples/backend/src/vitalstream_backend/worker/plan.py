"""Planning: what one shard entry does to a patient's state, computed in memory.

A :class:`View` is the patient's state as the worker believes it (read from Redis, or kept hot
from its own last commit). :func:`classify` decides whether an entry is the next one for the
patient, an old duplicate, or must wait; :func:`apply` runs the Monitor and returns the
:class:`Commit` that the Lua script writes only if Redis still holds the expected
``(session, next_seq)``.
"""
from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field, replace
from typing import Optional, Union

import vitalstream

from .. import events as ev
from ..messages import KIND_CHUNK, KIND_END, KIND_START, Entry, PoisonMessage

PROCESS, DUPLICATE, STALE, WAIT = "process", "duplicate", "stale", "wait"
ACTIVE, ENDED, FAILED = "active", "ended", "failed"
STATE_FIELDS = ("session", "next_seq", "status", "fs", "blob", "samples", "rejected")


@dataclass
class View:
    session: int = 0            # 0: no session yet
    next_seq: int = 0
    status: str = ""
    fs: float = 0.0
    blob: Optional[bytes] = None
    samples: int = 0
    rejected: int = 0
    monitor: Optional[vitalstream.Monitor] = None  # in step with blob when set

    def expected(self) -> tuple[str, str]:
        """The (session, next_seq) the commit's compare-and-set expects in Redis."""
        if self.session == 0:
            return "", ""
        return str(self.session), str(self.next_seq)


def view_from_hash(values: list[Optional[bytes]]) -> View:
    """A View from HMGET state STATE_FIELDS."""
    session, next_seq, status, fs, blob, samples, rejected = values
    if session is None:
        return View()
    return View(session=int(session), next_seq=int(next_seq or b"0"),
                status=(status or b"").decode(), fs=float(fs or b"0"), blob=blob,
                samples=int(samples or b"0"), rejected=int(rejected or b"0"))


@dataclass
class Item:
    """A pending shard entry: decoded, or poison with whatever ids it had."""

    entry_id: str
    entry: Union[Entry, PoisonMessage]
    fields: dict[bytes, bytes]
    received: float = field(default_factory=time.monotonic)
    attempts: int = 0

    @property
    def kind(self) -> str:
        if isinstance(self.entry, Entry):
            return self.entry.kind
        return KIND_CHUNK  # sequenced poison takes a chunk's place

    @property
    def session(self) -> int:
        s = self.entry.session
        return s if s is not None else 0

    @property
    def seq(self) -> int:
        s = self.entry.seq
        return s if s is not None else -1


@dataclass
class Commit:
    patient: str
    expect: tuple[str, str]
    session: int
    hset: list[tuple[str, Union[str, bytes]]]
    hdel: list[str]
    events: list[ev.EventFields]
    live: str
    item: Item
    after: View
    chunk_t: float = 0.0        # producer time of a processed chunk (latency), 0 otherwise
    dead_letter: str = ""       # reason, when the entry is rejected


def classify(view: View, item: Item) -> str:
    if item.kind == KIND_START:
        return PROCESS if item.session > view.session else DUPLICATE
    if item.session < view.session:
        return STALE
    if item.session > view.session:
        return WAIT  # its session start has not been committed yet
    if item.seq < view.next_seq:
        return DUPLICATE
    if view.status != ACTIVE:
        return STALE
    return WAIT if item.seq > view.next_seq else PROCESS


def _now() -> str:
    return repr(time.time())


def _load_monitor(view: View) -> vitalstream.Monitor:
    if view.monitor is not None:
        return view.monitor
    if view.blob is None:
        raise vitalstream.StateError(0, "the session has no state blob")
    m = vitalstream.Monitor.from_state(view.blob)
    if m.fs_hz != view.fs:
        raise vitalstream.StateError(0, "state blob is for %g Hz, session is %g Hz"
                                     % (m.fs_hz, view.fs))
    return m


def _live(patient: str, kind: str, view: View, seq: int, start: int, samples: bytes,
          evs: list[ev.EventFields], t_ingest: float) -> str:
    return json.dumps({
        "patient": patient, "kind": kind, "session": view.session, "seq": seq, "fs": view.fs,
        "start": start, "samples_b64": base64.b64encode(samples).decode("ascii"),
        "events": [ev.live_event(e) for e in evs], "t_ingest": t_ingest, "t_commit": time.time(),
    }, separators=(",", ":"))


def _commit(patient: str, view: View, item: Item, after: View, events: list[ev.EventFields],
            hset: list[tuple[str, Union[str, bytes]]], hdel: Optional[list[str]] = None,
            live: str = "", chunk_t: float = 0.0, dead_letter: str = "") -> Commit:
    hset = hset + [("updated", _now())]
    return Commit(patient, view.expected(), after.session, hset, hdel or [], events, live, item,
                  after, chunk_t, dead_letter)


def _finish_events(view: View, reason: str) -> list[ev.EventFields]:
    """finish() of the open session and its session_end marker (also if the blob is broken)."""
    out: list[ev.EventFields] = []
    try:
        fin = _load_monitor(view).finish()
        out += ev.monitor_event_fields(fin, view.session, view.next_seq, view.fs)
    except vitalstream.VitalStreamError as e:
        out.append(ev.marker_fields(ev.TECHNICAL, "state_corrupt", view.session, view.next_seq,
                                    view.samples, view.fs, str(e)))
    out.append(ev.marker_fields(ev.SESSION_END, reason, view.session, view.next_seq,
                                view.samples, view.fs))
    return out


def apply(patient: str, view: View, item: Item, live: bool) -> Commit:
    """The commit of ``item`` (classified PROCESS) on ``view``."""
    e = item.entry
    if isinstance(e, PoisonMessage):
        return reject(patient, view, item, e.reason)
    if e.kind == KIND_START:
        return _start(patient, view, item, e, live)
    if e.kind == KIND_END:
        evs = _finish_events(view, "end")
        after = replace(view, next_seq=view.next_seq + 1, status=ENDED, blob=None, monitor=None)
        return _commit(patient, view, item, after, evs,
                       [("next_seq", str(after.next_seq)), ("status", ENDED)], ["blob"],
                       live=_live(patient, "end", view, e.seq, view.samples, b"", evs, e.t)
                       if live else "")
    if e.fs != view.fs:
        return reject(patient, view, item, "chunk at %g Hz in a %g Hz session" % (e.fs, view.fs))
    try:
        m = _load_monitor(view)
    except vitalstream.VitalStreamError as err:
        return _fail(patient, view, item, "state_corrupt", str(err))
    x = e.signal()
    try:
        out = m.process(x)
    except vitalstream.VitalStreamError as err:
        view.monitor = None  # may be half-fed: reload from the blob next time
        return reject(patient, view, item, "monitor refused the chunk: %s" % err)
    blob = m.save_state()
    after = replace(view, next_seq=view.next_seq + 1, blob=blob,
                    samples=view.samples + int(x.shape[0]), monitor=m)
    evs = ev.monitor_event_fields(out, view.session, e.seq, view.fs)
    return _commit(patient, view, item, after, evs,
                   [("next_seq", str(after.next_seq)), ("blob", blob),
                    ("samples", str(after.samples))],
                   live=_live(patient, "chunk", view, e.seq, view.samples, e.samples, evs, e.t)
                   if live else "", chunk_t=e.t)


def _start(patient: str, view: View, item: Item, e: Entry, live: bool) -> Commit:
    evs: list[ev.EventFields] = []
    if view.status == ACTIVE:
        evs += _finish_events(view, "superseded")
    try:
        m = vitalstream.Monitor(e.fs)
        blob = m.save_state()
    except vitalstream.VitalStreamError as err:
        after = View(session=e.session, next_seq=0, status=FAILED, fs=e.fs)
        evs.append(ev.marker_fields(ev.TECHNICAL, "session_rejected", e.session, -1, 0, e.fs,
                                    str(err)))
        return _commit(patient, view, item, after, evs,
                       [("session", str(e.session)), ("next_seq", "0"), ("status", FAILED),
                        ("fs", repr(e.fs)), ("samples", "0"), ("rejected", "0"),
                        ("last_error", str(err)[:500]), ("started", repr(e.t))], ["blob"],
                       dead_letter="session start refused: %s" % err)
    after = View(session=e.session, next_seq=0, status=ACTIVE, fs=e.fs, blob=blob, monitor=m)
    evs.append(ev.marker_fields(ev.SESSION_START, "start", e.session, -1, 0, e.fs))
    return _commit(patient, view, item, after, evs,
                   [("session", str(e.session)), ("next_seq", "0"), ("status", ACTIVE),
                    ("fs", repr(e.fs)), ("blob", blob), ("samples", "0"), ("rejected", "0"),
                    ("started", repr(e.t))], ["last_error"],
                   live=_live(patient, "start", after, -1, 0, b"", evs, e.t) if live else "")


def reject(patient: str, view: View, item: Item, reason: str) -> Commit:
    """A poison chunk in its turn: the sequence moves on without it, the session records the
    loss and a technical alarm goes out; the entry itself goes to the dead-letter stream."""
    if item.kind == KIND_START:
        after = View(session=item.session, next_seq=0, status=FAILED, fs=view.fs)
        evs = ([] if view.status != ACTIVE else _finish_events(view, "superseded"))
        evs.append(ev.marker_fields(ev.TECHNICAL, "session_rejected", item.session, -1, 0,
                                    view.fs, reason))
        return _commit(patient, view, item, after, evs,
                       [("session", str(item.session)), ("next_seq", "0"), ("status", FAILED),
                        ("rejected", "1"), ("last_error", reason[:500])], ["blob"],
                       dead_letter=reason)
    after = replace(view, next_seq=view.next_seq + 1, rejected=view.rejected + 1)
    evs = [ev.marker_fields(ev.TECHNICAL, "chunk_rejected", view.session, item.seq,
                            view.samples, view.fs, reason)]
    return _commit(patient, view, item, after, evs,
                   [("next_seq", str(after.next_seq)), ("rejected", str(after.rejected)),
                    ("last_error", reason[:500])], dead_letter=reason)


def _fail(patient: str, view: View, item: Item, name: str, reason: str) -> Commit:
    """The patient's state cannot be used: the session stops with a technical alarm."""
    after = replace(view, status=FAILED, blob=None, monitor=None)
    evs = [ev.marker_fields(ev.TECHNICAL, name, view.session, item.seq, view.samples, view.fs,
                            reason)]
    return _commit(patient, view, item, after, evs,
                   [("status", FAILED), ("last_error", reason[:500])], ["blob"],
                   dead_letter=reason)
