"""QRSDetector: the streaming QRS detector (include/vitalstream/qrs.h)."""
from typing import Any

import numpy as np

from . import _lowlevel as ll
from ._base import ObjectApi, ParamApi, StatefulObject, as_float32, struct_dtype
from ._lowlevel import ffi, lib

__all__ = ["QRSDetector", "BEAT_DTYPE", "BEAT_SEARCHBACK", "BEAT_AFTER_GAP"]


#: One detected beat; mirrors ``vs_beat`` (32 bytes; the reserved field is not shown).
BEAT_DTYPE = struct_dtype("vs_beat", [
    ("sample_idx", "sample_idx", "<i8"),
    ("decided_idx", "decided_idx", "<i8"),
    ("amplitude_mv", "amplitude_mv", "<f4"),
    ("rr_ms", "rr_ms", "<f4"),
    ("flags", "flags", "<u4"),
])
if ll.vs_beat_struct_size() != BEAT_DTYPE.itemsize:
    raise ImportError("vitalstream: vs_beat size differs between headers and library")

BEAT_SEARCHBACK = lib.VS_BEAT_SEARCHBACK
BEAT_AFTER_GAP = lib.VS_BEAT_AFTER_GAP


class QRSDetector(StatefulObject):
    """Causal streaming QRS detector for one ECG lead at ``fs_hz`` (100..1000 Hz).

    ``process(x)`` takes any float array-like (a C-contiguous float32 array is used in place) and
    returns the beats decided during this call as a structured array of :data:`BEAT_DTYPE`
    (``sample_idx``, ``decided_idx``, ``amplitude_mv``, ``rr_ms``, ``flags``). The same input
    gives the same beats however it is chunked, also across ``save_state``/``from_state`` and
    pickling. At the end of a recording ``finish()`` returns the beats still waiting for more
    signal (the last QRS).

    Parameters (``get_param``/``set_param``/``param_bounds`` by name):
    ``refractory_ms``, ``searchback_rr``, ``twave_window_ms``, ``min_amplitude_mv``.
    """

    _api = ObjectApi(
        ctype="vs_qrs", module_id=lib.VS_MODULE_QRS,
        reset=ll.vs_qrs_reset, fs_hz=ll.vs_qrs_fs_hz, state_size=ll.vs_qrs_state_size,
        state_save=ll.vs_qrs_state_save, state_load=ll.vs_qrs_state_load,
        workspace_size=ll.vs_qrs_workspace_size, init_static=ll.vs_qrs_init_static,
        params=ParamApi(ll.vs_qrs_get_param, ll.vs_qrs_set_param, ll.vs_qrs_param_bounds))
    _params = {
        "refractory_ms": lib.VS_QRS_REFRACTORY_MS,
        "searchback_rr": lib.VS_QRS_SEARCHBACK_RR,
        "twave_window_ms": lib.VS_QRS_TWAVE_WINDOW_MS,
        "min_amplitude_mv": lib.VS_QRS_MIN_AMPLITUDE_MV,
    }

    def process(self, x: Any) -> np.ndarray:
        """Feed samples (millivolts); return the beats decided during this call."""
        arr = as_float32(x)
        n = arr.shape[0]
        cap = ll.vs_qrs_max_events(self._ptr, n)
        beats = np.empty(cap, dtype=BEAT_DTYPE)
        got = ffi.new("size_t *")
        ll.vs_qrs_process(self._ptr, ffi.from_buffer("float[]", arr), n,
                          ffi.from_buffer("vs_beat[]", beats, require_writable=True), cap, got)
        return beats[: got[0]]

    def finish(self) -> np.ndarray:
        """End of stream: the beats still waiting for more signal (the last QRS of a recording,
        or the beats of a stream shorter than the 2 s learning period), decided as if the signal
        ended here. Input fed afterwards continues the stream."""
        cap = ll.vs_qrs_max_events(self._ptr, 0)
        beats = np.empty(cap, dtype=BEAT_DTYPE)
        got = ffi.new("size_t *")
        ll.vs_qrs_finish(self._ptr, ffi.from_buffer("vs_beat[]", beats, require_writable=True),
                         cap, got)
        return beats[: got[0]]

    @property
    def samples_seen(self) -> int:
        """Samples fed since creation or the last reset."""
        return int(ll.vs_qrs_samples_seen(self._ptr))

    @property
    def max_latency_samples(self) -> int:
        """Most samples between a beat's R position and the call that reports it."""
        return int(ll.vs_qrs_max_latency_samples(self._ptr))

    def max_events(self, n: int) -> int:
        """Most beats one call with n samples can return."""
        return int(ll.vs_qrs_max_events(self._ptr, n))

    refractory_ms = property(lambda self: self.get_param("refractory_ms"),
                             lambda self, v: self.set_param("refractory_ms", v))
    searchback_rr = property(lambda self: self.get_param("searchback_rr"),
                             lambda self, v: self.set_param("searchback_rr", v))
    twave_window_ms = property(lambda self: self.get_param("twave_window_ms"),
                               lambda self, v: self.set_param("twave_window_ms", v))
    min_amplitude_mv = property(lambda self: self.get_param("min_amplitude_mv"),
                                lambda self, v: self.set_param("min_amplitude_mv", v))
