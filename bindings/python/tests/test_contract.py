"""The binding contract (docs/CONTRACT.md) on the shared vectors of tests/contract/cases.json —
the same cases bindings/wasm/test/contract.test.mjs runs against the JavaScript binding."""
import json
import math
import os
import re
import warnings

import numpy as np
import pytest

import vitalstream as vs

CLASSES = {"qrs": vs.QRSDetector, "monitor": vs.Monitor}


def load_cases():
    from conftest import REPO

    if REPO is None:
        return []
    with open(os.path.join(REPO, "tests", "contract", "cases.json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


CASES = load_cases()


def blob(of: str) -> bytes:
    obj = CLASSES[of](360)
    obj.process(np.sin(np.arange(2000, dtype=np.float32) / 20))
    return obj.save_state()


def special(v):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v) if isinstance(v, str) else v


def decode(v):
    """A case value as the Python caller would pass it."""
    if not isinstance(v, dict) or "$" not in v:
        return v
    kind = v["$"]
    if kind in ("f32", "f64", "i16"):
        return np.array([special(x) for x in v["v"]], dtype={"f32": np.float32, "f64": np.float64,
                                                              "i16": np.int16}[kind])
    if kind == "bool":
        return np.array(v["v"], dtype=bool)
    if kind == "raw":
        return bytes(v["v"])
    if kind == "num":
        return float(special(v["v"]))
    if kind == "state":
        b = bytearray(blob(v["of"]))
        if "flip" in v:
            b[v["flip"]] ^= 0xFF
        b += bytes(v.get("append", 0))
        del b[len(b) - v.get("cut", 0):]
        return {"bytes": bytes, "buffer": bytearray, "view": memoryview}[v["as"]](b)
    raise ValueError("unknown value kind %r" % kind)


def run(case):
    op = case["op"]
    if op == "construct":
        obj = CLASSES[case["class"]](decode(case["fs"]))
        return {"obj": obj}
    if op == "process":
        obj = CLASSES[case["class"]](360)
        try:
            obj.process(decode(case["samples"]))
        except Exception:
            assert obj.samples_seen == 0, "a rejected call consumed samples"
            raise
        return {"samples_seen": obj.samples_seen}
    if op == "from_state":
        return {"samples_seen": CLASSES[case["class"]].from_state(decode(case["state"])).samples_seen}
    if op == "load_state":
        obj = CLASSES[case["class"]](360)
        obj.load_state(decode(case["state"]))
        return {"samples_seen": obj.samples_seen}
    if op == "set_param":
        m = vs.Monitor(360)
        name = "%s.%s" % (case["part"], case["name"])
        m.set_param(name, decode(case["value"]))
        return {"value": m.get_param(name)}
    if op == "hrv":
        kwargs = dict(case.get("options", {}))
        exclude = case.get("exclude")
        return vs.hrv(decode(case["rr"]), exclude=exclude, **kwargs)
    if op == "monitor_hrv":
        return vs.Monitor(360).hrv(**case.get("options", {}))
    raise ValueError("unknown op %r" % op)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_contract_case(case):
    want = case["expect"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warning may leak out of the binding
        if want.get("ok"):
            got = run(case)
            for k, v in want.items():
                if k != "ok":
                    assert got[k] == pytest.approx(v), k
            return
        cls = TypeError if want["error"] == "TypeError" else vs.VitalStreamError
        with pytest.raises(cls) as ei:
            run(case)
    e = ei.value
    if cls is TypeError:
        assert not isinstance(e, vs.VitalStreamError)
    if "code" in want:
        assert e.code == want["code"], str(e)
    if "message" in want:
        assert re.search(want["message"], str(e)), str(e)


def test_the_vectors_are_there():
    if not CASES:
        pytest.skip("tests/contract/cases.json not found (repository not next to the tests)")
    assert len(CASES) >= 50


def test_param_names_reach_c():
    """Every "part.name" (the names JS Monitor.paramNames() gives too) resolves in C: the bounds
    hold the default a new monitor has."""
    names = vs.Monitor.param_names()
    for part in ("qrs", "classifier", "quality", "rhythm", "hrv_window"):
        assert any(n.startswith(part + ".") for n in names), part
    m = vs.Monitor(360)
    for n in names:
        lo, hi, default = vs.Monitor.param_bounds(n)
        assert lo <= default <= hi and m.get_param(n) == default, n
