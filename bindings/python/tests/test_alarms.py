"""Time-driven alarms through Monitor fed in 1-second chunks: 30 s of asystole (a flat line with
0.02 mV noise and slight wander) spliced into a record raises "asystole" within ASYSTOLE_S + 2 s
of the last beat; an exact constant (leads off) raises the technical alarm "signal lost / leads
off" within SIGNAL_LOST_S + 2 s, and its end when the signal is back."""
import pickle
from typing import List, Tuple

import numpy as np
import pytest

import vitalstream as vs
from vitalstream.alarms import EVENT_ALARM_END, event_name, is_technical
from conftest import synthetic_ecg

# MIT-BIH beat annotation codes (annotation.h): N L R a V F J A S E j / e n Q ... and r
BEAT_CODES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 25, 30, 34, 35, 38, 41)


def splice_stop(x: np.ndarray, last_beat: int, fs: float, kind: str, seconds: float = 30.0,
                seed: int = 1) -> Tuple[np.ndarray, int]:
    """x with `seconds` of stopped heart inserted 0.45 s after last_beat (after its T wave):
    "asystole" = the level there + 0.02 mV Gaussian noise + 0.05 mV 0.2 Hz wander, "leads off" =
    that level exactly. Returns the new signal and the insertion point."""
    cut = last_beat + int(0.45 * fs)
    n = int(seconds * fs)
    level = float(x[cut])
    if kind == "asystole":
        t = np.arange(n) / fs
        stop = level + 0.02 * np.random.default_rng(seed).standard_normal(n) + 0.05 * np.sin(2 * np.pi * 0.2 * t)
    else:
        stop = np.full(n, level)
    return np.concatenate([x[:cut], stop, x[cut:]]).astype(np.float32), cut


def run_in_seconds(mon: vs.Monitor, y: np.ndarray, fs: float, roundtrip: bool = False) -> np.ndarray:
    step = int(round(fs))
    parts: List[np.ndarray] = []
    for i in range(0, len(y), step):
        parts.append(mon.process(y[i:i + step]))
        if roundtrip:
            mon = pickle.loads(pickle.dumps(mon))
    parts.append(mon.finish())
    return np.concatenate(parts)


def first_named(ev: np.ndarray, etype: int, word: str, after: int) -> np.ndarray:
    rows = [e for e in ev if int(e["type"]) == etype and word in event_name(e) and e["decided_idx"] > after]
    assert rows, "no %r event after sample %d" % (word, after)
    return rows[0]


def check_asystole(ev: np.ndarray, last: int, cut: int, fs: float, asystole_s: float) -> float:
    a = first_named(ev, vs.EVENT_ALARM, "asystole", last)
    delay = (int(a["decided_idx"]) - last) / fs
    assert asystole_s <= delay <= asystole_s + 2.0, delay
    assert a["severity"] == 2 and a["end_idx"] == -1 and not is_technical(a)
    # raised once: the beat that ends the silence does not raise it again
    alarms = ev[(ev["type"] == vs.EVENT_ALARM) & (ev["decided_idx"] > last) & (ev["decided_idx"] < cut + 60 * fs)]
    assert sum("asystole" in event_name(e) for e in alarms) == 1
    assert not any(is_technical(e) for e in alarms)
    return delay


def check_leads_off(ev: np.ndarray, cut: int, fs: float, lost_s: float, seconds: float = 30.0) -> float:
    t = first_named(ev, vs.EVENT_ALARM, "leads off", cut)
    delay = (int(t["decided_idx"]) - cut) / fs
    assert delay <= lost_s + 2.0, delay
    assert is_technical(t) and t["code"] >= vs.alarms.TECHNICAL_FIRST
    end = first_named(ev, EVENT_ALARM_END, "leads off", int(t["decided_idx"]))
    assert end["sample_idx"] == t["sample_idx"] and is_technical(end)
    assert (int(end["decided_idx"]) - cut) / fs <= seconds + 4.0
    window = ev[(ev["decided_idx"] > cut) & (ev["decided_idx"] < int(end["decided_idx"]))]
    assert not any(int(e["type"]) == vs.EVENT_ALARM and not is_technical(e) for e in window)
    return delay


@pytest.fixture(scope="module")
def synthetic() -> Tuple[np.ndarray, int]:
    fs = 360.0
    x = synthetic_ecg(fs_hz=fs, seconds=120.0, seed=11)
    m = vs.Monitor(fs)
    ev = np.concatenate([m.process(x[: int(60 * fs)]), m.finish()])
    beats = ev[ev["type"] == vs.EVENT_BEAT]["sample_idx"]
    return x, int(beats[-2])  # a beat well inside the first minute


