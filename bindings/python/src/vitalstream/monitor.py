"""Monitor: the whole real-time pipeline (include/vitalstream/monitor.h) — QRS detection, beat
classes, signal quality, rhythm episodes and alarms, rolling HRV — in one object with one
portable state."""
from typing import Any, Callable, Dict, NamedTuple, Tuple

import numpy as np

from . import _lowlevel as ll
from ._base import ObjectApi, ParamApi, StatefulObject, as_float32, struct_dtype, unknown_param
from ._lowlevel import ffi, lib
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
if ll.vs_event_struct_size() != EVENT_DTYPE.itemsize:
    raise ImportError("vitalstream: vs_event size differs between headers and library")

EVENT_BEAT = lib.VS_EVENT_BEAT
EVENT_RHYTHM = lib.VS_EVENT_RHYTHM
EVENT_ALARM = lib.VS_EVENT_ALARM
EVENT_QUALITY = lib.VS_EVENT_QUALITY


def aami_class_name(code: int) -> str:
    """"N", "S", "V", "F" or "Q" for a beat event's code."""
    return str(ffi.string(ll.vs_aami_class_name(int(code))).decode())


def rhythm_type_name(code: int) -> str:
    """Name of a rhythm/alarm event's code."""
    return str(ffi.string(ll.vs_rhythm_type_name(int(code))).decode())


class _Child(NamedTuple):
    """A child of vs_monitor whose parameters the monitor exposes."""

    name: str                        # "qrs": parameters are "qrs.<name>"
    accessor: Callable[[Any], Any]   # vs_monitor_qrs
    params: ParamApi
    enum: str                        # the C parameter enum, whose names give the parameter names
    enum_prefix: str


_CHILDREN = (
    _Child("qrs", ll.vs_monitor_qrs,
           ParamApi(ll.vs_qrs_get_param, ll.vs_qrs_set_param, ll.vs_qrs_param_bounds),
           "vs_qrs_param", "VS_QRS_"),
    _Child("classifier", ll.vs_monitor_classifier,
           ParamApi(ll.vs_classifier_get_param, ll.vs_classifier_set_param,
                    ll.vs_classifier_param_bounds),
           "vs_classifier_param", "VS_CLASSIFY_"),
    _Child("quality", ll.vs_monitor_quality,
           ParamApi(ll.vs_quality_get_param, ll.vs_quality_set_param, ll.vs_quality_param_bounds),
           "vs_quality_param", "VS_QUALITY_"),
    _Child("rhythm", ll.vs_monitor_rhythm,
           ParamApi(ll.vs_rhythm_get_param, ll.vs_rhythm_set_param, ll.vs_rhythm_param_bounds),
           "vs_rhythm_param", "VS_RHYTHM_"),
    _Child("hrv_window", ll.vs_monitor_hrv_window,
           ParamApi(ll.vs_hrv_window_get_param, ll.vs_hrv_window_set_param,
                    ll.vs_hrv_window_param_bounds),
           "vs_hrv_window_param", "VS_HRV_WINDOW_"),
)


def _param_table() -> Dict[str, Tuple[_Child, int]]:
    """'child.name' -> (child, enum value), names taken from the C enums."""
    table = {}
    for child in _CHILDREN:
        for value, cname in ffi.typeof(child.enum).elements.items():
            p = child.enum_prefix
            name = cname[len(p):].lower() if cname.startswith(p) else cname.lower()
            table["%s.%s" % (child.name, name)] = (child, value)
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

    _api = ObjectApi(
        ctype="vs_monitor", module_id=lib.VS_MODULE_MONITOR,
        reset=ll.vs_monitor_reset, fs_hz=ll.vs_monitor_fs_hz,
        state_size=ll.vs_monitor_state_size, state_save=ll.vs_monitor_state_save,
        state_load=ll.vs_monitor_state_load,
        # One block Python owns holds the monitor, its children and its scratch (C never
        # mallocs for it); freed by the garbage collector with this object.
        workspace_size=ll.vs_monitor_workspace_size, init_static=ll.vs_monitor_init_static)
    _table = _param_table()

    def _events(self, capacity: int) -> Tuple[np.ndarray, Any]:
        ev = np.empty(capacity, dtype=EVENT_DTYPE)
        return ev, ffi.from_buffer("vs_event[]", ev, require_writable=True)

    def process(self, x: Any) -> np.ndarray:
        """Feed samples (mV; NaN = missing); return the events decided during this call."""
        arr = as_float32(x)
        n = arr.shape[0]
        cap = ll.vs_monitor_max_events(self._ptr, n)
        ev, buf = self._events(cap)
        got = ffi.new("size_t *")
        ll.vs_monitor_process(self._ptr, ffi.from_buffer("float[]", arr), n, buf, cap, got)
        return ev[: got[0]]

    def finish(self) -> np.ndarray:
        """End of stream: the last beat and the closing of open episodes. Call reset() to go on."""
        cap = ll.vs_monitor_max_events(self._ptr, 0)
        ev, buf = self._events(cap)
        got = ffi.new("size_t *")
        ll.vs_monitor_finish(self._ptr, buf, cap, got)
        return ev[: got[0]]

    def hrv(self, **options: Any) -> Dict[str, Any]:
        """HRV indices over the rolling window of normal, good-quality beats."""
        res = ffi.new("vs_hrv_result *")
        ll.vs_monitor_hrv(self._ptr, hrv_options(**options), res)
        return hrv_result_dict(res)

    @property
    def samples_seen(self) -> int:
        return int(ll.vs_monitor_samples_seen(self._ptr))

    # -- parameters of the children ----------------------------------------------------------
    @classmethod
    def param_names(cls) -> Tuple[str, ...]:
        return tuple(sorted(cls._table))

    @classmethod
    def _lookup(cls, name: str) -> Tuple[_Child, int]:
        if not isinstance(name, str):
            raise TypeError("parameter name must be a string like 'qrs.refractory_ms', not %s"
                            % type(name).__name__)
        if name.startswith("hrv."):  # deprecated alias of the part "hrv_window" (the JS name once)
            name = "hrv_window." + name[4:]
        try:
            return cls._table[name]
        except KeyError:
            raise unknown_param(name, cls._table) from None

    def get_param(self, name: Any) -> float:
        child, pid = self._lookup(name)
        return child.params.get(child.accessor(self._ptr), pid)

    def set_param(self, name: Any, value: float) -> None:
        child, pid = self._lookup(name)
        child.params.set(child.accessor(self._ptr), pid, value)

    @classmethod
    def param_bounds(cls, name: Any) -> Tuple[float, float, float]:
        child, pid = cls._lookup(name)
        return child.params.bounds(pid)

    def params(self) -> Dict[str, float]:
        return {k: self.get_param(k) for k in sorted(self._table)}
