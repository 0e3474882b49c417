"""crosscheck.py — compares vs_hrv_compute (through the hrv_json program) with NeuroKit2 on the
NN series of MIT-BIH records (reference .atr annotations, normal beats only).

usage: crosscheck.py HRV_JSON_PROGRAM MITDB_DIR WORK_DIR [TABLE_MD]
Exit 0 when every comparison is within its tolerance, 1 otherwise, 77 when MITDB is missing.
The definitional differences behind the conversions below are listed in README.md."""
import json
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import wfdb
import neurokit2 as nk

RECORDS = ["100", "103", "113", "117", "122", "201"]
BEATS = set("NLRBAaJSVrFejnE/fQ?")

# (our key, label, tolerance kind, tolerance). "rel": |ours - nk| <= tol * |nk|.
CHECKS = [
    ("MeanNN", "MeanNN", "rel", 1e-9),
    ("SDNN", "SDNN", "rel", 1e-9),
    ("RMSSD", "RMSSD", "rel", 1e-9),
    ("SDSD", "SDSD", "rel", 1e-9),
    ("pNN50", "pNN50 (nk rescaled)", "rel", 1e-9),
    ("pNN20", "pNN20 (nk rescaled)", "rel", 1e-9),
    ("CVNN", "CVNN", "rel", 1e-9),
    ("MedianNN", "MedianNN", "rel", 1e-9),
    ("IQRNN", "IQRNN", "rel", 1e-9),
    ("MinNN", "MinNN", "rel", 1e-9),
    ("MaxNN", "MaxNN", "rel", 1e-9),
    ("HTI", "HTI", "rel", 1e-9),
    ("TINN", "TINN vs reference implementation", "rel", 1e-9),
    ("SD1", "SD1", "rel", 1e-9),
    ("SD2", "SD2", "rel", 1e-9),
    ("SD1SD2", "SD1/SD2", "rel", 1e-9),
    ("SampEn", "SampEn", "rel", 1e-6),
    ("ApEn", "ApEn", "rel", 1e-6),
    ("DFA_alpha1", "DFA a1 (4-16, no overlap)", "rel", 2e-3),
    ("DFA_alpha2", "DFA a2 (16-64, no overlap)", "rel", 2e-3),
    ("R_DFA_alpha1", "DFA a1 vs reference implementation", "rel", 1e-9),
    ("R_DFA_alpha2", "DFA a2 vs reference implementation", "rel", 1e-9),
    ("L_VLF", "Lomb VLF (nk scaled)", "rel", 0.10),
    ("L_LF", "Lomb LF (nk scaled)", "rel", 0.03),
    ("L_HF", "Lomb HF (nk scaled)", "rel", 0.03),
    ("L_LFHF", "Lomb LF/HF", "rel", 0.03),
    ("W_LF", "Welch LF", "rel", 0.15),
    ("W_HF", "Welch HF", "rel", 0.15),
    ("W_LFHF", "Welch LF/HF", "rel", 0.15),
]


def tinn_ref(rri, width=1000.0 / 128):
    """Our TINN definition (hrv.h), by brute force over every pair of triangle ends."""
    b = np.floor(rri / width).astype(int)
    h = np.bincount(b - b.min()).astype(float)
    x = int(np.argmax(h))
    y = h[x]
    c = np.arange(len(h)) + 0.5
    best = (np.inf, 0, 0)
    for n_ in range(0, x + 1):
        left = np.where(c > n_, y * (c - n_) / (x + 0.5 - n_), 0.0)
        el = np.sum((h[:x] - left[:x]) ** 2)
        for m_ in range(x + 1, len(h) + 1):
            right = np.where(c < m_, y * (m_ - c) / (m_ - x - 0.5), 0.0)
            e = el + np.sum((h[x + 1:] - right[x + 1:]) ** 2)
            if e < best[0]:
                best = (e, n_, m_)
    return (best[2] - best[1]) * width


def dfa_ref(rri, scales):
    """Our DFA definition (hrv.h): every non-overlapping box kept, even with zero residual."""
    y = np.cumsum(rri - np.mean(rri))
    logf = []
    for s in scales:
        k = len(y) // s
        seg = y[: k * s].reshape(k, s)
        xs = np.arange(s)
        coef = np.polyfit(xs, seg.T, 1)
        res = seg - (np.outer(coef[0], xs) + coef[1][:, None])
        logf.append(0.5 * np.log(np.mean(res ** 2)))
    return float(np.polyfit(np.log(scales), logf, 1)[0])


