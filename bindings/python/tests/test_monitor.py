"""Monitor (vs_monitor) and hrv (vs_hrv_compute)."""
import math
import os
import pickle
import subprocess

import numpy as np
import pytest

import vitalstream as vs
from conftest import synthetic_ecg


def run(mon, x, chunks=None, roundtrip=False):
    parts, pos = [], 0
    for c in chunks or [len(x)]:
        parts.append(mon.process(x[pos:pos + c]))
        pos += c
        if roundtrip:
            mon = pickle.loads(pickle.dumps(mon))
    parts.append(mon.process(x[pos:]))
    parts.append(mon.finish())
    return np.concatenate(parts)


@pytest.fixture(scope="module")
def long_ecg():
    x = synthetic_ecg(fs_hz=250.0, seconds=240.0, seed=5)
    x[20000:21000] = np.nan  # a gap: quality events
    return x


def test_events_shape_and_content(long_ecg):
    ev = run(vs.Monitor(250), long_ecg)
    assert ev.dtype == vs.EVENT_DTYPE and ev.dtype.itemsize == 56
    beats = ev[ev["type"] == vs.EVENT_BEAT]
    assert len(beats) > 200
    assert set(vs.aami_class_name(c) for c in beats["code"]) <= {"N", "S", "V", "F", "Q"}
    assert (ev["type"] == vs.EVENT_QUALITY).any()  # the gap
    assert (np.diff(beats["sample_idx"]) > 0).all()
    assert (beats["decided_idx"] >= beats["sample_idx"]).all()


def test_chunk_invariance_and_state_roundtrip(long_ecg):
    whole = run(vs.Monitor(250), long_ecg)
    rng = np.random.default_rng(2)
    chunks = list(rng.integers(1, 9000, size=40))
    np.testing.assert_array_equal(run(vs.Monitor(250), long_ecg, chunks), whole)
    np.testing.assert_array_equal(run(vs.Monitor(250), long_ecg, chunks, roundtrip=True), whole)


def test_state_blob_and_wrong_module(long_ecg):
    m = vs.Monitor(250)
    m.process(long_ecg[:30000])
    blob = m.save_state()
    assert vs.state_info(blob)["module_id"] == 3
    m2 = vs.Monitor.from_state(blob)
    assert m2.samples_seen == 30000 and m2.save_state() == blob
    with pytest.raises(vs.StateError) as ei:
        vs.QRSDetector.from_state(blob)
    assert ei.value.code == 23
    with pytest.raises(vs.StateError) as ei:
        vs.Monitor.from_state(vs.QRSDetector(250).save_state())
    assert ei.value.code == 23
    with pytest.raises(vs.StateError) as ei:
        vs.Monitor(360).load_state(blob)
    assert ei.value.code == 24
    with pytest.raises(vs.StateError) as ei:
        m2.load_state(blob[:-5])
    assert ei.value.code == 20
    assert m2.save_state() == blob


