"""Redis key and channel names of the stream tier (the contract in examples/backend/README.md).

Every key of one patient carries the Redis Cluster hash tag ``{patient}`` so that the patient's
state, events and alarm outbox live in one slot and one Lua call can update them together.
"""
from __future__ import annotations

import re
import zlib

PREFIX = "vs:"
GROUP = "vs-workers"
DEFAULT_SHARDS = 8
ALARMS = PREFIX + "alarms"
DEAD_LETTER = PREFIX + "deadletter"
LIVE_PATTERN = PREFIX + "live:*"

_PATIENT_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def valid_patient(patient: str) -> bool:
    """Patient ids are 1..64 characters of [A-Za-z0-9._-] (no braces: they end up in hash tags)."""
    return bool(_PATIENT_RE.match(patient))


def shard_of(patient: str, shards: int) -> int:
    """The shard stream index of a patient: CRC-32 of the UTF-8 id modulo the shard count."""
    return zlib.crc32(patient.encode("utf-8")) % shards


def shard_stream(index: int) -> str:
    """Shard stream ``index``; its own hash tag spreads the shards over a cluster's slots."""
    return "%schunks:{%d}" % (PREFIX, index)


def shard_activity(index: int) -> str:
    """ZSET patient -> epoch s at which the last entry of its active session reached Redis (the
    stale-session watchdog's index; in the shard stream's slot)."""
    return "%sactive:{%d}" % (PREFIX, index)


def all_shard_streams(shards: int) -> list[str]:
    return [shard_stream(i) for i in range(shards)]


def patient_stream(patient: str, shards: int) -> str:
    """The shard stream a producer appends this patient's entries to."""
    return shard_stream(shard_of(patient, shards))


def state(patient: str) -> str:
    """HASH: session, next_seq, fs, status, blob, ord, samples, rejected, last_error, ..."""
    return "%sp:{%s}:state" % (PREFIX, patient)


def events(patient: str) -> str:
    """STREAM of the patient's events, ids ``<ord>-<k>``."""
    return "%sp:{%s}:events" % (PREFIX, patient)


def outbox(patient: str) -> str:
    """LIST of alarm entries (JSON) committed but not yet relayed to the global alarms stream."""
    return "%sp:{%s}:outbox" % (PREFIX, patient)


def consumer_alive(consumer: str) -> str:
    """STRING with a short TTL that a live worker keeps refreshing (its heartbeat)."""
    return "%sconsumer:%s" % (PREFIX, consumer)


def shard_lease(index: int) -> str:
    """STRING (consumer name, TTL) : the worker that currently reads shard ``index``."""
    return "%slease:{%d}" % (PREFIX, index)


WORKERS = PREFIX + "workers"  # ZSET consumer -> last heartbeat (ms): the live workers


def live_channel(patient: str) -> str:
    """Pub/sub channel of the patient's live waveform and events."""
    return "%slive:%s" % (PREFIX, patient)
