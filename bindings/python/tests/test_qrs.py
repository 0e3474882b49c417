"""QRSDetector: equality with the C CLI and the C API, chunk invariance, portable state, pickle,
zero-copy input/output, parameters."""
import copy
import os
import pickle
import subprocess

import numpy as np
import pytest

import vitalstream as vs
from conftest import synthetic_ecg


def run_all(det, x, chunks):
    out, pos = [], 0
    for c in chunks:
        out.append(det.process(x[pos:pos + c]))
        pos += c
    out.append(det.process(x[pos:]))
    return np.concatenate(out)


def random_chunks(n, seed, max_chunk):
    rng = np.random.default_rng(seed)
    out, total = [], 0
    while total < n:
        c = int(rng.integers(1, max_chunk + 1))
        out.append(c)
        total += c
    return out


# ---- equality with the C CLI on MIT-BIH --------------------------------------------------------
@pytest.mark.parametrize("record", ["100", "105", "203"])
def test_beats_equal_cli_detect(record, mitdb, c_programs, tmp_path):
    out = tmp_path / (record + ".qrs")
    subprocess.run([c_programs["cli"], "detect", os.path.join(mitdb, record), "-o", str(out)],
                   check=True, stderr=subprocess.DEVNULL)
    cli_idx = vs.read_annotations(out)["sample_idx"]
    rec = vs.read_wfdb(os.path.join(mitdb, record), channels=[0])
    det = vs.QRSDetector(rec.fs_hz)
    beats = np.concatenate([det.process(rec.signals[0]), det.finish()])
    assert len(beats) > 1000
    np.testing.assert_array_equal(beats["sample_idx"], cli_idx)


def test_finish_reports_the_beat_at_the_end_of_record_117(mitdb):
    """The last reference beat of record 117 lies 0.2 s before the end of the file: process()
    leaves it waiting for its refractory period, finish() reports it."""
    rec = vs.read_wfdb(os.path.join(mitdb, "117"), channels=[0])
    ref = vs.read_annotations(os.path.join(mitdb, "117.atr"))
    last_ref = int(ref["sample_idx"][-1])
    det = vs.QRSDetector(rec.fs_hz)
    beats = det.process(rec.signals[0])
    assert abs(int(beats["sample_idx"][-1]) - last_ref) > 0.15 * rec.fs_hz
    tail = det.finish()
    assert len(tail) == 1
    assert abs(int(tail["sample_idx"][0]) - last_ref) < 0.15 * rec.fs_hz
    assert int(tail["decided_idx"][0]) == len(rec.signals[0]) - 1
    assert len(det.finish()) == 0


def test_record_100_chunked_with_pickle_between_chunks(mitdb):
    rec = vs.read_wfdb(os.path.join(mitdb, "100"), channels=[0])
    x = rec.signals[0]
    whole = vs.QRSDetector(rec.fs_hz).process(x)
    det = vs.QRSDetector(rec.fs_hz)
    parts, pos = [], 0
    for c in random_chunks(len(x), 7, 50000):
        parts.append(det.process(x[pos:pos + c]))
        pos += c
        det = pickle.loads(pickle.dumps(det))
    np.testing.assert_array_equal(np.concatenate(parts), whole)


# ---- equality with the C API (beats, state bytes both ways) ------------------------------------
def c_beats(lines):
    rows = [tuple(int(v) for v in ln.split()) for ln in lines.strip().splitlines()]
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


def py_beats(beats):
    return np.stack([beats["sample_idx"], beats["decided_idx"], beats["flags"].astype(np.int64),
                     beats["amplitude_mv"].view(np.uint32).astype(np.int64),
                     beats["rr_ms"].view(np.uint32).astype(np.int64)], axis=1).reshape(-1, 5)


def test_state_bytes_identical_and_interchangeable_with_c(c_programs, tmp_path):
    x = synthetic_ecg(fs_hz=250.0, seconds=40.0, seed=3)
    x[2000:2300] = np.nan  # missing samples take the same path in C and Python
    x[7000:7003] = np.inf
    a, b = x[:5001], x[5001:]
    (tmp_path / "a.f32").write_bytes(a.astype("<f4").tobytes())
    (tmp_path / "b.f32").write_bytes(b.astype("<f4").tobytes())
    tool = c_programs["state_tool"]
    r = subprocess.run([tool, "qrs", "250", str(tmp_path / "a.f32"), "--save", str(tmp_path / "c.state")],
                       check=True, stdout=subprocess.PIPE, universal_newlines=True)
    det = vs.QRSDetector(250)
    beats_a = det.process(a)
    np.testing.assert_array_equal(py_beats(beats_a), c_beats(r.stdout))
    blob_c = (tmp_path / "c.state").read_bytes()
    blob_py = det.save_state()
    assert blob_py == blob_c  # same input -> same bytes

    # C blob -> Python, Python blob -> C: both continue exactly like an uninterrupted run.
    whole = vs.QRSDetector(250).process(x)
    rest_py = vs.QRSDetector.from_state(blob_c).process(b)
    (tmp_path / "py.state").write_bytes(blob_py)
    r2 = subprocess.run([tool, "qrs", "250", str(tmp_path / "b.f32"), "--load", str(tmp_path / "py.state")],
                        check=True, stdout=subprocess.PIPE, universal_newlines=True)
    np.testing.assert_array_equal(py_beats(rest_py), c_beats(r2.stdout))
    np.testing.assert_array_equal(np.concatenate([beats_a, rest_py]), whole)


