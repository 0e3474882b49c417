#!/bin/sh
# test_cli_mitdb_csv.sh — `vitalstream detect 100.csv --fs 360` on MIT-BIH record 100 exported as
# PhysioNet's `rdsamp -r 100 -c -v -p` writes it (an 'Elapsed time' column of clock times, a
# units row, both signals in mV with 3 decimals), and as `rdsamp -r 100 -c -v` writes it (a
# 'sample #' column, raw ADC values, scaled by WFDB's default gain 200), gives exactly the beats of `detect 100` on the WFDB record. The export is generated here from 100.hea/100.dat by an independent format-212
# decoder (Python), so this also cross-checks the C reader. Skips (77) without the database.
# usage: tests/test_cli_mitdb_csv.sh VITALSTREAM_BINARY MITDB_DEFAULT_DIR
set -eu
vs=$1
db=${VITALSTREAM_MITDB:-$2}
if [ ! -f "$db/100.hea" ] || [ ! -f "$db/100.dat" ]; then
    echo "SKIP: MIT-BIH database not found at $db (set VITALSTREAM_MITDB to its folder)"
    exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 not found (it writes the CSV export)"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_cli_csv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$db" "$tmp/100.csv" "$tmp/100adc.csv" <<'EOF'
import sys
db, out, out_adc = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [l.split() for l in open(db + "/100.hea") if l.strip() and not l.startswith("#")]
nsig, fs, nsamp = int(lines[0][1]), float(lines[0][2]), int(lines[0][3])
sigs = lines[1:1 + nsig]
assert all(s[1] == "212" for s in sigs) and len({s[0] for s in sigs}) == 1
def gain_base(s):
    g = s[2].split("/")[0]
    if "(" in g:
        g, b = g.rstrip(")").split("(")
        return float(g), int(b)
    return float(g), int(s[4])          # no baseline: the ADC zero
gb = [gain_base(s) for s in sigs]
raw = open(db + "/" + sigs[0][0], "rb").read()
def s12(v):
    return v - 4096 if v & 0x800 else v
adc = []
for i in range(0, len(raw) - 2, 3):     # format 212: two 12-bit samples in three bytes
    b0, b1, b2 = raw[i], raw[i + 1], raw[i + 2]
    adc.append(s12(b0 | (b1 & 0x0F) << 8))
    adc.append(s12(b2 | (b1 & 0xF0) << 4))
frames = min(nsamp, len(adc) // nsig)
with open(out, "w") as f:
    f.write("'Elapsed time'," + ",".join("'%s'" % s[8] for s in sigs) + "\n")
    f.write("'hh:mm:ss.mmm'," + ",".join("'mV'" for s in sigs) + "\n")
    for t in range(frames):
        ms = int(t * 1000 / fs + 0.5)
        clock = "'%d:%02d.%03d'" % (ms // 60000, ms // 1000 % 60, ms % 1000)
        vals = ",".join("%.3f" % ((adc[t * nsig + k] - gb[k][1]) / gb[k][0]) for k in range(nsig))
        f.write(clock + "," + vals + "\n")
with open(out_adc, "w") as f:
    f.write("'sample #'," + ",".join("'%s'" % s[8] for s in sigs) + "\n")
    for t in range(frames):
        f.write("%d,%s\n" % (t, ",".join(str(adc[t * nsig + k]) for k in range(nsig))))
EOF
head -3 "$tmp/100.csv"
"$vs" detect "$db/100" -o "$tmp/wfdb.qrs"
for csv in 100 100adc; do
    "$vs" detect "$tmp/$csv.csv" --fs 360 -o "$tmp/$csv.qrs" 2>"$tmp/$csv.err"
    if ! cmp "$tmp/wfdb.qrs" "$tmp/$csv.qrs"; then
        echo "FAIL: beats from the rdsamp-style $csv.csv differ from the WFDB record's"
        exit 1
    fi
done
# integer ADC values are scaled to mV (the detectors' artefact limits are physical): said on stderr
grep -q "ADC units at 200 per mV" "$tmp/100adc.err" || { echo "FAIL: no ADC-units note"; exit 1; }
if grep -q "ADC units" "$tmp/100.err"; then echo "FAIL: mV export taken as ADC units"; exit 1; fi
"$vs" detect "$tmp/100adc.csv" --fs 360 --gain 200 -o "$tmp/gain.qrs" 2>/dev/null
cmp "$tmp/wfdb.qrs" "$tmp/gain.qrs" || { echo "FAIL: --gain 200 differs from the record"; exit 1; }
beats=$(( ($(wc -c < "$tmp/100.qrs") - 2) / 2 ))
[ "$beats" -gt 2000 ] || { echo "FAIL: only about $beats beats"; exit 1; }
echo "test_cli_mitdb_csv: rdsamp -c -v -p and -c -v exports of 100 give the WFDB record's beats exactly"
