#!/usr/bin/env bash
# demo_library.sh — the library on its own: set up, build, and run the main job on an embedded
# default: synthesize a 10-minute ECG (with PVCs and an AF episode), detect and analyze it, score
# the detector on its ground truth, then score MIT-BIH if the database is present.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
need=(build-essential cmake ninja-build pkg-config libcsv-dev libcmocka-dev)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
build=$repo/build-demo
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" >/dev/null
vs=$build/vitalstream
out=$(mktemp -d /tmp/vitalstream_demo.XXXXXX)
cd "$out"
echo "== synthesize: demo (600 s, 360 Hz, 4 PVC/min, AF from 240 s for 120 s)"
"$vs" synth -o demo --duration 600 --pvc-per-min 4 --af 240:120 --noise 0.03 --seed 7
echo "== detect (chunks of 360 samples, state saved/restored between chunks)"
"$vs" detect demo -o demo.qrs --chunk 360 --roundtrip-state
echo "== detect --classify: the whole monitor (beat classes, rhythm, quality), same chunking"
"$vs" detect demo -o demo.cls --classify --chunk 360 --roundtrip-state
echo "== analyze"
"$vs" analyze demo
echo "== score the detector against the synthetic ground truth (EC57 rules)"
mkdir -p db && cp demo.hea demo.dat demo.atr demo.qrs demo.cls db/ && echo demo > db/RECORDS
"$vs" eval --db db --ann qrs
echo "== score the AF episodes the monitor wrote against the synthetic ground truth (epicmp -A rules)"
"$vs" eval --rhythm --db db --ann cls --start 0
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
if [ -f "$mitdb/RECORDS" ]; then
    echo "== MIT-BIH Arrhythmia Database, channel 0, all records (EC57: 150 ms window, from 5:00)"
    "$vs" eval --db "$mitdb"
else
    echo "== MIT-BIH not found at $mitdb (set VITALSTREAM_MITDB): skipped"
fi
echo "outputs in $out"
