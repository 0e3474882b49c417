#!/usr/bin/env bash
# Sets up the peers venv (setup.sh), then runs the benchmark; arguments go to run_peers.py
# (e.g. --records 100,101 for a quick subset, --list for the detector keys).
# Writes bench/results/peers.{md,json,png}.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${PEERS_VENV:-$ROOT/build/peers-venv}
if [ "${PEERS_SKIP_SETUP:-0}" != 1 ]; then "$ROOT/bench/peers/setup.sh"; fi
# Single-threaded numerics for every detector (our detector is single-threaded; the machine has
# 2 shared cores), and no OpenBLAS core-type override that would slow numpy.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
export VS_PEERS_COMMAND="bench/peers/run.sh"
cd "$ROOT"
exec "$VENV/bin/python" bench/peers/run_peers.py "$@"