def load_series(mitdb, rec):
    ann = wfdb.rdann(os.path.join(mitdb, rec), "atr")
    fs = float(ann.fs) if ann.fs else 360.0
    idx = [int(s) for s, sym in zip(ann.sample, ann.symbol) if sym in BEATS]
    sym = [sym for sym in ann.symbol if sym in BEATS]
    while sym and sym[0] != "N":  # the series must start at a normal beat
        idx.pop(0)
        sym.pop(0)
    samples = np.array(idx, dtype=np.int64)
    rr = np.diff(samples) * 1000.0 / fs
    end_flag = np.array([0 if s == "N" else 1 for s in sym[1:]], dtype=int)
    nn_mask = np.array([sym[i] == "N" and sym[i + 1] == "N" for i in range(len(sym) - 1)])
    # times in seconds from the first beat, as the C library places them (sum of all intervals)
    t_end = np.cumsum(rr) / 1000.0
    return rr, end_flag, nn_mask, t_end


def ours(prog, work, rec, rr, flags, method):
    path = os.path.join(work, f"rr_{rec}.txt")
    with open(path, "w") as f:
        for v, g in zip(rr, flags):
            f.write(f"{float(v)!r} {int(g)}\n")
    # bounds widened and the 20 % rule off, so both sides see exactly the same NN intervals
    out = subprocess.run([prog, path, method, "100", "5000", "0"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def neurokit(rr, nn_mask, t_end):
    rri = rr[nn_mask]
    rri_time = t_end[nn_mask]
    data = {"RRI": rri, "RRI_Time": rri_time}
    res = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ht = nk.hrv_time(data).iloc[0]
        for k in ["MeanNN", "SDNN", "RMSSD", "SDSD", "pNN50", "pNN20", "CVNN", "MedianNN",
                  "IQRNN", "MinNN", "MaxNN", "HTI", "TINN"]:
            res[k] = float(ht["HRV_" + k])
        # NeuroKit divides NN50 by (number of successive differences + 1); ours by the number
        succ = int(np.sum(nn_mask[1:] & nn_mask[:-1]))
        res["pNN50_raw"], res["pNN20_raw"] = res["pNN50"], res["pNN20"]
        res["pNN50"] *= (succ + 1) / succ
        res["pNN20"] *= (succ + 1) / succ
        hn = nk.hrv_nonlinear(data).iloc[0]
        for k in ["SD1", "SD2", "SD1SD2", "SampEn", "ApEn", "DFA_alpha1", "DFA_alpha2"]:
            res["nk_default_" + k] = float(hn["HRV_" + k])
        for k in ["SD1", "SD2", "SD1SD2", "SampEn", "ApEn"]:
            res[k] = res["nk_default_" + k]
        res["DFA_alpha1"] = float(nk.fractal_dfa(rri, scale=np.arange(4, 17), overlap=False)[0])
        res["DFA_alpha2"] = float(nk.fractal_dfa(rri, scale=np.arange(16, 65), overlap=False)[0])
        fl = nk.hrv_frequency(data, psd_method="lomb", normalize=False,
                              interpolation_rate=None).iloc[0]
        # astropy's "psd" normalisation is the periodogram P(f) in ms^2; ours is the density
        # 2 P(f) / fs_eff with fs_eff = (n - 1) / span
        scale = 2.0 * (rri_time[-1] - rri_time[0]) / (len(rri) - 1)
        for b in ["VLF", "LF", "HF"]:
            res["L_" + b] = float(fl["HRV_" + b]) * scale
        res["L_LFHF"] = float(fl["HRV_LFHF"])
        # hrv_frequency cannot forward a Welch segment length, so its two steps are called
        # directly: interpolation at 4 Hz, then signal_power with 256 s segments
        sig, _, fs = nk.intervals_process(rri, intervals_time=rri_time, interpolate=True,
                                          interpolation_rate=4)
        fw = nk.signal_power(sig, frequency_band=[(0.0033, 0.04), (0.04, 0.15), (0.15, 0.4)],
                             sampling_rate=fs, method="welch", normalize=False,
                             window=256).iloc[0].values
        for b, v in zip(["VLF", "LF", "HF"], fw):
            res["W_" + b] = float(v)
        res["W_LFHF"] = res["W_LF"] / res["W_HF"]
    return res


def main():
    prog, mitdb, work = sys.argv[1], sys.argv[2], sys.argv[3]
    table = sys.argv[4] if len(sys.argv) > 4 else None
    if not os.path.exists(os.path.join(mitdb, "100.atr")):
        print(f"SKIP: MIT-BIH not found in {mitdb} (set VITALSTREAM_MITDB)")
        return 77
    os.makedirs(work, exist_ok=True)
    failures = 0
    rows = {}
    for rec in RECORDS:
        rr, flags, nn_mask, t_end = load_series(mitdb, rec)
        lomb = ours(prog, work, rec, rr, flags, "lomb")
        welch = ours(prog, work, rec, rr, flags, "welch")
        mine = dict(lomb)
        for b in ["VLF", "LF", "HF", "LFHF"]:
            mine["L_" + b] = lomb[b]
            mine["W_" + b] = welch[b]
        cache = os.path.join(work, f"nk_{nk.__version__}_{rec}.json")
        if os.environ.get("HRV_XC_CACHE") and os.path.exists(cache):
            with open(cache) as f:
                ref = json.load(f)
        else:
            ref = neurokit(rr, nn_mask, t_end)
            with open(cache, "w") as f:
                json.dump(ref, f)
        rri = rr[nn_mask]
        ref["nk_TINN"] = ref["TINN"]
        ref["TINN"] = tinn_ref(rri)
        mine["R_DFA_alpha1"], mine["R_DFA_alpha2"] = mine["DFA_alpha1"], mine["DFA_alpha2"]
        ref["R_DFA_alpha1"] = dfa_ref(rri, np.arange(4, 17))
        ref["R_DFA_alpha2"] = dfa_ref(rri, np.arange(16, 65))
        rows.setdefault("nk_TINN", []).append((mine["TINN"], ref["nk_TINN"], True))
        if mine["n_nn"] != int(nn_mask.sum()):
            print(f"FAIL {rec}: n_nn {mine['n_nn']} != {int(nn_mask.sum())}")
            failures += 1
        for key, label, kind, tol in CHECKS:
            a, b = mine.get(key), ref.get(key)
            ok = a is not None and b is not None and math.isfinite(b) and \
                abs(a - b) <= tol * abs(b)
            rows.setdefault(key, []).append((a, b, ok))
            if not ok:
                failures += 1
                print(f"FAIL {rec} {label}: ours {a} neurokit2 {b} (tolerance {tol:g} rel)")
        rows.setdefault("_n", []).append((mine["n_nn"], int(nn_mask.sum()), True))
        for k in ["DFA_alpha1", "DFA_alpha2", "SampEn"]:
            rows.setdefault("nkdef_" + k, []).append((mine[k], ref["nk_default_" + k], True))
        rows.setdefault("W_VLF", []).append((mine["W_VLF"], ref["W_VLF"], True))
    # markdown table
    lines = ["| index | tol. | " + " | ".join(RECORDS) + " |",
             "|---|---|" + "---|" * len(RECORDS)]

    def fmt(v):
        return "NaN" if v is None else (f"{v:.4g}" if abs(v) < 1e5 else f"{v:.3e}")

    lines.append("| n NN (ours / nk) | = | " +
                 " | ".join(f"{a} / {b}" for a, b, _ in rows["_n"]) + " |")
    for key, label, kind, tol in CHECKS:
        cells = [f"{fmt(a)} / {fmt(b)}{'' if ok else ' **FAIL**'}" for a, b, ok in rows[key]]
        lines.append(f"| {label} | {tol:g} | " + " | ".join(cells) + " |")
    info = [("W_VLF", "Welch VLF (info)"), ("nk_TINN", "TINN vs NeuroKit2 (info)"), ("nkdef_DFA_alpha1", "DFA a1 vs nk default 4-11 overlap (info)"),
            ("nkdef_DFA_alpha2", "DFA a2 vs nk default 12-N/10 overlap (info)")]
    for key, label in info:
        lines.append(f"| {label} | - | " + " | ".join(f"{fmt(a)} / {fmt(b)}" for a, b, _ in rows[key]) + " |")
    text = "\n".join(lines)
    print("values: ours / NeuroKit2 " + nk.__version__)
    print(text)
    if table:
        with open(table, "w") as f:
            f.write(text + "\n")
    print("crosscheck:", "OK" if failures == 0 else f"{failures} comparison(s) out of tolerance")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
