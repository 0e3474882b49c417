"""read_wfdb / read_annotations / write_annotations / read_csv over the C I/O layer."""
import os

import numpy as np
import pytest

import vitalstream as vs


def write_record(folder, name, adc, gains, baselines, fs=250):
    """A format-16 WFDB record written by hand (independent of the library's writer)."""
    adc = np.asarray(adc, dtype="<i2")
    n, nsig = adc.shape
    (folder / (name + ".dat")).write_bytes(adc.tobytes())
    lines = ["%s %d %g %d" % (name, nsig, fs, n)]
    for i in range(nsig):
        lines.append("%s.dat 16 %g(%d)/mV 16 0 %d 0 0 sig%d" % (name, gains[i], baselines[i], adc[0, i], i))
    (folder / (name + ".hea")).write_text("\n".join(lines) + "\n")
    return str(folder / name)


def test_read_wfdb_physical_units(tmp_path):
    rng = np.random.default_rng(0)
    adc = rng.integers(-3000, 3000, size=(500, 2))
    path = write_record(tmp_path, "rec", adc, gains=[200.0, 400.0], baselines=[10, -5])
    rec = vs.read_wfdb(path)
    assert rec.fs_hz == 250.0 and rec.n_samples == 500
    assert rec.signals.shape == (2, 500) and rec.signals.dtype == np.float32
    assert rec.names == ["sig0", "sig1"] and rec.units == ["mV", "mV"]
    expected = np.stack([(adc[:, 0] - 10) / 200.0, (adc[:, 1] + 5) / 400.0]).astype(np.float32)
    np.testing.assert_allclose(rec.signals, expected, rtol=1e-6, atol=1e-7)
    assert rec.signals[1].flags.c_contiguous
    one = vs.read_wfdb(path + ".hea", channels=[1])
    np.testing.assert_array_equal(one.signals[0], rec.signals[1])


def write_record_212(folder, name, adc, gain, baseline, fs=360):
    """A one-signal format-212 record packed by hand (two 12-bit values per 3 bytes)."""
    v = np.asarray(adc, dtype=np.int64) & 0xFFF
    if len(v) % 2:
        v = np.append(v, 0)
    a, b = v[0::2], v[1::2]
    packed = np.stack([a & 0xFF, ((a >> 8) & 0x0F) | ((b >> 4) & 0xF0), b & 0xFF], axis=1)
    (folder / (name + ".dat")).write_bytes(packed.astype(np.uint8).tobytes())
    (folder / (name + ".hea")).write_text(
        "%s 1 %g %d\n%s.dat 212 %g(%d)/mV 12 0 %d 0 0 ecg\n"
        % (name, fs, len(adc), name, gain, baseline, adc[0]))
    return str(folder / name)


def test_read_wfdb_invalid_samples_are_nan(tmp_path):
    """WFDB's invalid sample (-32768 in format 16, -2048 in format 212: railed ADC, lead off)
    reads as NaN, not as a -164 mV or -15 mV spike; every other code keeps its voltage."""
    adc16 = np.array([[5], [-32768], [32767], [-32767], [-32768]])
    rec = vs.read_wfdb(write_record(tmp_path, "r16", adc16, gains=[200.0], baselines=[1024]))
    x = rec.signals[0]
    np.testing.assert_array_equal(np.isnan(x), [False, True, False, False, True])
    assert x[2] == np.float32((32767 - 1024) / 200.0) and x[3] == np.float32((-32767 - 1024) / 200.0)
    adc212 = [1024, -2048, 2047, -2047, -2048, 0, 1500]
    rec = vs.read_wfdb(write_record_212(tmp_path, "r212", adc212, 200.0, 1024))
    x = rec.signals[0]
    np.testing.assert_array_equal(np.isnan(x), [a == -2048 for a in adc212])
    ok = np.array([a != -2048 for a in adc212])
    expected = (np.array(adc212, dtype=np.float64)[ok] - 1024) / 200.0
    np.testing.assert_allclose(x[ok], expected.astype(np.float32), rtol=1e-6)


def test_read_wfdb_errors(tmp_path):
    with pytest.raises(vs.FileIOError) as ei:
        vs.read_wfdb(tmp_path / "missing")
    e = ei.value
    assert isinstance(e, OSError) and e.code == 40 and e.filename.endswith("missing.hea")
    assert "missing.hea" in e.message
    (tmp_path / "bad.hea").write_text("bad 1 360 100\nbad.dat 16 abc 16 0 0 0 0 x\n")
    with pytest.raises(vs.FormatError) as ei:
        vs.read_wfdb(tmp_path / "bad")
    assert ei.value.code == 41 and ei.value.line == 2 and isinstance(ei.value, ValueError)
    path = write_record(tmp_path, "short", np.zeros((100, 1)), [200], [0])
    with open(path + ".dat", "r+b") as f:
        f.truncate(50)
    with pytest.raises(vs.FormatError) as ei:
        vs.read_wfdb(path)
    assert ei.value.code == 43
    (tmp_path / "f310.hea").write_text("f310 1 360 3\nf310.dat 310 200 10 0 0 0 0 x\n")
    (tmp_path / "f310.dat").write_bytes(b"\0" * 8)
    with pytest.raises(vs.FormatError) as ei:
        vs.read_wfdb(tmp_path / "f310")
    assert ei.value.code == 42


