#!/usr/bin/env bash
# bench_detect_all.sh — wall time of `vitalstream detect` on every MIT-BIH record, one process per
# record (file decoding, detection and annotation writing included), Release build; best of N runs.
# If GQRS=/path/to/gqrs is set, every run also times WFDB's `gqrs -r REC` on the same records
# (right after our loop, same machine, same run) and the ratio gqrs/vitalstream is printed.
#
# usage: scripts/bench_detect_all.sh
# env:   VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repository)
#        BENCH_BUILD_DIR=/tmp/b-rel  BENCH_DETECT_TMP=/tmp/x (where REC.qrs files are written)
#        BENCH_RUNS=3  GQRS=/path/to/gqrs (optional)
#        BENCH_DETECT_OUT=bench/results/detect_all.txt
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
mitdb=$(cd "$mitdb" 2>/dev/null && pwd || echo "$mitdb")
build=${BENCH_BUILD_DIR:-/tmp/b-rel}
tmp=${BENCH_DETECT_TMP:-/tmp/x}
runs=${BENCH_RUNS:-3}
out=${BENCH_DETECT_OUT:-$repo/bench/results/detect_all.txt}
gqrs=${GQRS:-}

if [ ! -f "$mitdb/RECORDS" ]; then
    echo "bench_detect_all: MIT-BIH database not found at $mitdb (set VITALSTREAM_MITDB) - skipped"
    exit 0
fi
if [ -n "$gqrs" ] && [ ! -x "$gqrs" ]; then
    echo "bench_detect_all: GQRS=$gqrs is not an executable" >&2
    exit 2
fi
records=$(cat "$mitdb/RECORDS")
nrec=$(echo "$records" | wc -w)

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=OFF \
    >/dev/null
cmake --build "$build" >/dev/null
cli=$build/vitalstream

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# user+sys CPU seconds of all finished children of this shell: `times` must run in this shell
# (not in a $(...) subshell), so it writes to a file that awk then reads (second line = children).
cpu_to() { times >"$tfile"; printf -v "$1" '%s' "$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t }' "$tfile")"; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

mkdir -p "$tmp"
gdir=
[ -n "$gqrs" ] && gdir=$(mktemp -d "$tmp/gqrs.XXXXXX")
log=$(mktemp "$tmp/detect_log.XXXXXX")
tfile=$(mktemp "$tmp/times.XXXXXX")
trap 'rm -f "$log" "$tfile"; [ -z "$gdir" ] || rm -rf "$gdir"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

best_vs=
best_gq=
best_cpu=
best_gq_cpu=
all_vs=
all_gq=
for ((i = 1; i <= runs; i++)); do
    for r in $records; do rm -f "$tmp/$r.qrs"; done
    : >"$log"
    cpu_to c0
    t0=$(now)
    for r in $records; do
        "$cli" detect "$mitdb/$r" -o "$tmp/$r.qrs" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
    done
    t1=$(now)
    cpu_to c1
    s=$(secs "$t0" "$t1")
    best_vs=$(min "$best_vs" "$s")
    all_vs="$all_vs $s"
    c=$(secs "$c0" "$c1")
    best_cpu=$(min "$best_cpu" "$c")
    line="run $i: vitalstream detect ${s} s wall, ${c} s user+sys"
    if [ -n "$gqrs" ]; then
        # gqrs reads REC.hea/.dat through the WFDB path and writes REC.qrs in the current directory.
        rm -f "$gdir"/*.qrs
        cpu_to c0
        t0=$(now)
        for r in $records; do
            (cd "$gdir" && WFDB="$mitdb" "$gqrs" -r "$r") || { echo "gqrs failed on $r" >&2; exit 1; }
        done
        t1=$(now)
        cpu_to c1
        s=$(secs "$t0" "$t1")
        best_gq=$(min "$best_gq" "$s")
        all_gq="$all_gq $s"
        c=$(secs "$c0" "$c1")
        best_gq_cpu=$(min "$best_gq_cpu" "$c")
        line="$line; gqrs ${s} s wall, ${c} s user+sys"
    fi
    echo "$line"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
written=0
for r in $records; do [ -s "$tmp/$r.qrs" ] && written=$((written + 1)); done
if [ "$written" -ne "$nrec" ]; then
    echo "bench_detect_all: only $written of $nrec annotation files written" >&2
    exit 1
fi

mkdir -p "$(dirname "$out")"
{
    echo "vitalstream detect REC -o REC.qrs, one process per record, all $nrec records of $(basename "$mitdb")"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(uname -m), $(nproc) cores, kernel $(uname -r)"
    echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
    echo "compiler: $(cc --version | head -n 1)"
    echo "load average (1/5/15 min) before: $load_before  after: $load_after"
    echo "build: $build (CMAKE_BUILD_TYPE=Release)"
    echo "runs (s):$all_vs"
    echo "vitalstream detect, best of $runs: ${best_vs} s wall ($(awk -v t="$best_vs" -v n="$nrec" 'BEGIN { printf "%.1f", 1000 * t / n }') ms/record), ${best_cpu} s user+sys (least of $runs)"
    if [ -n "$gqrs" ]; then
        echo "gqrs: $gqrs"
        echo "gqrs runs (s):$all_gq"
        echo "gqrs annotation files written: $(find "$gdir" -maxdepth 1 -name '*.qrs' -size +0 | wc -l) of $nrec"
        echo "gqrs -r REC, best of $runs: ${best_gq} s wall, ${best_gq_cpu} s user+sys"
        echo "ratio gqrs / vitalstream: $(awk -v g="$best_gq" -v v="$best_vs" 'BEGIN { printf "%.2f", g / v }')x wall, $(awk -v g="$best_gq_cpu" -v v="$best_cpu" 'BEGIN { printf "%.2f", (v > 0) ? g / v : 0 }')x user+sys"
    else
        echo "gqrs: not run (set GQRS=/path/to/gqrs to time it in the same run)"
    fi
} | tee "$out"
