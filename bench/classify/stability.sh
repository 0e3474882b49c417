#!/usr/bin/env bash
# stability.sh — how much do the beat classifier's figures move under small training changes?
# Retrains the model (tools/train_classifier) with one DS1 record left out at a time, single
# model (--bags 1, the old design) and bagged (the committed VS_CLS_BAGS), and prints per run
# the figures on MIT-BIH DS2 (report only: the test set, nothing is chosen from it) and on
# qtdb-dev, counted by the trainer over whole records (its matching, not bxb's 5-minute start).
# usage: bench/classify/stability.sh [BUILD_DIR] [DROPS]   env: VITALSTREAM_MITDB, VITALSTREAM_QTDB_DEV
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build-release}
drops=${2:-"none 101 106 119 201 208 223"}
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
qtdb=${VITALSTREAM_QTDB_DEV:-$repo/../shared/data/qtdb-dev}
tc=$build/tools/train_classifier
[ -x "$tc" ] || { echo "stability.sh: $tc not built" >&2; exit 2; }
ds2=100,103,105,111,113,117,121,123,200,202,210,212,213,214,219,221,222,228,231,232,233,234
# Se/+P of S and V from the trainer's matrix (rows N S V F O; +P over the column incl. O).
figures() {
    awk '/^test records/{on=1; next} on && $1 ~ /^[NSVFO]$/ {for (c = 2; c <= 5; c++) m[$1, c] = $c}
        END {split("N S V F O", r, " ");
             for (k = 3; k <= 4; k++) { cls = (k == 3) ? "S" : "V"; row = 0; col = 0;
                 for (c = 2; c <= 5; c++) row += m[cls, c];
                 for (i = 1; i <= 5; i++) col += m[r[i], k];
                 printf " %6.2f %6.2f", 100 * m[cls, k] / row, col ? 100 * m[cls, k] / col : 0 }}' "$1"
}
echo "bags drop   | DS2 SVEB Se +P  VEB Se +P | qtdb-dev SVEB Se +P  VEB Se +P"
for bags in 1 11; do
    for drop in $drops; do
        "$tc" --db "$mitdb" --bags $bags --drop "$drop" --test-db "$mitdb" --test-records $ds2 \
            > /tmp/vs_stab_ds2.$$ 2>/dev/null
        "$tc" --db "$mitdb" --bags $bags --drop "$drop" --test-db "$qtdb" > /tmp/vs_stab_qt.$$ 2>/dev/null
        printf "%-4s %-6s|%s |%s\n" $bags "$drop" "$(figures /tmp/vs_stab_ds2.$$)" "$(figures /tmp/vs_stab_qt.$$)"
    done
done
rm -f /tmp/vs_stab_ds2.$$ /tmp/vs_stab_qt.$$
