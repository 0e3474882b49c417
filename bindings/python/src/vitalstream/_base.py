"""Shared machinery of the classes: input conversion and stateful C objects.

A stateful object (``vs_<mod>``) is built in memory Python owns (``ffi.new`` +
``vs_<mod>_init_static``) when the module offers it, so the garbage collector frees it with the
Python object and nothing can leak; otherwise ``vs_<mod>_create`` with ``vs_<mod>_destroy`` as
the cffi destructor. Each class names its module's functions in an :class:`ObjectApi` of checked
:mod:`._lowlevel` functions.
"""
import math
from typing import Any, Callable, Dict, NamedTuple, Optional, Tuple, Type, TypeVar

import numpy as np

from . import _lowlevel as ll
from ._lowlevel import ffi, lib, raise_status
from .errors import ArgumentError

T = TypeVar("T", bound="StatefulObject")


_NUMBER = (int, float, np.integer, np.floating)


def check_numbers(x: Any, name: str) -> None:
    """Elements of a list or tuple must be real numbers (bool is not one): numpy would turn
    ``[1.0, True]`` or ``["1", 2]`` into numbers silently."""
    if isinstance(x, (list, tuple)):
        for i, v in enumerate(x):
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, _NUMBER):
                raise TypeError("%s[%d] is %s, not a number" % (name, i, type(v).__name__))


def as_real_vector(x: Any, name: str) -> np.ndarray:
    """x as a 1-D array of real numbers (any int/uint/float dtype), else TypeError."""
    if isinstance(x, (str, bytes, bytearray, memoryview)) or x is None:
        raise TypeError("%s must be a one-dimensional array of real numbers, not %s"
                        % (name, type(x).__name__))
    check_numbers(x, name)
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiu":
        raise TypeError("%s must be an array of real numbers, not %s (dtype %s)"
                        % (name, type(x).__name__, arr.dtype))
    if arr.ndim != 1:
        raise TypeError("%s must be one-dimensional, not of shape %s" % (name, arr.shape))
    return arr


def as_float32(x: Any, name: str = "samples") -> np.ndarray:
    """x as a 1-D C-contiguous float32 array; no copy if it already is one. NaN and +-inf are
    missing samples; finite values beyond the float32 range are an ArgumentError (they cannot
    be represented), never a numpy warning."""
    if isinstance(x, np.ndarray) and x.dtype == np.float32 and x.ndim == 1 and x.flags.c_contiguous:
        return x
    arr = as_real_vector(x, name)
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.ascontiguousarray(arr, dtype=np.float32)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 4:
        bad = np.isinf(out) & np.isfinite(arr)
        if bad.any():
            i = int(np.argmax(bad))
            raise ArgumentError(lib.VS_E_INVALID_ARG,
                                "%s[%d] = %r is outside the float32 range (|x| <= 3.4e38); "
                                "use NaN for a missing sample" % (name, i, float(arr[i])))
    return out


def as_bytes(data: Any) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError("state must be bytes-like, not %s" % type(data).__name__)


def check_value(value: Any, what: str) -> float:
    """A real number (not bool, not a string) as float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, _NUMBER):
        raise TypeError("%s must be a number, not %s" % (what, type(value).__name__))
    return float(value)


def check_fs(fs_hz: Any) -> float:
    if isinstance(fs_hz, (bool, np.bool_)) or not isinstance(fs_hz, _NUMBER):
        raise TypeError("fs_hz must be a number, not %s" % type(fs_hz).__name__)
    return float(fs_hz)


def state_info(data: bytes) -> Tuple[int, int, float]:
    """(format_version, module_id, fs_hz) of a blob; raises StateError if it is not valid."""
    info = ffi.new("vs_state_info *")
    ll.vs_state_inspect(data, len(data), info)
    return int(info.format_version), int(info.module_id), float(info.fs_hz)


def check_param_value(value: Any) -> float:
    """A parameter value: a number, and not NaN (NaN passes every range check in C)."""
    v = check_value(value, "value")
    if math.isnan(v):
        raise_status(lib.VS_E_PARAM_OUT_OF_RANGE)
    return v


def unknown_param(name: Any, known: Any) -> ArgumentError:
    return ArgumentError(lib.VS_E_UNKNOWN_PARAM, "unknown parameter %r (known: %s)"
                         % (name, ", ".join(sorted(known))))


class ParamApi(NamedTuple):
    """The checked parameter functions of one module (vs_<mod>_get_param, ...)."""

    get_param: Callable[..., None]
    set_param: Callable[..., None]
    param_bounds: Callable[..., None]

    def get(self, obj: Any, pid: int) -> float:
        v = ffi.new("double *")
        self.get_param(obj, pid, v)
        return float(v[0])

    def set(self, obj: Any, pid: int, value: Any) -> None:
        self.set_param(obj, pid, check_param_value(value))

    def bounds(self, pid: int) -> Tuple[float, float, float]:
        lo, hi, d = ffi.new("double *"), ffi.new("double *"), ffi.new("double *")
        self.param_bounds(pid, lo, hi, d)
        return float(lo[0]), float(hi[0]), float(d[0])


class ObjectApi(NamedTuple):
    """The checked functions of one stateful module. Either init_static + workspace_size
    (memory owned by Python) or create + destroy (destroy: the raw C function, a cffi
    destructor). params: the module's own parameters (None for the monitor, whose parameters
    are its children's)."""

    ctype: str                 # "vs_qrs"
    module_id: int             # VS_MODULE_*
    reset: Callable[..., None]
    fs_hz: Callable[..., float]
    state_size: Callable[..., int]
    state_save: Callable[..., None]
    state_load: Callable[..., None]
    workspace_size: Optional[Callable[..., int]] = None
    init_static: Optional[Callable[..., None]] = None
    create: Optional[Callable[..., None]] = None
    destroy: Optional[Callable[..., None]] = None
    params: Optional[ParamApi] = None


