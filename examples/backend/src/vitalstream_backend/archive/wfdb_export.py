"""A session as a WFDB record: <name>.hea + <name>.dat (format 16, 200 adu/mV, written by
the library's own writer) + <name>.atr (the monitor's annotations), readable by PhysioNet's
rdsamp/rdann/wfdb-python."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import vitalstream
from vitalstream._lowlevel import ffi, lib

from .reanalysis import analyse

GAIN_ADU_PER_MV = 200.0
INVALID_ADU = -32768  # WFDB's missing-sample code in format 16


def to_adu(signal: np.ndarray) -> np.ndarray:
    adu = np.round(np.asarray(signal, dtype=np.float64) * GAIN_ADU_PER_MV)
    adu = np.clip(np.nan_to_num(adu, nan=INVALID_ADU), -32767, 32767)
    adu[~np.isfinite(signal)] = INVALID_ADU
    return adu.astype(np.int32)


def write_record(directory: Path, name: str, signal: np.ndarray, fs: int, comments: str = "") -> None:
    hdr = ffi.new("vs_wfdb_header *")
    hdr.record_name = name.encode()
    hdr.n_signals = 1
    hdr.fs_hz = float(fs)
    sig = hdr.signals[0]
    sig.file_name = f"{name}.dat".encode()
    sig.format = 16
    sig.samples_per_frame = 1
    sig.gain_adu_per_mv = GAIN_ADU_PER_MV
    sig.gain_given = 1
    sig.adc_resolution_bits = 16
    sig.adc_zero = 0
    sig.baseline_adu = 0.0
    sig.units = b"mV"
    sig.description = b"ECG"
    hdr.comments = comments.encode()[:2000]
    adu = np.ascontiguousarray(to_adu(signal))
    err = ffi.new("vs_io_error *")
    status = lib.vs_wfdb_write_record(str(directory / name).encode(), hdr,
                                      ffi.cast("const int32_t *", ffi.from_buffer(adu)), len(adu), err)
    if status != 0:
        raise OSError(ffi.string(err.message).decode(errors="replace") or f"WFDB write failed ({status})")


def record_files(signal: np.ndarray, fs: int, name: str, comments: str = "") -> dict[str, bytes]:
    """{'<name>.hea': ..., '<name>.dat': ..., '<name>.atr': ...}"""
    analysis = analyse(signal, fs)
    with tempfile.TemporaryDirectory(prefix="vs-wfdb-") as tmp:
        directory = Path(tmp)
        write_record(directory, name, signal, fs, comments)
        vitalstream.write_annotations(directory / f"{name}.atr", analysis.annotations)
        return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def zip_files(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
