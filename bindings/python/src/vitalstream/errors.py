"""Exceptions: one class per family of C status codes (common.h).

Every class also inherits the builtin a Python caller would expect (``ValueError`` for bad
arguments and bad state blobs, ``MemoryError``, ``OSError`` for files, ...), so code that does not
know VitalStream still catches them. Each instance carries ``.code`` (the C ``vs_status``) and
``.message`` (``vs_strerror`` or the I/O layer's "file:line: problem" text).
"""
from typing import Any, Dict, Optional, Tuple, Type

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
    1: ArgumentError, 2: ArgumentError, 3: OutOfMemoryError, 4: ArgumentError, 5: ArgumentError,
    6: ArgumentError, 7: ArgumentError, 8: ArgumentError, 9: InsufficientDataError,
    40: FileIOError, 41: FormatError, 42: FormatError, 43: FormatError, 44: NotFoundError,
}


def error_class(code: int) -> Type[VitalStreamError]:
    """The exception class raised for a status code."""
    if 20 <= code < 40:
        return StateError
    return _BY_CODE.get(code, VitalStreamError)
