"""ec57_compare / ec57_summary over the C evaluator."""
import json
import os
import subprocess

import numpy as np
import pytest

import vitalstream as vs


def test_perfect_and_shifted_detections():
    fs = 360.0
    ref = np.arange(400, 400 + 300 * 300, 300)  # one beat every 300 samples, all scored (start 0)
    r = vs.ec57_compare(ref, ref, fs, start_s=0)
    assert (r.tp, r.fn, r.fp) == (len(ref), 0, 0) and r.se == 100.0 and r.ppv == 100.0
    assert r.matrix[0, 0] == len(ref) and r.matrix.sum() == len(ref)
    assert r.match_window_samples == 54  # 0.15 s at 360 Hz, rounded like WFDB
    near = vs.ec57_compare(ref, ref + 50, fs, start_s=0)  # inside the 54-sample window
    assert (near.tp, near.fn, near.fp) == (len(ref), 0, 0)
    # Outside: every beat missed and one extra each (scoring to the record end, not to the last
    # reference beat, so the last shifted beat counts too).
    far = vs.ec57_compare(ref, ref + 100, fs, start_s=0, record_length_samples=100000)
    assert far.tp == 0 and far.fn == len(ref) and far.fp == len(ref)
    assert far.se == 0.0 and far.matrix[0, 5] == len(ref) and far.matrix[5, 0] == len(ref)
    missing = vs.ec57_compare(ref, ref[::2], fs, start_s=0)
    assert missing.fn == len(ref) // 2 and missing.fp == 0
    clipped = vs.ec57_compare(ref, ref + 100, fs, start_s=0)  # ends at the last reference beat
    assert clipped.fp == len(ref) - 1


def test_classes_and_learning_period():
    fs = 250.0
    ref = vs.make_annotations(np.arange(100, 100000, 250), code=1)
    ref["code"][::10] = 5  # every tenth beat a PVC
    r = vs.ec57_compare(ref, ref, fs)  # default: first 300 s not scored
    assert r.start_sample == 75000
    scored = ref[ref["sample_idx"] >= 75000]
    assert r.tp == len(scored)
    assert r.matrix[2, 2] == (scored["code"] == 5).sum()
    assert r.stats["veb_se"] == 100.0 and r.stats["sveb_se"] is None
    gross, avg = vs.ec57_summary([r, r])
    assert gross["tp"] == 2 * r.tp and gross["n_records"] == 2 and avg["qrs_se"] == 100.0


def test_errors():
    with pytest.raises(vs.ArgumentError):
        vs.ec57_compare([30, 10, 20], [10], 360.0)  # unsorted reference
    with pytest.raises(vs.ArgumentError):
        vs.ec57_compare([10], [10], 0.0)
    with pytest.raises(vs.ArgumentError):
        vs.ec57_compare([10], [10], 360.0, start_s=10, end_s=5)


@pytest.mark.parametrize("records", [["100", "203"]])
def test_equals_cli_eval(records, mitdb, c_programs):
    out = subprocess.run([c_programs["cli"], "eval", "--db", mitdb, "--records", ",".join(records),
                          "--json"], check=True, stdout=subprocess.PIPE, universal_newlines=True)
    cli = json.loads(out.stdout)
    results = []
    for name in records:
        rec = vs.read_wfdb(os.path.join(mitdb, name), channels=[0])
        det = vs.QRSDetector(rec.fs_hz)
        beats = np.concatenate([det.process(rec.signals[0]), det.finish()])  # as the CLI does
        ref = vs.read_annotations(os.path.join(mitdb, name + ".atr"))
        r = vs.ec57_compare(ref, beats, rec.fs_hz, record_length_samples=rec.n_samples)
        c = cli["records"][name]
        assert (r.tp, r.fn, r.fp) == (c["tp"], c["fn"], c["fp"])
        assert r.se == pytest.approx(c["se"], abs=1e-4)
        results.append(r)
    gross, avg = vs.ec57_summary(results)
    assert (gross["tp"], gross["fn"], gross["fp"]) == (cli["gross"]["tp"], cli["gross"]["fn"],
                                                       cli["gross"]["fp"])
    assert avg["qrs_ppv"] == pytest.approx(cli["average"]["ppv"], abs=1e-4)
