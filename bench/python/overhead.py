#!/usr/bin/env python3
"""Binding overhead: whole-record QRS detection through Python vs through the C API.

Builds bench/python/qrs_time.c against the repository's sources with the extension's flags
(-O2 -ffp-contract=off), then, in one run on this machine, alternates rounds of the C program
and of ``vitalstream.QRSDetector(fs).process(x)`` on the same float32 samples (MIT-BIH record
100 channel 0, or a synthetic 30-minute record when the database is absent) and reports the
ratio Python / C of the median CPU (and wall) times. Writes bench/results/python_overhead.md.

    python bench/python/overhead.py [--rounds 7] [--reps 5] [--build DIR] [--out FILE]
Needs the vitalstream package installed (pip install ./bindings/python).
"""
import argparse
import glob
import hashlib
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import vitalstream as vs

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
CFLAGS = ["-std=c11", "-O2", "-ffp-contract=off"]
GOAL = 1.10


def build_c(build):
    os.makedirs(build, exist_ok=True)
    gen = os.path.join(build, "gen", "vitalstream")
    os.makedirs(gen, exist_ok=True)
    with open(os.path.join(REPO, "CMakeLists.txt")) as f:
        ver = re.search(r"project\(\s*vitalstream\s+VERSION\s+(\d+)\.(\d+)\.(\d+)", f.read()).groups()
    with open(os.path.join(REPO, "include", "vitalstream", "version.h.in")) as f:
        text = f.read()
    for k, v in zip(("@PROJECT_VERSION_MAJOR@", "@PROJECT_VERSION_MINOR@", "@PROJECT_VERSION_PATCH@"), ver):
        text = text.replace(k, v)
    text = text.replace("@PROJECT_VERSION@", ".".join(ver))
    with open(os.path.join(gen, "version.h"), "w") as f:
        f.write(text)
    inc = ["-I", os.path.join(REPO, "include"), "-I", os.path.dirname(gen), "-I", gen,
           "-I", os.path.join(REPO, "src")]
    cc = os.environ.get("CC", "cc")
    objs = []
    # The detector needs only these modules; linking through an archive keeps it that way.
    for mod in ("common", "state", "filter", "qrs"):
        for src in sorted(glob.glob(os.path.join(REPO, "src", mod, "*.c"))):
            obj = os.path.join(build, hashlib.sha1(src.encode()).hexdigest()[:12] + ".o")
            subprocess.run([cc] + CFLAGS + inc + ["-c", src, "-o", obj], check=True)
            objs.append(obj)
    lib = os.path.join(build, "libvs_bench.a")
    if os.path.exists(lib):
        os.remove(lib)
    subprocess.run(["ar", "rcs", lib] + objs, check=True)
    exe = os.path.join(build, "qrs_time")
    subprocess.run([cc] + CFLAGS + inc + [os.path.join(HERE, "qrs_time.c"), lib, "-lm", "-o", exe],
                   check=True)
    return exe


