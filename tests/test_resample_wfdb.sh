#!/bin/sh
# test_resample_wfdb.sh — tools/resample_wfdb (used by scripts/eval_generalization.sh to run
# MIT-BIH at 128/250/500 Hz):
#  1. a 5 Hz sine written at 360 Hz (format 16, by Python here) comes out at 250, 128 and 500 Hz
#     equal to the same sine sampled at the new times (within 0.5 % of its amplitude away from
#     the record's ends), with the header's rate and sample count;
#  2. a synthetic ECG (`vitalstream synth`, 360 Hz) resampled to each rate keeps its reference
#     beats aligned: our QRS detector scores Se and +P >= 99.5 % against the moved annotations
#     (from 5 s to 115 s: at any rate the first beat falls in the learning period and the
#     last one, in the last half second, is not decided before the record ends),
#     and the annotation file has as many beats as the original;
#  3. usage and input errors exit 1 / 2.
# usage: tests/test_resample_wfdb.sh VITALSTREAM_BINARY RESAMPLE_WFDB_BINARY
set -eu
vs=$1
rs=$2
command -v python3 >/dev/null || { echo "SKIP: python3 not found (it writes the sine record)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_resample.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$tmp/sine" <<'EOF'
import math, struct, sys
n, fs = 3600, 360.0
adc = [round(1000 * math.sin(2 * math.pi * 5 * i / fs)) for i in range(n)]
open(sys.argv[1] + ".dat", "wb").write(struct.pack("<%dh" % n, *adc))
with open(sys.argv[1] + ".hea", "w") as h:
    h.write("sine 1 360 %d\nsine.dat 16 1000 16 0 %d %d 0 sine\n" % (n, adc[0], sum(adc) & 0xFFFF))
EOF
for fs in 250 128 500; do
    "$rs" "$tmp/sine" "$tmp/sine$fs" "$fs" || fail "resample sine to $fs"
    python3 - "$tmp/sine$fs" "$fs" <<'EOF' || fail "sine at $fs Hz"
import math, struct, sys
path, fs = sys.argv[1], float(sys.argv[2])
first = open(path + ".hea").readline().split()
assert float(first[2]) == fs, first
n = int(first[3])
assert n == int(3600 * fs / 360), (n, fs)
y = struct.unpack("<%dh" % n, open(path + ".dat", "rb").read())
edge = int(0.2 * fs)
err = max(abs(y[j] - 1000 * math.sin(2 * math.pi * 5 * j / fs)) for j in range(edge, n - edge))
print("fs %g: %d samples, max error %.1f adu of 1000" % (fs, n, err))
assert err <= 5.0, err
EOF
done

"$vs" synth -o "$tmp/ecg" --fs 360 --duration 120 --hr 75 --seed 7 >/dev/null || fail "synth"
beats() { "$vs" eval --db "$1" --records "$2" --ann atr --start 0 --json | \
    python3 -c 'import json,sys; print(json.load(sys.stdin)["gross"]["tp"])'; }
for fs in 250 128 500; do
    "$rs" "$tmp/ecg" "$tmp/ecg$fs" "$fs" atr || fail "resample ecg to $fs"
    [ "$(beats "$tmp" "ecg$fs")" = "$(beats "$tmp" ecg)" ] || fail "beat count changed at $fs Hz"
    "$vs" eval --db "$tmp" --records "ecg$fs" --start 5 --end 115 --json | python3 -c '
import json, sys
g = json.load(sys.stdin)["gross"]
print("ecg at '"$fs"' Hz: Se %.2f +P %.2f" % (g["se"], g["ppv"]))
assert g["se"] >= 99.5 and g["ppv"] >= 99.5, g' || fail "QRS on the resampled ECG at $fs Hz"
done

set +e
"$rs" "$tmp/ecg" "$tmp/x" 20 >/dev/null 2>&1; [ $? -eq 1 ] || fail "fs 20 accepted"
"$rs" "$tmp/ecg" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing arguments accepted"
"$rs" "$tmp/none" "$tmp/x" 250 >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing record not exit 2"
"$rs" "$tmp/ecg" "$tmp/x" 250 nosuchext >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing annotations not exit 2"
echo "PASS"
