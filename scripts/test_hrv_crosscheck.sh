#!/usr/bin/env bash
# test_hrv_crosscheck.sh — compares vs_hrv_compute with NeuroKit2 (hrv_time, hrv_frequency with
# Lomb-Scargle and Welch, hrv_nonlinear, fractal_dfa) on MIT-BIH records 100 103 113 117 122 201
# (NN series from the reference .atr). Definitions and the measured table:
# tests/hrv_crosscheck/README.md.
#
# usage: scripts/test_hrv_crosscheck.sh [WORK_DIR]   (default: build-hrv-crosscheck in the repo)
# env:   VITALSTREAM_MITDB (MIT-BIH directory), PYTHON (default python3), HRV_XC_CACHE=1 reuses
#        NeuroKit2 results already computed in WORK_DIR (development only).
# Creates WORK_DIR/venv (pip: neurokit2 wfdb numpy scipy astropy), builds vitalstream_static in
# WORK_DIR/build and tests/hrv_crosscheck/hrv_json.c against it. Idempotent.
# Exit: 0 all within tolerance, 1 a comparison failed (or build error), 77 skipped (PyPI
# unreachable, or MIT-BIH absent). The table is written to WORK_DIR/table.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$repo/build-hrv-crosscheck}
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
py=${PYTHON:-python3}
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [ ! -f "$mitdb/100.atr" ]; then
    echo "test_hrv_crosscheck: SKIP - MIT-BIH not found at $mitdb (set VITALSTREAM_MITDB)"
    exit 77
fi

venv=$work/venv
if ! "$venv/bin/python" -c "import neurokit2, wfdb, numpy, scipy, astropy" 2>/dev/null; then
    index=${PIP_INDEX_URL:-https://pypi.org/simple}
    if ! "$py" - "$index" <<'PYEOF'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1].rstrip("/") + "/neurokit2/", timeout=15)
except Exception as e:
    print(f"cannot reach {sys.argv[1]}: {e}")
    sys.exit(1)
PYEOF
    then
        echo "test_hrv_crosscheck: SKIP - package index unreachable, NeuroKit2 cannot be installed"
        exit 77
    fi
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
    if ! "$venv/bin/python" -m pip install -q neurokit2 wfdb numpy scipy astropy; then
        echo "test_hrv_crosscheck: pip install failed"
        exit 1
    fi
fi

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [ ! -f "$work/build/CMakeCache.txt" ]; then
    cmake -S "$repo" -B "$work/build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$work/build" --target vitalstream_static -j2 >/dev/null
cc -std=c11 -O2 -ffp-contract=off -Wall -I"$repo/include" -I"$work/build/include" \
    "$repo/tests/hrv_crosscheck/hrv_json.c" "$work/build/libvitalstream.a" -lm -o "$work/hrv_json"

exec "$venv/bin/python" "$repo/tests/hrv_crosscheck/crosscheck.py" "$work/hrv_json" "$mitdb" \
    "$work/xc" "$work/table.md"
