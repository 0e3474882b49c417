#!/usr/bin/env bash
# Creates the peer benchmark's own virtual environment (default build/peers-venv, env PEERS_VENV
# overrides) with the pinned peers from requirements.txt and the vitalstream binding built from
# this checkout. Idempotent: reuses the venv, reinstalls the binding every time (C may change).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${PEERS_VENV:-$ROOT/build/peers-venv}
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
"$VENV/bin/python" -m pip install -q -r "$ROOT/bench/peers/requirements.txt"
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$ROOT/bindings/python"
"$VENV/bin/python" -c "import vitalstream, wfdb, neurokit2, sleepecg, ecgdetectors; \
print('peers venv ready:', '$VENV', 'vitalstream', vitalstream.__version__)"
