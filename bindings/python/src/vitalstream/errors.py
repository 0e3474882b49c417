"""Exceptions: one class per family of C status codes (common.h).

Every class also inherits the builtin a Python caller would expect (``ValueError`` for bad
arguments and bad state blobs, ``MemoryError``, ``OSError`` for files, ...), so code that does not
know VitalStream still catches them. Each instance carries ``.code`` (the C ``vs_status``) and
``.message`` (``vs_strerror`` or the I/O layer's "file:line: problem" text).
"""
from typing import Any, Dict, Optional, Tuple, Type

from ._vitalstream import lib

__all__ = [
    "VitalStreamError",
    "ArgumentError",
    "OutOfMemoryError",
    "InsufficientDataError",
    "StateError",
    "FileIOError",
    "FormatError",
    "NotFoundError",
    "error_class",
]


class VitalStreamError(Exception):
    """Base class of every error raised for a non-zero C status."""

    code: int
    message: str

    def __init__(self, code: int, message: str, filename: Optional[str] = None, line: int = 0):
        super().__init__(message)
        self.code = int(code)
        self.message = message
        self.filename = filename
        self.line = int(line)

    def __str__(self) -> str:
        return "%s (status %d)" % (self.message, self.code)

    def __reduce__(self) -> Tuple[Any, ...]:  # picklable despite the extra constructor arguments
        return (type(self), (self.code, self.message, self.filename, self.line))


class ArgumentError(VitalStreamError, ValueError):
    """Misuse: NULL/invalid argument, sampling rate, parameter id or value, buffer size."""


class OutOfMemoryError(VitalStreamError, MemoryError):
    """VS_E_NO_MEMORY."""


class InsufficientDataError(VitalStreamError, ValueError):
    """VS_E_INSUFFICIENT_DATA: too few beats or samples for the result."""


class StateError(VitalStreamError, ValueError):
    """A portable state blob was rejected (truncated, bad magic/checksum, newer, wrong module, ...)."""


class FileIOError(VitalStreamError, OSError):
    """VS_E_IO: a file could not be opened, read or written."""


class FormatError(VitalStreamError, ValueError):
    """Malformed, unsupported or truncated file contents (VS_E_PARSE, _UNSUPPORTED_FORMAT,
    _TRUNCATED_FILE)."""


class NotFoundError(VitalStreamError, LookupError):
    """VS_E_NOT_FOUND: a named signal, column or record is not there."""


_BY_CODE: Dict[int, Type[VitalStreamError]] = {
    lib.VS_E_NULL_ARG: ArgumentError,
    lib.VS_E_INVALID_ARG: ArgumentError,
    lib.VS_E_NO_MEMORY: OutOfMemoryError,
    lib.VS_E_BUFFER_TOO_SMALL: ArgumentError,
    lib.VS_E_FS_OUT_OF_RANGE: ArgumentError,
    lib.VS_E_UNKNOWN_PARAM: ArgumentError,
    lib.VS_E_PARAM_OUT_OF_RANGE: ArgumentError,
    lib.VS_E_UNSTABLE_FILTER: ArgumentError,
    lib.VS_E_INSUFFICIENT_DATA: InsufficientDataError,
    lib.VS_E_IO: FileIOError,
    lib.VS_E_PARSE: FormatError,
    lib.VS_E_UNSUPPORTED_FORMAT: FormatError,
    lib.VS_E_TRUNCATED_FILE: FormatError,
    lib.VS_E_NOT_FOUND: NotFoundError,
}


def error_class(code: int) -> Type[VitalStreamError]:
    """The exception class raised for a status code. common.h numbers the state-blob codes from
    VS_E_STATE_TRUNCATED up to the file codes (VS_E_IO); a state code added later in that block
    is a StateError here too."""
    if lib.VS_E_STATE_TRUNCATED <= code < lib.VS_E_IO:
        return StateError
    return _BY_CODE.get(code, VitalStreamError)
