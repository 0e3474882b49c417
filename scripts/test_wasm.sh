#!/bin/sh
# test_wasm.sh — build and test the WebAssembly binding (bindings/wasm, npm package `vitalstream`).
# Idempotent; as root it installs what is missing (Debian: emscripten, chromium, and the native
# build's cmake/ninja/gcc/libcsv-dev; npm ci for typescript + playwright-core). Steps:
#   1. native build of the C library + CLI + the golden program (cross-runtime reference)
#   2. export list check (tests/test_export_list.sh) and the Emscripten + TypeScript build
#   3. node --test: API tests, native-vs-Node golden tests, headless Chromium test
# `npm pack` of a fresh clone, installed elsewhere and compared with `vitalstream detect` on
# record 100 read by the package's own reader, is scripts/check_npm_pack.sh (CI step `packaging`).
# Exit status non-zero on any failure.
#
# env: VS_WASM_NATIVE_BUILD  native build folder (default: build-wasm-native in the repository)
#      VITALSTREAM_MITDB     MIT-BIH Arrhythmia DB (default ../shared/data/mitdb beside the
#                            repository; optional)
#      VS_WASM_SKIP_BROWSER=1  skip the Chromium test (for machines without a browser; CI must not)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
wasm=$root/bindings/wasm
nb=${VS_WASM_NATIVE_BUILD:-$root/build-wasm-native}
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
: "${VITALSTREAM_MITDB:=$root/../shared/data/mitdb}"
export VITALSTREAM_MITDB
step() { printf '\n=== test_wasm: %s\n' "$*"; }

# ---- 0. tools ---------------------------------------------------------------------------------
need=""
command -v emcc >/dev/null 2>&1 || need="$need emscripten"
[ "${VS_WASM_SKIP_BROWSER:-0}" = 1 ] || [ -x "${VS_CHROMIUM:-/usr/bin/chromium}" ] || need="$need chromium"
command -v cmake >/dev/null 2>&1 || need="$need cmake"
command -v ninja >/dev/null 2>&1 || need="$need ninja-build"
command -v cc >/dev/null 2>&1 || need="$need build-essential"
[ -f /usr/include/csv.h ] || need="$need libcsv-dev"
command -v node >/dev/null 2>&1 || need="$need nodejs npm"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ]; then
        step "installing:$need"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        # shellcheck disable=SC2086
        apt-get install -y -q $need
    else
        echo "test_wasm: missing:$need (run as root to install them)" >&2
        exit 1
    fi
fi
echo "test_wasm: node $(node --version), $(emcc --version 2>/dev/null | head -1)"

cd "$wasm"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci"
    npm ci --no-audit --no-fund
fi

# ---- 1. native reference ----------------------------------------------------------------------
step "native build ($nb)"
cmake -S "$root" -B "$nb" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$nb" -j2 --target vitalstream_static vitalstream_synth vitalstream_io vitalstream_cli
cc -std=c11 -O2 -Wall -Wextra -ffp-contract=off -I"$root/include" -I"$nb/include" \
    "$wasm/test/native/golden.c" "$nb/libvitalstream_io.a" "$nb/libvitalstream_synth.a" "$nb/libvitalstream.a" -lcsv -lm \
    -o "$nb/vs_wasm_golden"

# ---- 2. export list + wasm build --------------------------------------------------------------
step "export list"
sh "$root/tests/test_export_list.sh" "$root"
step "emscripten + typescript build"
"$wasm/build.sh"

# ---- 3. node tests (API, golden vs native, Chromium) ------------------------------------------
step "node --test"
tests="test/package.test.mjs test/status.test.mjs test/io.test.mjs test/contract.test.mjs test/readme_types.test.mjs test/qrs.test.mjs test/monitor.test.mjs test/monitor_static.test.mjs test/alarms.test.mjs test/finalization.test.mjs test/golden.test.mjs"
[ "${VS_WASM_SKIP_BROWSER:-0}" = 1 ] || tests="$tests test/browser.test.mjs"
# shellcheck disable=SC2086
VS_WASM_GOLDEN_BIN="$nb/vs_wasm_golden" VS_WASM_REQUIRE_GOLDEN=1 node --test $tests

step "all passed"
