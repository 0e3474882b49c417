"""Thin checked layer: one Python function per C function of the public headers.

Each ``vs_*`` symbol of the extension gets a function of the same name and arguments here. For a
function returning ``vs_status`` the wrapper raises the matching :mod:`vitalstream.errors` class
on a non-zero status and returns ``None``; every other function is the C function itself.
Arguments are cffi values (``ffi.new``/``ffi.from_buffer``), exactly as in C.
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


_STATUS = ffi.typeof("vs_status")


def _returns_status(fn: Any) -> bool:
    return ffi.typeof(fn).result is _STATUS


def _checked(name: str, fn: Callable[..., int]) -> Callable[..., None]:
    def wrapper(*args: Any) -> None:
        st = fn(*args)
        if st:
            raise_status(st)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = "%s: raises VitalStreamError for a non-zero status." % ffi.typeof(fn).cname
    return wrapper


FUNCTIONS: Dict[str, Callable[..., Any]] = {}
for _name in dir(lib):
    if not _name.startswith("vs_"):
        continue
    _fn = ffi.addressof(lib, _name)
    if ffi.typeof(_fn).kind != "function":
        continue
    _py = getattr(lib, _name)
    FUNCTIONS[_name] = _checked(_name, _py) if _returns_status(_fn) else _py
globals().update(FUNCTIONS)
__all__ += sorted(FUNCTIONS)
del _name, _fn, _py

