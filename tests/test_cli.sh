#!/bin/sh
# test_cli.sh — the command line's user contract (issue 17):
#   * exit status 1 for usage errors, 2 for input errors;
#   * an error names the file once, with the reason (strerror text for system errors);
#   * `vitalstream --help` and every `vitalstream COMMAND --help` list every option the parser
#     accepts (the options are read from examples/cli/*.c, so a new option without help fails);
#   * CSV: the first signal column by default, a clear error listing the columns in doubt.
# usage: tests/test_cli.sh VITALSTREAM_BINARY REPO_ROOT
set -eu
vs=$1
root=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_test_cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run EXPECTED_STATUS ARGS...: runs vitalstream, keeps stdout/stderr in $tmp/out, $tmp/err.
run() {
    want=$1
    shift
    rc=0
    "$vs" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ "$rc" != "$want" ]; then
        fail "vitalstream $* exited $rc, expected $want; stderr: $(cat "$tmp/err")"
        return 1
    fi
    return 0
}
# stderr_names_once TEXT: TEXT occurs exactly once in $tmp/err.
stderr_names_once() {
    n=$(grep -o -F -- "$1" "$tmp/err" | wc -l)
    [ "$n" -eq 1 ] || fail "stderr names '$1' $n times: $(cat "$tmp/err")"
}
stderr_has() {
    grep -q -F -- "$1" "$tmp/err" || fail "stderr lacks '$1': $(cat "$tmp/err")"
}

# ---- a small record to work on -------------------------------------------------------------
run 0 synth -o "$tmp/rec" --duration 20 --seed 7 || true
[ -f "$tmp/rec.hea" ] || { echo "FAIL: synth wrote no record"; exit 1; }

# ---- usage errors: 1 ------------------------------------------------------------------------
run 1 || true
run 1 bogus || true
run 1 detect || true
run 1 detect "$tmp/rec" --no-such-option || true
run 1 detect "$tmp/rec" -c || true
run 1 detect "$tmp/rec" -c x || true
run 1 detect "$tmp/rec" --chunk 0 || true
run 1 analyze || true
run 1 synth --fs 50 -o "$tmp/x" && stderr_has "--fs"
run 1 eval || true
printf 'time,MLII\n0,0.1\n1,0.2\n' > "$tmp/small.csv"
# an out-of-range rate given on the command line is a usage error, as for synth
run 1 detect "$tmp/small.csv" --fs 50 && stderr_has "--fs"
run 1 analyze "$tmp/small.csv" --fs 5000 && stderr_has "--fs"
run 1 detect "$tmp/small.csv" && stderr_has "--fs"
run 1 detect "$tmp/rec" --fs 360 && stderr_has "--fs"
run 1 detect "$tmp/rec" --column MLII && stderr_has "--column"

# ---- input errors: 2, the file named once with the reason ------------------------------------
run 2 detect "$tmp/rec" -o "$tmp/no/such/dir/out.qrs" &&
    { stderr_names_once "$tmp/no/such/dir/out.qrs"; stderr_has "No such file or directory"; }
run 2 detect "$tmp/missing" && { stderr_names_once "$tmp/missing.hea"; stderr_has "No such file or directory"; }
run 2 analyze "$tmp/missing.csv" --fs 360 &&
    { stderr_names_once "$tmp/missing.csv"; stderr_has "No such file or directory"; }
run 2 detect "$tmp/rec" -c 3 && stderr_names_once "$tmp/rec"
printf "'sample #','note'\n0,abc\n1,def\n" > "$tmp/doubt.csv"
run 2 detect "$tmp/doubt.csv" --fs 360 &&
    { stderr_names_once "$tmp/doubt.csv"; stderr_has "'sample #', 'note'"; }
printf 'time,MLII\n0,0.1\n1,abc\n' > "$tmp/bad.csv"
run 2 detect "$tmp/bad.csv" --fs 360 && { stderr_names_once "$tmp/bad.csv"; stderr_has "abc"; }
run 2 eval --db "$tmp/nodb" && stderr_has "No such file or directory"
if [ -w /dev/full ]; then
    rc=0
    "$vs" analyze "$tmp/rec" > /dev/full 2>"$tmp/err" || rc=$?
    [ "$rc" = 2 ] || fail "analyze > /dev/full exited $rc, expected 2"
    stderr_has "No space left on device"
