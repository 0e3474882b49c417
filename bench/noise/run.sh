#!/usr/bin/env bash
# The in-house noise stress test, full size (the ctest test_noise_stress is its light variant).
# Builds tests/noise/noise_stress, runs it on DS2 (and DS1, the tuning records) with the three
# noise kinds at 24, 18, 12, 6, 0 and -6 dB, optionally scores the peer (gqrs) on the same noisy
# signals, and writes bench/results/noise.md plus the raw lines in bench/results/noise/*.tsv.
#
#   bench/noise/run.sh [--no-peer] [--peer-kinds em] [--before-bin PATH]
#
# --no-peer        skip gqrs (the slow part: wfdb's pure-Python gqrs, ~20 s per 30-min signal)
# --peer-kinds K   noise kinds gqrs is run on (default em, the NST DB's own kind; "em,ma,bw" all)
# --before-bin P   a noise_stress binary built from an older tree, for the before/after columns
# Env: VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repo), NOISE_BUILD (build dir,
# default build/noise), PYTHON (python3). The peer's venv is $NOISE_BUILD/venv (pip: wfdb).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${NOISE_BUILD:-$ROOT/build/noise}
MITDB=${VITALSTREAM_MITDB:-$ROOT/../shared/data/mitdb}
PY=${PYTHON:-python3}
PEER=1
PEER_KINDS=em
BEFORE_BIN=
while [ $# -gt 0 ]; do
    case "$1" in
        --no-peer) PEER=0 ;;
        --peer-kinds) PEER_KINDS=$2; shift ;;
        --before-bin) BEFORE_BIN=$2; shift ;;
        *) echo "usage: $0 [--no-peer] [--peer-kinds em,ma,bw] [--before-bin PATH]" >&2; exit 2 ;;
    esac
    shift
done
if [ ! -f "$MITDB/100.hea" ]; then
    echo "noise stress: MIT-BIH not found at $MITDB (set VITALSTREAM_MITDB)" >&2
    exit 1
fi
SNRS=24,18,12,6,0,-6
KINDS=em,ma,bw
DS2=100,103,105,111,113,117,121,123,200,202,210,212,213,214,219,221,222,228,231,232,233,234
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=ON > /dev/null
cmake --build "$BUILD" -j2 --target noise_stress > /dev/null
TOOL="$BUILD/tests/noise_stress"
OUT="$ROOT/bench/results/noise"
mkdir -p "$OUT"
PEER_DIR="$BUILD/peer"
PEER_ARGS=()
if [ "$PEER" = 1 ]; then
    VENV="$BUILD/venv"
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q -r "$ROOT/bench/noise/requirements.txt"
    mkdir -p "$PEER_DIR"
    # one record at a time (its signals are ~2.6 MB each); records already scored are skipped
    for r in ${DS2//,/ }; do
        last=${PEER_KINDS##*,}
        [ -f "$PEER_DIR/${r}_${last}_-6.beats" ] && continue
        "$TOOL" --db "$MITDB" --records "$r" --noise "$PEER_KINDS" --snr "$SNRS" --dump "$PEER_DIR" > /dev/null
        "$VENV/bin/python" "$ROOT/bench/noise/gqrs_beats.py" "$PEER_DIR"
    done
    PEER_ARGS=(--peer "$PEER_DIR")
fi
start=$(date +%s)
"$TOOL" --db "$MITDB" --records "$DS2" --noise "$KINDS" --snr "$SNRS" "${PEER_ARGS[@]}" > "$OUT/ds2.tsv"
echo "noise stress: DS2 ($((22 * 19)) runs) in $(( $(date +%s) - start )) s" >&2
"$TOOL" --db "$MITDB" --records ds1 --noise "$KINDS" --snr "$SNRS" > "$OUT/ds1.tsv"
BEFORE_ARGS=()
if [ -n "$BEFORE_BIN" ]; then
    "$BEFORE_BIN" --db "$MITDB" --records "$DS2" --noise "$KINDS" --snr "$SNRS" > "$OUT/ds2_before.tsv"
fi
[ -f "$OUT/ds2_before.tsv" ] && BEFORE_ARGS=(--before "$OUT/ds2_before.tsv")
"$PY" "$ROOT/bench/noise/report.py" --after "$OUT/ds2.tsv" "${BEFORE_ARGS[@]}" --ds1 "$OUT/ds1.tsv" \
    --intro "$ROOT/bench/noise/intro.md" > "$ROOT/bench/results/noise.md"
echo "noise stress: wrote bench/results/noise.md" >&2
