"""vitalstream — Python binding of libvitalstream (real-time ECG analysis in C).

Layers: ``vitalstream._vitalstream`` (raw cffi extension: ``ffi``, ``lib``),
``vitalstream._lowlevel`` (one checked function per C symbol), and the classes and functions
exported here.
"""
from typing import Dict, Union

from . import _lowlevel as _ll
from .alarms import ALARM_TECHNICAL, EVENT_ALARM_END, event_name, is_technical
from .errors import (ArgumentError, FileIOError, FormatError, InsufficientDataError,
                     NotFoundError, OutOfMemoryError, StateError, VitalStreamError)
from .eval import EC57_CLASSES, EC57Result, ec57_compare, ec57_summary
from .io import (ANNOTATION_DTYPE, WfdbRecord, as_annotations, encode_annotations,
                 make_annotations, parse_annotations, parse_csv, read_annotations, read_csv,
                 read_wfdb, read_wfdb_header, write_annotations)
from .hrv import hrv
from .monitor import (EVENT_ALARM, EVENT_BEAT, EVENT_DTYPE, EVENT_QUALITY, EVENT_RHYTHM, Monitor,
                      aami_class_name, rhythm_type_name)
from .qrs import BEAT_AFTER_GAP, BEAT_DTYPE, BEAT_SEARCHBACK, QRSDetector

__version__: str = _ll.ffi.string(_ll.vs_version_string()).decode()

__all__ = [
    "QRSDetector", "BEAT_DTYPE", "BEAT_SEARCHBACK", "BEAT_AFTER_GAP",
    "Monitor", "EVENT_DTYPE", "EVENT_BEAT", "EVENT_RHYTHM", "EVENT_ALARM", "EVENT_QUALITY",
    "aami_class_name", "rhythm_type_name", "hrv",
    "EVENT_ALARM_END", "ALARM_TECHNICAL", "event_name", "is_technical",
    "read_wfdb", "read_wfdb_header", "WfdbRecord", "read_annotations", "parse_annotations",
    "write_annotations", "encode_annotations", "make_annotations", "as_annotations",
    "ANNOTATION_DTYPE", "read_csv", "parse_csv",
    "ec57_compare", "ec57_summary", "EC57Result", "EC57_CLASSES",
    "VitalStreamError", "ArgumentError", "OutOfMemoryError", "InsufficientDataError",
    "StateError", "FileIOError", "FormatError", "NotFoundError",
    "state_info", "strerror", "__version__",
]


def strerror(code: int) -> str:
    """The C library's description of a status code."""
    return _ll.strerror(code)


def state_info(data: bytes) -> Dict[str, Union[int, float]]:
    """Header of a portable state blob: format_version, module_id, fs_hz (validated: raises
    StateError for a truncated or corrupt blob)."""
    from ._base import as_bytes, state_info as _si

    v, m, fs = _si(as_bytes(data))
    return {"format_version": v, "module_id": m, "fs_hz": fs}
