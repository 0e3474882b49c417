#!/bin/sh
# build_python_docs.sh OUT — HTML reference of the Python package `vitalstream` with pdoc, into
# OUT/python. pdoc imports the package, so a fresh venv (OUT/py-venv) gets pdoc from PyPI and
# the package: the wheel from dist/ when scripts/build_wheels.sh made one (what users install),
# else built from bindings/python. Any Python warning while documenting is an error.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: docs/build_python_docs.sh OUTDIR}
py=${PYTHON:-python3}
venv=$out/py-venv
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check pdoc
wheel=$(ls "${VS_DIST:-$repo/dist}"/vitalstream-*manylinux*.whl 2>/dev/null | head -1 || true)
if [ -n "$wheel" ]; then
    "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall "$wheel"
else
    "$venv/bin/pip" install -q --disable-pip-version-check "$repo/bindings/python"
fi
rm -rf "$out/python"
"$venv/bin/python" -W error -m pdoc vitalstream -o "$out/python"
[ -f "$out/python/vitalstream.html" ] || { echo "build_python_docs: no vitalstream.html" >&2; exit 1; }
echo "ok: Python reference $out/python/vitalstream.html (from ${wheel:-bindings/python})"
