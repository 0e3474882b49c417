"""Planning: what one shard entry does to a patient's state, computed in memory.

A :class:`View` is the patient's state as the worker believes it (read from Redis, or kept hot
from its own last commit). :func:`classify` decides whether an entry is the next one for the
patient, an old duplicate, or must wait; :func:`apply` runs the Monitor and returns the
:class:`Commit` that the Lua script writes only if Redis still holds the expected
``(session, next_seq)``.
"""
from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field, replace
from typing import Optional, Union

import orjson
import vitalstream

from .. import events as ev
from ..messages import KIND_CHUNK, KIND_END, KIND_START, Entry, PoisonMessage

PROCESS, DUPLICATE, STALE, WAIT = "process", "duplicate", "stale", "wait"
ACTIVE, ENDED, FAILED = "active", "ended", "failed"
STATE_FIELDS = ("session", "next_seq", "status", "fs", "blob", "samples", "rejected", "gaps")
MAX_GAPS_KEPT = 64  # closed gaps remembered per session (late chunks vs duplicates)


def seq_in_gaps(gaps: str, seq: int) -> bool:
    """Is ``seq`` in one of the closed gaps "first-last,..." of a state hash's ``gaps``?"""
    for g in gaps.split(",") if gaps else []:
        first, _, last = g.partition("-")
        if int(first) <= seq <= int(last):
            return True
    return False


@dataclass
class View:
    session: int = 0            # 0: no session yet
    next_seq: int = 0
    status: str = ""
    fs: float = 0.0
    blob: Optional[bytes] = None
    samples: int = 0
    rejected: int = 0
    gaps: str = ""              # closed sequence gaps of the session: "first-last,..."
    monitor: Optional[vitalstream.Monitor] = None  # in step with blob when set

    def in_closed_gap(self, seq: int) -> bool:
        """Was chunk ``seq`` skipped when its gap was closed (so it is late, not a duplicate)?"""
        return seq_in_gaps(self.gaps, seq)

    def expected(self) -> tuple[str, str]:
        """The (session, next_seq) the commit's compare-and-set expects in Redis."""
        if self.session == 0:
            return "", ""
        return str(self.session), str(self.next_seq)


def view_from_hash(values: list[Optional[bytes]]) -> View:
    """A View from HMGET state STATE_FIELDS."""
    session, next_seq, status, fs, blob, samples, rejected, gaps = values
    if session is None:
        return View()
    return View(session=int(session), next_seq=int(next_seq or b"0"),
                status=(status or b"").decode(), fs=float(fs or b"0"), blob=blob,
                samples=int(samples or b"0"), rejected=int(rejected or b"0"),
                gaps=(gaps or b"").decode())


@dataclass
class Item:
    """A pending shard entry: decoded, or poison with whatever ids it had."""

    entry_id: str
    entry: Union[Entry, PoisonMessage]
    fields: dict[bytes, bytes]
    attempts: int = 0
    arrived: float = field(init=False)  # epoch s the entry reached Redis (its stream id)

    def __post_init__(self) -> None:
        ms = self.entry_id.partition("-")[0]
        self.arrived = min(int(ms) / 1000.0, time.time()) if ms.isdigit() else time.time()

    @property
    def kind(self) -> str:
        if isinstance(self.entry, Entry):
            return self.entry.kind
        # sequenced poison takes a chunk's place; a rejected end marker still ends the session
        return KIND_END if self.entry.kind == KIND_END else KIND_CHUNK

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
    live: bytes                 # live feed JSON, b'' = none
    item: Item
    after: View
    chunk_t: float = 0.0        # producer time of a processed chunk (latency), 0 otherwise
    dead_letter: str = ""       # reason, when the entry is rejected
    consumes: bool = True       # False: a commit made on the entry's behalf (a closed gap, an
                                # implicit start) that leaves the entry itself still to process


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
          evs: list[ev.EventFields], t_ingest: float) -> bytes:
    return orjson.dumps({
        "patient": patient, "kind": kind, "session": view.session, "seq": seq, "fs": view.fs,
        "start": start, "samples_b64": base64.b64encode(samples).decode("ascii"),
        "events": [ev.live_event(e) for e in evs], "t_ingest": t_ingest, "t_commit": time.time(),
    })


def _commit(patient: str, view: View, item: Item, after: View, events: list[ev.EventFields],
            hset: list[tuple[str, Union[str, bytes]]], hdel: Optional[list[str]] = None,
            live: bytes = b"", chunk_t: float = 0.0, dead_letter: str = "") -> Commit:
    hset = hset + [("updated", _now())]
    return Commit(patient, view.expected(), after.session, hset, hdel or [], events, live, item,
                  after, chunk_t, dead_letter)