fi
# a header whose signal file leaves the record's folder is refused before anything is opened
mkdir "$tmp/up"
sed '1s/^rec /evil /; s/^rec\.dat /..\/rec.dat /' "$tmp/rec.hea" > "$tmp/up/evil.hea"
run 2 detect "$tmp/up/evil" -o "$tmp/evil.qrs" && { stderr_has "'../rec.dat'"; stderr_has "refused"; }
[ ! -e "$tmp/evil.qrs" ] || fail "detect wrote $tmp/evil.qrs for a refused record"

# ---- CSV column choice: the same beats from every export style of the same signal -------------
# The record's signal through the CLI's own WFDB reader is the reference; each CSV holds the
# same samples (3 decimals of 1 uV steps) with a different leading column.
run 0 detect "$tmp/rec" -o "$tmp/ref.qrs" || true
# rdsamp-like dump of the synthetic record: format 16, gain 1000 -> values in mV with 3 decimals
python3 - "$tmp" <<'EOF'
import struct, sys
d = sys.argv[1]
raw = open(d + "/rec.dat", "rb").read()
mv = [v / 1000.0 for v in struct.unpack("<%dh" % (len(raw) // 2), raw)]
fs = 360
def clock(i):
    ms = round(i * 1000 / fs)
    return "'%d:%02d.%03d'" % (ms // 60000, ms // 1000 % 60, ms % 1000)
with open(d + "/elapsed.csv", "w") as f:   # rdsamp -c -v -p
    f.write("'Elapsed time','ECG'\n'hh:mm:ss.mmm','mV'\n")
    f.writelines("%s,%.3f\n" % (clock(i), v) for i, v in enumerate(mv))
with open(d + "/sample.csv", "w") as f:    # 'sample #' header and a units row
    f.write("'sample #','ECG'\n'(samples)','(mV)'\n")
    f.writelines("%d,%.3f\n" % (i, v) for i, v in enumerate(mv))
with open(d + "/counter.csv", "w") as f:   # no header, a sample counter first
    f.writelines("%d,%.3f\n" % (i, v) for i, v in enumerate(mv))
with open(d + "/seconds.csv", "w") as f:   # no header, time in seconds to the millisecond
    f.writelines("%.3f,%.3f\n" % (i / fs, v) for i, v in enumerate(mv))
with open(d + "/plain.csv", "w") as f:     # one column
    f.writelines("%.3f\n" % v for v in mv)
EOF
for style in elapsed sample counter seconds plain; do
    if run 0 detect "$tmp/$style.csv" --fs 360 -o "$tmp/$style.qrs"; then
        cmp -s "$tmp/ref.qrs" "$tmp/$style.qrs" ||
            fail "$style.csv: beats differ from the WFDB record's ($(cat "$tmp/err"))"
    fi
done
run 0 detect "$tmp/sample.csv" --fs 360 --column ECG -o "$tmp/byname.qrs" &&
    { cmp -s "$tmp/ref.qrs" "$tmp/byname.qrs" || fail "--column ECG: beats differ"; }

# ---- --help lists every option the parsers accept --------------------------------------------
run 0 --help || true
cp "$tmp/out" "$tmp/help_all"
# has_option FILE OPTION: OPTION appears as a word of FILE (not as part of a longer option).
has_option() { grep -qE -- "(^|[ ,[(|])$2([ ,=]|\]|\)|\||$)" "$1"; }
for cmd in detect analyze eval synth; do
    case $cmd in
        detect|analyze) src="$root/examples/cli/cmd_$cmd.c $root/examples/cli/signal_opts.c" ;;
        eval) src="$root/examples/cli/cmd_eval.c $root/examples/cli/cmd_eval_rhythm.c" ;;
        *) src=$root/examples/cli/cmd_$cmd.c ;;
    esac
    run 0 "$cmd" --help || continue
    cp "$tmp/out" "$tmp/help_$cmd"
    [ "$cmd" = eval ] && run 0 eval --rhythm --help && cat "$tmp/out" >> "$tmp/help_eval"
    # shellcheck disable=SC2086
    for o in $(grep -ohE '"--?[a-z][a-z0-9-]*"' $src | tr -d '"' | sort -u); do
        has_option "$tmp/help_$cmd" "$o" || fail "vitalstream $cmd --help omits $o"
        has_option "$tmp/help_all" "$o" || fail "vitalstream --help omits $o ($cmd)"
    done
done
for o in --classify --classes --rhythm --json --column; do
    grep -q -F -- "$o" "$tmp/help_all" || fail "vitalstream --help omits $o"
done

if [ "$fails" -ne 0 ]; then
    echo "test_cli: $fails failure(s)"
    exit 1
fi
echo "test_cli: all checks passed"
