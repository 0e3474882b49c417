"""Reader defaults shared with the CLI and the npm package (docs/CONTRACT.md, "Files"): the CSV
column defaults to the first signal column, and a WFDB header may not point outside its folder
unless the caller allows it."""
import numpy as np
import pytest

import vitalstream as vs


def test_csv_default_column_skips_the_sample_number():
    text = "'sample #','MLII','V5'\n'samples','mV','mV'\n0,-0.145,-0.065\n1,-0.15,-0.07\n"
    np.testing.assert_array_equal(vs.parse_csv(text), np.float32([-0.145, -0.15]))
    np.testing.assert_array_equal(vs.parse_csv(text, 0), np.float32([0, 1]))


def test_csv_default_column_file(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("time,ecg\n0.000,0.5\n0.004,0.25\n")
    np.testing.assert_array_equal(vs.read_csv(p), np.float32([0.5, 0.25]))
    with pytest.raises(TypeError):
        vs.read_csv(p, 1.5)


def test_wfdb_signal_path_outside_the_record_folder(tmp_path):
    (tmp_path / "rec").mkdir()
    (tmp_path / "outside.dat").write_bytes(np.array([7, 8], dtype="<i2").tobytes())
    (tmp_path / "rec" / "r.hea").write_text("r 1 360 2\n../outside.dat 16 100 16 0 7 0 0 s\n")
    with pytest.raises(vs.FormatError, match=r"\.\."):
        vs.read_wfdb(tmp_path / "rec" / "r")
    rec = vs.read_wfdb(tmp_path / "rec" / "r", allow_any_signal_path=True)
    np.testing.assert_array_equal(rec.signals[0], np.float32([0.07, 0.08]))
