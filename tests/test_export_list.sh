#!/bin/sh
# test_export_list.sh — the checked-in export list src/vitalstream.exports must name exactly the
# functions declared with VS_API in the public core headers (include/vitalstream/*.h except
# io.h), sorted, one per line. The declarations are read the same way as tests/test_exports.sh
# reads them (through scripts/gen_exports.sh --print), so that test (nm of libvitalstream.so vs
# headers) and this one (export list vs headers) together tie the .so, the list and the
# Emscripten build to the headers. Fix a failure with scripts/gen_exports.sh.
#
# usage: tests/test_export_list.sh [REPO_ROOT]
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
list=$root/src/vitalstream.exports
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs_export_list.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -f "$list" ]; then
    echo "FAIL: $list does not exist (run scripts/gen_exports.sh)"
    exit 1
fi
sh "$root/scripts/gen_exports.sh" --print "$root/include/vitalstream" > "$tmp/declared"
if [ ! -s "$tmp/declared" ]; then
    echo "FAIL: no VS_API declaration found under $root/include/vitalstream"
    exit 1
fi
status=0
# Format: every line a C identifier starting with vs_, no blanks, no duplicates, sorted.
bad=$(grep -vnE '^vs_[A-Za-z0-9_]+$' "$list" || true)
if [ -n "$bad" ]; then
    echo "FAIL: lines of $list that are not a vs_* name:"
    echo "$bad" | sed 's/^/    /'
    status=1
fi
if ! LC_ALL=C sort -uc "$list" 2>/dev/null; then
    echo "FAIL: $list is not sorted or has duplicates"
    status=1
fi
LC_ALL=C sort -u "$list" > "$tmp/listed"
missing=$(comm -23 "$tmp/declared" "$tmp/listed")
extra=$(comm -13 "$tmp/declared" "$tmp/listed")
if [ -n "$missing" ]; then
    echo "FAIL: declared with VS_API in a public core header but missing from $list:"
    echo "$missing" | sed 's/^/    /'
    status=1
fi
if [ -n "$extra" ]; then
    echo "FAIL: listed in $list but not declared with VS_API in a public core header:"
    echo "$extra" | sed 's/^/    /'
    status=1
fi
echo "export list: $(wc -l < "$tmp/listed") listed, $(wc -l < "$tmp/declared") declared"
[ "$status" -eq 0 ] && echo "PASS: src/vitalstream.exports matches the public headers"
exit "$status"
