"""Entries of the shard streams: session start, ECG chunk, session end.

A producer builds the fields with :func:`encode_start`, :func:`encode_chunk` and
:func:`encode_end` and XADDs them to ``keys.patient_stream(patient, shards)``; workers parse them
with :func:`decode`, which raises :class:`PoisonMessage` for anything malformed.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Union

import numpy as np

from . import keys

KIND_START = "start"
KIND_CHUNK = "chunk"
KIND_END = "end"
MAX_CHUNK_SAMPLES = 1 << 16  # 65536 samples: > 1 minute at 1 kHz; larger chunks are refused
MIN_FS, MAX_FS = 1.0, 100000.0

Fields = dict[str, Union[str, bytes]]


class PoisonMessage(ValueError):
    """An entry that can never be processed. ``patient``/``session``/``seq`` are set when they
    could be read, so that the worker can account the loss to the right session."""

    def __init__(self, reason: str, patient: Optional[str] = None, session: Optional[int] = None,
                 seq: Optional[int] = None, kind: Optional[str] = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.patient = patient
        self.session = session
        self.seq = seq
        self.kind = kind  # start/chunk/end when readable: a rejected end still ends the session


@dataclass(frozen=True)
class Entry:
    """One decoded shard stream entry."""

    kind: str
    patient: str
    session: int
    fs: float
    seq: int              # chunk: its number; end: chunk count; start: -1
    samples: bytes        # chunk: float32 LE; empty otherwise
    t: float              # producer wall clock (epoch s), 0 if absent

    def signal(self) -> np.ndarray:
        return np.frombuffer(self.samples, dtype="<f4")


def _fmt_fs(fs: float) -> str:
    return repr(float(fs))


def encode_start(patient: str, session: int, fs: float, t: Optional[float] = None) -> Fields:
    _check_ids(patient, session)
    return {"kind": KIND_START, "patient": patient, "session": str(int(session)),
            "fs": _fmt_fs(fs), "t": repr(time.time() if t is None else t)}


def encode_chunk(patient: str, session: int, seq: int, fs: float, samples: np.ndarray,
                 t: Optional[float] = None) -> Fields:
    _check_ids(patient, session)
    data = np.ascontiguousarray(samples, dtype="<f4").tobytes()
    return {"kind": KIND_CHUNK, "patient": patient, "session": str(int(session)),
            "seq": str(int(seq)), "fs": _fmt_fs(fs), "samples": data,
            "t": repr(time.time() if t is None else t)}


def encode_end(patient: str, session: int, chunks: int, t: Optional[float] = None) -> Fields:
    _check_ids(patient, session)
    return {"kind": KIND_END, "patient": patient, "session": str(int(session)),
            "seq": str(int(chunks)), "t": repr(time.time() if t is None else t)}


def _check_ids(patient: str, session: int) -> None:
    if not keys.valid_patient(patient):
        raise ValueError("patient id must be 1..64 characters of [A-Za-z0-9._-]: %r" % patient)
    if int(session) <= 0:
        raise ValueError("session must be a positive integer")


def _text(fields: Mapping[bytes, bytes], name: str) -> Optional[str]:
    v = fields.get(name.encode())
    if v is None:
        return None
    try:
        return v.decode("ascii")
    except UnicodeDecodeError:
        raise PoisonMessage("field %r is not ASCII" % name) from None


def _int(text: Optional[str], name: str, lo: int = 0) -> int:
    if text is None:
        raise PoisonMessage("missing field %r" % name)
    try:
        v = int(text)
    except ValueError:
        raise PoisonMessage("field %r is not an integer: %r" % (name, text[:40])) from None
    if v < lo or v >= 1 << 62:
        raise PoisonMessage("field %r out of range: %d" % (name, v))
    return v


def _fs(text: Optional[str]) -> float:
    if text is None:
        raise PoisonMessage("missing field 'fs'")
    try:
        fs = float(text)
    except ValueError:
        raise PoisonMessage("field 'fs' is not a number: %r" % text[:40]) from None
    if not (MIN_FS <= fs <= MAX_FS) or not math.isfinite(fs):
        raise PoisonMessage("sampling rate out of range: %r" % text[:40])
    return fs


def decode(fields: Mapping[bytes, bytes]) -> Entry:
    """Parse a raw XREADGROUP entry; PoisonMessage (with whatever ids were readable) if bad."""
    patient = _text(fields, "patient")
    if patient is None or not keys.valid_patient(patient):
        raise PoisonMessage("missing or invalid patient id")
    try:
        session = _int(_text(fields, "session"), "session", 1)
    except PoisonMessage as e:
        raise PoisonMessage(e.reason, patient) from None
    kind = _text(fields, "kind")
    t_text = _text(fields, "t")
    try:
        t = float(t_text) if t_text else 0.0
    except ValueError:
        t = 0.0
    try:
        if kind == KIND_START:
            return Entry(kind, patient, session, _fs(_text(fields, "fs")), -1, b"", t)
        seq = _int(_text(fields, "seq"), "seq")
    except PoisonMessage as e:
        raise PoisonMessage(e.reason, patient, session) from None
    try:
        if kind == KIND_END:
            return Entry(kind, patient, session, 0.0, seq, b"", t)
        if kind != KIND_CHUNK:
            raise PoisonMessage("unknown kind %r" % (kind or "")[:20])
        fs = _fs(_text(fields, "fs"))
        data = fields.get(b"samples", b"")
        if len(data) == 0 or len(data) % 4:
            raise PoisonMessage("samples must be a non-empty float32 byte string (got %d bytes)"
                                % len(data))
        if len(data) // 4 > MAX_CHUNK_SAMPLES:
            raise PoisonMessage("chunk of %d samples exceeds %d" % (len(data) // 4,
                                                                      MAX_CHUNK_SAMPLES))
        return Entry(kind, patient, session, fs, seq, bytes(data), t)
    except PoisonMessage as e:
        raise PoisonMessage(e.reason, patient, session, seq, kind) from None
