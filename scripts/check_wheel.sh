#!/bin/sh
# check_wheel.sh — the wheel of scripts/build_wheels.sh stands on its own (issue 17, item 4):
#   1. scripts/build_wheels.sh writes the sdist and the auditwheel-repaired wheel to dist/;
#   2. `auditwheel show` must call it manylinux; the wheel must carry libcsv in vitalstream.libs/
#      and the extension must need no other libcsv (readelf NEEDED / RPATH);
#   3. a fresh venv gets the wheel (numpy, cffi, pytest from PyPI) and runs the binding's whole
#      pytest suite with no C compiler on PATH and — as root, in a private mount namespace
#      (unshare -m) — the system's libcsv.so.3 replaced by an empty file, after proving that it
#      no longer loads there; the imported package must have mapped the bundled libcsv.
#      The suite's C reference programs (CLI, state tool) are built beforehand, with libcsv
#      linked statically so that they too run without the system library.
# Exit status non-zero on any failure.
#
# usage: scripts/check_wheel.sh
# env:   VS_WHEEL_CHECK (work folder, default build-wheel-check), VS_DIST (default dist),
#        VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repository), PYTHON
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=${VS_WHEEL_CHECK:-$root/build-wheel-check}
dist=${VS_DIST:-$root/dist}
py=${PYTHON:-python3}
: "${VITALSTREAM_MITDB:=$root/../shared/data/mitdb}"
step() { printf '\n=== check_wheel: %s\n' "$*"; }
fail() { echo "check_wheel: FAIL: $*" >&2; exit 1; }
mkdir -p "$b"

step "build (scripts/build_wheels.sh -> $dist)"
VS_WHEEL_BUILD=$b/wheels "$root/scripts/build_wheels.sh" "$dist" | tee "$b/build.log" | tail -20
wheel=$(ls "$dist"/vitalstream-*-manylinux*.whl) || fail "no manylinux wheel in $dist"
ls "$dist"/vitalstream-*.tar.gz >/dev/null || fail "no sdist in $dist"

step "auditwheel show + contents"
"$b/wheels/venv/bin/auditwheel" show "$wheel" > "$b/show.txt"
cat "$b/show.txt"
tr '\n' ' ' < "$b/show.txt" | grep -q 'is consistent with the following platform tag: *"manylinux' ||
    fail "auditwheel does not call the wheel manylinux"
rm -rf "$b/whl" && mkdir -p "$b/whl" && (cd "$b/whl" && "$b/wheels/venv/bin/python" -m zipfile -e "$wheel" .)
bundled=$(ls "$b"/whl/vitalstream.libs/libcsv-*.so* 2>/dev/null) || fail "libcsv is not bundled"
ext=$(ls "$b"/whl/vitalstream/_vitalstream*.so)
readelf -d "$ext" | grep -E 'NEEDED|RPATH|RUNPATH'
readelf -d "$ext" | grep NEEDED | grep -q "\[$(basename "$bundled")\]" || fail "extension does not need the bundled libcsv"
readelf -d "$ext" | grep NEEDED | grep -qE '\[libcsv\.so' && fail "extension still needs the system libcsv"
readelf -d "$ext" | grep -qE 'R(UN)?PATH.*\$ORIGIN/\.\./vitalstream\.libs' || fail "no RPATH to vitalstream.libs"
ls "$b"/whl/vitalstream-*.dist-info/licenses/libcsv/* >/dev/null || fail "libcsv licence not in the wheel"
echo "check_wheel: bundled $(basename "$bundled"); licences: $(cd "$b"/whl/vitalstream-*.dist-info/licenses && find . -type f | sort | tr '\n' ' ')"

step "C reference programs (the sdist's C sources, libcsv static)"
# The library part comes from the sdist the wheel was built from, so both run the same C code.
rm -rf "$b/sdist" && mkdir -p "$b/sdist"
tar -xzf "$(ls "$dist"/vitalstream-*.tar.gz)" -C "$b/sdist" --strip-components=1
csrc=$b/sdist/_csrc
[ -f "$csrc/include/vitalstream/common.h" ] || fail "the sdist carries no C sources"
cflags="-std=c11 -O2 -ffp-contract=off"
gen=$b/cref/gen
mkdir -p "$gen/vitalstream" "$b/cref/obj"
version=$(sed -n 's/^project(vitalstream VERSION \([0-9][0-9.]*\).*/\1/p' "$csrc/CMakeLists.txt")
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}; patch=${rest#*.}
sed -e "s/@PROJECT_VERSION_MAJOR@/$major/" -e "s/@PROJECT_VERSION_MINOR@/$minor/" \
    -e "s/@PROJECT_VERSION_PATCH@/$patch/" -e "s/@PROJECT_VERSION@/$version/" \
    "$csrc/include/vitalstream/version.h.in" > "$gen/vitalstream/version.h"
cp "$gen/vitalstream/version.h" "$gen/version.h"
inc="-I$csrc/include -I$gen -I$gen/vitalstream -I$csrc/src"
rm -f "$b"/cref/obj/*.o
# shellcheck disable=SC2086
ls "$csrc"/src/*/*.c | xargs -P 2 -I{} sh -c 'cc '"$cflags $inc"' -c "$1" -o "$2/$(echo "$1" | tr / _).o"' _ {} "$b/cref/obj"
ar rcs "$b/cref/libvs.a" "$b"/cref/obj/*.o
libcsv_a=$(ls /usr/lib/*/libcsv.a /usr/lib/libcsv.a 2>/dev/null | head -1) || true
[ -n "$libcsv_a" ] || fail "libcsv.a not found (Debian libcsv-dev)"
# shellcheck disable=SC2086
cc $cflags $inc "$root"/examples/cli/*.c "$b/cref/libvs.a" "$libcsv_a" -lm -o "$b/cref/vitalstream"
# shellcheck disable=SC2086
cc $cflags $inc "$root/bindings/python/tests/c/state_tool.c" "$b/cref/libvs.a" "$libcsv_a" -lm -o "$b/cref/state_tool"
readelf -d "$b/cref/vitalstream" | grep -q libcsv && fail "reference CLI links libcsv dynamically"

step "fresh venv + the wheel"
"$py" -m venv --clear "$b/venv"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel" pytest

step "PATH without a C compiler"
nocc=$b/nocc-bin
rm -rf "$nocc" && mkdir -p "$nocc"
IFS_old=$IFS; IFS=:
for d in $PATH; do
    [ -d "$d" ] || continue
    for f in "$d"/*; do
        n=${f##*/}
        case "$n" in
            cc|c89|c99|gcc|gcc-*|*-gcc|*-gcc-*|c++|g++|g++-*|*-g++*|clang*|tcc|cpp|cpp-*|*-cpp*|emcc|em++|ld|ld.*|*-ld|*-ld.*|as|*-as) continue ;;
        esac
        [ -x "$f" ] && [ ! -e "$nocc/$n" ] && ln -s "$f" "$nocc/$n"
    done
