#!/bin/sh
# test_python.sh — build and test the Python binding (bindings/python, package `vitalstream`).
# Idempotent; as root it installs what is missing (Debian: build-essential, libcsv-dev,
# python3-venv, python3-dev). Steps:
#   1. venv BUILD/venv: pip install numpy cffi pytest build, then pip install ./bindings/python
#   2. pytest bindings/python/tests (MIT-BIH tests skip without the database)
#   3. mypy --strict on the installed package and the README example (tests/check_types.py)
#   4. the binding overhead benchmark when VS_PY_BENCH=1 (writes bench/results/python_overhead.md)
# The distributions (sdist + manylinux wheel, scripts/build_wheels.sh) and the wheel in a fresh
# venv without compiler or system libcsv: scripts/check_wheel.sh (CI step `packaging`).
# Exit status non-zero on any failure.
#
# env: VS_PY_BUILD        build folder (default: build-python in the repository)
#      VITALSTREAM_MITDB  MIT-BIH Arrhythmia DB (default ../shared/data/mitdb beside the
#                         repository; optional)
#      PYTHON             interpreter to make the venvs with (default python3)
#      VS_PY_PYTEST_ARGS  extra pytest arguments (e.g. "-k 'not leaks'")
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/bindings/python
b=${VS_PY_BUILD:-$root/build-python}
py=${PYTHON:-python3}
: "${VITALSTREAM_MITDB:=$root/../shared/data/mitdb}"
export VITALSTREAM_MITDB VITALSTREAM_REPO="$root"
step() { printf '\n=== test_python: %s\n' "$*"; }

# ---- 0. tools ---------------------------------------------------------------------------------
need=""
command -v cc >/dev/null 2>&1 || need="$need build-essential"
[ -f /usr/include/csv.h ] || need="$need libcsv-dev"
command -v "$py" >/dev/null 2>&1 || need="$need python3"
if command -v "$py" >/dev/null 2>&1; then
    "$py" -c 'import venv, ensurepip' >/dev/null 2>&1 || need="$need python3-venv"
    "$py" -c 'import os, sysconfig, sys; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
        || need="$need python3-dev"
fi
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ]; then
        step "installing:$need"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        # shellcheck disable=SC2086
        apt-get install -y -q $need
    else
        echo "test_python: missing:$need (run as root to install them)" >&2
        exit 2
    fi
fi
mkdir -p "$b"

# Fresh venv with the test tools; $1 = folder.
mkvenv() {
    "$py" -m venv --clear "$1"
    "$1/bin/python" -m pip install -q --disable-pip-version-check numpy cffi pytest build
}
# The suite, run from outside the source folder so the installed package is the one imported.
run_tests() {
    # shellcheck disable=SC2086
    (cd "$b" && eval "\"\$1/bin/python\" -m pytest -q -p no:cacheprovider \"\$pkg/tests\" ${VS_PY_PYTEST_ARGS:-}")
}

# ---- 1-2. pip install ./bindings/python + tests -------------------------------------------------
step "venv + pip install ./bindings/python"
[ -x "$b/venv/bin/python" ] || mkvenv "$b/venv"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check numpy cffi pytest build
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$pkg"
step "pytest (pip install from the tree)"
run_tests "$b/venv"

# ---- 3. types --------------------------------------------------------------------------------
step "mypy --strict (package + README example)"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check mypy
"$b/venv/bin/python" "$pkg/tests/check_types.py"

# ---- 4. overhead benchmark (optional) ------------------------------------------------------------
if [ "${VS_PY_BENCH:-0}" = 1 ]; then
    step "binding overhead benchmark"
    "$b/venv/bin/python" "$root/bench/python/overhead.py" --build "$b/bench"
fi
step "all Python binding checks passed"