class StatefulObject:
    """Base of the classes wrapping a ``vs_<mod>`` object with portable state."""

    _api: ObjectApi
    _params: Dict[str, int] = {}

    _ptr: Any
    _mem: Any
    _fs_hz: float

    def __init__(self, fs_hz: float) -> None:
        self._build(check_fs(fs_hz))

    # -- construction ----------------------------------------------------------------------
    def _build(self, fs_hz: float) -> None:
        api = self._api
        out = ffi.new("%s **" % api.ctype)
        if api.init_static is not None and api.workspace_size is not None:
            size = api.workspace_size(fs_hz)
            if size == 0:
                # The workspace query has no status: ask init_static for the real reason.
                size = 1
            # double[] keeps the memory 8-byte aligned, as the C structs need.
            mem = ffi.new("double[]", (size + 7) // 8)
            api.init_static(out, mem, ((size + 7) // 8) * 8, fs_hz)
            self._mem = mem
            self._ptr = out[0]
        elif api.create is not None and api.destroy is not None:
            api.create(out, fs_hz)
            self._mem = None
            self._ptr = ffi.gc(out[0], api.destroy)
        else:
            raise TypeError("%s: ObjectApi has neither init_static nor create" % api.ctype)
        self._fs_hz = float(api.fs_hz(self._ptr))

    @property
    def fs_hz(self) -> float:
        """Sampling rate the object was made for."""
        return self._fs_hz

    def reset(self) -> None:
        """Forget the signal; keep the parameters."""
        self._api.reset(self._ptr)

    # -- parameters ------------------------------------------------------------------------
    @classmethod
    def _param_id(cls, name: Any) -> int:
        if isinstance(name, str):
            try:
                return cls._params[name]
            except KeyError:
                raise unknown_param(name, cls._params) from None
        return int(name)

    @classmethod
    def _param_api(cls) -> ParamApi:
        if cls._api.params is None:
            raise TypeError("%s has no parameters of its own" % cls.__name__)
        return cls._api.params

    def get_param(self, name: Any) -> float:
        return self._param_api().get(self._ptr, self._param_id(name))

    def set_param(self, name: Any, value: float) -> None:
        self._param_api().set(self._ptr, self._param_id(name), value)

    @classmethod
    def param_bounds(cls, name: Any) -> Tuple[float, float, float]:
        """(minimum, maximum, default) of a parameter."""
        return cls._param_api().bounds(cls._param_id(name))

    def params(self) -> Dict[str, float]:
        """Every tunable by name."""
        return {k: self.get_param(v) for k, v in self._params.items()}

    # -- portable state ----------------------------------------------------------------------
    def save_state(self) -> bytes:
        """The portable state blob (same bytes as the C library for the same input)."""
        size = self._api.state_size(self._ptr)
        buf = ffi.new("uint8_t[]", size)
        written = ffi.new("size_t *")
        self._api.state_save(self._ptr, buf, size, written)
        return bytes(ffi.buffer(buf, written[0]))

    def load_state(self, data: bytes) -> None:
        """Replace this object's state by a blob (the object is unchanged if it is rejected)."""
        data = as_bytes(data)
        self._api.state_load(self._ptr, data, len(data))

    @classmethod
    def from_state(cls: Type[T], data: bytes) -> T:
        """A new object restored from :meth:`save_state` bytes (fs is read from the blob)."""
        data = as_bytes(data)
        cls._check_module(data)  # before building anything
        obj = cls.__new__(cls)
        obj._build(state_info(data)[2])
        obj.load_state(data)
        return obj

    @classmethod
    def _check_module(cls, data: bytes) -> None:
        if state_info(data)[1] != cls._api.module_id:
            raise_status(lib.VS_E_STATE_WRONG_MODULE)

    def __getstate__(self) -> Dict[str, Any]:
        return {"state": self.save_state()}

    def __setstate__(self, d: Dict[str, Any]) -> None:
        data = as_bytes(d["state"])
        self._check_module(data)
        self._build(state_info(data)[2])
        self.load_state(data)

    def __repr__(self) -> str:
        return "%s(fs_hz=%g)" % (type(self).__name__, self._fs_hz)


def struct_dtype(ctype: str, fields: Any) -> np.dtype:
    """A numpy dtype laid out exactly like a C struct: offsets and size come from cffi, i.e.
    from the compiled headers, so the C library can write straight into numpy memory."""
    names, formats, offsets = [], [], []
    for name, cname, fmt in fields:
        names.append(name)
        formats.append(fmt)
        offsets.append(ffi.offsetof(ctype, cname))
        if np.dtype(fmt).itemsize != ffi.sizeof(dict(ffi.typeof(ctype).fields)[cname].type):
            raise ImportError("vitalstream: %s.%s has an unexpected size" % (ctype, cname))
    return np.dtype({"names": names, "formats": formats, "offsets": offsets,
                     "itemsize": ffi.sizeof(ctype)})
