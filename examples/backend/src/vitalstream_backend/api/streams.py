"""Submitting device data to the worker tier: session start, chunks and end as entries of the
patient's shard stream (contract: keys.py / messages.py of the worker tier)."""
from __future__ import annotations

import numpy as np
from redis.asyncio import Redis

from .. import keys, messages

_MAX_SEQ_KEY = "vs:api:maxseq:{%s}:%d"

# Remember the highest chunk number seen so an end marker carries the chunk count.
_SUBMIT_CHUNK = """
local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'EX', 604800) end
return 1
"""


def _max_seq_key(patient: str, session: int) -> str:
    return _MAX_SEQ_KEY % (patient, session)


async def submit_start(redis: Redis, shards: int, patient: str, session: int, fs: float) -> None:
    await redis.xadd(keys.patient_stream(patient, shards), messages.encode_start(patient, session, fs))  # type: ignore[arg-type]


async def submit_chunk(redis: Redis, shards: int, patient: str, session: int, seq: int, fs: float,
                       samples: np.ndarray) -> None:
    async with redis.pipeline(transaction=False) as pipe:
        pipe.eval(_SUBMIT_CHUNK, 1, _max_seq_key(patient, session), str(seq))
        pipe.xadd(keys.patient_stream(patient, shards),
                  messages.encode_chunk(patient, session, seq, fs, samples))  # type: ignore[arg-type]
        await pipe.execute()


async def submit_end(redis: Redis, shards: int, patient: str, session: int) -> int:
    """End marker carrying the number of chunks the API submitted (highest seq + 1; a device's
    own claim is not trusted: a larger count would leave the workers waiting); returns it."""
    seen = await redis.get(_max_seq_key(patient, session))
    chunks = int(seen) + 1 if seen is not None else 0
    await redis.xadd(keys.patient_stream(patient, shards), messages.encode_end(patient, session, chunks))  # type: ignore[arg-type]
    return chunks
