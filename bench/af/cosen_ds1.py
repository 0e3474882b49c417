"""Where the 'clearly irregular' COSEn threshold of src/rhythm/rhythm_af.c comes from (issue 15).

Training data only: MIT-BIH DS1 (de Chazal et al.). Windows of 24 reference beat intervals
(every 4th beat, both ends in the same reference rhythm, intervals longer than 2 x median left
out) are scored with COSEn (Lake & Moorman 2011: m = 1, r = 30 ms, COSEn = ln(B/A) + ln(2r) -
ln(mean RR)); AF windows against all others. Prints Se/Sp per threshold and the best Youden
index.

usage: python3 bench/af/cosen_ds1.py [--db MITDB]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys

DS1 = ("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 "
       "230").split()
# MIT-BIH beat annotation codes (WFDB ecgcodes.h)
BEAT_CODES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 38, 41}
RHYTHM = 28
WINDOW = 24


def read_annotations(path: str) -> list[tuple[int, int, str]]:
    """(sample, code, aux) of an MIT-format annotation file."""
    data = open(path, "rb").read()
    out: list[tuple[int, int, str]] = []
    i, t = 0, 0
    while i + 1 < len(data):
        word = data[i] | data[i + 1] << 8
        i += 2
        code, inc = word >> 10, word & 0x3FF
        if code == 0 and inc == 0:
            break
        if code == 59:  # SKIP: 32-bit interval follows (high word first)
            v = (data[i + 2] | data[i + 3] << 8) | (data[i] | data[i + 1] << 8) << 16
            t += v - (1 << 32) if v >= 1 << 31 else v
            i += 4
        elif code == 63:  # AUX string of the previous annotation
            aux = data[i:i + inc].decode("latin-1").rstrip("\0")
            i += inc + (inc & 1)
            if out:
                out[-1] = (out[-1][0], out[-1][1], aux)
        elif code in (60, 61, 62):  # NUM, SUB, CHN
            continue
        else:
            t += inc
            out.append((t, code, ""))
    return out


def cosen(rr: list[int], fs: float) -> float | None:
    med = statistics.median(rr)
    rr = [x for x in rr if x <= 2 * med]
    if len(rr) < 12:
        return None
    tol = max(1, round(0.030 * fs))
    a = b = 0
    for i in range(len(rr) - 1):
        for k in range(i + 1, len(rr) - 1):
            if abs(rr[i] - rr[k]) <= tol:
                b += 1
                if abs(rr[i + 1] - rr[k + 1]) <= tol:
                    a += 1
    if a == 0:
        return math.inf
    return math.log(b * 2 * tol / (a * sum(rr) / len(rr)))


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get(
        "VITALSTREAM_MITDB", os.path.join(here, "..", "..", "..", "shared", "data", "mitdb")))
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.db, "RECORDS")):
        print(f"cosen_ds1: no MIT-BIH at {args.db} - skipped")
        return 0
    af: list[float] = []
    other: list[float] = []
    for rec in DS1:
        ann = read_annotations(os.path.join(args.db, rec + ".atr"))
        beats = [t for t, c, _ in ann if c in BEAT_CODES]
        changes = [(t, a) for t, c, a in ann if c == RHYTHM]

        def rhythm_at(t: int) -> str:
            cur = "(N"
            for tt, a in changes:
                if tt > t:
                    break
                cur = a
            return cur

        for i in range(WINDOW + 1, len(beats), 4):
            seg = beats[i - WINDOW - 1:i]
            if rhythm_at(seg[0]) != rhythm_at(seg[-1]):
                continue
            c = cosen([seg[j] - seg[j - 1] for j in range(1, len(seg))], 360.0)
            if c is not None:
                (af if rhythm_at(seg[-1]) == "(AFIB" else other).append(c)
    print(f"DS1 windows: {len(af)} AF, {len(other)} other")
    best = (-1.0, 0.0)
    for k in range(-25, 6):
        thr = k / 10
        se = sum(c >= thr for c in af) / len(af)
        sp = sum(c < thr for c in other) / len(other)
        print(f"COSEn >= {thr:5.1f}: Se {100 * se:5.1f} %  Sp {100 * sp:5.1f} %  J {se + sp - 1:.3f}")
        best = max(best, (se + sp - 1, thr))
    print(f"best Youden index {best[0]:.3f} at COSEn >= {best[1]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
