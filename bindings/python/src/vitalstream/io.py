"""File formats over the C I/O layer (include/vitalstream/io.h): WFDB records, MIT-format
annotation files and CSV columns. Errors carry the C layer's "file:line: problem" message."""
import os
from dataclasses import dataclass, field
from typing import Any, Callable, List, Optional, Sequence, Union

import numpy as np

from ._base import struct_dtype
from . import _lowlevel as ll
from ._lowlevel import ffi, lib

__all__ = [
    "ANNOTATION_DTYPE", "WfdbRecord", "read_wfdb", "read_wfdb_header", "read_annotations",
    "parse_annotations", "write_annotations", "encode_annotations", "make_annotations",
    "as_annotations", "read_csv", "parse_csv",
]

PathLike = Union[str, "os.PathLike[str]"]

#: One annotation; mirrors ``vs_annotation`` (280 bytes). ``aux`` holds ``aux_len`` raw bytes
#: (numpy drops trailing NULs when reading the field; ``aux_len`` keeps the true length).
ANNOTATION_DTYPE = struct_dtype("vs_annotation", [
    ("sample_idx", "sample_idx", "<i8"),
    ("code", "code", "<i2"),
    ("subtype", "subtype", "<i2"),
    ("chan", "channel", "<u2"),
    ("num", "num", "<i2"),
    ("aux_len", "aux_len", "<u2"),
    ("aux", "aux", "S256"),
])
if ll.vs_annot_struct_size() != ANNOTATION_DTYPE.itemsize:
    raise ImportError("vitalstream: vs_annotation size differs between headers and library")


def _path(p: PathLike) -> bytes:
    return os.fsencode(os.fspath(p))


def _new_err() -> Any:
    """A vs_io_error for the last argument: the checked functions of _lowlevel raise with its
    message, file and line."""
    return ffi.new("vs_io_error *")


def _float_array(ptr: Any, n: int) -> np.ndarray:
    """Wrap a malloc'ed float buffer of the I/O layer without copying; vs_io_free runs when the
    last numpy view of it is gone."""
    if n == 0:
        ll.vs_io_free(ptr)
        return np.empty(0, dtype=np.float32)
    owned = ffi.gc(ptr, ll.vs_io_free)
    return np.frombuffer(ffi.buffer(owned, n * 4), dtype=np.float32)


# ---- WFDB ------------------------------------------------------------------------------------
@dataclass
class WfdbRecord:
    """A WFDB record read by :func:`read_wfdb`.

    ``signals`` has shape (n_signals, n_samples), float32 in physical units, one C-contiguous row
    per signal (so ``rec.signals[0]`` goes into ``QRSDetector.process`` without a copy)."""

    name: str
    fs_hz: float
    signals: np.ndarray
    names: List[str]
    units: List[str]
    gains: List[float]
    baselines: List[float]
    n_samples: int
    comments: List[str] = field(default_factory=list)
    base_time: str = ""
    base_date: str = ""


def _record_base(path: PathLike) -> str:
    p = os.fspath(path)
    if p.lower().endswith((".hea", ".dat")):
        p = p[:-4]
    return p


def read_wfdb_header(path: PathLike) -> Any:
    """The parsed header (a cffi ``vs_wfdb_header``) of RECORD(.hea)."""
    hdr = ffi.new("vs_wfdb_header *")
    ll.vs_wfdb_read_header(_path(_record_base(path) + ".hea"), hdr, _new_err())
    return hdr


def _s(chars: Any) -> str:
    return str(ffi.string(chars).decode("utf-8", "replace"))


def read_wfdb(path: PathLike, channels: Optional[Sequence[int]] = None, *,
              allow_any_signal_path: bool = False) -> WfdbRecord:
    """Signals of a WFDB record (formats 212 and 16) in physical units: (adu - baseline) / gain;
    WFDB's invalid sample code reads as NaN.

    ``path`` is the record path with or without .hea/.dat; ``channels`` selects signals
    (default: all). A header naming its signal file by an absolute path or one containing
    ".." is refused (FormatError) unless ``allow_any_signal_path`` is true: a server must not
    read files an uploaded header points at."""
    base = _record_base(path)
    hdr = read_wfdb_header(base)
    nsig = int(hdr.n_signals)
    chans = list(range(nsig)) if channels is None else [int(c) for c in channels]
    rows = []
    fs = float(hdr.fs_hz)
    for c in chans:
        out = ffi.new("float **")
        n = ffi.new("int64_t *")
        fs_out = ffi.new("double *")
        flags = lib.VS_WFDB_ALLOW_ANY_SIGNAL_PATH if allow_any_signal_path else 0
        ll.vs_wfdb_read_signal_ex(_path(base), c, flags, out, n, fs_out, _new_err())
        rows.append(_float_array(out[0], int(n[0])))
        fs = float(fs_out[0])
    n_samples = rows[0].shape[0] if rows else int(hdr.n_samples)
    signals = np.empty((len(rows), n_samples), dtype=np.float32)
    for i, r in enumerate(rows):
        signals[i] = r
    sig = [hdr.signals[c] for c in chans]
    comments = _s(hdr.comments)
    return WfdbRecord(
        name=_s(hdr.record_name), fs_hz=fs, signals=signals,
        names=[_s(s.description) for s in sig], units=[_s(s.units) for s in sig],
        gains=[float(s.gain_adu_per_mv) for s in sig], baselines=[float(s.baseline_adu) for s in sig],
        n_samples=n_samples, comments=comments.split("\n") if comments else [],
        base_time=_s(hdr.base_time), base_date=_s(hdr.base_date),
    )