def test_memory_is_python_owned_and_results_match_a_created_monitor(long_ecg):
    """Monitor lives in one block Python owns (vs_monitor_init_static); a monitor made by
    vs_monitor_create gives the same events and the same state bytes."""
    from vitalstream import _lowlevel as ll
    from vitalstream._lowlevel import ffi

    m = vs.Monitor(250)
    size = ll.vs_monitor_workspace_size(250.0)
    assert size > 0 and m._mem is not None and ffi.sizeof(m._mem) >= size
    assert int(ffi.cast("uintptr_t", m._ptr)) == int(ffi.cast("uintptr_t", m._mem))
    ev = m.process(long_ecg)

    out = ffi.new("vs_monitor **")
    ll.vs_monitor_create(out, 250.0)
    c = ffi.gc(out[0], ll.vs_monitor_destroy)
    x = np.ascontiguousarray(long_ecg, dtype=np.float32)
    cap = ll.vs_monitor_max_events(c, len(x))
    ref = np.empty(cap, dtype=vs.EVENT_DTYPE)
    got = ffi.new("size_t *")
    ll.vs_monitor_process(c, ffi.from_buffer("float[]", x), len(x),
                          ffi.from_buffer("vs_event[]", ref, require_writable=True), cap, got)
    np.testing.assert_array_equal(ev, ref[: got[0]])
    size_c = ll.vs_monitor_state_size(c)
    buf = ffi.new("uint8_t[]", size_c)
    ll.vs_monitor_state_save(c, buf, size_c, got)
    assert bytes(ffi.buffer(buf, got[0])) == m.save_state()

    # too small a block is a clear error
    small = ffi.new("double[]", size // 8 - 1)
    with pytest.raises(vs.VitalStreamError) as ei:
        ll.vs_monitor_init_static(out, small, ffi.sizeof(small), 250.0)
    assert ei.value.code == ll.lib.VS_E_NO_MEMORY and "too small" in str(ei.value)


def test_params():
    m = vs.Monitor(360)
    names = vs.Monitor.param_names()
    assert "qrs.refractory_ms" in names and "hrv_window.length_s" in names
    for name in names:
        lo, hi, d = vs.Monitor.param_bounds(name)
        assert lo <= d <= hi and m.get_param(name) == pytest.approx(d)
    m.set_param("qrs.refractory_ms", 250)
    assert m.get_param("qrs.refractory_ms") == 250
    assert vs.Monitor.from_state(m.save_state()).get_param("qrs.refractory_ms") == 250
    with pytest.raises(vs.ArgumentError) as ei:
        m.set_param("qrs.refractory_ms", 1e9)
    assert ei.value.code == 7
    with pytest.raises(vs.ArgumentError) as ei:
        m.get_param("nope")
    assert ei.value.code == 6


def test_bad_fs_and_input():
    with pytest.raises(vs.ArgumentError) as ei:
        vs.Monitor(20)
    assert ei.value.code == 5
    with pytest.raises(TypeError):
        vs.Monitor(360).process("x")


def test_monitor_hrv(long_ecg):
    m = vs.Monitor(250)
    m.process(long_ecg)
    h = m.hrv()
    assert h["n_nn"] > 100 and 700 < h["mean_nn_ms"] < 1000  # 72 bpm synthetic rhythm


@pytest.mark.parametrize("record", ["208"])
def test_equals_cli_detect_classify(record, mitdb, c_programs, tmp_path):
    out = tmp_path / (record + ".cls")
    r = subprocess.run([c_programs["cli"], "detect", os.path.join(mitdb, record), "--classify",
                        "-o", str(out)], stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode == 1 and "--classify" in r.stderr:
        pytest.skip("this CLI has no detect --classify")
    assert r.returncode == 0, r.stderr
    cli = vs.read_annotations(out)
    rec = vs.read_wfdb(os.path.join(mitdb, record), channels=[0])
    ev = run(vs.Monitor(rec.fs_hz), rec.signals[0], [65536] * (rec.n_samples // 65536))
    beats = ev[ev["type"] == vs.EVENT_BEAT]
    cli_beats = cli[(cli["code"] != 28) & (cli["code"] != 14)]
    np.testing.assert_array_equal(beats["sample_idx"], cli_beats["sample_idx"])
    np.testing.assert_array_equal(beats["wfdb_code"], cli_beats["code"])
    onsets = ev[(ev["type"] == vs.EVENT_RHYTHM) & (ev["end_idx"] < 0)]
    onsets = onsets[[bool(vs._lowlevel.ffi.string(vs._lowlevel.lib.vs_rhythm_aux_string(int(c))))
                     for c in onsets["code"]]]
    assert sorted(onsets["sample_idx"]) == sorted(cli[cli["code"] == 28]["sample_idx"])
    q = ev[ev["type"] == vs.EVENT_QUALITY]
    assert sorted(zip(q["sample_idx"], q["subtype"])) == sorted(
        zip(cli[cli["code"] == 14]["sample_idx"], cli[cli["code"] == 14]["subtype"]))


def c_events(text):
    return np.array([[int(v) for v in ln.split()] for ln in text.strip().splitlines()],
                    dtype=np.int64).reshape(-1, 11)


def py_events(ev):
    cols = [ev[f].astype(np.int64) for f in ("sample_idx", "end_idx", "decided_idx", "type", "code",
                                             "wfdb_code", "subtype", "flags", "severity")]
    cols += [ev["value"].view(np.uint32).astype(np.int64),
             ev["amplitude_mv"].view(np.uint32).astype(np.int64)]
    return np.stack(cols, axis=1).reshape(-1, 11)


def test_state_bytes_identical_and_interchangeable_with_c(long_ecg, c_programs, tmp_path):
    x = long_ecg
    cut = 31234
    a, b = x[:cut], x[cut:]
    (tmp_path / "a.f32").write_bytes(a.astype("<f4").tobytes())
    (tmp_path / "b.f32").write_bytes(b.astype("<f4").tobytes())
    tool = c_programs["state_tool"]
    r = subprocess.run([tool, "monitor", "250", str(tmp_path / "a.f32"), "--save",
                        str(tmp_path / "c.state")], check=True, stdout=subprocess.PIPE,
                       universal_newlines=True)
    m = vs.Monitor(250)
    ev_a = m.process(a)
    np.testing.assert_array_equal(py_events(ev_a), c_events(r.stdout))
    blob_c = (tmp_path / "c.state").read_bytes()
    assert m.save_state() == blob_c
    (tmp_path / "py.state").write_bytes(m.save_state())
    r2 = subprocess.run([tool, "monitor", "250", str(tmp_path / "b.f32"), "--load",
                         str(tmp_path / "py.state")], check=True, stdout=subprocess.PIPE,
                        universal_newlines=True)
    ev_b = vs.Monitor.from_state(blob_c).process(b)
    assert len(ev_b) > 100
    np.testing.assert_array_equal(py_events(ev_b), c_events(r2.stdout))


# ---- hrv ---------------------------------------------------------------------------------------
def test_hrv_known_values():
    h = vs.hrv([800.0] * 100)
    assert h["mean_nn_ms"] == 800 and h["sdnn_ms"] == 0 and h["hr_mean_bpm"] == 75
    assert h["n_input"] == 100 and h["n_nn"] == 100 and h["psd_method"] == "lomb"
    alt = vs.hrv([800.0, 830.0] * 50)
    assert alt["rmssd_ms"] == pytest.approx(30.0)
    assert alt["pnn20_pct"] == 100 and alt["pnn50_pct"] == 0
    assert alt["sdnn_ms"] == pytest.approx(np.std([800.0, 830.0] * 50, ddof=1))


def test_hrv_exclude_and_options():
    rr = np.full(200, 800.0)
    rr[50] = 400.0  # a premature beat
    ex = np.zeros(200, bool)
    ex[50] = True
    h = vs.hrv(rr, exclude=ex, max_rel_change=0)
    assert h["n_excluded"] == 2 and h["sdnn_ms"] == 0  # the intervals on both sides of it
    # 1.5 rad per ~0.8 s beat: a 0.3 Hz (HF band) oscillation
    w = vs.hrv(800 + 50 * np.sin(np.arange(300) * 1.5), psd_method="welch")
    assert w["psd_method"] == "welch" and w["hf_ms2"] > w["lf_ms2"] > 0
    assert math.isnan(vs.hrv([800.0, 810.0])["dfa_alpha2"])


def test_hrv_errors():
    with pytest.raises(vs.InsufficientDataError) as ei:
        vs.hrv([])
    assert ei.value.code == 9 and isinstance(ei.value, ValueError)
    for bad in ([800, -1, 800], [800, float("nan")]):
        with pytest.raises(vs.ArgumentError) as ei:
            vs.hrv(bad)
        assert ei.value.code == 2
    with pytest.raises(vs.ArgumentError):
        vs.hrv([800] * 10, min_rr_ms=5)
    with pytest.raises(vs.ArgumentError):
        vs.hrv([800] * 10, exclude=[0] * 9)
    with pytest.raises(TypeError):
        vs.hrv([800] * 10, no_such_option=1)
    with pytest.raises(TypeError):
        vs.hrv("800")
