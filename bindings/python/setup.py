"""Build of the vitalstream extension (cffi out-of-line API mode).

The extension is compiled from the C sources of the repository. They are copied into _csrc/
next to this file before the build (only when the repository is found two levels up and the
copy differs), so that object files stay inside build/ and an sdist carries them: a build from
the sdist or from a wheel build of the sdist finds _csrc/ and needs no repository.
"""
import filecmp
import os
import shutil
import sys

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_ffi  # noqa: E402  (same folder; also used by cffi_modules)


def _sync_c_tree() -> None:
    repo = build_ffi.repo_root()
    if repo is None:
        return  # sdist: _csrc/ is already there
    dest = os.path.join(HERE, build_ffi.CSRC)
    wanted = build_ffi.tree_files(repo)
    have = build_ffi.tree_files(dest) if os.path.isdir(dest) else []
    if wanted == have and all(
        filecmp.cmp(os.path.join(repo, f), os.path.join(dest, f), shallow=False) for f in wanted
    ):
        return
    # Copy to a private folder, then swap it in, so a concurrent build sees a whole tree.
    # shutil.copy (not copy2): fresh mtimes, so build_ext sees the sources as newer than an
    # extension built before, even if a file changed while that build was running.
    tmp = dest + ".tmp-%d" % os.getpid()
    shutil.rmtree(tmp, ignore_errors=True)
    for f in wanted:
        os.makedirs(os.path.dirname(os.path.join(tmp, f)), exist_ok=True)
        shutil.copy(os.path.join(repo, f), os.path.join(tmp, f))
    old = dest + ".old-%d" % os.getpid()
    if os.path.isdir(dest):
        os.replace(dest, old)
    os.replace(tmp, dest)
    shutil.rmtree(old, ignore_errors=True)


def _sync_license_files() -> None:
    """LICENSE and NOTICE of the repository next to pyproject.toml (license-files; an sdist
    carries them)."""
    repo = build_ffi.repo_root()
    if repo is None:
        return
    for name in ("LICENSE", "NOTICE"):
        src, dst = os.path.join(repo, name), os.path.join(HERE, name)
        if os.path.isfile(src) and not (os.path.isfile(dst) and filecmp.cmp(src, dst, shallow=False)):
            shutil.copy(src, dst)


_sync_c_tree()
_sync_license_files()
# cffi compiles the extension against the stable ABI (Py_LIMITED_API, the .abi3.so suffix), so
# one wheel serves every CPython >= 3.9 (requires-python): tag it cp39-abi3.
setup(cffi_modules=["build_ffi.py:ffi"],
      version="%d.%d.%d" % build_ffi.project_version(build_ffi.c_tree()),
      options={"bdist_wheel": {"py_limited_api": "cp39"}})
