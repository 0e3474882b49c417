#!/usr/bin/env bash
# The two MIT-BIH records that PhysioNet's Noise Stress Test Database is built from (118 and 119,
# both DS1) with the in-house electrode-motion noise at every NST SNR, ours against gqrs record by
# record: the closest in-house stand-in for the NST DB's own records (118e24 ... 119e_6), whose
# real noise is not available here. Writes bench/results/noise_118_119.md.
#
#   bench/noise/nst_records.sh
#
# Env: VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repo), NOISE_BUILD (build dir,
# default build/noise, shared with bench/noise/run.sh and its gqrs venv), PYTHON (python3).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${NOISE_BUILD:-$ROOT/build/noise}
MITDB=${VITALSTREAM_MITDB:-$ROOT/../shared/data/mitdb}
PY=${PYTHON:-python3}
if [ ! -f "$MITDB/118.hea" ]; then
    echo "nst_records: MIT-BIH not found at $MITDB (set VITALSTREAM_MITDB)" >&2
    exit 1
fi
SNRS=24,18,12,6,0,-6
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=ON > /dev/null
cmake --build "$BUILD" -j2 --target noise_stress > /dev/null
TOOL="$BUILD/tests/noise_stress"
VENV="$BUILD/venv"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q -r "$ROOT/bench/noise/requirements.txt"
PEER_DIR=$(mktemp -d)
trap 'rm -rf "$PEER_DIR"' EXIT
for r in 118 119; do
    "$TOOL" --db "$MITDB" --records "$r" --noise em --snr "$SNRS" --dump "$PEER_DIR" > /dev/null
    "$VENV/bin/python" "$ROOT/bench/noise/gqrs_beats.py" "$PEER_DIR" >&2
done
TSV="$PEER_DIR/nst.tsv"
"$TOOL" --db "$MITDB" --records 118,119 --noise em --snr "$SNRS" --peer "$PEER_DIR" > "$TSV"
OUT="$ROOT/bench/results/noise_118_119.md"
{
    echo "# NST records 118 and 119: in-house electrode motion, ours against gqrs"
    echo
    echo "Produced by \`bench/noise/nst_records.sh\` on $(date -u +%Y-%m-%d): \`tests/noise/noise_stress\`"
    echo "(the protocol and the em generator of [noise.md](noise.md): 2-minute bursts from 5:00, SNR as"
    echo "\`nst\` defines it) on MIT-BIH 118 and 119, the records of the NST DB, channel 0, EC57 from"
    echo "5:00; gqrs is the PyPI \`wfdb\` port, scored by the same comparator on the same signals."
    echo "Both records are DS1 (tuning data)."
    echo
    echo "| record | SNR dB | ours Se % | ours +P % | gqrs Se % | gqrs +P % | Se ≥ gqrs | +P ≥ gqrs |"
    echo "|---|---|---:|---:|---:|---:|---|---|"
    awk -F'\t' 'NR > 1 {
        se = 100 * $4 / ($4 + $5); pp = 100 * $4 / ($4 + $6)
        gse = 100 * $18 / ($18 + $19); gpp = 100 * $18 / ($18 + $20)
        printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s |\n", $1, $3, se, pp, gse, gpp,
               ($4 * ($18 + $19) >= $18 * ($4 + $5)) ? "yes" : "**no**",
               ($4 * ($18 + $20) >= $18 * ($4 + $6)) ? "yes" : "**no**"
    }' "$TSV"
} > "$OUT"
echo "nst_records: wrote $OUT" >&2
