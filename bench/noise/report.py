#!/usr/bin/env python3
"""Builds bench/results/noise.md from the tab-separated output of `noise_stress`.

Usage: report.py --after DS2.tsv [--before DS2_BEFORE.tsv] [--ds1 DS1.tsv] [--note TEXT] > noise.md

Every figure is computed here from the runs' counts: QRS gross Se / +P over the records (EC57,
from 5:00), "(VT" episodes in records without reference VT (total, worst record per 30 min),
"(VT" episodes overlapping no reference ventricular run, "(AFIB" episodes and alarms compared
with the clean records', and the share of burst / non-burst time the monitor reported noisy.
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

SNR_ORDER = ["clean", "24", "18", "12", "6", "0", "-6"]
KIND_NAMES = {"em": "electrode motion (em)", "ma": "muscle artefact (ma)", "bw": "baseline wander (bw)"}


@dataclass
class Row:
    record: str
    noise: str
    snr: str
    tp: int
    fn: int
    fp: int
    vt: int
    vt_false: int
    af: int
    alarms: int
    critical: int
    noisy_in: float
    noisy_out: float
    burst: float
    clean: float
    ref_vt: bool
    minutes: float
    peer: Optional[Tuple[int, int, int]]
    vt_hit: Optional[int] = None   # reference ventricular runs overlapped by a "(VT" episode
    vt_runs: Optional[int] = None  # reference ventricular runs (VT/VFL episodes, >= 3 V beats)


def read_rows(path: str) -> List[Row]:
    rows: List[Row] = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            peer = None
            if r.get("peer_tp"):
                peer = (int(r["peer_tp"]), int(r["peer_fn"]), int(r["peer_fp"]))
            hit = int(r["vt_ref_hit"]) if r.get("vt_ref_hit") else None
            runs = int(r["vt_ref_n"]) if r.get("vt_ref_n") else None
            rows.append(Row(r["record"], r["noise"], r["snr"], int(r["tp"]), int(r["fn"]), int(r["fp"]),
                            int(r["vt"]), int(r["vt_false"]), int(r["af"]), int(r["alarms"]),
                            int(r["critical"]), float(r["noisy_in_s"]), float(r["noisy_out_s"]),
                            float(r["burst_s"]), float(r["clean_s"]), r["ref_vt"] == "1",
                            float(r["minutes"]), peer, hit, runs))
    return rows


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.2f}" if b > 0 else "–"


@dataclass
class Agg:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    vt_noref: int = 0
    vt_noref_worst30: float = 0.0
    vt_false: int = 0
    af: int = 0
    alarms: int = 0
    minutes: float = 0.0
    noisy_in: float = 0.0
    noisy_out: float = 0.0
    burst: float = 0.0
    clean: float = 0.0
    peer: List[int] = field(default_factory=lambda: [0, 0, 0])
    n_peer: int = 0
    n: int = 0
    vt_hit: int = 0
    vt_runs: int = 0
    n_hit: int = 0  # rows that carry vt_ref_hit / vt_ref_n


def aggregate(rows: List[Row], noise: str, snr: str) -> Agg:
    a = Agg()
    for r in rows:
        if not ((r.noise == noise and r.snr == snr) or (snr == "clean" and r.noise == "clean")):
            continue
        a.n += 1
        a.tp += r.tp
        a.fn += r.fn
        a.fp += r.fp
        a.vt_false += r.vt_false
        a.af += r.af
        a.alarms += r.alarms
        a.minutes += r.minutes
        a.noisy_in += r.noisy_in
        a.noisy_out += r.noisy_out
        a.burst += r.burst
        a.clean += r.clean
        if not r.ref_vt:
            a.vt_noref += r.vt
            a.vt_noref_worst30 = max(a.vt_noref_worst30, r.vt * 30.0 / r.minutes)
        if r.vt_hit is not None and r.vt_runs is not None:
            a.n_hit += 1
            a.vt_hit += r.vt_hit
            a.vt_runs += r.vt_runs
        if r.peer is not None:
            a.n_peer += 1
            for i in range(3):
                a.peer[i] += r.peer[i]
    return a


def per30(count: int, minutes: float) -> str:
    return f"{count * 30.0 / minutes:.1f}" if minutes > 0 else "–"


def kinds_of(rows: List[Row]) -> List[str]:
    seen: List[str] = []
    for r in rows:
        if r.noise != "clean" and r.noise not in seen:
            seen.append(r.noise)
    return seen


def table(after: List[Row], before: Optional[List[Row]], kind: str, out: List[str]) -> None:
    b_hdr = "before: Se / +P | before: VT (no-VT recs) / false VT / alarms per 30 min | " if before else ""
    out.append(f"| SNR dB | {b_hdr}Se % | +P % | VT episodes in no-VT records (worst record /30 min) | "
               "false VT (all records) | reference V runs in a VT episode | AF episodes | alarms /30 min | "
               "noisy: bursts / elsewhere % | gqrs Se / +P |")
    out.append("|" + "---|" * (12 if before else 10))
    for snr in SNR_ORDER:
        a = aggregate(after, kind, snr)
        if a.n == 0:
            continue
        cells = [snr]
        if before:
            b = aggregate(before, kind, snr)
            cells.append(f"{pct(b.tp, b.tp + b.fn)} / {pct(b.tp, b.tp + b.fp)}")
            cells.append(f"{b.vt_noref} / {b.vt_false} / {per30(b.alarms, b.minutes)}")
        cells += [pct(a.tp, a.tp + a.fn), pct(a.tp, a.tp + a.fp),
                  f"{a.vt_noref} ({a.vt_noref_worst30:.1f})", str(a.vt_false),
                  f"{a.vt_hit} / {a.vt_runs}" if a.n_hit == a.n else "–", str(a.af),
                  per30(a.alarms, a.minutes),
                  f"{pct(int(a.noisy_in), int(a.burst))} / {pct(int(a.noisy_out), int(a.clean))}"]
        if a.n_peer == a.n:  # the peer only where it ran on every record of the row
            p = a.peer
            cells.append(f"{pct(p[0], p[0] + p[1])} / {pct(p[0], p[0] + p[2])}")
        else:
            cells.append("–")
        out.append("| " + " | ".join(cells) + " |")


def target_lines(rows: List[Row], out: List[str]) -> None:
    out.append("| noise | SNR | Se ≥ | +P ≥ | VT in no-VT records | measured Se / +P | VT (worst /30 min) | met |")
    out.append("|---|---|---|---|---|---|---|---|")
    for kind in kinds_of(rows):
        for snr, se_min, ppv_min, vt_max in (("12", 99.5, 97.0, 0.0), ("6", 98.0, 90.0, 1.0)):
            a = aggregate(rows, kind, snr)
            if a.n == 0:
                continue
            se = 100.0 * a.tp / max(1, a.tp + a.fn)
            ppv = 100.0 * a.tp / max(1, a.tp + a.fp)
            vt_ok = a.vt_noref == 0 if vt_max == 0.0 else a.vt_noref_worst30 <= vt_max
            met = se >= se_min and ppv >= ppv_min and vt_ok
            vt_rule = "none" if vt_max == 0.0 else "≤ 1 per 30 min"
            out.append(f"| {kind} | {snr} | {se_min} | {ppv_min} | {vt_rule} | {se:.2f} / {ppv:.2f} | "
                       f"{a.vt_noref} ({a.vt_noref_worst30:.1f}) | {'yes' if met else '**no**'} |")


def per_record(rows: List[Row], kind: str, snr: str, out: List[str]) -> None:
    out.append("| record | ref VT | Se % | +P % | VT | false VT | AF (clean) | alarms (clean) | gqrs Se / +P |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    clean = {r.record: r for r in rows if r.noise == "clean"}
    for r in rows:
        if r.noise != kind or r.snr != snr:
            continue
        c = clean.get(r.record)
        peer = "–"
        if r.peer is not None:
            peer = f"{pct(r.peer[0], r.peer[0] + r.peer[1])} / {pct(r.peer[0], r.peer[0] + r.peer[2])}"
        out.append(f"| {r.record} | {'yes' if r.ref_vt else ''} | {pct(r.tp, r.tp + r.fn)} | "
                   f"{pct(r.tp, r.tp + r.fp)} | {r.vt} | {r.vt_false} | {r.af} ({c.af if c else '–'}) | "
                   f"{r.alarms} ({c.alarms if c else '–'}) | {peer} |")


def main(argv: List[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--after", required=True)
    ap.add_argument("--before")
    ap.add_argument("--ds1")
    ap.add_argument("--intro", help="markdown file with the text above the tables")
    args = ap.parse_args(argv)
    after = read_rows(args.after)
    before = read_rows(args.before) if args.before else None
    out: List[str] = []
    if args.intro:
        with open(args.intro) as f:
            out.append(f.read().rstrip("\n"))
        out.append("")
    records = sorted({r.record for r in after})
    out.append(f"## Targets (DS2, {len(records)} records, channel 0)")
    out.append("")
    target_lines(after, out)
    out.append("")
    for kind in kinds_of(after):
        out.append(f"## DS2, {KIND_NAMES.get(kind, kind)}")
        out.append("")
        table(after, before, kind, out)
        out.append("")
    if args.ds1:
        ds1 = read_rows(args.ds1)
        out.append(f"## DS1 (the tuning records, {len({r.record for r in ds1})} records), after")
        out.append("")
        for kind in kinds_of(ds1):
            out.append(f"### {KIND_NAMES.get(kind, kind)}")
            out.append("")
            table(ds1, None, kind, out)
            out.append("")
    for snr in ("12", "6"):
        out.append(f"## DS2 per record, electrode motion {snr} dB")
        out.append("")
        per_record(after, "em", snr, out)
        out.append("")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
