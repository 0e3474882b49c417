#!/bin/sh
# test_exports.sh — the dynamic symbol table of libvitalstream.so must be exactly the set of
# functions declared with VS_API in the public core headers (every header under
# include/vitalstream/ except io.h, whose functions live in the static vitalstream_io), each
# bound to version node VITALSTREAM_0. Optionally also checks that libvitalstream_io.a defines
# every function declared in io.h.
#
# usage: test_exports.sh LIBVITALSTREAM_SO INCLUDE_DIR [LIBVITALSTREAM_IO_A]
# Needs nm (binutils) and perl (always present on Debian: perl-base is essential).
set -eu
so=$1
incdir=$2
io_a=${3:-}
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

core_headers=$(ls "$incdir"/*.h | grep -v '/io\.h$')
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

if [ -n "$io_a" ]; then
    declared "$incdir/io.h" > "$tmp/io_declared"
    "$NM" --defined-only "$io_a" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TWDBRV]$/ { print $3 }' \
        | sort -u > "$tmp/io_defined"
    io_missing=$(comm -23 "$tmp/io_declared" "$tmp/io_defined")
    if [ -n "$io_missing" ]; then
        echo "FAIL: declared in io.h but not defined in $io_a:"
        echo "$io_missing" | sed 's/^/    /'
        status=1
    fi
    echo "io: $(wc -l < "$tmp/io_declared") declared, $(wc -l < "$tmp/io_defined") defined globally"
fi

[ "$status" -eq 0 ] && echo "PASS: export list matches the public headers"
exit "$status"
