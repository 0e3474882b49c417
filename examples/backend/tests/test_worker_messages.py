"""The shard-stream message model: encoding, decoding, and what counts as poison."""
from __future__ import annotations

import numpy as np
import pytest

from vitalstream_backend import keys, messages
from vitalstream_backend.messages import PoisonMessage, decode


def raw(fields: dict[str, object]) -> dict[bytes, bytes]:
    return {k.encode(): v if isinstance(v, bytes) else str(v).encode() for k, v in fields.items()}


def test_chunk_roundtrip_keeps_samples_bit_exact() -> None:
    x = np.array([0.1, -1.25, np.nan, 3.0e-7], dtype=np.float32)
    e = decode(raw(messages.encode_chunk("p-1", 17, 5, 360.0, x, t=12.5)))
    assert (e.kind, e.patient, e.session, e.seq, e.fs, e.t) == ("chunk", "p-1", 17, 5, 360.0, 12.5)
    assert e.signal().tobytes() == x.tobytes()


def test_start_and_end_markers() -> None:
    s = decode(raw(messages.encode_start("a", 3, 250.0)))
    assert (s.kind, s.session, s.fs, s.seq) == ("start", 3, 250.0, -1)
    e = decode(raw(messages.encode_end("a", 3, 42)))
    assert (e.kind, e.seq) == ("end", 42)


@pytest.mark.parametrize("fields, ids", [
    ({"kind": "chunk", "session": 1, "seq": 0, "fs": 360, "samples": b"\0" * 4}, (None, None, None)),
    ({"kind": "chunk", "patient": "x{y}", "session": 1, "seq": 0, "fs": 360,
      "samples": b"\0" * 4}, (None, None, None)),
    ({"kind": "chunk", "patient": "p", "session": "abc", "seq": 0}, ("p", None, None)),
    ({"kind": "chunk", "patient": "p", "session": 2, "seq": -1}, ("p", 2, None)),
    ({"kind": "chunk", "patient": "p", "session": 2, "seq": 4, "fs": 360, "samples": b"\0" * 7},
     ("p", 2, 4)),
    ({"kind": "chunk", "patient": "p", "session": 2, "seq": 4, "fs": "nan", "samples": b"\0" * 8},
     ("p", 2, 4)),
    ({"kind": "chunk", "patient": "p", "session": 2, "seq": 4, "fs": 360}, ("p", 2, 4)),
    ({"kind": "bogus", "patient": "p", "session": 2, "seq": 4}, ("p", 2, 4)),
    ({"kind": "start", "patient": "p", "session": 2, "fs": "-5"}, ("p", 2, None)),
])
def test_poison_keeps_the_ids_it_could_read(fields: dict[str, object],
                                            ids: tuple[object, object, object]) -> None:
    with pytest.raises(PoisonMessage) as ei:
        decode(raw(fields))
    p = ei.value
    assert (p.patient, p.session, p.seq) == ids
    assert p.reason


def test_producer_side_validation() -> None:
    with pytest.raises(ValueError):
        messages.encode_start("bad id with spaces", 1, 360.0)
    with pytest.raises(ValueError):
        messages.encode_start("ok", 0, 360.0)


def test_keys_share_the_patient_hash_tag() -> None:
    p = "201-3"
    tags = {k.split("{")[1].split("}")[0] for k in (keys.state(p), keys.events(p), keys.outbox(p))}
    assert tags == {p}
    assert keys.shard_of(p, 8) == keys.shard_of(p, 8) < 8
    spread = {keys.shard_of("p%d" % i, 8) for i in range(200)}
    assert spread == set(range(8))
