"""Chunked waveform archive on a local directory.

Layout: ``<root>/<patient>/<session>/chunks/<seq, 9 digits>.f32`` — each file the chunk's samples
as little-endian float32 mV, exactly as the device sent them. A chunk is written to a temporary
name and renamed, so a file is either complete or absent, and writing the same chunk twice
(redelivery) leaves the same file: the archive is idempotent by construction. Sample index i of
the session lies in the chunk where the running sum of the earlier chunks' lengths passes i."""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

_CHUNK_RE = re.compile(r"^(\d{9})\.f32$")


def session_dir(root: Path, patient: str, session: int) -> Path:
    return root / patient / str(int(session))


class ArchiveWriter:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write_chunk(self, patient: str, session: int, seq: int, samples: bytes) -> None:
        chunks = session_dir(self.root, patient, session) / "chunks"
        chunks.mkdir(parents=True, exist_ok=True)
        final = chunks / f"{seq:09d}.f32"
        tmp = chunks / f".{seq:09d}.{os.getpid()}.tmp"
        tmp.write_bytes(samples)
        os.replace(tmp, final)


class ArchiveReader:
    def __init__(self, root: Path, patient: str, session: int) -> None:
        self.dir = session_dir(root, patient, session) / "chunks"

    def _index(self) -> tuple[list[Path], np.ndarray]:
        """Chunk files in sequence order and each one's first sample index (+ the total)."""
        try:
            entries = [(int(m.group(1)), e.path, e.stat().st_size) for e in os.scandir(self.dir)
                       if (m := _CHUNK_RE.match(e.name))]
        except FileNotFoundError:
            return [], np.zeros(1, dtype=np.int64)
        entries.sort()
        starts = np.zeros(len(entries) + 1, dtype=np.int64)
        starts[1:] = np.cumsum([size // 4 for _, _, size in entries])
        return [Path(p) for _, p, _ in entries], starts

    def n_samples(self) -> int:
        return int(self._index()[1][-1])

    def read(self, first: int, count: int) -> np.ndarray:
        """Samples [first, first+count) as float32 (shorter at the end of the recording)."""
        files, starts = self._index()
        total = int(starts[-1])
        first = max(0, first)
        last = min(total, first + max(0, count))
        if last <= first:
            return np.zeros(0, dtype=np.float32)
        out = np.empty(last - first, dtype=np.float32)
        k = int(np.searchsorted(starts, first, side="right")) - 1
        pos = first
        while pos < last:
            chunk = np.fromfile(files[k], dtype="<f4")
            lo = pos - int(starts[k])
            take = min(len(chunk) - lo, last - pos)
            out[pos - first:pos - first + take] = chunk[lo:lo + take]
            pos += take
            k += 1
        return out

    def read_all(self) -> np.ndarray:
        return self.read(0, self.n_samples())