# ---- annotations -----------------------------------------------------------------------------
def _annotations(read: Callable[[Any], None]) -> np.ndarray:
    """Run read(list) (a checked vs_annot_read/parse call), copy the list into an array and free
    the list, also when the call raised."""
    lst = ffi.new("vs_annotation_list *")
    try:
        read(lst)
        n = int(lst.count)
        out = np.empty(n, dtype=ANNOTATION_DTYPE)
        if n:
            ffi.memmove(ffi.from_buffer(out, require_writable=True), lst.items,
                        n * ANNOTATION_DTYPE.itemsize)
        return out
    finally:
        ll.vs_annot_list_free(lst)


def read_annotations(path: PathLike) -> np.ndarray:
    """A MIT-format annotation file (e.g. ``100.atr``) as an array of :data:`ANNOTATION_DTYPE`."""
    return _annotations(lambda lst: ll.vs_annot_read(_path(path), lst, _new_err()))


def parse_annotations(data: bytes, name: str = "<bytes>") -> np.ndarray:
    """Like :func:`read_annotations` on the bytes of a file."""
    return _annotations(lambda lst: ll.vs_annot_parse(data, len(data), name.encode(), lst,
                                                      _new_err()))


def make_annotations(sample_idx: Any, code: Any = 1, subtype: Any = 0, chan: Any = 0,
                     num: Any = 0, aux: Optional[Sequence[bytes]] = None) -> np.ndarray:
    """Build an annotation array (code 1 = N, normal beat, by default)."""
    idx = np.asarray(sample_idx, dtype=np.int64).reshape(-1)
    out = np.zeros(idx.shape[0], dtype=ANNOTATION_DTYPE)
    out["sample_idx"] = idx
    out["code"] = code
    out["subtype"] = subtype
    out["chan"] = chan
    out["num"] = num
    if aux is not None:
        for i, a in enumerate(aux):
            b = a.encode() if isinstance(a, str) else bytes(a)
            if len(b) > 255:
                raise ValueError("aux of annotation %d is longer than 255 bytes" % i)
            out["aux"][i] = b
            out["aux_len"][i] = len(b)
    return out


def as_annotations(a: Any, code: int = 1) -> np.ndarray:
    """An annotation array from: an annotation array (as is), any structured array with a
    ``sample_idx`` field (e.g. ``QRSDetector.process`` beats; ``code`` taken from a ``code``
    field if present), or a sequence of sample indices."""
    if isinstance(a, np.ndarray) and a.dtype == ANNOTATION_DTYPE:
        return np.ascontiguousarray(a)
    if isinstance(a, np.ndarray) and a.dtype.names and "sample_idx" in a.dtype.names:
        codes = a["code"] if "code" in a.dtype.names else code
        return make_annotations(a["sample_idx"], codes)
    return make_annotations(a, code)


def _as_list(ann: np.ndarray) -> Any:
    lst = ffi.new("vs_annotation_list *")
    lst.items = ffi.from_buffer("vs_annotation[]", ann)
    lst.count = lst.capacity = ann.shape[0]
    return lst


def write_annotations(path: PathLike, annotations: Any, code: int = 1) -> None:
    """Write a MIT-format annotation file (readable by rdann/bxb). ``annotations``: see
    :func:`as_annotations`."""
    ann = as_annotations(annotations, code)
    lst = _as_list(ann)
    ll.vs_annot_write(_path(path), lst, _new_err())


def encode_annotations(annotations: Any, code: int = 1) -> bytes:
    """The bytes :func:`write_annotations` would write."""
    ann = as_annotations(annotations, code)
    lst = _as_list(ann)
    out = ffi.new("uint8_t **")
    n = ffi.new("size_t *")
    ll.vs_annot_encode(lst, out, n, _new_err())
    try:
        return bytes(ffi.buffer(out[0], n[0]))
    finally:
        ll.vs_io_free(out[0])


# ---- CSV -------------------------------------------------------------------------------------
def _column_args(column: Union[int, str, None]) -> Any:
    if column is None:  # the first signal column (a leading sample-number/time column skipped)
        return ffi.NULL, lib.VS_CSV_COLUMN_AUTO
    if isinstance(column, str):
        return column.encode("utf-8"), 0
    if isinstance(column, (int, np.integer)) and not isinstance(column, bool):
        return ffi.NULL, int(column)
    raise TypeError("column must be a name (str), a 0-based index (int) or None (the first signal column)")


def read_csv(path: PathLike, column: Union[int, str, None] = None) -> np.ndarray:
    """One numeric column of a CSV file as float32 (by header name or 0-based index; default:
    the first signal column, as the CLI — a leading sample-number or time column is skipped,
    and a doubt is a NotFoundError listing the columns)."""
    name, index = _column_args(column)
    out = ffi.new("float **")
    n = ffi.new("int64_t *")
    ll.vs_csv_read_column(_path(path), name, index, out, n, _new_err())
    return _float_array(out[0], int(n[0]))


def parse_csv(text: Union[str, bytes], column: Union[int, str, None] = None, name: str = "<text>") -> np.ndarray:
    """Like :func:`read_csv` on CSV text."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    cname, index = _column_args(column)
    out = ffi.new("float **")
    n = ffi.new("int64_t *")
    ll.vs_csv_parse_column(data, len(data), name.encode(), cname, index, out, n, _new_err())
    return _float_array(out[0], int(n[0]))
