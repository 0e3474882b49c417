"""Leave-one-record-out evaluation of AF detection on the MIT-BIH records with AF (issue 15).

For each of the 7 records with AF (201 202 203 210 219 221 222), the vs_rhythm parameters are
chosen from a small grid on the OTHER records only (the 6 other AF records plus the 41 records
without AF, whose false AF time counts against duration +P), maximising min(duration Se,
duration +P) of the pooled training records (ties: the larger sum, then the grid's order, so
the default wins a tie). The held-out record is then scored with the chosen parameters.
Pooled over the 7 held-out records this gives duration Se / +P that no record helped tune.

Every run is `vitalstream eval --rhythm --json` (the whole vs_monitor pipeline, epicmp -A
rules, scoring from 5:00), so the figures are computed the same way as in
bench/results/mitdb_af.md.

usage: python3 bench/af/af_loo.py VITALSTREAM_BINARY [--db MITDB] [--start SEC]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
from dataclasses import dataclass

AF_RECORDS = ["201", "202", "203", "210", "219", "221", "222"]

# The grid: the RR-irregularity threshold (AF_DRR_RATIO, id 7), the fraction of irregular
# votes that starts AF (AF_ON_FRACTION, id 5) and the prematurity ratio (PREMATURE_RATIO, id 8);
# rhythm.h defaults 0.12, 0.5 and 0.8 included (first in the order, so they win a tie).
GRID_DRR = [0.12, 0.08, 0.10, 0.15, 0.18]
GRID_ON = [0.5, 0.4, 0.6]
GRID_PREM = [0.8, 0.75, 0.85]


@dataclass
class Durations:
    ref: float = 0.0
    ref_overlap: float = 0.0
    test: float = 0.0
    test_overlap: float = 0.0

    def add(self, other: Durations) -> None:
        self.ref += other.ref
        self.ref_overlap += other.ref_overlap
        self.test += other.test
        self.test_overlap += other.test_overlap

    def se(self) -> float:
        return 100.0 * self.ref_overlap / self.ref if self.ref > 0 else float("nan")

    def ppv(self) -> float:
        return 100.0 * self.test_overlap / self.test if self.test > 0 else float("nan")


Params = tuple[tuple[int, float], ...]


def run_eval(vs: str, db: str, start: float, params: Params) -> dict[str, Durations]:
    cmd = [vs, "eval", "--rhythm", "--db", db, "--json", "--start", str(start)]
    for pid, value in params:
        cmd += ["--param", f"{pid}={value}"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    records: dict[str, dict[str, float]] = json.loads(out)["records"]
    return {
        name: Durations(r["ref_duration_s"], r["ref_overlap_s"], r["test_duration_s"],
                        r["test_overlap_s"])
        for name, r in records.items()
    }


def pooled(per_record: dict[str, Durations], names: list[str]) -> Durations:
    total = Durations()
    for name in names:
        total.add(per_record[name])
    return total


def objective(d: Durations) -> tuple[float, float]:
    se, ppv = d.se(), d.ppv()
    se = 0.0 if se != se else se
    ppv = 0.0 if ppv != ppv else ppv
    return (min(se, ppv), se + ppv)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vitalstream")
    here = os.path.dirname(os.path.abspath(__file__))
    default_db = os.environ.get("VITALSTREAM_MITDB",
                                os.path.join(here, "..", "..", "..", "shared", "data", "mitdb"))
    ap.add_argument("--db", default=default_db)
    ap.add_argument("--start", type=float, default=300.0)
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.db, "RECORDS")):
        print(f"af_loo: no MIT-BIH at {args.db} - skipped")
        return 0

    grid: list[Params] = [((7, drr), (5, on), (8, prem))
                          for prem, on, drr in itertools.product(GRID_PREM, GRID_ON, GRID_DRR)]
    results = {params: run_eval(args.vitalstream, args.db, args.start, params) for params in grid}
    all_records = sorted(next(iter(results.values())).keys())

    print(f"grid: AF_DRR_RATIO (7) in {GRID_DRR} x AF_ON_FRACTION (5) in {GRID_ON} x "
          f"PREMATURE_RATIO (8) in {GRID_PREM}; training = the other {len(all_records) - 1} records")
    print(f"{'held-out':<9} {'chosen 7,5,8':<15} {'train DSe':>9} {'train D+P':>9}"
          f" {'DSe':>7} {'D+P':>7} {'RefDur(s)':>10} {'TestDur(s)':>10}")
    loo_total = Durations()
    default_total = Durations()
    for held in AF_RECORDS:
        train = [r for r in all_records if r != held]
        best = max(grid, key=lambda p: objective(pooled(results[p], train)))
        t = pooled(results[best], train)
        h = results[best][held]
        loo_total.add(h)
        default_total.add(results[grid[0]][held])
        chosen = f"{best[0][1]:.2f},{best[1][1]:.1f},{best[2][1]:.2f}"
        print(f"{held:<9} {chosen:<15} {t.se():9.1f} {t.ppv():9.1f} {h.se():7.1f} {h.ppv():7.1f}"
              f" {h.ref:10.1f} {h.test:10.1f}")
    print(f"{'LOO':<25} {'':>9} {'':>9} {loo_total.se():7.1f} {loo_total.ppv():7.1f}"
          f" {loo_total.ref:10.1f} {loo_total.test:10.1f}   (pooled over the held-out records)")
    print(f"{'defaults 0.12,0.5,0.8':<25} {'':>9} {'':>9} {default_total.se():7.1f}"
          f" {default_total.ppv():7.1f} {default_total.ref:10.1f} {default_total.test:10.1f}"
          "   (same records, rhythm.h defaults)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
