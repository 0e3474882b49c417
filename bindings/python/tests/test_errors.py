"""Every error path of QRSDetector and the state blob: the right class, builtin and code."""
import pickle
import struct

import numpy as np
import pytest

import vitalstream as vs
from vitalstream._lowlevel import ffi, lib


def blob_with_crc(blob: bytes) -> bytes:
    """Recompute the CRC-32 over header bytes 0..19 + payload after editing a blob."""
    body = blob[:20] + blob[24:]
    crc = lib.vs_crc32(body, len(body))
    return blob[:20] + struct.pack("<I", crc) + blob[24:]


@pytest.fixture
def saved(ecg):
    det = vs.QRSDetector(360)
    det.process(ecg[:10000])
    return det.save_state()


@pytest.mark.parametrize("fs", [0, 50, 99.9, 1000.5, 1e9, -360, float("nan"), float("inf")])
def test_bad_fs(fs):
    with pytest.raises(vs.ArgumentError) as ei:
        vs.QRSDetector(fs)
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, vs.VitalStreamError)
    assert ei.value.code == 5
    assert ei.value.message == vs.strerror(5)


@pytest.mark.parametrize("fs", ["360", None, [360], b"360"])
def test_fs_wrong_type(fs):
    with pytest.raises(TypeError):
        vs.QRSDetector(fs)


@pytest.mark.parametrize("x", ["abc", b"abc", [["a"]], np.array([1 + 2j, 3j]), {"a": 1},
                               np.array(["1.0"])])
def test_process_wrong_type(x):
    with pytest.raises(TypeError):
        vs.QRSDetector(360).process(x)


def test_process_two_dimensional():
    # the samples of one lead are a 1-D sequence; anything else is the wrong type
    # (docs/CONTRACT.md: the same in JavaScript, where an array of arrays is no number array)
    with pytest.raises(TypeError, match="one-dimensional"):
        vs.QRSDetector(360).process(np.zeros((10, 2), np.float32))


def test_unknown_param():
    det = vs.QRSDetector(360)
    for bad in ("nope", 99):
        with pytest.raises(vs.ArgumentError) as ei:
            det.get_param(bad)
        assert ei.value.code == 6
    with pytest.raises(vs.ArgumentError):
        vs.QRSDetector.param_bounds(99)
    with pytest.raises(vs.ArgumentError) as ei:
        det.set_param("refractory_ms", float("nan"))
    assert ei.value.code == 7


def check_rejected(blob, code, fs=360):
    """from_state and load_state both reject with `code`; load_state leaves the object as it was."""
    with pytest.raises(vs.StateError) as ei:
        vs.QRSDetector.from_state(blob)
    assert ei.value.code == code and isinstance(ei.value, ValueError)
    det = vs.QRSDetector(fs)
    det.process(np.sin(np.arange(3000, dtype=np.float32) / 30))
    before = det.save_state()
    with pytest.raises(vs.StateError) as ei:
        det.load_state(blob)
    assert ei.value.code == code
    assert det.save_state() == before


def test_state_truncated(saved):
    for n in (0, 10, 23, len(saved) - 1):
        check_rejected(saved[:n], 20)


def test_state_bad_magic(saved):
    check_rejected(b"XXXX" + saved[4:], 21)


def test_state_newer_version(saved):
    check_rejected(blob_with_crc(saved[:4] + struct.pack("<H", 99) + saved[6:]), 22)


