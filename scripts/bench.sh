#!/usr/bin/env bash
# bench.sh — build the Google Benchmark program in Release and run it: filters (IIR band-pass and
# notch, derivative, MWI, baseline), the QRS detector and state save+load round trips at 250, 360
# and 500 Hz on synthetic ECG. Writes JSON and prints a table (samples/s, ns/sample).
#
# usage: scripts/bench.sh [extra Google Benchmark flags]
# env:   BENCH_BUILD_DIR=build-bench   BENCH_OUT=bench/results/core.json
#        BENCH_MIN_TIME=0.5 (seconds per benchmark; tiny values just prove it runs)
#        BENCH_FILTER=regex  BENCH_REPETITIONS=1
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build-bench}
out=${BENCH_OUT:-$repo/bench/results/core.json}
min_time=${BENCH_MIN_TIME:-0.5}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [ -f "$build/CMakeCache.txt" ] && ! grep -q "CMAKE_GENERATOR:INTERNAL=${gen[1]:-Unix Makefiles}" "$build/CMakeCache.txt"; then
    rm -rf "$build"
fi

cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_BENCH=ON \
    -DVITALSTREAM_BUILD_TESTS=OFF -DVITALSTREAM_BUILD_CLI=OFF -DVITALSTREAM_BUILD_FUZZ=OFF \
    -DVITALSTREAM_SANITIZE=OFF >/dev/null
cmake --build "$build" --target vitalstream_bench

mkdir -p "$(dirname "$out")"
args=(--benchmark_min_time="$min_time" --benchmark_out="$out" --benchmark_out_format=json
      --benchmark_counters_tabular=false)
[ -n "${BENCH_FILTER:-}" ] && args+=(--benchmark_filter="$BENCH_FILTER")
[ -n "${BENCH_REPETITIONS:-}" ] && args+=(--benchmark_repetitions="$BENCH_REPETITIONS")
"$build/bench/vitalstream_bench" "${args[@]}" "$@"
# The JSON names the program by the path it was started with: keep this machine's folders out.
sed -i "s|\"executable\": \"$repo/|\"executable\": \"|" "$out"

echo
echo "results: $out"
awk -f "$repo/scripts/bench_table.awk" "$out"
# A benchmark that reported an error (SkipWithError) makes the run fail.
if grep -q '"error_occurred": true' "$out"; then
    echo "bench: some benchmarks reported errors" >&2
    exit 1
fi
