"""Thin checked layer: one Python function per C function of the public headers.

Each ``vs_*`` symbol of the extension gets a function of the same name and arguments here. For a
function returning ``vs_status`` the wrapper raises the matching :mod:`vitalstream.errors` class
on a non-zero status and returns ``None`` (a function of the I/O layer, whose last argument is a
``vs_io_error *``, raises with that error's message, file and line); every other function is the
C function itself. Arguments are cffi values (``ffi.new``/``ffi.from_buffer``), exactly as in C.
The classes of this package call these functions, never ``lib`` directly; status numbers come
from the C header as ``lib.VS_E_*``.
"""
from typing import Any, Callable, Dict, NoReturn, Optional

from ._vitalstream import ffi, lib
from .errors import error_class

__all__ = ["ffi", "lib", "raise_status", "check", "strerror", "FUNCTIONS"]


def strerror(code: int) -> str:
    return str(ffi.string(lib.vs_strerror(int(code))).decode("utf-8", "replace"))


def raise_status(code: int, message: Optional[str] = None, filename: Optional[str] = None,
                 line: int = 0) -> NoReturn:
    raise error_class(code)(code, message or strerror(code), filename, line)


def check(code: int) -> None:
    """Raise for a non-zero vs_status."""
    if code:
        raise_status(code)


def _text(chars: Any) -> Optional[str]:
    return str(ffi.string(chars).decode("utf-8", "replace")) or None


def _raise_io(code: int, err: Any) -> NoReturn:
    """Raise with the I/O layer's detail (message, file, line) when the caller passed a
    vs_io_error."""
    if err == ffi.NULL:
        raise_status(code)
    raise_status(code, _text(err.message), _text(err.file), int(err.line))


_STATUS = ffi.typeof("vs_status")
try:
    _IO_ERROR: Any = ffi.typeof("vs_io_error *")
except ffi.error:  # an extension built without the I/O module
    _IO_ERROR = None


def _checked(name: str, ctype: Any, fn: Callable[..., int]) -> Callable[..., None]:
    with_io_error = _IO_ERROR is not None and bool(ctype.args) and ctype.args[-1] is _IO_ERROR

    def wrapper(*args: Any) -> None:
        st = fn(*args)
        if st:
            if with_io_error:
                _raise_io(st, args[-1])
            raise_status(st)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = "%s: raises VitalStreamError for a non-zero status." % ctype.cname
    return wrapper


FUNCTIONS: Dict[str, Callable[..., Any]] = {}
for _name in dir(lib):
    if not _name.startswith("vs_"):
        continue
    _fn = ffi.addressof(lib, _name)
    _type = ffi.typeof(_fn)
    if _type.kind != "function":
        continue
    _py = getattr(lib, _name)
    FUNCTIONS[_name] = _checked(_name, _type, _py) if _type.result is _STATUS else _py
globals().update(FUNCTIONS)
__all__ += sorted(FUNCTIONS)
del _name, _fn, _type, _py


def __getattr__(name: str) -> Callable[..., Any]:
    """Only reached for names that are no function of the extension; declared so that type
    checkers know every other attribute (vs_*) is one of the functions above."""
    raise AttributeError("vitalstream._lowlevel has no function %r" % name)
