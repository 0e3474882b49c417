#!/bin/sh
# build.sh — the WebAssembly build of the libvitalstream core and the npm package `vitalstream`.
#
#   1. compiles the core sources src/{common,state,filter,qrs,hrv,classify,rhythm,quality,
#      monitor}/*.c and the synth library beside it (globbed: new modules are picked up; src/io
#      goes into a module of its own; src/eval, the EC57 comparators, is not built: the wrapper
#      has no use for it, and its ~7.5 KB go to the per-sample path instead) with Debian's Emscripten (3.1.6) and
#      -ffp-contract=off into one standalone .wasm whose exports are exactly the checked-in list
#      src/vitalstream.exports, the functions of synth.h (synthEcg), and malloc/free;
#      optimisation: -O3 for the modules on the per-sample path, -Os for the rest and for their
#      state and life-cycle files (see SIZE_MODULES);
#   2. checks the exports of the produced module against that list (a missing or an unexpected
#      symbol fails the build);
#   3. compiles src/io (the WFDB and CSV readers) with libcsv (source from Debian's archive, see
#      scripts/fetch_libcsv.sh) into a second module, dist/vitalstream_io.wasm;
#   4. compiles the TypeScript wrapper (bindings/wasm/src/*.ts) into dist/ (ES module + .d.ts)
#      and copies the repository's LICENSE and NOTICE next to package.json.
# npm runs it as `prepack`, so `npm pack` / `npm publish` of a fresh checkout ship a built dist/.
#
# We link a standalone module (-sSTANDALONE_WASM --no-entry) and load it with our own few lines
# of TypeScript instead of Emscripten's generated JS: 3.1.6's loader does not work as an ES
# module under Node 20 (see docs/TOOLCHAIN.md), and the wrapper needs nothing from it.
#
# usage: bindings/wasm/build.sh [--wasm-only]
# env:   EMCC (default emcc), VS_WASM_BUILD_DIR (objects; default bindings/wasm/build),
#        VS_WASM_ALLOW_MISSING=1 drops listed functions that no source defines yet (development
#        only, while a module's header exists before its sources; prints what it dropped).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
EMCC=${EMCC:-emcc}
build=${VS_WASM_BUILD_DIR:-$here/build}
dist=$here/dist
wasm_only=0
[ "${1:-}" = "--wasm-only" ] && wasm_only=1
# Debian's emscripten runs its tools with the node on PATH, which must find Debian's modules.
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"

command -v "$EMCC" >/dev/null 2>&1 || {
    echo "build.sh: $EMCC not found (apt-get install -y emscripten)" >&2; exit 1; }

mkdir -p "$build/obj" "$build/include/vitalstream" "$dist"

