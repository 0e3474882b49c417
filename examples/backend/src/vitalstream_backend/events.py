"""Monitor events as flat string fields: the entries of a patient's event stream.

Kinds this version does not know (the C monitor may add some) keep their number: ``event<N>``,
and their code is passed through unnamed, so a newer library never breaks the workers.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import vitalstream

TYPE_NAMES = {
    int(vitalstream.EVENT_BEAT): "beat",
    int(vitalstream.EVENT_RHYTHM): "rhythm",
    int(vitalstream.EVENT_ALARM): "alarm",
    int(vitalstream.EVENT_QUALITY): "quality",
    5: "alarm_end",  # VS_EVENT_ALARM_END (monitor.h): end of a technical alarm
}
ALARM_TYPES = ("alarm", "alarm_end", "technical")  # also relayed to the global alarms stream
TECHNICAL_FLAG = 0x1       # VS_ALARM_TECHNICAL in vs_event.flags of alarms
TECHNICAL_CODE_FIRST = 32  # VS_RHYTHM_TECH_FIRST: alarm codes from here on are technical
SEVERITY_PRIORITY = {0: "advisory", 1: "warning", 2: "critical"}
QUALITY_NAMES = {0: "good", 1: "noisy", 2: "unreadable"}
SESSION_START = "session_start"
SESSION_END = "session_end"
TECHNICAL = "technical"

EventFields = list[tuple[str, str]]


def type_name(t: int) -> str:
    return TYPE_NAMES.get(t, "event%d" % t)


@lru_cache(maxsize=1024)
def code_name(type_: str, code: int) -> str:
    """Readable name of an event's code (beat class, rhythm/alarm type, quality level)."""
    if type_ == "beat":
        return vitalstream.aami_class_name(code)
    if type_ in ("rhythm", "alarm", "alarm_end"):
        return vitalstream.rhythm_type_name(code)
    if type_ == "quality":
        return QUALITY_NAMES.get(code, "level%d" % code)
    return str(code)


def priority(type_: str, code: int, flags: int, severity: int) -> str:
    """Alarm priority for displays: technical (leads off, signal lost, ...) or the severity."""
    if type_ == TECHNICAL:
        return "technical"
    if type_ in ("alarm", "alarm_end") and (flags & TECHNICAL_FLAG or code >= TECHNICAL_CODE_FIRST):
        return "technical"
    return SEVERITY_PRIORITY.get(severity, "severity%d" % severity)


def monitor_event_fields(ev: np.ndarray, session: int, seq: int, fs: float) -> list[EventFields]:
    """One field list per row of a Monitor event array (vitalstream.EVENT_DTYPE)."""
    out: list[EventFields] = []
    s, q = str(session), str(seq)
    for (sample, end, decided, t, code, wfdb, sub, flags, sev, value,
         amp) in ev.tolist():
        tn = type_name(t)
        out.append([
            ("session", s), ("seq", q), ("type", tn), ("name", code_name(tn, code)),
            ("sample", str(sample)), ("end", str(end)), ("decided", str(decided)),
            ("code", str(code)), ("wfdb_code", str(wfdb)), ("subtype", str(sub)),
            ("flags", str(flags)), ("severity", str(sev)), ("value", repr(value)),
            ("amp", repr(amp)), ("t", repr(sample / fs)),
            ("priority", priority(tn, code, flags, sev)),
        ])
    return out


def marker_fields(type_: str, name: str, session: int, seq: int, sample: int, fs: float,
                  reason: str = "") -> EventFields:
    """Session start/end and technical events (produced by the worker, not the monitor)."""
    f = [("session", str(session)), ("seq", str(seq)), ("type", type_), ("name", name),
         ("sample", str(sample)), ("end", "-1"), ("decided", str(sample)), ("code", "0"),
         ("wfdb_code", "0"), ("subtype", "0"), ("flags", "0"),
         ("severity", "0"), ("value", "0.0"), ("amp", "0.0"),
         ("t", repr(sample / fs if fs > 0 else 0.0)),
         ("priority", "technical" if type_ == TECHNICAL else "advisory")]
    if reason:
        f.append(("reason", reason[:500].replace("\0", " ")))  # NUL separates fields in commits
    return f


def live_event(fields: EventFields) -> dict[str, Any]:
    """Compact dict of an event for the live pub/sub feed."""
    d: Mapping[str, str] = dict(fields)
    return {"type": d["type"], "name": d["name"], "sample": int(d["sample"]),
            "end": int(d["end"]), "code": int(d["code"]), "value": float(d["value"])}
