#!/usr/bin/env bash
# eval_generalization.sh — does what works on MIT-BIH hold elsewhere? (issue 15) One run prints
# and writes to bench/results/generalization.md:
#   (a) QRS detection on qtdb-dev (QT Database records from other databases, 250 Hz, channel 0,
#       EC57 rules scored from the start) with the worst records;
#   (b) beat classes (VEB/SVEB, bxb -L) on qtdb-dev and on MIT-BIH DS2, both confusion matrices;
#   (c) AF episodes / duration (epicmp -A) on the MIT-BIH records with AF, scored from 5:00 and
#       from the first beat (also resampled to 200 Hz), leave-one-record-out figures
#       (bench/af/af_loo.py), synthetic AF and sinus arrhythmia at 128-1000 Hz
#       (bench/af/synthetic.sh);
#   (d) MIT-BIH resampled to 128, 250 and 500 Hz (tools/resample_wfdb) against the native 360 Hz:
#       QRS detection, DS2 beat classes and AF duration.
# usage: scripts/eval_generalization.sh [BUILD_DIR]   (default build-release; needs the CLI and
#        tools: -DVITALSTREAM_BUILD_CLI=ON)   env: VITALSTREAM_MITDB, VITALSTREAM_QTDB_DEV
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build-release}
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
qtdb=${VITALSTREAM_QTDB_DEV:-$repo/../shared/data/qtdb-dev}
vs=$build/vitalstream
resample=$build/tools/resample_wfdb
[ -x "$vs" ] || { echo "eval_generalization: $vs not built" >&2; exit 2; }
[ -f "$mitdb/RECORDS" ] || { echo "eval_generalization: no MIT-BIH at $mitdb - skipped"; exit 0; }
[ -f "$qtdb/RECORDS" ] || { echo "eval_generalization: no qtdb-dev at $qtdb - skipped"; exit 0; }
ds2=100,103,105,111,113,117,121,123,200,202,210,212,213,214,219,221,222,228,231,232,233,234
af_records=201,202,203,210,219,221,222
out=$repo/bench/results/generalization.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Per-record rows of an `eval` QRS table (record TP FN FP Se +P): the 3 lowest by +P and by Se.
worst() {
    awk '$1 != "Record" && $1 != "Gross" && $1 != "Average" && NF == 6 && $2 ~ /^[0-9]+$/' "$1" \
        > "$tmp/rows"
    echo "lowest +P: $(sort -k6,6g "$tmp/rows" | head -3 | awk '{printf "%s %s%% (%s FP); ", $1, $6, $4}')"
    echo "lowest Se: $(sort -k5,5g "$tmp/rows" | head -3 | awk '{printf "%s %s%% (%s FN); ", $1, $5, $3}')"
}