# ---- chunking and state ------------------------------------------------------------------------
@pytest.mark.parametrize("max_chunk", [1, 17, 1000, 40000])
def test_chunk_invariance(ecg, max_chunk):
    x = ecg[: 20000] if max_chunk == 1 else ecg
    whole = vs.QRSDetector(360).process(x)
    assert len(whole) > 10
    chunked = run_all(vs.QRSDetector(360), x, random_chunks(len(x), max_chunk, max_chunk))
    np.testing.assert_array_equal(chunked, whole)


def test_save_destroy_load_between_chunks(ecg):
    whole = vs.QRSDetector(360).process(ecg)
    det = vs.QRSDetector(360)
    parts, pos = [], 0
    for c in random_chunks(len(ecg), 11, 3000):
        parts.append(det.process(ecg[pos:pos + c]))
        pos += c
        blob = det.save_state()
        del det
        det = vs.QRSDetector.from_state(blob)
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_pickle_and_copy_keep_params_and_state(ecg):
    det = vs.QRSDetector(360)
    det.set_param("refractory_ms", 250)
    det.process(ecg[:9000])
    for clone in (pickle.loads(pickle.dumps(det)), copy.deepcopy(det), copy.copy(det)):
        assert clone.refractory_ms == 250
        assert clone.samples_seen == 9000
        assert clone.save_state() == det.save_state()
        np.testing.assert_array_equal(clone.process(ecg[9000:]), copy.deepcopy(det).process(ecg[9000:]))


def test_reset_forgets_signal_keeps_params(ecg):
    det = vs.QRSDetector(360)
    det.min_amplitude_mv = 0.1
    first = det.process(ecg)
    det.reset()
    assert det.samples_seen == 0 and det.min_amplitude_mv == pytest.approx(0.1)
    np.testing.assert_array_equal(det.process(ecg), first)


def test_state_info_and_load_state(ecg):
    det = vs.QRSDetector(500)
    det.process(ecg[:1000])
    info = vs.state_info(det.save_state())
    from vitalstream._vitalstream import lib

    assert info == {"format_version": lib.vs_state_format_version(), "module_id": 2, "fs_hz": 500.0}
    other = vs.QRSDetector(500)
    other.load_state(det.save_state())
    assert other.samples_seen == 1000


# ---- input and output arrays -------------------------------------------------------------------
def test_output_is_a_view_of_the_buffer_the_c_code_filled(ecg):
    beats = vs.QRSDetector(360).process(ecg)
    assert beats.dtype == vs.BEAT_DTYPE and beats.dtype.itemsize == 32
    assert not beats.flags.owndata  # a slice of the array vs_qrs_process wrote into
    assert beats.dtype.fields["sample_idx"][0] == np.dtype("<i8")
    assert (beats["sample_idx"] <= beats["decided_idx"]).all()
    assert (np.diff(beats["sample_idx"]) > 0).all()
    assert beats["rr_ms"][0] == 0 and (beats["rr_ms"][1:] > 0).all()


def test_float32_contiguous_input_is_not_copied(ecg, monkeypatch):
    from vitalstream import _base

    assert _base.as_float32(ecg) is ecg
    expected = vs.QRSDetector(360).process(ecg)

    def no_copy(*a, **k):
        raise AssertionError("conversion path taken")

    monkeypatch.setattr(_base.np, "ascontiguousarray", no_copy)
    monkeypatch.setattr(_base.np, "asarray", no_copy)
    np.testing.assert_array_equal(vs.QRSDetector(360).process(ecg), expected)
    with pytest.raises(AssertionError, match="conversion path"):
        vs.QRSDetector(360).process(ecg.astype(np.float64))  # the check above can fail


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float64), lambda x: x.tolist(), lambda x: np.repeat(x, 2)[::2],
    lambda x: x.astype(np.float16)])
def test_array_likes_are_converted_to_float32(ecg, convert):
    x = ecg[:20000]
    y = convert(x)
    got = vs.QRSDetector(360).process(y)
    np.testing.assert_array_equal(got, vs.QRSDetector(360).process(np.asarray(y, np.float32)))
    if np.array_equal(np.asarray(y, np.float32), x):  # lossless conversions: same beats as x
        np.testing.assert_array_equal(got, vs.QRSDetector(360).process(x))


def test_empty_input_and_nan_input(ecg):
    det = vs.QRSDetector(360)
    assert len(det.process([])) == 0
    x = ecg.copy()
    x[7200:9000] = np.nan  # 5 s missing: treated as a gap, never an error
    beats = det.process(x)
    assert not ((beats["sample_idx"] >= 7200) & (beats["sample_idx"] < 9000)).any()
    after = beats[beats["sample_idx"] >= 9000]
    assert len(after) > 10 and after["sample_idx"][0] < 9000 + 2 * 360  # detection resumes


# ---- parameters --------------------------------------------------------------------------------
def test_params_bounds_defaults():
    det = vs.QRSDetector(360)
    for name in ("refractory_ms", "searchback_rr", "twave_window_ms", "min_amplitude_mv"):
        lo, hi, d = vs.QRSDetector.param_bounds(name)
        assert lo <= d <= hi
        assert det.get_param(name) == d
        det.set_param(name, hi)
        assert det.get_param(name) == hi
        with pytest.raises(vs.ArgumentError) as ei:
            det.set_param(name, hi * 2 + 1)
        assert ei.value.code == 7
        assert det.get_param(name) == hi  # unchanged after a rejected value
    assert set(det.params()) == {"refractory_ms", "searchback_rr", "twave_window_ms",
                                 "min_amplitude_mv"}


def test_param_changes_output(ecg):
    x = ecg * np.float32(0.5)  # R waves of about 0.6 mV
    base = vs.QRSDetector(360).process(x)
    det = vs.QRSDetector(360)
    det.min_amplitude_mv = 1.0  # above every R wave
    assert det.min_amplitude_mv == 1.0
    assert len(det.process(x)) < len(base) / 2
