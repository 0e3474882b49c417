#!/bin/sh
# gen_exports.sh — regenerate src/vitalstream.exports, the checked-in list of every public vs_*
# function of the core library (one name per line, sorted), from the VS_API declarations of
# include/vitalstream/*.h. io.h, eval.h and synth.h are left out: they belong to the libraries
# beside the core (vitalstream_io, vitalstream_eval, vitalstream_synth). The list drives the
# linker checks (tests/test_exports.sh, scripts/check_mingw.sh) and, with the eval and synth
# names (--print-part), the Emscripten EXPORTED_FUNCTIONS (bindings/wasm/build.sh);
# tests/test_export_list.sh checks it is current.
#
# usage: scripts/gen_exports.sh [INCLUDE_DIR [OUTPUT]]     (defaults: the repository's)
#        scripts/gen_exports.sh --print [INCLUDE_DIR]        (write the list to stdout only)
#        scripts/gen_exports.sh --print-part PART [INCLUDE_DIR]  (the names of PART.h, e.g. eval)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
print=0
part=
if [ "${1:-}" = "--print" ]; then print=1; shift; fi
if [ "${1:-}" = "--print-part" ]; then part=$2; shift 2; fi
incdir=${1:-$root/include/vitalstream}
out=${2:-$root/src/vitalstream.exports}

# Same extraction as tests/test_exports.sh (comments and preprocessor lines removed first,
# declarations may span lines), so the two checks agree on what "declared" means.
declared() {
    perl -0777 -ne '
        s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^[ \t]*#[^\n]*}{}mg;
        while (/\bVS_API\b[^;{}()]*?\b(vs_\w+)\s*\(/g) { print "$1\n" }' "$@" | LC_ALL=C sort -u
}

if [ -n "$part" ]; then
    declared "$incdir/$part.h"
    exit 0
fi
core_headers=$(ls "$incdir"/*.h | grep -Ev '/(io|eval|synth)\.h$')
if [ "$print" -eq 1 ]; then
    # shellcheck disable=SC2086
    declared $core_headers
    exit 0
fi
tmp="$out.tmp.$$"
# shellcheck disable=SC2086
declared $core_headers > "$tmp"
mv "$tmp" "$out"
echo "$out: $(wc -l < "$out") functions"
