"""Alarm vocabulary of :class:`~vitalstream.Monitor` events (include/vitalstream/monitor.h and
rhythm.h): physiological alarms (pause, asystole, couplet, VT) and technical alarms ("signal lost /
leads off"), which IEC 60601-1-8 keeps apart, and the event that ends a technical alarm.

Pause and asystole are raised the moment readable signal has had no beat for
``rhythm.pause_s`` / ``rhythm.asystole_s`` (``end_idx`` -1: still going on); the technical alarm
when the signal has been unreadable (lead off, flat, railed, missing) for
``rhythm.signal_lost_s``, and an :data:`EVENT_ALARM_END` event with the same code when it is
readable again."""
from typing import Any

import numpy as np

from ._lowlevel import lib
from .monitor import aami_class_name, rhythm_type_name

__all__ = ["EVENT_ALARM_END", "ALARM_TECHNICAL", "TECHNICAL_FIRST", "event_name", "is_technical"]

#: ``type`` of the event that ends an alarm raised open (technical alarms).
EVENT_ALARM_END: int = lib.VS_EVENT_ALARM_END
#: Bit of ``flags`` set on technical alarms and their end.
ALARM_TECHNICAL: int = lib.VS_ALARM_TECHNICAL
#: Alarm codes from this one up are technical.
TECHNICAL_FIRST: int = lib.VS_RHYTHM_TECH_FIRST

_QUALITY_NAMES = ("good", "noisy", "unreadable")


def event_name(event: Any) -> str:
    """Name of one event (a row of ``Monitor.process``): the AAMI class of a beat ("N", "V",
    ...), the rhythm or alarm name ("atrial fibrillation", "asystole", "signal lost / leads off";
    the end of an alarm is "<name> ended"), or the quality level ("good", "noisy",
    "unreadable")."""
    etype, code = int(event["type"]), int(event["code"])
    if etype == lib.VS_EVENT_BEAT:
        return aami_class_name(code)
    if etype == lib.VS_EVENT_QUALITY:
        return _QUALITY_NAMES[code] if 0 <= code < len(_QUALITY_NAMES) else str(code)
    if etype == EVENT_ALARM_END:
        return rhythm_type_name(code) + " ended"
    return rhythm_type_name(code)


def is_technical(event: Any) -> bool:
    """Whether an alarm event (or its end) is a technical alarm, not a physiological one."""
    flags = np.uint32(event["flags"])
    return int(event["type"]) in (lib.VS_EVENT_ALARM, EVENT_ALARM_END) and bool(flags & ALARM_TECHNICAL)
