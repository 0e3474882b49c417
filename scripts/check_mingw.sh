#!/usr/bin/env bash
# check_mingw.sh — Windows cross build of the core library with Debian's mingw-w64
# (cmake/toolchain-mingw-w64-x86_64.cmake, warnings as errors), then:
#   1. libvitalstream.dll exports exactly the names of src/vitalstream.exports;
#   2. examples/c_consumer/main.c compiled against the DLL refers to __imp_vs_* (dllimport), links
#      with the import library and names libvitalstream.dll among its imports;
#   3. the same program linked with the static library (-DVITALSTREAM_STATIC) imports no DLL of
#      ours; with wine on the PATH both programs are also run.
# usage: scripts/check_mingw.sh      env: MINGW_BUILD_DIR (default build-mingw)
# Exit 77 (skip) when x86_64-w64-mingw32-gcc is not installed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${MINGW_BUILD_DIR:-$repo/build-mingw}
triple=x86_64-w64-mingw32
command -v $triple-gcc >/dev/null || { echo "check_mingw: $triple-gcc not found (apt: gcc-mingw-w64-x86-64); skipped"; exit 77; }
fail() { echo "check_mingw: FAIL: $*" >&2; exit 1; }
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)

cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchain-mingw-w64-x86_64.cmake" \
    -DVITALSTREAM_WERROR=ON -DVITALSTREAM_BUILD_IO=OFF -DVITALSTREAM_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}"

echo "== check_mingw: DLL exports = src/vitalstream.exports"
$triple-objdump -p "$build/libvitalstream.dll" |
    sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | grep -oE '\bvs_[A-Za-z0-9_]+$' | LC_ALL=C sort \
    >"$build/dll_exports.txt"
diff <(grep -E '^vs_' "$repo/src/vitalstream.exports" | LC_ALL=C sort) "$build/dll_exports.txt" ||
    fail "exported names differ from src/vitalstream.exports (< list, > DLL)"
echo "check_mingw: $(wc -l <"$build/dll_exports.txt") exports match"

echo "== check_mingw: consumer against the DLL and against the static library"
inc=(-I"$repo/include" -I"$build/include" -I"$build/include/vitalstream")
src=$repo/examples/c_consumer/main.c
$triple-gcc -std=c11 -Wall -Wextra -Werror "${inc[@]}" -c "$src" -o "$build/consumer_dll.o"
$triple-nm -u "$build/consumer_dll.o" | grep -c '__imp_vs_version_string' >/dev/null ||
    fail "consumer does not import vs_version_string through __imp_ (VS_API not dllimport)"
$triple-gcc "$build/consumer_dll.o" -L"$build" -l:libvitalstream.dll.a -o "$build/consumer_dll.exe"
imports() { $triple-objdump -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p'; }
imports "$build/consumer_dll.exe" | grep -qx 'libvitalstream.dll' ||
    fail "consumer_dll.exe does not import libvitalstream.dll"
$triple-gcc -std=c11 -Wall -Wextra -Werror -DVITALSTREAM_STATIC "${inc[@]}" "$src" \
    -L"$build" -l:libvitalstream.a -o "$build/consumer_static.exe"
if imports "$build/consumer_static.exe" | grep -q 'libvitalstream'; then
    fail "consumer_static.exe imports libvitalstream.dll"
fi
if command -v wine >/dev/null; then
    (cd "$build" && wine ./consumer_dll.exe && wine ./consumer_static.exe) || fail "programs under wine"
fi
echo "check_mingw: ok"
