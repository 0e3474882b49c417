"""Re-running the monitor over an archived session. The monitor's output does not depend on
how the signal was chunked, so this reproduces the workers' events exactly (and gives the
annotation file `vitalstream detect --classify` would write for the same signal)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import vitalstream

from ..annotations import to_annotations
from ..events import monitor_event_fields


@dataclass(frozen=True)
class Analysis:
    events: np.ndarray          # vitalstream.EVENT_DTYPE
    annotations: np.ndarray     # vitalstream.ANNOTATION_DTYPE
    hrv: dict[str, float]


def analyse(signal: np.ndarray, fs: int) -> Analysis:
    monitor = vitalstream.Monitor(fs)
    parts = [monitor.process(np.ascontiguousarray(signal, dtype=np.float32)), monitor.finish()]
    events = np.concatenate(parts) if len(signal) else np.zeros(0, dtype=vitalstream.EVENT_DTYPE)
    fields = [dict(f) for f in monitor_event_fields(events, 1, 0, float(fs))]
    ann = to_annotations(fields)
    beats = events[events["type"] == vitalstream.EVENT_BEAT]
    rr = beats["value"][1:].astype(np.float64)
    normal = [vitalstream.aami_class_name(int(c)) == "N" for c in beats["code"]]
    exclude = np.array([not (normal[i] and normal[i + 1]) for i in range(len(normal) - 1)], dtype=bool)
    hrv: dict[str, float] = {}
    if len(rr) >= 10:
        raw = vitalstream.hrv(rr, exclude=exclude)
        hrv = {k: float(v) for k, v in raw.items() if isinstance(v, (int, float, np.floating))}
    return Analysis(events, ann, hrv)