def _finish_events(view: View, reason: str, detail: str = "") -> list[ev.EventFields]:
    """finish() of the open session and its session_end marker (also if the blob is broken)."""
    out: list[ev.EventFields] = []
    try:
        fin = _load_monitor(view).finish()
        out += ev.monitor_event_fields(fin, view.session, view.next_seq, view.fs)
    except vitalstream.VitalStreamError as e:
        out.append(ev.marker_fields(ev.TECHNICAL, "state_corrupt", view.session, view.next_seq,
                                    view.samples, view.fs, str(e)))
    out.append(ev.marker_fields(ev.SESSION_END, reason, view.session, view.next_seq,
                                view.samples, view.fs, detail))
    return out


def apply(patient: str, view: View, item: Item, live: bool) -> Commit:
    """The commit of ``item`` (classified PROCESS) on ``view``."""
    e = item.entry
    if isinstance(e, PoisonMessage):
        return reject(patient, view, item, e.reason)
    if e.kind == KIND_START:
        return _start(patient, view, item, e, live)
    if e.kind == KIND_END:
        return _end(patient, view, item, [], "end", "", live=live, t=e.t)
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
                   if live else b"", chunk_t=e.t)


def _end(patient: str, view: View, item: Item, evs: list[ev.EventFields], reason: str,
         detail: str, live: bool = False, t: float = 0.0, dead_letter: str = "",
         consumes: bool = True) -> Commit:
    """finish() and the session's end; ``reason`` names it in the session_end event."""
    evs = evs + _finish_events(view, reason, detail)
    # an end marker takes its place in the sequence; a watchdog end takes none, so chunks
    # that still come are told apart from duplicates (and dead-lettered, not dropped)
    after = replace(view, next_seq=view.next_seq + (1 if consumes else 0), status=ENDED,
                    blob=None, monitor=None)
    c = _commit(patient, view, item, after, evs,
                [("next_seq", str(after.next_seq)), ("status", ENDED)], ["blob"],
                live=_live(patient, "end", view, item.seq, view.samples, b"", evs, t)
                if live else b"", dead_letter=dead_letter)
    c.consumes = consumes
    return c


def close_gap(patient: str, view: View, item: Item, waited: float) -> Commit:
    """``item`` waited ``waited`` s for chunks that never came: record the gap as a technical
    event and go on from ``item`` (the Monitor sees the chunks it got back to back, as the
    archive does; the event marks where the gap lies). Chunks of the gap that come later are
    dead-lettered as late."""
    first, last = view.next_seq, item.seq - 1
    gaps = ([g for g in view.gaps.split(",") if g] + ["%d-%d" % (first, last)])[-MAX_GAPS_KEPT:]
    after = replace(view, next_seq=item.seq, gaps=",".join(gaps))
    what = "chunk %d" % first if first == last else "chunks %d..%d" % (first, last)
    evs = [ev.marker_fields(ev.TECHNICAL, "sequence_gap", view.session, first, view.samples,
                            view.fs, "%s missing after waiting %.1f s; the session goes on "
                            "without them" % (what, waited))]
    c = _commit(patient, view, item, after, evs,
                [("next_seq", str(after.next_seq)), ("gaps", after.gaps)])
    c.consumes = False
    return c


def end_silent(patient: str, view: View, idle: float) -> Commit:
    """The stale-session watchdog: the device of an active session sent nothing for ``idle`` s
    (or its end marker was lost): end the session with a technical event."""
    reason = "no data for %.0f s (next chunk %d never came)" % (idle, view.next_seq)
    evs = [ev.marker_fields(ev.TECHNICAL, "device_silent", view.session, view.next_seq,
                            view.samples, view.fs, reason)]
    probe = Item("", Entry(KIND_END, patient, view.session, view.fs, view.next_seq, b"", 0.0), {})
    return _end(patient, view, probe, evs, "device_silent", reason, consumes=False)


def start_missing(patient: str, view: View, item: Item, e: Entry, waited: float,
                  live: bool) -> Commit:
    """Chunks of a session whose start marker never came (lost, or dead-lettered): after the
    gap wait, start it implicitly at the chunk's fs, with a technical event saying so."""
    start = Entry(KIND_START, patient, e.session, e.fs, -1, b"", e.t)
    c = _start(patient, view, item, start, live)
    c.events.append(ev.marker_fields(ev.TECHNICAL, "start_missing", e.session, -1, 0, e.fs,
                                     "no start marker after waiting %.1f s: session started "
                                     "implicitly at %g Hz" % (waited, e.fs)))
    c.consumes = False
    return c


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
                    ("started", repr(e.t))], ["last_error", "gaps"],
                   live=_live(patient, "start", after, -1, 0, b"", evs, e.t) if live else b"")


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
    if item.kind == KIND_END:  # the device meant to end: end it, and say why it looks odd
        evs = [ev.marker_fields(ev.TECHNICAL, "end_rejected", view.session, item.seq,
                                view.samples, view.fs, reason)]
        return _end(patient, view, item, evs, "end_rejected", reason, dead_letter=reason)
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
