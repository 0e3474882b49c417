"""Monitor: the whole real-time pipeline (include/vitalstream/monitor.h) — QRS detection, beat
classes, signal quality, rhythm episodes and alarms, rolling HRV — in one object with one
portable state."""
from typing import Any, Dict, Tuple

import numpy as np

from ._base import StatefulObject, as_float32, check_value, struct_dtype
from ._lowlevel import ffi, lib, raise_status
from .errors import ArgumentError
from .hrv import hrv_options, hrv_result_dict

__all__ = ["Monitor", "EVENT_DTYPE", "EVENT_BEAT", "EVENT_RHYTHM", "EVENT_ALARM", "EVENT_QUALITY",
           "aami_class_name", "rhythm_type_name"]

#: One event; mirrors ``vs_event`` (56 bytes).
EVENT_DTYPE = struct_dtype("vs_event", [
    ("sample_idx", "sample_idx", "<i8"),
    ("end_idx", "end_idx", "<i8"),
    ("decided_idx", "decided_idx", "<i8"),
    ("type", "type", "<u4"),
    ("code", "code", "<u4"),
    ("wfdb_code", "wfdb_code", "<u4"),
    ("subtype", "subtype", "<u4"),
    ("flags", "flags", "<u4"),
    ("severity", "severity", "<u4"),
    ("value", "value", "<f4"),
    ("amplitude_mv", "amplitude_mv", "<f4"),
])
if lib.vs_event_struct_size() != EVENT_DTYPE.itemsize:
    raise ImportError("vitalstream: vs_event size differs between headers and library")

EVENT_BEAT = lib.VS_EVENT_BEAT
EVENT_RHYTHM = lib.VS_EVENT_RHYTHM
EVENT_ALARM = lib.VS_EVENT_ALARM
EVENT_QUALITY = lib.VS_EVENT_QUALITY


def aami_class_name(code: int) -> str:
    """"N", "S", "V", "F" or "Q" for a beat event's code."""
    return str(ffi.string(lib.vs_aami_class_name(int(code))).decode())


def rhythm_type_name(code: int) -> str:
    """Name of a rhythm/alarm event's code."""
    return str(ffi.string(lib.vs_rhythm_type_name(int(code))).decode())


# Children whose parameters the monitor exposes: (accessor, C prefix, parameter enum, enum prefix).
_CHILDREN = (
    ("qrs", "qrs", "vs_qrs_param", "VS_QRS_"),
    ("classifier", "classifier", "vs_classifier_param", "VS_CLASSIFY_"),
    ("quality", "quality", "vs_quality_param", "VS_QUALITY_"),
    ("rhythm", "rhythm", "vs_rhythm_param", "VS_RHYTHM_"),
    ("hrv_window", "hrv_window", "vs_hrv_window_param", "VS_HRV_WINDOW_"),
)


def _param_table() -> Dict[str, Tuple[str, str, int]]:
    """'child.name' -> (accessor, C prefix, enum value), names taken from the C enums."""
    table = {}
    for child, prefix, enum, enum_prefix in _CHILDREN:
        for value, cname in ffi.typeof(enum).elements.items():
            name = cname[len(enum_prefix):].lower() if cname.startswith(enum_prefix) else cname.lower()
            table["%s.%s" % (child, name)] = (child, prefix, value)
    return table


