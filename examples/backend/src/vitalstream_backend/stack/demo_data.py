"""Demo ECG sources for the stack: MIT-BIH records if the database is found, else synthetic
records from the library's generator (vs_synth) with some ectopy and atrial fibrillation."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from vitalstream._lowlevel import ffi, lib

from ..sim import Source, load_sources


def find_mitdb() -> Path | None:
    """$VITALSTREAM_MITDB, else shared/data/mitdb beside a parent of the current directory
    or of this source file (the repository's ../shared/data/mitdb)."""
    env = os.environ.get("VITALSTREAM_MITDB")
    if env:
        return Path(env) if (Path(env) / "100.hea").is_file() else None
    for base in (Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents):
        candidate = base / "shared" / "data" / "mitdb"
        if (candidate / "100.hea").is_file():
            return candidate
    return None


def synthetic_source(index: int, duration_s: float = 1800.0, fs: float = 360.0) -> Source:
    cfg = ffi.new("vs_synth_config *")
    if lib.vs_synth_default_config(cfg) != 0:
        raise RuntimeError("vs_synth_default_config failed")
    cfg.fs_hz = fs
    cfg.duration_s = duration_s
    cfg.seed = 1000 + index
    cfg.hr_bpm = 55.0 + 9.0 * (index % 6)
    cfg.pvc_per_min = float(index % 4)
    if index % 3 == 1:
        cfg.af_start_s, cfg.af_duration_s = 120.0, 300.0
    n = ffi.new("size_t *")
    if lib.vs_synth_num_samples(cfg, n) != 0:
        raise RuntimeError("vs_synth_num_samples failed")
    signal = np.zeros(int(n[0]), dtype=np.float32)
    status = lib.vs_synth_generate(cfg, ffi.cast("float *", ffi.from_buffer(signal)), int(n[0]),
                                   ffi.NULL, 0, ffi.NULL)
    if status != 0:
        raise RuntimeError(f"vs_synth_generate failed ({status})")
    return Source(f"synth{index:02d}", fs, signal)


# Records with ventricular runs and couplets early on come first, so that a small demo shows
# alarms within its first minutes (203: VT in its first 90 s); then the others in order.
EVENTFUL_FIRST = ("203", "208", "233", "119", "106", "201", "210", "100")


def demo_sources(n: int, mitdb: Path | None) -> list[Source]:
    if mitdb is not None:
        found = sorted(p.stem for p in mitdb.glob("*.hea"))
        first = [r for r in EVENTFUL_FIRST if r in found]
        names = (first + [r for r in found if r not in first])[:max(1, n)]
        return load_sources(str(mitdb), names, 0, 0.0, None)
    return [synthetic_source(i) for i in range(max(1, min(n, 12)))]
