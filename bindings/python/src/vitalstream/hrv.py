"""Heart-rate variability over an RR series (include/vitalstream/hrv.h)."""
from typing import Any, Dict, Optional, Union

import numpy as np

from ._base import as_real_vector
from . import _lowlevel as ll
from ._lowlevel import ffi, lib
from .errors import ArgumentError

__all__ = ["hrv", "hrv_result_dict", "hrv_options"]

_PSD = {"lomb": lib.VS_HRV_PSD_LOMB, "welch": lib.VS_HRV_PSD_WELCH}
_OPTION_FIELDS = [name for name, _ in ffi.typeof("vs_hrv_options").fields]
_RESULT_FIELDS = [(name, f.type.cname) for name, f in ffi.typeof("vs_hrv_result").fields]


def hrv_options(**options: Any) -> Any:
    """A ``vs_hrv_options`` with the library defaults, then the given fields (see hrv.h)."""
    opt = ffi.new("vs_hrv_options *")
    ll.vs_hrv_default_options(opt)
    for k, v in options.items():
        if k not in _OPTION_FIELDS:
            raise TypeError("unknown HRV option %r (known: %s)" % (k, ", ".join(_OPTION_FIELDS)))
        if k == "psd_method" and isinstance(v, str):
            try:
                v = _PSD[v.lower()]
            except KeyError:
                raise ArgumentError(lib.VS_E_INVALID_ARG,
                                    "psd_method must be 'lomb' or 'welch'") from None
        setattr(opt, k, v)
    return opt


def hrv_result_dict(res: Any) -> Dict[str, Union[int, float, str]]:
    out: Dict[str, Union[int, float, str]] = {}
    for name, cname in _RESULT_FIELDS:
        v = getattr(res, name)
        out[name] = float(v) if cname == "double" else int(v)
    out["psd_method"] = "welch" if out["psd_method"] == lib.VS_HRV_PSD_WELCH else "lomb"
    return out


def hrv(rr_ms: Any, exclude: Optional[Any] = None, **options: Any) -> Dict[str, Union[int, float, str]]:
    """HRV indices of RR intervals in ms (time, frequency and nonlinear domains; NaN where an
    index is undefined for the series). ``exclude[i]`` true marks the beat that ends interval i
    as ectopic/artifact. Options are the fields of ``vs_hrv_options`` (e.g. ``psd_method="welch"``,
    ``max_rel_change=0``). Raises InsufficientDataError when no NN interval is left."""
    rr = np.ascontiguousarray(as_real_vector(rr_ms, "rr_ms"), dtype=np.float64)
    bad = ~(np.isfinite(rr) & (rr > 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ArgumentError(lib.VS_E_INVALID_ARG,
                            "rr_ms[%d] = %s is not an RR interval (finite, > 0 ms)"
                            % (i, "%g" % rr[i]))
    ex_ptr: Any = ffi.NULL
    if exclude is not None:
        ex = np.ascontiguousarray(np.asarray(exclude).reshape(-1) != 0, dtype=np.uint8)
        if ex.shape != rr.shape:
            raise ArgumentError(lib.VS_E_INVALID_ARG, "exclude must have one flag per interval")
        ex_ptr = ffi.from_buffer("uint8_t[]", ex)
    opt = hrv_options(**options)
    res = ffi.new("vs_hrv_result *")
    ll.vs_hrv_compute(ffi.from_buffer("double[]", rr), ex_ptr, rr.shape[0], opt, res)
    return hrv_result_dict(res)
