"""Event stream entries -> WFDB annotations exactly as ``vitalstream detect --classify`` writes
them (examples/cli/monitor_run.c): beats with their WFDB code, rhythm onsets as RHYTHM with the
MIT-BIH aux string, quality changes as NOISE with their subtype; alarms are not written. Order:
by sample, and at one sample NOISE, then RHYTHM, then the beat; otherwise event order."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import vitalstream
from vitalstream._lowlevel import ffi, lib

ANN_NOISE = 14
ANN_RHYTHM = 28


def rhythm_aux(code: int) -> bytes:
    p = lib.vs_rhythm_aux_string(int(code))
    return b"" if p == ffi.NULL else bytes(ffi.string(p))


def to_annotations(events: Sequence[Mapping[str, str]]) -> np.ndarray:
    """Annotation array (vitalstream.ANNOTATION_DTYPE) of one session's events, in stream order."""
    rows: list[tuple[int, int, int, int, bytes]] = []  # sample, rank, code, subtype, aux
    for e in events:
        t = e["type"]
        sample = int(e["sample"])
        if t == "beat":
            rows.append((sample, 2, int(e["wfdb_code"]), 0, b""))
        elif t == "rhythm":
            aux = rhythm_aux(int(e["code"]))
            if int(e["end"]) >= 0 or not aux:
                continue  # onsets only: the next onset ends an episode
            rows.append((sample, 1, ANN_RHYTHM, 0, aux))
        elif t == "quality":
            rows.append((sample, 0, ANN_NOISE, int(e["subtype"]), b""))
    rows.sort(key=lambda r: (r[0], r[1]))  # stable, like the CLI's insertion sort
    return vitalstream.make_annotations([r[0] for r in rows], [r[2] for r in rows],
                                        [r[3] for r in rows], aux=[r[4] for r in rows])
