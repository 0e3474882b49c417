"""Fixtures: the repository, MIT-BIH data, and C programs built from the repository's sources
with the extension's flags (the `vitalstream` CLI and tests/c/state_tool.c)."""
import glob
import hashlib
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CFLAGS = ["-std=c11", "-O2", "-ffp-contract=off"]
MODULES = ("common", "state", "filter", "qrs", "eval", "synth", "hrv", "classify", "rhythm",
           "quality", "monitor", "io")


def _find_repo():
    env = os.environ.get("VITALSTREAM_REPO")
    cands = [env] if env else []
    cands.append(os.path.normpath(os.path.join(HERE, "..", "..", "..")))
    for c in cands:
        if c and os.path.isfile(os.path.join(c, "include", "vitalstream", "qrs.h")) and \
                os.path.isdir(os.path.join(c, "examples", "cli")):
            return c
    return None


REPO = _find_repo()


@pytest.fixture(scope="session")
def repo():
    if REPO is None:
        pytest.skip("the VitalStream repository (headers, sources) is not next to the tests; "
                    "set VITALSTREAM_REPO")
    return REPO


@pytest.fixture(scope="session")
def mitdb():
    # default: ../shared/data/mitdb beside the repository (or beside this package's folder)
    beside = os.path.join(REPO or os.path.join(HERE, "..", "..", ".."), "..", "shared", "data", "mitdb")
    d = os.environ.get("VITALSTREAM_MITDB") or os.path.normpath(beside)
    if not os.path.isfile(os.path.join(d, "100.hea")):
        pytest.skip("MIT-BIH Arrhythmia DB not found (set VITALSTREAM_MITDB to the folder with 100.hea)")
    return d


def _version_h(repo, gen):
    with open(os.path.join(repo, "CMakeLists.txt")) as f:
        major, minor, patch = re.search(r"project\(\s*vitalstream\s+VERSION\s+(\d+)\.(\d+)\.(\d+)",
                                        f.read()).groups()
    with open(os.path.join(repo, "include", "vitalstream", "version.h.in")) as f:
        text = f.read()
    for k, v in (("@PROJECT_VERSION_MAJOR@", major), ("@PROJECT_VERSION_MINOR@", minor),
                 ("@PROJECT_VERSION_PATCH@", patch),
                 ("@PROJECT_VERSION@", "%s.%s.%s" % (major, minor, patch))):
        text = text.replace(k, v)
    os.makedirs(os.path.join(gen, "vitalstream"), exist_ok=True)
    for p in (os.path.join(gen, "vitalstream", "version.h"), os.path.join(gen, "version.h")):
        with open(p, "w") as f:
            f.write(text)


@pytest.fixture(scope="session")
def c_programs(repo, tmp_path_factory):
    """{'cli': path, 'state_tool': path}: built once per session into a static archive, so a
    module that is not needed (or does not build yet) does not matter. Prebuilt programs can be
    given instead (VITALSTREAM_CLI and VITALSTREAM_STATE_TOOL): the wheel is tested that way on
    a machine without a compiler."""
    if os.environ.get("VITALSTREAM_CLI") and os.environ.get("VITALSTREAM_STATE_TOOL"):
        return {"cli": os.environ["VITALSTREAM_CLI"], "state_tool": os.environ["VITALSTREAM_STATE_TOOL"]}
    cc = os.environ.get("CC", "cc")
    if shutil.which(cc) is None or shutil.which("ar") is None:
        pytest.skip("no C compiler")
    out = str(tmp_path_factory.mktemp("cbuild"))
    gen = os.path.join(out, "gen")
    _version_h(repo, gen)
    inc = ["-I", os.path.join(repo, "include"), "-I", gen, "-I", os.path.join(gen, "vitalstream"),
           "-I", os.path.join(repo, "src")]
    srcs = []
    for m in MODULES:
        srcs += sorted(glob.glob(os.path.join(repo, "src", m, "*.c")))

    def compile_one(src):
        obj = os.path.join(out, hashlib.sha1(src.encode()).hexdigest()[:12] + ".o")
        r = subprocess.run([cc] + CFLAGS + inc + ["-c", src, "-o", obj],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        return obj if r.returncode == 0 else None

    with ThreadPoolExecutor(max_workers=2) as ex:
        objs = [o for o in ex.map(compile_one, srcs) if o]
    lib = os.path.join(out, "libvs.a")
    subprocess.run(["ar", "rcs", lib] + objs, check=True)
    progs = {}
    for name, sources in (("cli", sorted(glob.glob(os.path.join(repo, "examples", "cli", "*.c")))),
                          ("state_tool", [os.path.join(HERE, "c", "state_tool.c")])):
        exe = os.path.join(out, name)
        r = subprocess.run([cc] + CFLAGS + inc + sources + [lib, "-lcsv", "-lm", "-o", exe],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        if r.returncode != 0:
            pytest.fail("building %s failed:\n%s" % (name, r.stdout[-3000:]))
        progs[name] = exe
    # A CMake-built CLI (e.g. -O3 Release) can be compared instead: VITALSTREAM_CLI=path.
    if os.environ.get("VITALSTREAM_CLI"):
        progs["cli"] = os.environ["VITALSTREAM_CLI"]
    return progs


def synthetic_ecg(fs_hz=360.0, seconds=60.0, seed=1, hr_bpm=72.0):
    """A crude ECG in mV: Gaussian QRS spikes with jittered RR, a T wave, baseline wander and
    noise. Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n = int(fs_hz * seconds)
    t = np.arange(n) / fs_hz
    x = 0.15 * np.sin(2 * np.pi * 0.3 * t) + 0.02 * rng.standard_normal(n)
    pos = 0.5
    while pos < seconds - 0.5:
        x += 1.2 * np.exp(-0.5 * ((t - pos) / 0.010) ** 2)
        x -= 0.25 * np.exp(-0.5 * ((t - pos - 0.03) / 0.008) ** 2)
        x += 0.3 * np.exp(-0.5 * ((t - pos - 0.25) / 0.04) ** 2)
        pos += 60.0 / hr_bpm * (1.0 + 0.05 * rng.standard_normal())
    return x.astype(np.float32)


@pytest.fixture
def ecg():
    return synthetic_ecg()
