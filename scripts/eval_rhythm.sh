#!/usr/bin/env bash
# eval_rhythm.sh — AF detection on the MIT-BIH Arrhythmia Database (channel 0, all 48 records,
# scored as PhysioNet's `epicmp -A`), written to bench/results/mitdb_af.md.
# usage: scripts/eval_rhythm.sh [vitalstream binary]   env: VITALSTREAM_MITDB
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
vs=${1:-$repo/build-release/vitalstream}
[ -f "$mitdb/RECORDS" ] || { echo "eval_rhythm: no MIT-BIH at $mitdb - skipped"; exit 0; }
out=$repo/bench/results/mitdb_af.md
{
    echo "# Atrial fibrillation detection on the MIT-BIH Arrhythmia Database"
    echo
    echo "Produced by \`scripts/eval_rhythm.sh\` on $(date -u +%Y-%m-%d) ($(uname -m))."
    echo "\`vitalstream eval --rhythm --db mitdb\`: the whole pipeline (\`vs_monitor\`: QRS, beat"
    echo "classifier, quality gate, \`vs_rhythm\`) on channel 0, or with \`--labels\` our QRS detector"
    echo "feeding \`vs_rhythm\` with given beat labels; every rhythm change becomes a RHYTHM"
    echo "annotation and AF episodes are scored against the RHYTHM annotations of the \`.atr\` files"
    echo "with the rules of \`epicmp -A\`"
    echo "(scoring from 5:00 to the end of the record; atrial flutter counts as non-AF, EC57)."
    echo "Columns as \`epicmp -l\`: TPs/FN reference episodes found/missed, TPp/FP test episodes"
    echo "true/false, ESe/E+P episode, DSe/D+P duration sensitivity / positive predictivity (%)."
    echo "Target: gross DSe >= 90 % and D+P >= 90 %."
    echo
    echo "## Full pipeline (vs_monitor, its own beat classes and signal quality)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" 2>/dev/null
    echo '```'
    echo
    echo "## Beat labels: all N (no classifier)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --labels n 2>/dev/null
    echo '```'
    echo
    echo "## Beat labels: AAMI class of the reference beat within 150 ms (ideal classifier)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --labels ref 2>/dev/null
    echo '```'
    echo
    echo "## Beat labels: reference V beats only, everything else N (a PVC-only classifier)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --labels v 2>/dev/null
    echo '```'
    echo
    echo "## Reference against itself (evaluator check: must be 100 %)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --ann atr 2>/dev/null | grep -E "^Record|^Gross"
    echo '```'
    echo
    echo "## Status"
    echo
    echo "The 90 %/90 % target is not met: duration Se is about 88-91 % in every mode, duration +P"
    echo "is 58 % (all N) to 79 % (reference classes). False AF comes from R-wave jitter on the"
    echo "paced record 104, from frequent unlabelled ectopy (200, 208), and, in every mode, from"
    echo "atrial flutter with variable block and short non-AF stretches inside the AF records"
    echo "(203, 219, 222, 201; AFL counts as non-AF under EC57). RR intervals alone cannot tell"
    echo "AFL with variable conduction from AF; that needs atrial activity from the waveform."
    echo "The defaults favour sensitivity. A partial grid (AF_WINDOW 24; AF_ON_FRACTION 0.4-0.5,"
    echo "AF_OFF_FRACTION 0.15-0.25, AF_DRR_RATIO 0.10-0.14; eval --rhythm --param ID=V)"
    echo "found no setting with both figures above 80 %: the best balance is about 82 % / 77 %"
    echo "(vs_monitor) and 80 % / 80 % (reference classes), at W 24, on 0.4, off 0.2, dRR 0.14."
} > "$out"
grep -E "^## |^Gross" "$out"