def test_state_bad_checksum(saved):
    b = bytearray(saved)
    b[len(b) // 2] ^= 0x40
    check_rejected(bytes(b), 25)


def test_state_corrupt_field(saved):
    # The payload starts with refractory_ms (binary64); 1e9 ms is outside its bounds.
    check_rejected(blob_with_crc(saved[:24] + struct.pack("<d", 1e9) + saved[32:]), 26)


def test_state_wrong_module():
    # A band-pass filter's blob (module VS_MODULE_IIR) is not a QRS detector's.
    sec = ffi.new("vs_biquad_coeffs[8]")
    nsec = ffi.new("size_t *")
    lib.vs_butterworth_design(lib.VS_FILTER_BANDPASS, 2, 360.0, 5.0, 15.0, sec, 8, nsec)
    iir = ffi.new("vs_iir **")
    assert lib.vs_iir_create(iir, sec, nsec[0]) == 0
    f = ffi.gc(iir[0], lib.vs_iir_destroy)
    size = lib.vs_iir_state_size(f)
    buf = ffi.new("uint8_t[]", size)
    written = ffi.new("size_t *")
    assert lib.vs_iir_state_save(f, buf, size, written) == 0
    blob = bytes(ffi.buffer(buf, written[0]))
    assert vs.state_info(blob)["module_id"] == 1
    check_rejected(blob, 23)


def test_state_fs_mismatch(saved):
    det = vs.QRSDetector(250)
    with pytest.raises(vs.StateError) as ei:
        det.load_state(saved)
    assert ei.value.code == 24


def test_state_wrong_type(saved):
    with pytest.raises(TypeError):
        vs.QRSDetector.from_state(saved.decode("latin-1"))
    with pytest.raises(TypeError):
        vs.QRSDetector(360).load_state(None)
    assert vs.QRSDetector.from_state(bytearray(saved)).save_state() == saved
    assert vs.QRSDetector.from_state(memoryview(saved)).save_state() == saved


def test_unpickle_corrupt_state(saved):
    det = vs.QRSDetector.from_state(saved)
    data = pickle.dumps(det)
    i = data.index(saved[30:60])
    bad = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
    with pytest.raises(vs.StateError) as ei:
        pickle.loads(bad)
    assert ei.value.code == 25


CLASSES = {
    1: (vs.ArgumentError, ValueError), 2: (vs.ArgumentError, ValueError),
    3: (vs.OutOfMemoryError, MemoryError), 4: (vs.ArgumentError, ValueError),
    5: (vs.ArgumentError, ValueError), 6: (vs.ArgumentError, ValueError),
    7: (vs.ArgumentError, ValueError), 8: (vs.ArgumentError, ValueError),
    9: (vs.InsufficientDataError, ValueError),
    40: (vs.FileIOError, OSError), 41: (vs.FormatError, ValueError),
    42: (vs.FormatError, ValueError), 43: (vs.FormatError, ValueError),
    44: (vs.NotFoundError, LookupError),
}
CLASSES.update({c: (vs.StateError, ValueError) for c in range(20, 27)})


@pytest.mark.parametrize("code", sorted(CLASSES))
def test_every_status_maps_to_a_class(code):
    from vitalstream._lowlevel import check

    cls, builtin = CLASSES[code]
    with pytest.raises(cls) as ei:
        check(code)
    e = ei.value
    assert isinstance(e, builtin) and isinstance(e, vs.VitalStreamError)
    assert e.code == code and e.message == vs.strerror(code) and str(code) in str(e)
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is cls and e2.code == code and e2.message == e.message


def test_every_status_code_of_the_header_is_mapped():
    codes = [getattr(lib, n) for n in dir(lib) if n.startswith("VS_E_")]
    assert len(codes) >= 20
    assert sorted(codes) == sorted(CLASSES)


def test_checked_layer_raises():
    from vitalstream import _lowlevel

    out = ffi.new("vs_qrs **")
    with pytest.raises(vs.ArgumentError) as ei:
        _lowlevel.vs_qrs_create(out, 5.0)
    assert ei.value.code == 5
    assert _lowlevel.vs_qrs_create(out, 360.0) is None
    _lowlevel.vs_qrs_destroy(out[0])
    assert _lowlevel.vs_fs_max_hz() == 1000.0  # non-status functions pass through


def test_io_errors_carry_the_c_layer_detail(tmp_path):
    """A checked I/O function raises with the vs_io_error's message, file and line."""
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3,x\n")
    with pytest.raises(vs.VitalStreamError) as ei:
        vs.read_csv(bad, column="b")
    assert ei.value.filename and ei.value.filename.endswith("bad.csv")
    assert ei.value.line == 3 and "bad.csv" in ei.value.message


def test_classes_use_the_checked_layer():
    """The package's classes call vitalstream._lowlevel: no C function by its name as a string,
    no raw lib.vs_* call whose status could be dropped, no repeated `if st: raise_status(st)`,
    and no status number typed in (they come from the header as lib.VS_E_*)."""
    import pathlib
    import re

    pkg = pathlib.Path(vs.__file__).parent
    files = [f for f in pkg.glob("*.py") if f.name != "_lowlevel.py"]
    assert len(files) >= 8
    for f in files:
        text = f.read_text()
        for pattern in (r"getattr\(\s*lib", r'"vs_%s', r"\blib\.vs_", r"\bif st\b",
                        r"(raise_status|Error)\(\s*\d"):
            assert not re.search(pattern, text), "%s: %s" % (f.name, pattern)
