"""Where false and missed AF time lies, by the reference rhythm (issue 15).

Runs `vitalstream detect --classify` (the whole vs_monitor pipeline, channel 0) on every record
of the database, takes its "(AFIB" RHYTHM annotations as test AF and the .atr RHYTHM
annotations as reference, both from --start to the end of the record (as epicmp -A: AF against
everything else, atrial flutter included), and prints the seconds of false AF by the reference
rhythm they fall in (per record and pooled), and the seconds of missed AF per record.

usage: python3 bench/af/fp_breakdown.py VITALSTREAM_BINARY [--db MITDB] [--start SEC]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

from cosen_ds1 import RHYTHM, read_annotations

Span = tuple[int, int, str]


def header(path: str) -> tuple[float, int]:
    """Sampling rate and length (samples) from a WFDB header's record line."""
    with open(path, encoding="latin-1") as f:
        fields = f.readline().split()
    return float(fields[2].split("/")[0]), int(fields[3])


def rhythm_spans(path: str, end: int) -> list[Span]:
    """(from, to, rhythm) of every RHYTHM annotation up to the next one or the end."""
    marks = [(t, aux.rstrip("\0")) for t, code, aux in read_annotations(path)
             if code == RHYTHM and aux]
    return [(t, marks[i + 1][0] if i + 1 < len(marks) else end, aux)
            for i, (t, aux) in enumerate(marks)]


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vitalstream")
    ap.add_argument("--db", default=os.environ.get(
        "VITALSTREAM_MITDB", os.path.join(here, "..", "..", "..", "shared", "data", "mitdb")))
    ap.add_argument("--start", type=float, default=300.0)
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.db, "RECORDS")):
        print(f"fp_breakdown: no database at {args.db} - skipped")
        return 0
    with open(os.path.join(args.db, "RECORDS"), encoding="latin-1") as f:
        records = [line.strip() for line in f if line.strip()]
    pooled: dict[str, float] = defaultdict(float)
    rows: list[str] = []
    total_false = total_missed = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for rec in records:
            fs, n = header(os.path.join(args.db, rec + ".hea"))
            out = os.path.join(tmp, rec + ".tst")
            subprocess.run([args.vitalstream, "detect", os.path.join(args.db, rec), "--classify",
                            "-o", out], check=True, capture_output=True)
            start = int(args.start * fs)
            ref = [(max(a, start), b, x) for a, b, x in
                   rhythm_spans(os.path.join(args.db, rec + ".atr"), n) if b > start]
            test = [(max(a, start), b) for a, b, x in rhythm_spans(out, n)
                    if x == "(AFIB" and b > start]
            false_by: dict[str, float] = defaultdict(float)
            for t0, t1 in test:
                for r0, r1, x in ref:
                    if x != "(AFIB":
                        false_by[x] += overlap(t0, t1, r0, r1) / fs
            missed = 0.0
            for r0, r1, x in ref:
                if x == "(AFIB":
                    missed += (r1 - r0 - sum(overlap(t0, t1, r0, r1) for t0, t1 in test)) / fs
            false_s = sum(false_by.values())
            total_false += false_s
            total_missed += missed
            for x, s in false_by.items():
                pooled[x] += s
            if false_s >= 0.5 or missed >= 0.5:
                parts = ", ".join(f"{x} {s:.0f}" for x, s in
                                  sorted(false_by.items(), key=lambda kv: -kv[1]) if s >= 0.5)
                rows.append(f"{rec:<7} {false_s:8.1f} {missed:8.1f}   {parts}")
    print(f"from {args.start:.0f} s; seconds of false AF (by the reference rhythm) and of missed AF")
    print(f"{'Record':<7} {'false':>8} {'missed':>8}   false AF by reference rhythm (s)")
    for row in rows:
        print(row)
    parts = ", ".join(f"{x} {s:.0f}" for x, s in sorted(pooled.items(), key=lambda kv: -kv[1])
                      if s >= 0.5)
    print(f"{'Total':<7} {total_false:8.1f} {total_missed:8.1f}   {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