def test_synthetic_asystole_and_leads_off(synthetic: Tuple[np.ndarray, int]) -> None:
    x, last = synthetic
    fs = 360.0
    mon = vs.Monitor(fs)
    asystole_s = mon.get_param("rhythm.asystole_s")
    lost_s = mon.get_param("rhythm.signal_lost_s")
    assert (asystole_s, lost_s) == (4.0, 10.0)
    y, cut = splice_stop(x, last, fs, "asystole")
    ev = run_in_seconds(mon, y, fs)
    check_asystole(ev, last, cut, fs, asystole_s)
    # the same in 1 s chunks with a pickle round trip after every chunk
    np.testing.assert_array_equal(run_in_seconds(vs.Monitor(fs), y, fs, roundtrip=True), ev)
    y, cut = splice_stop(x, last, fs, "leads off")
    check_leads_off(run_in_seconds(vs.Monitor(fs), y, fs), cut, fs, lost_s)


def test_parameters_move_the_alarms(synthetic: Tuple[np.ndarray, int]) -> None:
    x, last = synthetic
    fs = 360.0
    mon = vs.Monitor(fs)
    mon.set_param("rhythm.asystole_s", 6.0)
    mon.set_param("rhythm.signal_lost_s", 5.0)
    y, cut = splice_stop(x, last, fs, "asystole")
    assert check_asystole(run_in_seconds(mon, y, fs), last, cut, fs, 6.0) >= 6.0
    mon = vs.Monitor(fs)
    mon.set_param("rhythm.signal_lost_s", 5.0)
    y, cut = splice_stop(x, last, fs, "leads off")
    assert check_leads_off(run_in_seconds(mon, y, fs), cut, fs, 5.0) <= 7.0


@pytest.mark.parametrize("record", ["100", "208"])
def test_mitdb_asystole_and_leads_off(mitdb: str, record: str) -> None:
    rec = vs.read_wfdb("%s/%s" % (mitdb, record))
    fs = rec.fs_hz
    x = rec.signals[0][: int(700 * fs)]
    ann = vs.read_annotations("%s/%s.atr" % (mitdb, record))
    beats = ann["sample_idx"][np.isin(ann["code"], BEAT_CODES)]
    last = int(beats[beats < int(600 * fs)][-1])
    y, cut = splice_stop(x, last, fs, "asystole")
    delay = check_asystole(run_in_seconds(vs.Monitor(fs), y, fs), last, cut, fs, 4.0)
    print("%s: asystole raised %.2f s after the last beat" % (record, delay))
    y, cut = splice_stop(x, last, fs, "leads off")
    delay = check_leads_off(run_in_seconds(vs.Monitor(fs), y, fs), cut, fs, 10.0)
    print("%s: leads off raised %.2f s after the signal was lost" % (record, delay))


def test_mitdb_railing_burst_is_one_technical_alarm(mitdb: str) -> None:
    """The issue's artefact: record 119 with 2 min of 12 mV, 0.3 Hz wander from 13:00 driving the
    12-bit ADC (gain 200, baseline 1024) to its rails, railed samples missing (NaN). The signal
    is unusable with short readable gaps: one technical alarm, ended after the burst, and no
    pause/asystole for what was not readable signal."""
    rec = vs.read_wfdb("%s/119" % mitdb)
    fs = rec.fs_hz
    x = rec.signals[0][: int(17 * 60 * fs)].astype(np.float64)
    t0, n = int(13 * 60 * fs), int(120 * fs)
    x[t0:t0 + n] += 12.0 * np.sin(2 * np.pi * 0.3 * np.arange(n) / fs)
    adc = np.round(x * 200.0 + 1024.0)
    y = ((adc - 1024.0) / 200.0).astype(np.float32)
    y[(adc < -2048) | (adc > 2047)] = np.nan
    ev = run_in_seconds(vs.Monitor(fs), y, fs)
    burst = ev[(ev["decided_idx"] >= t0) & (ev["decided_idx"] < t0 + n + 10 * fs)]
    lost = [e for e in burst if int(e["type"]) == vs.EVENT_ALARM and is_technical(e)]
    assert len(lost) == 1
    assert (int(lost[0]["decided_idx"]) - t0) / fs <= 12.0
    ends = [e for e in ev if int(e["type"]) == EVENT_ALARM_END and e["decided_idx"] > t0]
    assert len(ends) == 1 and t0 + n <= ends[0]["decided_idx"] <= t0 + n + 10 * fs
    assert not any(int(e["type"]) == vs.EVENT_ALARM and not is_technical(e) for e in burst)
