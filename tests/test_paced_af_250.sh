#!/bin/sh
# test_paced_af_250.sh — MIT-BIH record 104 (paced, no AF) resampled to 250 Hz gets no AF.
# At 250 Hz the detector's fiducial point on the wide paced complexes jumps between the pacing
# spike and the late QRS, ~140 ms apart, and the classifier calls such beats N: their intervals
# looked like AF (85 s of it before run_shape.c's moved-fiducial rule; none at 360 Hz). Runs the
# whole monitor (`vitalstream eval --rhythm`) on 104 at 250 and at 128 Hz (tools/resample_wfdb).
# Skips (77) without the database.
# usage: tests/test_paced_af_250.sh VITALSTREAM_BINARY RESAMPLE_WFDB_BINARY MITDB_DEFAULT_DIR
set -eu
vs=$1
rs=$2
db=${VITALSTREAM_MITDB:-$3}
if [ ! -f "$db/104.hea" ] || [ ! -f "$db/104.dat" ] || [ ! -f "$db/104.atr" ]; then
    echo "SKIP: MIT-BIH record 104 not found in $db (set VITALSTREAM_MITDB to its folder)"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_paced.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
for fs in 250 128; do
    mkdir -p "$tmp/$fs"
    "$rs" "$db/104" "$tmp/$fs/104" "$fs" atr > /dev/null || fail "resample 104 to $fs Hz"
    echo 104 > "$tmp/$fs/RECORDS"
    "$vs" eval --rhythm --db "$tmp/$fs" --records 104 > "$tmp/$fs/out.txt" 2>/dev/null ||
        fail "eval --rhythm at $fs Hz"
    # the record's row: Record TPs FN TPp FP ESe E+P DSe D+P RefDur TestDur
    af=$(awk '$1 == "104" && NF == 11 {print $11}' "$tmp/$fs/out.txt")
    [ -n "$af" ] || fail "no row for 104 at $fs Hz"
    echo "104 at $fs Hz: $af s of AF called"
    [ "$af" = "0.0" ] || fail "104 at $fs Hz: $af s of false AF"
done
echo "test_paced_af_250: record 104 at 250 and 128 Hz gets no AF"