def load_signal():
    db = os.environ.get("VITALSTREAM_MITDB") or os.path.join(REPO, "..", "shared", "data", "mitdb")
    if os.path.isfile(os.path.join(db, "100.hea")):
        rec = vs.read_wfdb(os.path.join(db, "100"), channels=[0])
        return rec.signals[0], rec.fs_hz, "MIT-BIH record 100, channel 0 (MLII)"
    fs, seconds = 360.0, 1800.0
    rng = np.random.default_rng(1)
    t = np.arange(int(fs * seconds)) / fs
    x = 0.1 * np.sin(2 * np.pi * 0.3 * t) + 0.02 * rng.standard_normal(t.size)
    for pos in np.cumsum(0.8 + 0.05 * rng.standard_normal(int(seconds / 0.8))):
        if pos < seconds - 1:
            x += np.exp(-0.5 * ((t - pos) / 0.01) ** 2)
    return x.astype(np.float32), fs, "synthetic 30-minute ECG at 360 Hz (MIT-BIH not found)"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
            if m:
                cpu = m.group(1).strip()
    except OSError:
        pass
    return "%s, %d cores, %s" % (cpu, os.cpu_count() or 0, platform.platform())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--reps", type=int, default=5, help="repetitions per round and side")
    ap.add_argument("--build", default=os.path.join(tempfile.gettempdir(), "vs-bench-python"))
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "python_overhead.md"))
    args = ap.parse_args()

    exe = build_c(args.build)
    x, fs, what = load_signal()
    sig = os.path.join(args.build, "signal.f32")
    x.astype("<f4").tofile(sig)

    py_beats = vs.QRSDetector(fs).process(x)
    c_wall, c_cpu, py_wall, py_cpu, round_ratio = [], [], [], [], []
    for _ in range(args.rounds):
        out = subprocess.run([exe, repr(fs), sig, str(args.reps)], check=True,
                             stdout=subprocess.PIPE, universal_newlines=True).stdout.split("\n")
        rc = []
        for line in out:
            if line.strip():
                wall, cpu, n = line.split()
                if int(n) != len(py_beats):
                    sys.exit("C and Python disagree: %s vs %d beats" % (n, len(py_beats)))
                c_wall.append(float(wall))
                rc.append(float(cpu))
        c_cpu += rc
        rp = []
        for _ in range(args.reps):
            t0, c0 = time.perf_counter(), time.thread_time()
            vs.QRSDetector(fs).process(x)
            c1, t1 = time.thread_time(), time.perf_counter()
            py_wall.append(t1 - t0)
            rp.append(c1 - c0)
        py_cpu += rp
        round_ratio.append(statistics.median(rp) / statistics.median(rc))

    med = statistics.median
    ratio_cpu = med(py_cpu) / med(c_cpu)
    ratio_wall = med(py_wall) / med(c_wall)
    ratio_round = med(round_ratio)
    verdict = "meets" if ratio_cpu <= GOAL else "MISSES"
    lines = [
        "# Python binding overhead",
        "",
        "Produced by `bench/python/overhead.py` (do not edit by hand). Whole-record QRS detection",
        "(create the detector, size the beat buffer, process every sample, free) through the C API",
        "(`bench/python/qrs_time.c`, built with `%s`) and through" % " ".join(CFLAGS),
        "`vitalstream.QRSDetector(fs).process(x)` (cffi extension, same flags), alternating in %d" % args.rounds,
        "rounds of %d repetitions each, in one run. CPU = the calling thread's CPU time (not" % args.reps,
        "inflated when other processes share the cores); wall = elapsed time.",
        "",
        "- Signal: %s, %d samples, %d beats" % (what, x.size, len(py_beats)),
        "- Machine: %s" % machine(),
        "- Python %s, numpy %s, vitalstream %s, cffi %s" % (
            platform.python_version(), np.__version__, vs.__version__, __import__("cffi").__version__),
        "",
        "| path | CPU min (ms) | CPU median (ms) | wall median (ms) | samples/s (CPU median) |",
        "|---|---:|---:|---:|---:|",
        "| C API | %.3f | %.3f | %.3f | %.3g |" % (1e3 * min(c_cpu), 1e3 * med(c_cpu), 1e3 * med(c_wall),
                                                 x.size / med(c_cpu)),
        "| Python binding | %.3f | %.3f | %.3f | %.3g |" % (1e3 * min(py_cpu), 1e3 * med(py_cpu),
                                                          1e3 * med(py_wall), x.size / med(py_cpu)),
        "| **ratio Python / C** | %.3f | **%.3f** | %.3f | |" % (min(py_cpu) / min(c_cpu), ratio_cpu,
                                                              ratio_wall),
        "",
        "Median of the per-round CPU ratios: %.3f." % ratio_round,
        "Goal: ratio <= %.2f. Result: %s the goal (CPU median ratio %.3f)." % (GOAL, verdict, ratio_cpu),
        "",
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    return 0 if ratio_cpu <= GOAL else 3


if __name__ == "__main__":
    sys.exit(main())