class Monitor(StatefulObject):
    """Real-time ECG monitor for one lead at ``fs_hz``.

    ``process(x)`` returns the events that became final during the call as a structured array of
    :data:`EVENT_DTYPE`: classified beats (``type == EVENT_BEAT``, ``code`` = AAMI class,
    ``value`` = RR ms), rhythm episode onsets, alarms and signal-quality changes. ``finish()``
    ends the stream. State: ``save_state``/``from_state``/pickle, like :class:`QRSDetector`.
    Parameters of the children by "child.name", e.g. ``"qrs.refractory_ms"``,
    ``"hrv_window.length_s"`` (see :meth:`param_names`).
    """

    _prefix = "monitor"
    _ctype = "vs_monitor"
    _module_id = lib.VS_MODULE_MONITOR
    _table = _param_table()

    def _events(self, capacity: int) -> Tuple[np.ndarray, Any]:
        ev = np.empty(capacity, dtype=EVENT_DTYPE)
        return ev, ffi.from_buffer("vs_event[]", ev, require_writable=True)

    def process(self, x: Any) -> np.ndarray:
        """Feed samples (mV; NaN = missing); return the events decided during this call."""
        arr = as_float32(x)
        n = arr.shape[0]
        cap = lib.vs_monitor_max_events(self._ptr, n)
        ev, buf = self._events(cap)
        got = ffi.new("size_t *")
        st = lib.vs_monitor_process(self._ptr, ffi.from_buffer("float[]", arr), n, buf, cap, got)
        if st:
            raise_status(st)
        return ev[: got[0]]

    def finish(self) -> np.ndarray:
        """End of stream: the last beat and the closing of open episodes. Call reset() to go on."""
        cap = lib.vs_monitor_max_events(self._ptr, 0)
        ev, buf = self._events(cap)
        got = ffi.new("size_t *")
        st = lib.vs_monitor_finish(self._ptr, buf, cap, got)
        if st:
            raise_status(st)
        return ev[: got[0]]

    def hrv(self, **options: Any) -> Dict[str, Any]:
        """HRV indices over the rolling window of normal, good-quality beats."""
        res = ffi.new("vs_hrv_result *")
        st = lib.vs_monitor_hrv(self._ptr, hrv_options(**options), res)
        if st:
            raise_status(st)
        return hrv_result_dict(res)

    @property
    def samples_seen(self) -> int:
        return int(lib.vs_monitor_samples_seen(self._ptr))

    # -- parameters of the children ----------------------------------------------------------
    @classmethod
    def param_names(cls) -> Tuple[str, ...]:
        return tuple(sorted(cls._table))

    @classmethod
    def _lookup(cls, name: str) -> Tuple[str, str, int]:
        if not isinstance(name, str):
            raise TypeError("parameter name must be a string like 'qrs.refractory_ms', not %s"
                            % type(name).__name__)
        if name.startswith("hrv."):  # deprecated alias of the part "hrv_window" (the JS name once)
            name = "hrv_window." + name[4:]
        try:
            return cls._table[name]
        except KeyError:
            raise ArgumentError(6, "unknown parameter %r (known: %s)"
                                % (name, ", ".join(sorted(cls._table)))) from None

    def _child(self, accessor: str) -> Any:
        return getattr(lib, "vs_monitor_%s" % accessor)(self._ptr)

    def get_param(self, name: Any) -> float:
        child, prefix, pid = self._lookup(name)
        v = ffi.new("double *")
        st = getattr(lib, "vs_%s_get_param" % prefix)(self._child(child), pid, v)
        if st:
            raise_status(st)
        return float(v[0])

    def set_param(self, name: Any, value: float) -> None:
        child, prefix, pid = self._lookup(name)
        value = check_value(value, "value")
        if value != value:
            raise_status(7)
        st = getattr(lib, "vs_%s_set_param" % prefix)(self._child(child), pid, value)
        if st:
            raise_status(st)

    @classmethod
    def param_bounds(cls, name: Any) -> Tuple[float, float, float]:
        child, prefix, pid = cls._lookup(name)
        lo, hi, d = ffi.new("double *"), ffi.new("double *"), ffi.new("double *")
        st = getattr(lib, "vs_%s_param_bounds" % prefix)(pid, lo, hi, d)
        if st:
            raise_status(st)
        return float(lo[0]), float(hi[0]), float(d[0])

    def params(self) -> Dict[str, float]:
        return {k: self.get_param(k) for k in sorted(self._table)}