def test_mitdb_record_100(mitdb):
    rec = vs.read_wfdb(os.path.join(mitdb, "100"))
    assert rec.fs_hz == 360 and rec.signals.shape == (2, 650000) and rec.names == ["MLII", "V5"]
    assert abs(float(np.median(rec.signals[0]))) < 1.0  # millivolts, not ADC units


def test_csv_column_is_a_view_of_the_c_buffer(tmp_path):
    p = tmp_path / "v.csv"
    p.write_text("v\n" + "\n".join(str(i) for i in range(1000)) + "\n")
    for _ in range(20):  # the malloc'ed C buffer lives exactly as long as a view of it
        col = vs.read_csv(p, "v")
        assert not col.flags.owndata and col.base is not None  # no copy was made
        x = col[10:20]
        del col
        junk = [vs.read_csv(p, 0) for _ in range(5)]  # reuse freed memory if it was freed
        del junk
        np.testing.assert_array_equal(x, np.arange(10, 20, dtype=np.float32))


# ---- annotations -------------------------------------------------------------------------------
def test_annotations_round_trip(tmp_path):
    ann = vs.make_annotations([5, 100, 100, 2000, 70000], code=[1, 5, 28, 1, 14],
                              subtype=[0, 0, 0, -3, 0], chan=[0, 0, 1, 1, 0], num=[0, 2, 0, 0, -1],
                              aux=[b"", b"", b"(AFIB\0", b"", b"x" * 255])
    out = tmp_path / "a.test"
    vs.write_annotations(out, ann)
    back = vs.read_annotations(out)
    assert back.dtype == vs.ANNOTATION_DTYPE
    for f in ("sample_idx", "code", "subtype", "chan", "num", "aux_len", "aux"):
        np.testing.assert_array_equal(back[f], ann[f], err_msg=f)
    assert out.read_bytes() == vs.encode_annotations(ann)
    np.testing.assert_array_equal(vs.parse_annotations(out.read_bytes()), back)


def test_write_annotations_from_beats_and_indices(tmp_path, ecg):
    beats = vs.QRSDetector(360).process(ecg)
    vs.write_annotations(tmp_path / "b.qrs", beats)
    back = vs.read_annotations(tmp_path / "b.qrs")
    np.testing.assert_array_equal(back["sample_idx"], beats["sample_idx"])
    assert (back["code"] == 1).all()
    vs.write_annotations(tmp_path / "c.qrs", [10, 20, 30], code=5)
    assert list(vs.read_annotations(tmp_path / "c.qrs")["code"]) == [5, 5, 5]


def test_annotation_errors(tmp_path):
    with pytest.raises(vs.FileIOError):
        vs.read_annotations(tmp_path / "nope.atr")
    with pytest.raises(vs.ArgumentError) as ei:
        vs.write_annotations(tmp_path / "x.atr", vs.make_annotations([1, 2], code=[1, 99]))
    assert ei.value.code == 2
    assert not (tmp_path / "x.atr").exists() or (tmp_path / "x.atr").stat().st_size == 0
    with pytest.raises(vs.FormatError):
        vs.parse_annotations(b"\x05\xfc\x00")  # AUX (63) claiming bytes that are not there


def test_mitdb_annotations_byte_identical(mitdb, tmp_path):
    src = os.path.join(mitdb, "100.atr")
    ann = vs.read_annotations(src)
    assert len(ann) == 2274 and (ann["code"] == 1).sum() > 2000
    vs.write_annotations(tmp_path / "100.atr", ann)
    with open(src, "rb") as f:
        assert (tmp_path / "100.atr").read_bytes() == f.read()


# ---- CSV ---------------------------------------------------------------------------------------
def test_read_csv_by_name_and_index(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("'time','MLII','V5'\n'sec','mV','mV'\n0,0.5,1\n0.1,-0.25,2\n0.2,1e-3,3\n")
    np.testing.assert_array_equal(vs.read_csv(p, "MLII"), np.float32([0.5, -0.25, 1e-3]))
    np.testing.assert_array_equal(vs.read_csv(p, 2), np.float32([1, 2, 3]))
    np.testing.assert_array_equal(vs.parse_csv(p.read_text(), "V5"), np.float32([1, 2, 3]))


def test_read_csv_errors(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n3,oops\n")
    with pytest.raises(vs.NotFoundError) as ei:
        vs.read_csv(p, "zzz")
    assert ei.value.code == 44 and isinstance(ei.value, LookupError)
    with pytest.raises(vs.FormatError) as ei:
        vs.read_csv(p, "b")
    assert ei.value.code == 41 and ei.value.line == 3 and "x.csv" in ei.value.message
    with pytest.raises(TypeError):
        vs.read_csv(p, 1.5)
    with pytest.raises(vs.FileIOError):
        vs.read_csv(tmp_path / "none.csv")