done
IFS=$IFS_old

cat > "$b/run_tests.sh" <<'EOF'
#!/bin/sh
# Runs inside the test environment: no compiler, LD_LIBRARY_PATH unset, maybe no system libcsv.
set -eu
b=$1 root=$2 hide=$3
for c in cc gcc clang; do
    command -v $c >/dev/null 2>&1 && { echo "check_wheel: FAIL: $c is on PATH" >&2; exit 1; }
done
echo "check_wheel: no C compiler on PATH"
if [ "$hide" = 1 ]; then
    for f in /usr/lib/*/libcsv.so.* /usr/lib/libcsv.so.*; do
        [ -f "$f" ] && [ ! -L "$f" ] && mount --bind /dev/null "$f"
    done
    if "$b/venv/bin/python" -c 'import ctypes; ctypes.CDLL("libcsv.so.3")' 2>/dev/null; then
        echo "check_wheel: FAIL: the system libcsv still loads" >&2; exit 1
    fi
    echo "check_wheel: the system libcsv.so.3 is hidden (dlopen fails)"
fi
"$b/venv/bin/python" - <<'PY'
import os, sys, vitalstream
maps = open("/proc/self/maps").read().split("\n")
csv = sorted({l.split()[-1] for l in maps if "libcsv" in l})
libs = os.path.join(os.path.dirname(os.path.dirname(vitalstream.__file__)), "vitalstream.libs")
print("check_wheel: vitalstream", vitalstream.__version__, "from", os.path.dirname(vitalstream.__file__))
print("check_wheel: libcsv mapped from", csv)
if not csv or not all(p.startswith(libs + os.sep) for p in csv):
    sys.exit("check_wheel: FAIL: libcsv does not come from the wheel's vitalstream.libs")
PY
ext=$(ls "$b"/venv/lib/python*/site-packages/vitalstream/_vitalstream*.so)
ldd "$ext" | grep libcsv
cd "$b"
"$b/venv/bin/python" -m pytest -q -p no:cacheprovider "$root/bindings/python/tests"
EOF
chmod +x "$b/run_tests.sh"

hide=0
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then hide=1; fi
step "pytest from the wheel (compiler off PATH$( [ $hide = 1 ] && echo ', system libcsv hidden' ))"
[ $hide = 1 ] || echo "check_wheel: not root (or no unshare): the system libcsv stays visible; the /proc/self/maps check still applies"
set -- env -i HOME="${HOME:-/root}" PATH="$b/venv/bin:$nocc" LANG=C.UTF-8 \
    VITALSTREAM_MITDB="$VITALSTREAM_MITDB" VITALSTREAM_REPO="$root" \
    VITALSTREAM_CLI="$b/cref/vitalstream" VITALSTREAM_STATE_TOOL="$b/cref/state_tool" \
    sh "$b/run_tests.sh" "$b" "$root" "$hide"
if [ $hide = 1 ]; then
    unshare -m --propagation private "$@"
else
    "$@"
fi
step "the wheel passed"
