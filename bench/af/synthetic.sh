#!/usr/bin/env bash
# synthetic.sh — AF on synthetic records (`vitalstream synth`) at 128, 250, 360, 500, 1000 and
# 200 Hz (the rate of the held-out AF recordings; last, so the other records keep their seeds)
# (issue 15): AF from the first beat (0-120 s of 600 s), 30 s paroxysms (at 60 s and 200 s) and a
# 300 s episode, scored from the first sample as epicmp -A; then false AF in respiratory sinus
# arrhythmia (60 bpm, RR SD 60-120 ms, no AF in the record).
# usage: bench/af/synthetic.sh VITALSTREAM_BINARY
set -euo pipefail
vs=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/af" "$tmp/rsa"
seed=0
for fs in 128 250 360 500 1000 200; do
    for af in 0:120 60:30 200:30 100:300; do
        seed=$((seed + 1))
        name=s${fs}_af${af/:/_}
        "$vs" synth -o "$tmp/af/$name" --fs "$fs" --duration 600 --hr 80 --af "$af" --seed "$seed" \
            > /dev/null
        echo "$name" >> "$tmp/af/RECORDS"
    done
    for hrv in 60 80 100 120; do
        name=rsa${fs}_sd$hrv
        "$vs" synth -o "$tmp/rsa/$name" --fs "$fs" --duration 300 --hr 60 --hrv "$hrv" --seed 51 \
            > /dev/null
        echo "$name" >> "$tmp/rsa/RECORDS"
    done
done
echo "AF episodes (record s<fs>_af<start>_<length>), scored from the first sample:"
"$vs" eval --rhythm --db "$tmp/af" --start 0 2>/dev/null
echo
echo "Respiratory sinus arrhythmia (record rsa<fs>_sd<RR SD ms>): seconds of false AF in 300 s"
"$vs" eval --rhythm --db "$tmp/rsa" --start 0 2>/dev/null |
    awk '$1 ~ /^rsa/ {printf "%s %s s\n", $1, $11}'
