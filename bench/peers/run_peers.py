#!/usr/bin/env python3
"""Peer benchmark: VitalStream against the Python QRS detectors people use, on MIT-BIH.

Every detector gets the same input (channel 0 of each record, physical units, float32 numpy
array, read once before any timing), is timed with time.perf_counter around its detection call
only, and is scored by VitalStream's own EC57 evaluator (bxb rules: 150 ms window, scoring from
300 s to the end of the record, reference beat annotations only). See README.md beside this file.

Run through bench/peers/run.sh, which creates the peers' virtual environment first.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import importlib.metadata as _md
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DB = os.environ.get("VITALSTREAM_MITDB",
                            os.path.join(os.path.dirname(REPO), "shared", "data", "mitdb"))
WARMUP_SECONDS = 20.0  # untimed first call per detector (imports, caches, first-call setup)

# --------------------------------------------------------------------------------------------
# Detectors. Each factory returns fn(x_float32, fs) -> 1-D array of detected sample indices.
# Each calls the library the way its documentation shows; nothing is added to its output.
# --------------------------------------------------------------------------------------------


def _vitalstream() -> Callable:
    import vitalstream

    def detect(x, fs):
        # a whole recording: process it, then finish() reports the beats still waiting for
        # signal at its end (the README's use for a recording)
        det = vitalstream.QRSDetector(fs)
        beats = det.process(x)["sample_idx"]
        return np.concatenate([beats, det.finish()["sample_idx"]])

    return detect


def _wfdb_xqrs() -> Callable:
    from wfdb import processing

    def detect(x, fs):
        return processing.xqrs_detect(sig=x, fs=fs, verbose=False)

    return detect


def _wfdb_gqrs() -> Callable:
    from wfdb import processing

    def detect(x, fs):
        # Physical-signal interface: wfdb converts to digital internally (its documented option).
        return processing.gqrs_detect(sig=x, fs=fs)

    return detect


def _neurokit(method: str) -> Callable:
    import neurokit2 as nk

    def detect(x, fs):
        # NeuroKit2's own pipeline (as ecg_process): ecg_clean with the same method, then
        # ecg_peaks with its defaults (correct_artifacts=False). Both steps are timed.
        cleaned = nk.ecg_clean(x, sampling_rate=fs, method=method)
        _, info = nk.ecg_peaks(cleaned, sampling_rate=fs, method=method)
        return info["ECG_R_Peaks"]

    return detect


def _sleepecg() -> Callable:
    import sleepecg

    def detect(x, fs):
        return sleepecg.detect_heartbeats(x, fs)  # default backend "c"

    return detect


def _ecgdetectors(name: str) -> Callable:
    from ecgdetectors import Detectors

    def detect(x, fs):
        return getattr(Detectors(fs), name)(x)

    return detect


@dataclass
class Detector:
    key: str
    label: str
    dist: str  # distribution name for the version
    factory: Callable[[], Callable]
    fn: Optional[Callable] = None
    version: str = "?"
    setup_error: Optional[str] = None
    beats: Dict[str, np.ndarray] = field(default_factory=dict)
    seconds: Dict[str, float] = field(default_factory=dict)
    cpu_seconds: Dict[str, float] = field(default_factory=dict)
    errors: Dict[str, str] = field(default_factory=dict)
    dropped: Dict[str, int] = field(default_factory=dict)


def all_detectors() -> List[Detector]:
    d = [Detector("vitalstream", "VitalStream QRSDetector", "vitalstream", _vitalstream),
         Detector("wfdb_xqrs", "wfdb xqrs_detect (XQRS)", "wfdb", _wfdb_xqrs),
         Detector("wfdb_gqrs", "wfdb gqrs_detect (GQRS)", "wfdb", _wfdb_gqrs)]
    for m in ("neurokit", "pantompkins1985", "hamilton2002", "elgendi2010", "kalidas2017"):
        label = "NeuroKit2 ecg_peaks " + m + (" (default)" if m == "neurokit" else "")
        d.append(Detector("nk_" + m, label, "neurokit2", lambda m=m: _neurokit(m)))
    d.append(Detector("sleepecg", "SleepECG detect_heartbeats", "sleepecg", _sleepecg))
    for name, label in (("pan_tompkins_detector", "Pan-Tompkins"),
                        ("hamilton_detector", "Hamilton"),
                        ("two_average_detector", "two-average")):
        d.append(Detector("ecgdet_" + name.replace("_detector", ""),
                          "py-ecg-detectors " + label, "py-ecg-detectors",
                          lambda name=name: _ecgdetectors(name)))
    return d


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def read_records(db: str, names: List[str]):
    """Channel 0 in physical units as float32, read with wfdb (not timed)."""
    import wfdb

    out = {}
    for r in names:
        rec = wfdb.rdrecord(os.path.join(db, r), channels=[0], physical=True)
        out[r] = (np.ascontiguousarray(rec.p_signal[:, 0], dtype=np.float32), float(rec.fs))
    return out


def record_names(db: str, subset: Optional[str]) -> List[str]:
    if subset:
        return [s for s in subset.split(",") if s]
    with open(os.path.join(db, "RECORDS")) as f:
        return [ln.strip() for ln in f if ln.strip()]


def clean_beats(raw, n: int):
    """1-D int64, sorted (the evaluator requires order); indices outside the signal dropped."""
    b = np.asarray(raw).ravel()
    if b.size and not np.issubdtype(b.dtype, np.integer):
        b = b[np.isfinite(b)]
    b = b.astype(np.int64)
    keep = (b >= 0) & (b < n)
    return np.sort(b[keep], kind="stable"), int(b.size - keep.sum())


# --------------------------------------------------------------------------------------------
# Scoring with VitalStream's EC57 evaluator
# --------------------------------------------------------------------------------------------


def score_binding(db, names, signals, dets):
    import vitalstream

    for d in dets:
        d.counts = {}
        for r in names:
            x, fs = signals[r]
            ref = vitalstream.read_annotations(os.path.join(db, r + ".atr"))
            res = vitalstream.ec57_compare(ref, d.beats[r], fs, record_length_samples=len(x))
            d.counts[r] = (int(res.tp), int(res.fn), int(res.fp))


def _write_annotations(path: str, samples: np.ndarray) -> None:
    """MIT annotation file of N beats (code 1), via wfdb.wrann; an empty list is just the
    end-of-file word."""
    import wfdb

    d, base = os.path.split(path)
    rec, ext = base.rsplit(".", 1)
    if samples.size == 0:
        with open(path, "wb") as f:
            f.write(b"\x00\x00")
        return
    wfdb.wrann(rec, ext, samples, symbol=["N"] * samples.size, write_dir=d)


def score_cli(db, names, signals, dets, cli):
    tmp = tempfile.mkdtemp(prefix="vs-peers-")
    try:
        for r in names:
            for ext in ("hea", "dat", "atr"):
                os.symlink(os.path.join(os.path.abspath(db), r + "." + ext),
                           os.path.join(tmp, r + "." + ext))
        for i, d in enumerate(dets):
            ext = "peer" + chr(ord("a") + i)  # wfdb.wrann: letters only
            for r in names:
                _write_annotations(os.path.join(tmp, r + "." + ext), d.beats[r])
            out = subprocess.run([cli, "eval", "--db", tmp, "--records", ",".join(names),
                                  "--ann", ext, "--json"], check=True, capture_output=True,
                                 text=True).stdout
            recs = json.loads(out)["records"]
            d.counts = {r: (recs[r]["tp"], recs[r]["fn"], recs[r]["fp"]) for r in names}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def machine_info():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {"cpu": cpu, "logical_cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "machine": platform.machine()}
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: p.get(k) for k in ("internal_api", "version", "num_threads",
                                                 "architecture")} for p in threadpool_info()]
    except Exception:  # threadpoolctl is optional
        pass
    info["env_threads"] = {k: os.environ.get(k) for k in
                           ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return info


def pct(num, den):
    return 100.0 * num / den if den else None


def summarize(d: Detector, names, total_samples):
    tp = sum(d.counts[r][0] for r in names)
    fn = sum(d.counts[r][1] for r in names)
    fp = sum(d.counts[r][2] for r in names)
    secs = sum(d.seconds.get(r, 0.0) for r in names)
    cpu = sum(d.cpu_seconds.get(r, 0.0) for r in names)
    return {"tp": tp, "fn": fn, "fp": fp, "se": pct(tp, tp + fn), "ppv": pct(tp, tp + fp),
            "f1": pct(2 * tp, 2 * tp + fn + fp), "runtime_s": secs, "cpu_s": cpu,
            "samples_per_s": total_samples / secs if secs > 0 else None,
            "failed_records": sorted(d.errors), "dropped_indices": sum(d.dropped.values())}


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def write_markdown(path, meta, rows, png_name):
    L = []
    L.append("# Peer benchmark: QRS detection on MIT-BIH, VitalStream vs Python ECG libraries\n")
    L.append("Produced by `%s` (see [`bench/peers/README.md`](../peers/README.md)); raw numbers "
             "in [`peers.json`](peers.json).\n" % meta["command"])
    which = ("All %d records" % meta["n_records"] if meta["n_records"] == 48 else
             "**Subset** of %d records (%s)" % (meta["n_records"], ", ".join(meta["records"])))
    L.append("%s of the MIT-BIH Arrhythmia Database, channel 0, physical units as "
             "float32 (%s samples in total). Scored by VitalStream's EC57 evaluator (%s) with "
             "bxb's rules: 150 ms match window, scoring from 300 s to the end of each record, "
             "reference beat annotations only. Gross figures = pooled TP/FN/FP over all records. "
             "Runtime = sum over records of `time.perf_counter()` around the detection call "
             "only (file reading excluded), one process, detectors interleaved record by record, "
             "one untimed warm-up call per detector. CPU s = the same calls' process CPU time "
             "(`time.process_time()`, all threads; numeric libraries limited to one thread), "
             "less sensitive than wall time to other jobs on a shared machine. How each "
             "library is called: "
             "[`bench/peers/README.md`](../peers/README.md#what-is-compared).\n"
             % (which, format(meta["total_samples"], ","), meta["scorer"]))
    ran = [r for r in rows if not r.get("setup_error")]
    ours = next((r for r in ran if r["key"] == "vitalstream"), None)
    if ran:
        def best(k, lo=False):
            vals = [r for r in ran if r[k] is not None]
            if not vals:
                return "n/a"
            v = (min if lo else max)(r[k] for r in vals)
            return ", ".join(r["label"] for r in vals if r[k] == v) + " (%s)" % format(v, ".3f"
                                                                                    if lo else ".2f")
        L.append("Best in each column, as measured: highest gross F1: %s; highest gross Se: %s; "
                 "highest gross +P: %s; shortest runtime (s): %s.\n"
                 % (best("f1"), best("se"), best("ppv"), best("runtime_s", lo=True)))
    L.append("| detector | library version | gross Se % | gross +P % | F1 % | TP | FN | FP "
             "| runtime s | × VitalStream runtime | samples/s | CPU s | notes |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        notes = []
        if r["failed_records"]:
            notes.append("failed on %d record(s): %s (counted as 0 beats)"
                         % (len(r["failed_records"]), ", ".join(r["failed_records"])))
        if r["dropped_indices"]:
            notes.append("%d out-of-range indices dropped" % r["dropped_indices"])
        if r.get("setup_error"):
            notes.append("not run: " + r["setup_error"])
        ratio = None
        if ours and ours["runtime_s"] and r["runtime_s"]:
            ratio = r["runtime_s"] / ours["runtime_s"]
        L.append("| %s | %s %s | %s | %s | %s | %d | %d | %d | %s | %s | %s | %s | %s |" % (
            r["label"], r["dist"], r["version"], fmt(r["se"], ".2f"), fmt(r["ppv"], ".2f"),
            fmt(r["f1"], ".2f"), r["tp"], r["fn"], r["fp"], fmt(r["runtime_s"], ".3f"),
            fmt(ratio, ".1f"), fmt(r["samples_per_s"], ",.0f"), fmt(r.get("cpu_s"), ".3f"),
            "; ".join(notes)))
    L.append("")
    L.append("![F1 against runtime](%s)\n" % png_name)
    m = meta["machine"]
    L.append("## Machine and run\n")
    L.append("| | |\n|---|---|")
    L.append("| CPU | %s, %s logical CPUs |" % (m["cpu"], m["logical_cpus"]))
    L.append("| OS | %s |" % m["platform"])
    L.append("| Python | %s (numpy %s, scipy %s) |" % (m["python"], meta["versions"].get("numpy"),
                                                      meta["versions"].get("scipy")))
    if m.get("blas"):
        L.append("| BLAS | %s |" % "; ".join("%s %s, %s thread(s)" % (b["internal_api"],
                 b["version"], b["num_threads"]) for b in m["blas"]))
    L.append("| date | %s to %s (UTC) |" % (meta["start_utc"], meta["end_utc"]))
    L.append("| whole benchmark wall time | %.1f s (reading, warm-up, detection, scoring) |"
             % meta["wall_s"])
    L.append("| load average (1 min) at start / end | %.2f / %.2f (the machine is shared: "
             "absolute times are noisy, compare ratios) |"
             % (meta["loadavg_start"], meta["loadavg_end"]))
    L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


def write_plot(path, rows):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 6.5), dpi=120)
    pts = [r for r in rows if r["runtime_s"] and r["runtime_s"] > 0 and r["f1"] is not None]
    f1s = [r["f1"] for r in pts] or [0.0]
    y_span = max(max(f1s) - min(f1s), 0.1)
    placed = []  # (log10 runtime, F1) of labels already above their point
    for r in pts:
        ours = r["key"] == "vitalstream"
        ax.scatter(r["runtime_s"], r["f1"], s=70 if ours else 40,
                   color="tab:red" if ours else "tab:blue", zorder=3)
        lx = np.log10(r["runtime_s"])
        # a label next to an earlier one goes below its point instead of on top of the other
        near = any(abs(lx - px) < 0.6 and abs(r["f1"] - py) < 0.04 * y_span for px, py in placed)
        if not near:
            placed.append((lx, r["f1"]))
        ax.annotate(r["label"], (r["runtime_s"], r["f1"]), textcoords="offset points",
                    xytext=(6, -11 if near else 3), fontsize=8,
                    fontweight="bold" if ours else "normal")
    ax.set_xscale("log")
    if pts:
        ax.set_xlim(min(r["runtime_s"] for r in pts) / 1.5,
                    max(r["runtime_s"] for r in pts) * 6)
    ax.set_xlabel("total detection runtime over 48 records, s (log scale; lower is better)")
    ax.set_ylabel("gross F1, % (EC57, higher is better)")
    ax.set_title("QRS detection on MIT-BIH (channel 0): accuracy vs runtime")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# --------------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=DEFAULT_DB, help="MIT-BIH folder (env VITALSTREAM_MITDB)")
    ap.add_argument("--records", help="comma-separated subset (the committed table is all 48)")
    ap.add_argument("--detectors", help="comma-separated detector keys (default: all)")
    ap.add_argument("--out-dir", help="default bench/results for the full run; build/peers-results "
                    "when --records or --detectors is given (never overwrite the committed table "
                    "with a partial run by accident)")
    ap.add_argument("--name", default="peers", help="output base name (peers.md/.json/.png)")
    ap.add_argument("--scorer", choices=("auto", "binding", "cli"), default="auto",
                    help="EC57 evaluator: Python binding's ec57_compare, or `vitalstream eval`")
    ap.add_argument("--cli", default=os.environ.get("VITALSTREAM_CLI"),
                    help="path to the vitalstream CLI (for --scorer cli)")
    ap.add_argument("--list", action="store_true", help="list detector keys and exit")
    a = ap.parse_args(argv)

    if a.out_dir is None:
        partial = a.records or a.detectors
        a.out_dir = os.path.join(REPO, "build", "peers-results") if partial else \
            os.path.join(REPO, "bench", "results")
    dets = all_detectors()
    if a.list:
        for d in dets:
            print(d.key, "-", d.label)
        return 0
    if a.detectors:
        want = a.detectors.split(",")
        unknown = set(want) - {d.key for d in dets}
        if unknown:
            ap.error("unknown detector(s): " + ", ".join(sorted(unknown)))
        dets = [d for d in dets if d.key in want]

    if not os.path.isfile(os.path.join(a.db, "RECORDS")) and not a.records:
        print("MIT-BIH not found at %s (set VITALSTREAM_MITDB)" % a.db, file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")  # peers warn a lot; their output is what we score
    start = time.perf_counter()
    start_utc = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    load0 = os.getloadavg()[0]
    names = record_names(a.db, a.records)
    print("reading %d records ..." % len(names), flush=True)
    signals = read_records(a.db, names)
    total_samples = sum(len(x) for x, _ in signals.values())

    for d in dets:
        try:
            d.version = _md.version(d.dist)
            d.fn = d.factory()
            x, fs = signals[names[0]]
            d.fn(x[: int(WARMUP_SECONDS * fs)].copy(), fs)  # untimed warm-up
        except Exception as e:  # a peer that cannot even start is reported, not fatal
            d.setup_error = "%s: %s" % (type(e).__name__, e)
            d.fn = None
            print("  %s: setup failed: %s" % (d.key, d.setup_error), flush=True)

    # Interleave detectors record by record so machine-load drifts hit all of them alike.
    for i, r in enumerate(names):
        x, fs = signals[r]
        line = []
        for d in dets:
            if d.fn is None:
                d.beats[r] = np.zeros(0, np.int64)
                continue
            c0 = time.process_time()
            t0 = time.perf_counter()
            try:
                raw = d.fn(x, fs)
                dt = time.perf_counter() - t0
            except Exception as e:
                dt = time.perf_counter() - t0
                raw = np.zeros(0, np.int64)
                d.errors[r] = "%s: %s" % (type(e).__name__, str(e)[:200])
                traceback.print_exc(limit=1)
            d.seconds[r] = dt
            d.cpu_seconds[r] = time.process_time() - c0
            d.beats[r], d.dropped[r] = clean_beats(raw, len(x))
            line.append("%s %.2fs" % (d.key, dt))
        print("[%2d/%d] %s: %s" % (i + 1, len(names), r, ", ".join(line)), flush=True)

    scorer = a.scorer
    if scorer == "auto":
        import importlib.util
        scorer = "cli"
        if importlib.util.find_spec("vitalstream") is not None:
            import vitalstream
            if hasattr(vitalstream, "ec57_compare") and hasattr(vitalstream, "read_annotations"):
                scorer = "binding"
    if scorer == "binding":
        score_binding(a.db, names, signals, dets)
        scorer_desc = "`vitalstream.ec57_compare`, Python binding of `vs_ec57_compare`"
    else:
        cli = a.cli or shutil.which("vitalstream")
        if not cli:
            print("no scorer: install the binding or pass --cli PATH", file=sys.stderr)
            return 2
        score_cli(a.db, names, signals, dets, cli)
        scorer_desc = "`vitalstream eval --ann`, the C CLI over `vs_ec57_compare`"

    versions = {}
    for dist in ("numpy", "scipy", "pandas", "matplotlib", "wfdb", "neurokit2", "sleepecg",
                 "py-ecg-detectors", "vitalstream", "cffi"):
        try:
            versions[dist] = _md.version(dist)
        except _md.PackageNotFoundError:
            versions[dist] = None
    rows = []
    for d in dets:
        s = summarize(d, names, total_samples)
        s.update(key=d.key, label=d.label, dist=d.dist, version=d.version,
                 setup_error=d.setup_error,
                 records={r: {"tp": d.counts[r][0], "fn": d.counts[r][1], "fp": d.counts[r][2],
                              "beats": int(d.beats[r].size), "runtime_s": d.seconds.get(r),
                              "cpu_s": d.cpu_seconds.get(r),
                              "error": d.errors.get(r)} for r in names})
        rows.append(s)
    rows.sort(key=lambda s: (-(s["f1"] or 0.0), s["runtime_s"] or 0.0))
    wall = time.perf_counter() - start
    cmd = os.environ.get("VS_PEERS_COMMAND", "python bench/peers/run_peers.py")
    cmd = " ".join([cmd] + list(sys.argv[1:] if argv is None else argv))
    meta = {"command": cmd,
            "db": os.path.relpath(os.path.abspath(a.db), REPO), "n_records": len(names), "records": names,
            "total_samples": total_samples, "scorer": scorer_desc,
            "start_utc": start_utc,
            "end_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "wall_s": wall, "loadavg_start": load0, "loadavg_end": os.getloadavg()[0],
            "warmup_s": WARMUP_SECONDS, "machine": machine_info(), "versions": versions}
    os.makedirs(a.out_dir, exist_ok=True)
    base = os.path.join(a.out_dir, a.name)
    with open(base + ".json", "w") as f:
        json.dump({"meta": meta, "detectors": rows}, f, indent=1)
    write_plot(base + ".png", rows)
    write_markdown(base + ".md", meta, rows, os.path.basename(base) + ".png")

    print("\n%-40s %7s %7s %7s %10s %12s" % ("detector", "Se", "+P", "F1", "runtime s",
                                              "samples/s"))
    for r in rows:
        print("%-40s %7s %7s %7s %10s %12s" % (r["label"], fmt(r["se"], ".2f"),
              fmt(r["ppv"], ".2f"), fmt(r["f1"], ".2f"), fmt(r["runtime_s"], ".3f"),
              fmt(r["samples_per_s"], ",.0f")))
    print("\nwall time %.1f s; wrote %s.{md,json,png}" % (wall, base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
