"""The cdef (generated from the headers at build time) against the headers, the checked-in
export list and the compiled library."""
import glob
import os
import re

import pytest

import vitalstream as vs
from vitalstream import _lowlevel
from vitalstream._lowlevel import ffi, lib

DECL = re.compile(r"\bVS_API\b[^;{]*?\b(vs_\w+)\s*\(", re.S)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def header_functions(repo, names=None):
    out = {}
    for path in sorted(glob.glob(os.path.join(repo, "include", "vitalstream", "*.h"))):
        base = os.path.basename(path)
        if names is not None and base not in names:
            continue
        with open(path) as f:
            text = strip_comments(f.read())
        for name in DECL.findall(text):
            out[name] = base
    return out


def extension_functions():
    return {n for n in dir(lib) if n.startswith("vs_") and ffi.typeof(ffi.addressof(lib, n)).kind == "function"}


def test_cdef_functions_equal_header_declarations(repo):
    declared = header_functions(repo)
    assert len(declared) > 50
    have = extension_functions()
    assert sorted(set(declared) - have) == [], "declared with VS_API but missing from the cdef"
    assert sorted(have - set(declared)) == [], "in the cdef but not declared with VS_API"


def test_checked_layer_has_one_function_per_symbol():
    have = extension_functions()
    assert set(_lowlevel.FUNCTIONS) == have
    for name in have:
        assert callable(getattr(_lowlevel, name))


def test_export_list_matches_cdef(repo):
    path = os.path.join(repo, "src", "vitalstream.exports")
    if not os.path.exists(path):
        pytest.skip("no src/vitalstream.exports")
    with open(path) as f:
        exports = {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}
    # io, eval and synth are libraries beside the core; the extension carries all of them
    beside = set(header_functions(repo, {"io.h", "eval.h", "synth.h"}))
    assert exports == extension_functions() - beside


def test_function_signatures_follow_the_header(repo):
    # Spot checks that preprocessing kept argument and result types.
    t = ffi.typeof(ffi.addressof(lib, "vs_qrs_process"))
    assert [a.cname for a in t.args] == ["struct vs_qrs *", "float *", "size_t", "struct vs_beat *",
                                         "size_t", "size_t *"]
    assert t.result is ffi.typeof("vs_status")
    assert ffi.typeof(ffi.addressof(lib, "vs_qrs_samples_seen")).result.cname == "int64_t"


ALIASES = {"vs_annot": "vs_annotation"}


def test_struct_sizes_agree_with_the_library():
    checked = 0
    for name in sorted(extension_functions()):
        m = re.fullmatch(r"(vs_\w+)_struct_size", name)
        if not m:
            continue
        ctype = ALIASES.get(m.group(1), m.group(1))
        assert ffi.sizeof(ctype) == getattr(lib, name)(), ctype
        checked += 1
    assert checked >= 3
    assert vs.BEAT_DTYPE.itemsize == ffi.sizeof("vs_beat")
    assert vs.ANNOTATION_DTYPE.itemsize == ffi.sizeof("vs_annotation")
    for field in ("sample_idx", "decided_idx", "amplitude_mv", "rr_ms", "flags"):
        assert vs.BEAT_DTYPE.fields[field][1] == ffi.offsetof("vs_beat", field)


def test_constants_from_defines():
    assert lib.VS_STATE_HEADER_SIZE == 24
    assert lib.VS_BEAT_SEARCHBACK == 1 and lib.VS_BEAT_AFTER_GAP == 2
    assert lib.VS_EC57_NCLASS == 7
    assert lib.VS_STATE_FORMAT_VERSION == lib.vs_state_format_version()


def test_version(repo):
    with open(os.path.join(repo, "CMakeLists.txt")) as f:
        m = re.search(r"project\(\s*vitalstream\s+VERSION\s+([\d.]+)", f.read())
    assert vs.__version__ == m.group(1)
    major, minor, patch = (int(v) for v in m.group(1).split("."))
    assert lib.vs_version_number() == major * 10000 + minor * 100 + patch
    from importlib.metadata import version

    assert version("vitalstream") == vs.__version__, "bump bindings/python/pyproject.toml"


def test_typed_package():
    pkg = os.path.dirname(vs.__file__)
    assert os.path.isfile(os.path.join(pkg, "py.typed"))
