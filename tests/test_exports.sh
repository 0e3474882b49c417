#!/bin/sh
# test_exports.sh — the dynamic symbol table of libvitalstream.so must be exactly the set of
# functions declared with VS_API in the public core headers (every header under
# include/vitalstream/ except io.h, eval.h and synth.h, whose functions live in the static
# vitalstream_io, vitalstream_eval and vitalstream_synth), each bound to version node
# VITALSTREAM_0. Each static library given (libvitalstream_<part>.a) must define every function
# declared in <part>.h.
#
# usage: test_exports.sh LIBVITALSTREAM_SO INCLUDE_DIR [LIBVITALSTREAM_<PART>_A ...]
# Needs nm (binutils) and perl (always present on Debian: perl-base is essential).
set -eu
so=$1
incdir=$2
shift 2
NM=${NM:-nm}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# Names declared with VS_API (comments and preprocessor lines removed first, declarations may
# span lines).
declared() {
    perl -0777 -ne '
        s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^[ \t]*#[^\n]*}{}mg;
        while (/\bVS_API\b[^;{}()]*?\b(vs_\w+)\s*\(/g) { print "$1\n" }' "$@" | sort -u
}

core_headers=$(ls "$incdir"/*.h | grep -Ev '/(io|eval|synth)\.h$')
# shellcheck disable=SC2086
declared $core_headers > "$tmp/declared"

"$NM" -D --defined-only "$so" > "$tmp/nm_raw"
# Drop the version-node definition itself (absolute symbol "A VITALSTREAM_0").
awk '$2 != "A" { print $3 }' "$tmp/nm_raw" > "$tmp/nm_syms"
sed 's/@.*//' "$tmp/nm_syms" | sort -u > "$tmp/exported"

status=0
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
unversioned=$(grep -v '@@VITALSTREAM_0$' "$tmp/nm_syms" || true)
if [ -n "$missing" ]; then
    echo "FAIL: declared with VS_API in the public headers but not exported by $so:"
    echo "$missing" | sed 's/^/    /'
    status=1
fi
if [ -n "$extra" ]; then
    echo "FAIL: exported by $so but not declared with VS_API in a public core header:"
    echo "$extra" | sed 's/^/    /'
    status=1
fi
if [ -n "$unversioned" ]; then
    echo "FAIL: exports without version node VITALSTREAM_0 (src/vitalstream.map not applied?):"
    echo "$unversioned" | sed 's/^/    /'
    status=1
fi
echo "core: $(wc -l < "$tmp/declared") declared, $(wc -l < "$tmp/exported") exported"

for lib_a in "$@"; do
    part=$(basename "$lib_a" .a)
    part=${part#libvitalstream_}
    declared "$incdir/$part.h" > "$tmp/part_declared"
    "$NM" --defined-only "$lib_a" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TWDBRV]$/ { print $3 }' \
        | sort -u > "$tmp/part_defined"
    part_missing=$(comm -23 "$tmp/part_declared" "$tmp/part_defined")
    if [ -n "$part_missing" ]; then
        echo "FAIL: declared in $part.h but not defined in $lib_a:"
        echo "$part_missing" | sed 's/^/    /'
        status=1
    fi
    echo "$part: $(wc -l < "$tmp/part_declared") declared, $(wc -l < "$tmp/part_defined") defined globally"
done

[ "$status" -eq 0 ] && echo "PASS: export list matches the public headers"
exit "$status"