{
    echo "# Generalization beyond MIT-BIH (issue 15)"
    echo
    echo "Produced by \`scripts/eval_generalization.sh\` on $(date -u +%Y-%m-%d) ($(uname -m)),"
    echo "library $(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)."
    echo "Every figure below is printed by \`vitalstream eval\` (EC57 rules as PhysioNet's"
    echo "\`bxb\` / \`epicmp\`); nothing is typed in. Targets (issue 15): qtdb-dev QRS Se >= 99.9 %,"
    echo "+P >= 99.8 %, VEB +P >= 85 %; MIT-BIH AF duration >= 90/90, leave-one-record-out >= 85/85;"
    echo "resampled MIT-BIH within 2 points of 360 Hz."
    echo
    echo "## (a) QRS on qtdb-dev (250 Hz, channel 0, scored from the start)"
    echo
    "$vs" eval --db "$qtdb" --start 0 > "$tmp/qt_qrs.txt" 2>/dev/null
    echo '```'
    grep -E "^Gross|^Average|records;" "$tmp/qt_qrs.txt"
    worst "$tmp/qt_qrs.txt"
    echo '```'
    echo
    echo "<details><summary>per record</summary>"
    echo
    echo '```'
    cat "$tmp/qt_qrs.txt"
    echo '```'
    echo "</details>"
    echo
    echo "## (b) Beat classes (AAMI, bxb -L): qtdb-dev (second test) and MIT-BIH DS2 (test)"
    echo
    echo "The model is trained on MIT-BIH DS1 only (tools/train_classifier, settings chosen by DS1"
    echo "leave-one-record-out cross-validation and its stability, qtdb-dev as a second look; DS2"
    echo "is scored once with the chosen model). Detections without a reference beat are trained"
    echo "as N. DS1 leave-one-record-out (the trainer's counts, whole records, O = detections"
    echo "without a reference beat):"
    echo
    echo '```'
    "$build/tools/train_classifier" --db "$mitdb" --cv 2>/dev/null | sed -n '/^DS1 leave-one/,$p'
    echo '```'
    for set in qtdb ds2; do
        if [ "$set" = qtdb ]; then
            echo
            echo "### qtdb-dev, from the start"
            "$vs" eval --db "$qtdb" --start 0 --classes > "$tmp/cls.txt" 2>/dev/null
        else
            echo
            echo "### MIT-BIH DS2, from 5:00"
            "$vs" eval --db "$mitdb" --records "$ds2" --classes > "$tmp/cls.txt" 2>/dev/null
        fi
        echo
        echo '```'
        sed -n '/^Record/p;/^Gross/,$p' "$tmp/cls.txt"
        echo '```'
    done
    echo
    echo "### qtdb-dev without sele0129 (where the QRS detector counts T waves as beats)"
    echo
    echo "Where the false V calls of qtdb-dev come from: the same run without the one record"
    echo "whose false detections (T waves, section (a)) the classifier calls V."
    echo
    echo '```'
    "$vs" eval --db "$qtdb" --start 0 --classes \
        --records "$(tr -d '\r' < "$qtdb/RECORDS" | grep -v '^sele0129$' | paste -sd, -)" \
        2>/dev/null | sed -n '/^Record/p;/^Gross/,/^  X/p'
    echo '```'
    echo
    echo "### Stability of the DS1 cross-validation (bench/classify/cv_stability.py)"
    echo
    echo "The trainer's DS1 leave-one-record-out run as committed and with one DS1 record dropped"
    echo "from training, pooled over the records every run keeps (DS1 only; DS2 is not read):"
    echo
    echo '```'
    python3 "$repo/bench/classify/cv_stability.py" "$build/tools/train_classifier" "$mitdb"
    echo '```'
    echo
    echo "## (c) AF on the MIT-BIH records with AF ($af_records), full pipeline"
    echo
    echo "### scored from 5:00 (as epicmp -A)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --records "$af_records" 2>/dev/null
    echo '```'
    echo
    echo "### scored from the first beat (AF at the start of a recording)"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" --records "$af_records" --start 0 2>/dev/null
    echo '```'
    echo
    echo "### the same records resampled to 200 Hz (tools/resample_wfdb), from the first beat"
    echo
    echo "The rate of the held-out AF recordings; the second table scores only their first 6"
    echo "minutes (a record in AF from its start must be called AF from its first beats)."
    echo
    if [ -x "$resample" ]; then
        mkdir -p "$tmp/af200"
        tr ',' '\n' <<< "$af_records" > "$tmp/af200/RECORDS"
        xargs -P 2 -I{} "$resample" "$mitdb/{}" "$tmp/af200/{}" 200 atr < "$tmp/af200/RECORDS"
        echo '```'
        "$vs" eval --rhythm --db "$tmp/af200" --start 0 2>/dev/null
        echo
        "$vs" eval --rhythm --db "$tmp/af200" --start 0 --end 360 2>/dev/null
        echo '```'
        rm -rf "$tmp/af200"
    else
        echo "(tools/resample_wfdb not built: skipped)"
    fi
    echo
    echo "### all 48 records (false AF elsewhere), from 5:00"
    echo
    echo '```'
    "$vs" eval --rhythm --db "$mitdb" 2>/dev/null | grep -E "^Record|^Gross|records;"
    echo '```'
    echo
    echo "### leave-one-record-out (bench/af/af_loo.py)"
    echo
    echo "AF_DRR_RATIO, AF_ON_FRACTION and PREMATURE_RATIO chosen on the 47 other records (best"
    echo "min(DSe, D+P)), the held-out AF record scored with them. Fixed, not re-tuned inside the"
    echo "folds: the COSEn threshold of 'clearly irregular' RR (-1.0, tuned on DS1 only:"
    echo "bench/af/cosen_ds1.py), the pattern test (chi-squared 1 % point, a statistical constant)"
    echo "and the large-atrial-waves level (0.2, re-derived on DS1's AF beats), which only refines"
    echo "the end of AF and never vetoes clearly irregular RR."
    echo
    echo '```'
    python3 "$repo/bench/af/af_loo.py" "$vs" --db "$mitdb" 2>/dev/null
    echo '```'
    echo
    echo "### synthetic AF and sinus arrhythmia at 128-1000 Hz (bench/af/synthetic.sh)"
    echo
    echo '```'
    bash "$repo/bench/af/synthetic.sh" "$vs"
    echo '```'
    echo
    echo "### COSEn threshold on MIT-BIH DS1 (bench/af/cosen_ds1.py, last lines)"
    echo
    echo '```'
    python3 "$repo/bench/af/cosen_ds1.py" --db "$mitdb" | tail -4
    echo '```'
    echo
    echo "## (d) MIT-BIH resampled: QRS (all 48), beat classes (DS2) and AF (all 48)"
    echo
    if [ -x "$resample" ]; then
        echo "\`tools/resample_wfdb\`: band-limited (windowed-sinc) resampling of every record, the"
        echo "reference annotations moved to the new sample times. Channel 0, EC57 from 5:00. Classes:"
        echo "VEB/SVEB gross over DS2 (bxb -L rules); AF: duration Se/+P gross over all 48 records"
        echo "(epicmp -A rules), the whole pipeline as in (b) and (c)."
        echo
        {
            "$vs" eval --db "$mitdb" 2>/dev/null > "$tmp/native.txt"
            "$vs" eval --db "$mitdb" --records "$ds2" --classes 2>/dev/null > "$tmp/native_cls.txt"
            "$vs" eval --rhythm --db "$mitdb" 2>/dev/null > "$tmp/native_af.txt"
            for fs in 128 250 500; do
                mkdir -p "$tmp/r$fs"
                cp "$mitdb/RECORDS" "$tmp/r$fs/"
                xargs -P 2 -I{} "$resample" "$mitdb/{}" "$tmp/r$fs/{}" "$fs" atr < "$mitdb/RECORDS"
                "$vs" eval --db "$tmp/r$fs" 2>/dev/null > "$tmp/r$fs.txt"
                "$vs" eval --db "$tmp/r$fs" --records "$ds2" --classes 2>/dev/null > "$tmp/r${fs}_cls.txt"
                "$vs" eval --rhythm --db "$tmp/r$fs" 2>/dev/null > "$tmp/r${fs}_af.txt"
                rm -f "$tmp/r$fs"/*.dat
            done
        }
        row() { # fs, QRS table, classes table, AF table
            awk -v fs="$1" 'FNR==1{f++} f==1&&$1=="Gross"{q=$2" "$3" "$4" "$5" "$6}
                f==2&&$1=="Gross"&&!c{c=$4" "$5" "$6" "$7}
                f==3&&$1=="Gross"{a=$8" "$9}
                END{print fs"    "q" | "c" | "a}' "$2" "$3" "$4"
        }
        echo '```'
        echo "fs_hz  QRS gross: TP FN FP Se +P | DS2 VEB Se +P SVEB Se +P | AF DSe D+P"
        row 360 "$tmp/native.txt" "$tmp/native_cls.txt" "$tmp/native_af.txt"
        for fs in 128 250 500; do
            row $fs "$tmp/r$fs.txt" "$tmp/r${fs}_cls.txt" "$tmp/r${fs}_af.txt"
        done
        echo '```'
    else
        echo "(tools/resample_wfdb not built: skipped)"
    fi
} > "$out"
grep -E "^#|^Gross|^lowest|^[0-9]+ +[0-9]" "$out"
