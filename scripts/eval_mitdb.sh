#!/usr/bin/env bash
# eval_mitdb.sh — accuracy of the QRS detector on the MIT-BIH Arrhythmia Database (channel 0,
# all 48 records, EC57/bxb rules), written to bench/results/mitdb_qrs.md.
# usage: scripts/eval_mitdb.sh [vitalstream binary]   env: VITALSTREAM_MITDB
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
vs=${1:-$repo/build-release/vitalstream}
[ -f "$mitdb/RECORDS" ] || { echo "eval_mitdb: no MIT-BIH at $mitdb - skipped"; exit 0; }
out=$repo/bench/results/mitdb_qrs.md
{
    echo "# QRS detection on the MIT-BIH Arrhythmia Database"
    echo
    echo "Produced by \`scripts/eval_mitdb.sh\` on $(date -u +%Y-%m-%d) ($(uname -m), $(nproc) cores)."
    echo "\`vitalstream eval --db mitdb\`: channel 0 of every record, EC57 rules as \`bxb\`"
    echo "(150 ms window, scoring from 5:00 to the end; VF episodes excluded as bxb does)."
    echo
    echo '```'
    "$vs" eval --db "$mitdb" 2>/dev/null
    echo '```'
} > "$out"
grep -E "^Gross|^Average" "$out"
