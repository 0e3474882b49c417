"""cffi builder of vitalstream._vitalstream (out-of-line API mode).

The cdef is not written by hand: the public headers include/vitalstream/*.h are run through the
C preprocessor (with empty stand-ins for <stddef.h>/<stdint.h>, whose types cffi knows) and the
result is given to ffi.cdef. Integer #defines named VS_* are kept as cffi constants.
tests/test_cdef.py checks the functions of the extension against the VS_API declarations.

C sources: the core modules and src/io (which needs libcsv, linked from the system: Debian
libcsv-dev to build, libcsv3 to run). Flags -O2 -ffp-contract=off give the same floating-point
results as the C library built by CMake.
"""
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))
CSRC = "_csrc"  # copy of the C tree (setup.py), relative to HERE
CORE_MODULES = ("common", "state", "filter", "qrs", "eval", "synth", "hrv", "classify", "rhythm",
                "quality", "monitor", "io")
UMBRELLA = "vitalstream.h"  # includes the CMake-generated version.h; every module is listed anyway
# Developer escape hatch while a module is half-written in the tree: VITALSTREAM_EXCLUDE=a,b
# leaves out src/a/*.c and include/vitalstream/a.h (never set in CI).
EXCLUDE = tuple(m for m in os.environ.get("VITALSTREAM_EXCLUDE", "").split(",") if m)
CFLAGS = ["-std=c11", "-O2", "-ffp-contract=off", "-fvisibility=hidden"]


def repo_root():
    """The repository two levels up, if this is a checkout (not an sdist)."""
    root = os.path.normpath(os.path.join(HERE, "..", ".."))
    if os.path.isfile(os.path.join(root, "include", "vitalstream", "common.h")) and os.path.isdir(
        os.path.join(root, "src")
    ):
        return root
    return None


def tree_files(root):
    """Relative paths of everything the build needs from a C tree, sorted."""
    out = ["CMakeLists.txt"]
    out += [os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "include", "vitalstream", "*"))]
    for mod in CORE_MODULES:
        for ext in ("*.c", "*.h"):
            out += [os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "src", mod, ext))]
    return sorted(f for f in out if os.path.isfile(os.path.join(root, f)))


def c_tree():
    copy = os.path.join(HERE, CSRC)
    if os.path.isfile(os.path.join(copy, "include", "vitalstream", "common.h")):
        return copy
    root = repo_root()
    if root is None:
        raise RuntimeError("vitalstream: C sources not found (neither %s nor the repository)" % copy)
    return root


def project_version(tree):
    with open(os.path.join(tree, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(\s*vitalstream\s+VERSION\s+(\d+)\.(\d+)\.(\d+)", f.read())
    if not m:
        raise RuntimeError("vitalstream: no project(... VERSION x.y.z) in CMakeLists.txt")
    return tuple(int(v) for v in m.groups())


def write_version_header(tree, gen_dir):
    """The version.h CMake would generate from version.h.in."""
    major, minor, patch = project_version(tree)
    with open(os.path.join(tree, "include", "vitalstream", "version.h.in"), encoding="utf-8") as f:
        text = f.read()
    text = (text.replace("@PROJECT_VERSION_MAJOR@", str(major))
                .replace("@PROJECT_VERSION_MINOR@", str(minor))
                .replace("@PROJECT_VERSION_PATCH@", str(patch))
                .replace("@PROJECT_VERSION@", "%d.%d.%d" % (major, minor, patch)))
    os.makedirs(os.path.join(gen_dir, "vitalstream"), exist_ok=True)
    for path in (os.path.join(gen_dir, "vitalstream", "version.h"), os.path.join(gen_dir, "version.h")):
        old = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                old = f.read()
        if old != text:  # keep the mtime when unchanged (no needless rebuild)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


def public_headers(tree):
    hdrs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(tree, "include", "vitalstream", "*.h")))
    return [h for h in hdrs if h != UMBRELLA and h[:-2] not in EXCLUDE]


_INT_DEFINE = re.compile(r"^#define\s+(VS_\w+)\s+\(?\s*(-?(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*\s*\)?\s*$")


def preprocess_headers(tree, cc=None):
    """(cdef text, {name: int}) from the public headers."""
    cc = shlex.split(cc or os.environ.get("CC") or "cc")
    with tempfile.TemporaryDirectory() as tmp:
        stub = os.path.join(tmp, "stub")
        os.makedirs(stub)
        for name in ("stddef.h", "stdint.h"):
            with open(os.path.join(stub, name), "w") as f:
                f.write("/* cffi knows size_t, int64_t, ... */\n")
        top = os.path.join(tmp, "all.h")
        with open(top, "w") as f:
            for h in public_headers(tree):
                f.write('#include "vitalstream/%s"\n' % h)
        cmd = cc + ["-E", "-P", "-dD", "-nostdinc", "-I", stub, "-I", os.path.join(tree, "include"), top]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    code, consts = [], {}
    for line in out.splitlines():
        if line.startswith("#"):
            m = _INT_DEFINE.match(line)
            if m:
                consts[m.group(1)] = int(m.group(2), 0)
            continue
        if line.strip():
            code.append(line)
    return "\n".join(code) + "\n", consts


def make_ffi():
    tree = c_tree()
    cdef, consts = preprocess_headers(tree)
    ffi = FFI()
    ffi.cdef(cdef)
    ffi.cdef("".join("#define %s %d\n" % (k, v) for k, v in sorted(consts.items())))
    gen_dir = os.path.join(HERE, "build", "vs_generated")
    write_version_header(tree, gen_dir)
    includes = "".join('#include "vitalstream/%s"\n' % h for h in public_headers(tree))
    sources = []
    for mod in CORE_MODULES:
        if mod in EXCLUDE:
            continue
        sources += sorted(glob.glob(os.path.join(tree, "src", mod, "*.c")))
    # Paths relative to setup.py keep the object files under build/ (setuptools wants them so).
    sources = [os.path.relpath(s, HERE) for s in sources]
    # Headers too, so that a header change rebuilds the extension.
    depends = sorted(os.path.relpath(h, HERE) for h in glob.glob(os.path.join(tree, "include", "vitalstream", "*.h"))
                     + glob.glob(os.path.join(tree, "src", "*", "*.h")))
    libraries = ["csv"]
    if sys.platform != "win32":
        libraries.append("m")
    ffi.set_source(
        "vitalstream._vitalstream",
        includes,
        sources=sources,
        depends=depends,
        include_dirs=[os.path.join(tree, "include"), gen_dir, os.path.join(gen_dir, "vitalstream"),
                      os.path.join(tree, "src")],
        libraries=libraries,
        extra_compile_args=CFLAGS,
    )
    return ffi


if __name__ != "build_ffi":  # setup.py imports the helpers only; cffi_modules runs the file
    ffi = make_ffi()

if __name__ == "__main__":
    ffi.compile(verbose=True)
