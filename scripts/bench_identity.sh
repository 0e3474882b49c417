#!/usr/bin/env bash
# bench_identity.sh — proves a speed change left every output byte-identical: runs two builds of
# the `vitalstream` program over MIT-BIH and compares the md5 of every annotation file.
#   detect and detect --classify on every record;
#   detect --chunk 37 --roundtrip-state and detect --classify --chunk 1000 --roundtrip-state
#   (state saved and loaded between chunks) on the records in IDENTITY_CHUNK_RECORDS;
#   the same four runs on synthetic records (vitalstream synth of BEFORE_CLI: PVCs, atrial
#   fibrillation, noise and electrode motion) at the rates in IDENTITY_SYNTH_RATES, for the
#   code paths that depend on the rate (MIT-BIH is 360 Hz).
#
# usage: scripts/bench_identity.sh BEFORE_CLI AFTER_CLI
# env:   VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repository)
#        IDENTITY_CHUNK_RECORDS (default "100 105 108 203 208 232")
#        IDENTITY_SYNTH_RATES (default "128 250 500 1000"; empty: none)
# Prints "files compared: N, differing: M" (and the differing files); exit 1 if any differ.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
before=$1
after=$2
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
chunk_records=${IDENTITY_CHUNK_RECORDS:-100 105 108 203 208 232}
synth_rates=${IDENTITY_SYNTH_RATES-128 250 500 1000}
if [ ! -f "$mitdb/RECORDS" ]; then
    echo "bench_identity: MIT-BIH database not found at $mitdb (set VITALSTREAM_MITDB)" >&2
    exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/synth"
for fs in $synth_rates; do
    "$before" synth -o "$tmp/synth/s$fs" --fs "$fs" --duration 600 --hr 80 --pvc-per-min 6 \
        --af 300:120 --motion 2 --noise 0.03 --seed "$fs" >/dev/null 2>&1
done

four_runs() {
    local cli=$1 rec=$2 out=$3
    "$cli" detect "$rec" -o "$out.qrs" >/dev/null 2>&1
    "$cli" detect "$rec" --classify -o "$out.cls" >/dev/null 2>&1
    "$cli" detect "$rec" --chunk 37 --roundtrip-state -o "$out.qrs_c37" >/dev/null 2>&1
    "$cli" detect "$rec" --classify --chunk 1000 --roundtrip-state -o "$out.cls_c1000" \
        >/dev/null 2>&1
}

run_side() {
    local cli=$1 dir=$2 rec fs
    mkdir -p "$dir"
    for rec in $(cat "$mitdb/RECORDS"); do
        "$cli" detect "$mitdb/$rec" -o "$dir/$rec.qrs" >/dev/null 2>&1
        "$cli" detect "$mitdb/$rec" --classify -o "$dir/$rec.cls" >/dev/null 2>&1
    done
    for rec in $chunk_records; do
        "$cli" detect "$mitdb/$rec" --chunk 37 --roundtrip-state -o "$dir/$rec.qrs_c37" >/dev/null 2>&1
        "$cli" detect "$mitdb/$rec" --classify --chunk 1000 --roundtrip-state \
            -o "$dir/$rec.cls_c1000" >/dev/null 2>&1
    done
    for fs in $synth_rates; do
        four_runs "$cli" "$tmp/synth/s$fs" "$dir/synth$fs"
    done
}
run_side "$before" "$tmp/before"
run_side "$after" "$tmp/after"

n=0
bad=0
for f in "$tmp"/before/*; do
    name=$(basename "$f")
    n=$((n + 1))
    a=$(md5sum <"$f" | cut -d' ' -f1)
    b=$(md5sum <"$tmp/after/$name" 2>/dev/null | cut -d' ' -f1 || true)
    if [ "$a" != "$b" ]; then
        bad=$((bad + 1))
        echo "differs: $name"
    fi
done
echo "files compared: $n, differing: $bad"
[ "$bad" -eq 0 ]