# version.h as CMake would generate it (project(vitalstream VERSION x.y.z) in CMakeLists.txt).
version=$(sed -n 's/^project(vitalstream VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "build.sh: cannot read the project version" >&2; exit 1; }
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}; patch=${rest#*.}
sed -e "s/@PROJECT_VERSION_MAJOR@/$major/" -e "s/@PROJECT_VERSION_MINOR@/$minor/" \
    -e "s/@PROJECT_VERSION_PATCH@/$patch/" -e "s/@PROJECT_VERSION@/$version/" \
    "$root/include/vitalstream/version.h.in" > "$build/include/vitalstream/version.h.new"
if ! cmp -s "$build/include/vitalstream/version.h.new" "$build/include/vitalstream/version.h"; then
    mv "$build/include/vitalstream/version.h.new" "$build/include/vitalstream/version.h"
else
    rm -f "$build/include/vitalstream/version.h.new"
fi

# Size budget: the .wasm must stay <= 150 KB. At -O3 everywhere it does not (inlining and
# unrolling add ~5 KB per module), so modules that run per beat or offline are built for size.
# Optimisation level never changes results here: no -ffast-math, no FMA contraction, IEEE
# binary32/64 evaluated at their own precision; the golden tests check the bytes.
SIZE_MODULES=${VS_WASM_SIZE_MODULES-synth hrv rhythm}
# Files of the other modules that never run per sample are built for size too (size_file below):
# state blobs (save/load at most once per chunk) and object life cycle (create, init_static,
# reset, parameters).
# SIMD128 lets the compiler vectorize the block loops as it does natively (SSE): lane-wise IEEE
# add/mul/compare, no fused multiply-add (that is relaxed SIMD, not enabled), so the same bits.
# Node >= 16.4, Chrome >= 91, Firefox >= 89, Safari >= 16.4 run it, and the two older features
# beside it: bulk memory (memcpy/memset as one memory.copy/fill instead of a byte loop) and
# non-trapping float->int conversion (saturating: no range check before each conversion; C
# leaves out-of-range conversions undefined, and the library clamps before converting).
SIMD=${VS_WASM_SIMD--msimd128 -mbulk-memory -mnontrapping-fptoint}
CFLAGS="-std=c11 -ffp-contract=off -fvisibility=hidden -DVITALSTREAM_BUILDING \
 -Wall -Wextra -Wshadow -Wstrict-prototypes \
 -I$root/include -I$build/include -I$build/include/vitalstream -I$root/src"

# ---- compile (an object is rebuilt when its source or any header is newer) --------------------
objs=""
newest_header=$(ls -t "$root"/include/vitalstream/*.h "$root"/src/*/*.h \
                "$build/include/vitalstream/version.h" "$0" 2>/dev/null | head -1)
for dir in common state filter qrs synth hrv classify rhythm quality monitor; do
    for src in "$root/src/$dir"/*.c; do
        [ -f "$src" ] || continue
        obj="$build/obj/${dir}_$(basename "$src" .c).o"
        case " $SIZE_MODULES " in *" $dir "*) opt=-Os ;; *) opt=-O3 ;; esac
        case "$dir/$(basename "$src")" in
            */*_state.c | */*_memory.c | qrs/qrs.c) opt=-Os ;;
        esac
        if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ] ||
           [ "$(cat "$obj.opt" 2>/dev/null)" != "$opt $SIMD" ]; then
            # shellcheck disable=SC2086
            "$EMCC" $CFLAGS $opt $SIMD -c "$src" -o "$obj"
            echo "$opt $SIMD" > "$obj.opt"
        fi
        objs="$objs $obj"
    done
done
# forget objects of sources that were removed
for obj in "$build/obj"/*.o; do
    case " $objs " in *" $obj "*) ;; *) rm -f "$obj" "$obj.opt" ;; esac
done

# ---- export list ------------------------------------------------------------------------------
list=$root/src/vitalstream.exports
[ -f "$list" ] || { echo "build.sh: $list missing (scripts/gen_exports.sh)" >&2; exit 1; }
# The module carries the core and, beside it, the synth library (names from its header).
{ grep -E '^vs_[A-Za-z0-9_]+$' "$list"
  sh "$root/scripts/gen_exports.sh" --print-part synth "$root/include/vitalstream"
} > "$build/exports.txt"
if [ "${VS_WASM_ALLOW_MISSING:-0}" = 1 ]; then
    # shellcheck disable=SC2086
    "${EMNM:-emnm}" --defined-only $objs 2>/dev/null | awk '$2 ~ /^[TtWw]$/ { print $3 }' \
        | sort -u > "$build/defined.txt"
    dropped=$(grep -vxF -f "$build/defined.txt" "$build/exports.txt" || true)
    if [ -n "$dropped" ]; then
        echo "build.sh: VS_WASM_ALLOW_MISSING: not exporting (no definition yet):" $dropped >&2
        grep -xF -f "$build/defined.txt" "$build/exports.txt" > "$build/exports.tmp"
        mv "$build/exports.tmp" "$build/exports.txt"
    fi
fi
{ sed 's/^/_/' "$build/exports.txt"; echo _malloc; echo _free; } | paste -sd, - > "$build/exported_functions"

# ---- link -------------------------------------------------------------------------------------
# -sSTANDALONE_WASM --no-entry: a reactor module (exports _initialize) importing nothing but
# what the core needs; -sWASM_BIGINT: int64_t crosses to JS as BigInt; growth for large inputs.
# shellcheck disable=SC2086
"$EMCC" -O3 -ffp-contract=off $SIMD $objs -o "$build/vitalstream.wasm" \
    --no-entry -sSTANDALONE_WASM -sWASM_BIGINT -sALLOW_MEMORY_GROWTH -sINITIAL_MEMORY=2MB \
    -sTOTAL_STACK=262144 -sFILESYSTEM=0 -sERROR_ON_UNDEFINED_SYMBOLS=1 \
    -sEXPORTED_FUNCTIONS="$(cat "$build/exported_functions")"

# ---- check the module's exports against the list ----------------------------------------------
node "$here/scripts/check_wasm_exports.mjs" "$build/vitalstream.wasm" "$build/exports.txt"
cp "$build/vitalstream.wasm" "$dist/vitalstream.wasm"
raw=$(wc -c < "$dist/vitalstream.wasm")
gz=$(gzip -9 -c "$dist/vitalstream.wasm" | wc -c)
echo "build.sh: dist/vitalstream.wasm $raw bytes raw, $gz bytes gzip -9"

# ---- the I/O module (WFDB and CSV readers) ----------------------------------------------------
# src/io and libcsv, compiled unchanged into a second module, vitalstream_io.wasm, that the
# package loads only when a file is read. csrc/io_host.c lets the host (src/io.ts) serve the
# files the C code opens from memory. libcsv's source is fetched from Debian's archive
# (scripts/fetch_libcsv.sh; LGPL-2.1+, its licence is shipped in dist/licenses/).
"$here/scripts/fetch_libcsv.sh" "$build/libcsv"
io_objs=""
for src in "$root"/src/io/*.c "$here/csrc/io_host.c" "$build/libcsv/libcsv.c"; do
    obj="$build/obj/io_$(basename "$src" .c).o"
    case "$src" in
        */libcsv.c) flags="-std=c11 -ffp-contract=off -w" ;;  # third-party code as it is
        *) flags="$CFLAGS" ;;
    esac
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
        # shellcheck disable=SC2086
        "$EMCC" $flags -I"$build/libcsv" -Os -c "$src" -o "$obj"
    fi
    io_objs="$io_objs $obj"
