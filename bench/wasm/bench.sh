#!/bin/sh
# bench.sh — WASM benchmark: native vs Node vs Chromium throughput of the QRS path, .wasm size.
# Builds the native library (VS_WASM_NATIVE_BUILD, default build-wasm-native) and the package
# when needed (scripts/test_wasm.sh installs the toolchain), then writes bench/results/wasm.md.
#
# usage: bench/wasm/bench.sh [--out FILE] [--seconds S] [--chunk N] [--reps R] [--rounds K]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
nb=${VS_WASM_NATIVE_BUILD:-$root/build-wasm-native}
[ -f "$nb/build.ninja" ] || [ -f "$nb/Makefile" ] ||
    cmake -S "$root" -B "$nb" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=OFF >/dev/null
# The synthetic test signal comes from vitalstream_synth, a library beside the core (on top of
# vitalstream_static, so it is linked first).
cmake --build "$nb" -j2 --target vitalstream_static vitalstream_synth
# Same flags as the library's Release build (CMake: -O3 -DNDEBUG, -ffp-contract=off).
cc -std=c11 -O3 -DNDEBUG -ffp-contract=off -I"$root/include" -I"$nb/include" \
    "$root/bench/wasm/native_bench.c" "$nb/libvitalstream_synth.a" "$nb/libvitalstream.a" -lm \
    -o "$nb/vs_wasm_native_bench"
[ -f "$root/bindings/wasm/dist/index.js" ] || "$root/bindings/wasm/build.sh"
case " $* " in *" --out "*) out_given=1 ;; *) out_given=0 ;; esac
if [ "$out_given" = 1 ]; then
    node "$root/bench/wasm/bench.mjs" --native "$nb/vs_wasm_native_bench" "$@"
else
    node "$root/bench/wasm/bench.mjs" --native "$nb/vs_wasm_native_bench" --out "$root/bench/results/wasm.md" "$@"
fi
