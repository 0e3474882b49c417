#!/bin/sh
# docs.sh OUTDIR — HTML API reference of the installed `vitalstream` package (pdoc, from the
# docstrings and type annotations), with warnings as errors.
# usage: bindings/python/scripts/docs.sh OUTDIR    env: PYTHON = an interpreter (e.g. a venv's)
#        where vitalstream is installed (default python3); pdoc is pip-installed into it.
set -eu
out=${1:?usage: docs.sh OUTDIR}
py=${PYTHON:-python3}
"$py" -c 'import vitalstream' || { echo "docs.sh: vitalstream is not installed for $py" >&2; exit 1; }
"$py" -m pip install -q --disable-pip-version-check pdoc
rm -rf "$out"
"$py" -W error -m pdoc --docformat restructuredtext -o "$out" vitalstream
echo "docs.sh: $(find "$out" -name '*.html' | wc -l) pages in $out"