done
io_exports="vs_wfdb_parse_header vs_wfdb_read_header vs_wfdb_read_signal_ex vs_csv_parse_column vs_csv_read_column \
 vs_io_free vsw_io_layout vsw_csv_default_column"
printf '%s\n' $io_exports > "$build/io_exports.txt"
# vs_host_open is an import, so undefined symbols must be allowed at link time; the import
# check below fails the build on any other one.
# shellcheck disable=SC2086
"$EMCC" -Os -ffp-contract=off $SIMD $io_objs $objs -o "$build/vitalstream_io.wasm" \
    --no-entry -sSTANDALONE_WASM -sWASM_BIGINT -sALLOW_MEMORY_GROWTH -sINITIAL_MEMORY=2MB \
    -sTOTAL_STACK=262144 -sERROR_ON_UNDEFINED_SYMBOLS=0 \
    -sEXPORTED_FUNCTIONS="$(printf '_%s,' $io_exports)_malloc,_free"
node "$here/scripts/check_wasm_exports.mjs" "$build/vitalstream_io.wasm" "$build/io_exports.txt" \
    env.vs_host_open,wasi_snapshot_preview1.fd_read,wasi_snapshot_preview1.fd_seek,wasi_snapshot_preview1.fd_close,wasi_snapshot_preview1.fd_write
cp "$build/vitalstream_io.wasm" "$dist/vitalstream_io.wasm"
mkdir -p "$dist/licenses"
cp "$build/libcsv/COPYING.LESSER" "$dist/licenses/libcsv-COPYING.LESSER"
echo "build.sh: dist/vitalstream_io.wasm $(wc -c < "$dist/vitalstream_io.wasm") bytes raw"

[ "$wasm_only" -eq 1 ] && exit 0

# ---- TypeScript -------------------------------------------------------------------------------
cd "$here"
if [ ! -x node_modules/.bin/tsc ]; then
    npm ci --no-audit --no-fund
fi
node "$here/scripts/gen_params.mjs" "$root/include/vitalstream" "$here/src/params.generated.ts"
node "$here/scripts/gen_status.mjs" "$root/include/vitalstream" "$here/src/status.generated.ts"
node_modules/.bin/tsc -p tsconfig.json
# npm takes LICENSE and NOTICE from the package folder: the repository's, copied.
for f in LICENSE NOTICE; do
    [ -f "$root/$f" ] && cp "$root/$f" "$here/$f"
done
echo "build.sh: dist/ ready ($(ls dist | tr '\n' ' '))"
