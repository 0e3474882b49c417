#!/usr/bin/env python3
"""cv_stability.py - how much do the beat classifier's DS1 cross-validation figures move when the
training set changes a little? (issue 15: retrains swung DS2 SVEB by 12 points; a variant is
chosen for stability on DS1, never on DS2.)

Runs `train_classifier --cv` on DS1 as is and with one DS1 record dropped (--drop R, for each R
in --drops), and pools the leave-one-record-out counts of the records that every run keeps
(DS1 minus the dropped ones), so every row scores the same beats with models trained on
slightly different data. Prints S and V Se/+P per run, the mean and the range (max - min), and
the full 22-record CV of the plain run. The trainer's counts: whole records, its own matching
(closest reference beat within 150 ms), +P counting detections without a reference beat.

usage: bench/classify/cv_stability.py TRAIN_CLASSIFIER MITDB_DIR [--drops 101,106,...] [-- trainer args]
"""
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

tool, db, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
drops = ["101", "106", "119", "201", "208", "223"]
if rest[:1] == ["--drops"]:
    drops, rest = rest[1].split(","), rest[2:]
if rest[:1] == ["--"]:
    rest = rest[1:]
LINE = re.compile(r"^(\w+): N (\d+)/(\d+)  S (\d+)/(\d+) \(fpS (\d+)\)  V (\d+)/(\d+) \(fpV (\d+)\)")


def run(drop):
    cmd = [tool, "--db", db, "--cv"] + rest + (["--drop", drop] if drop else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    recs = {}
    for m in map(LINE.match, out.splitlines()):
        if m:
            recs[m.group(1)] = [int(v) for v in m.groups()[1:]]
    return drop, recs


def figures(recs, names):
    t = [sum(recs[r][i] for r in names if r in recs) for i in range(8)]
    pct = lambda a, b: 100.0 * a / b if b else 0.0
    # t: N tp, N n, S tp, S n, fpS, V tp, V n, fpV
    return (pct(t[2], t[3]), pct(t[2], t[2] + t[4]), pct(t[5], t[6]), pct(t[5], t[5] + t[7]))


with ThreadPoolExecutor(2) as ex:
    runs = list(ex.map(run, [None] + drops))
keep = set(runs[0][1]) - set(drops)
print(f"trainer args: {' '.join(rest) or '(defaults)'}; pooled over the {len(keep)} DS1 records "
      f"no run drops")
print("drop    SVEB Se    +P  VEB Se    +P")
rows = []
for drop, recs in runs:
    f = figures(recs, keep)
    rows.append(f)
    print("%-6s  %6.2f %6.2f  %6.2f %6.2f" % (drop or "none", *f))
mean = [sum(r[k] for r in rows) / len(rows) for k in range(4)]
rng = [max(r[k] for r in rows) - min(r[k] for r in rows) for k in range(4)]
print("mean    %6.2f %6.2f  %6.2f %6.2f" % tuple(mean))
print("range   %6.2f %6.2f  %6.2f %6.2f" % tuple(rng))
print("all 22 records, plain run: SVEB %.2f / %.2f, VEB %.2f / %.2f" % figures(runs[0][1], runs[0][1]))
