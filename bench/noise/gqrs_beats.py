#!/usr/bin/env python3
"""Runs the peer QRS detector, gqrs, on the noisy records written by `noise_stress --dump DIR`.

For every DIR/<tag>.f32 (float32 little-endian, mV, MIT-BIH's 360 Hz) it writes DIR/<tag>.beats
(one sample index per line) and deletes the .f32 unless --keep. The peer is the PyPI `wfdb`
package's `wfdb.processing.gqrs_detect` (a Python port of PhysioNet's C gqrs), called as the
project's peer benchmark calls it (bench/peers/README.md): physical signal, record fs, defaults.
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
import time

import numpy as np
from wfdb import processing


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", help="folder with <tag>.f32 files")
    ap.add_argument("--fs", type=float, default=360.0)
    ap.add_argument("--keep", action="store_true", help="keep the .f32 files")
    args = ap.parse_args(argv)
    files = sorted(glob.glob(os.path.join(args.dir, "*.f32")))
    t0 = time.perf_counter()
    for path in files:
        x = np.fromfile(path, dtype="<f4").astype(np.float64)
        beats = processing.gqrs_detect(sig=x, fs=args.fs)
        out = path[: -len(".f32")] + ".beats"
        np.savetxt(out + ".tmp", np.asarray(beats, dtype=np.int64), fmt="%d")
        os.replace(out + ".tmp", out)
        if not args.keep:
            os.remove(path)
    print(f"gqrs: {len(files)} signals in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
