#!/usr/bin/env bash
# check_install.sh — build libvitalstream, install it and prove that the installed package is
# usable from outside the source tree, wherever it ends up:
#   0. configured for one prefix, installed with `cmake --install --prefix` to another, then the
#      whole tree is moved to a third folder; nothing installed names the first two folders;
#   1. expected files are installed (headers + version.h, versioned .so, .a, io .a, .pc, CMake,
#      LICENSE/NOTICE under share/doc/vitalstream);
#   2. every installed header compiles on its own (C11, -Wall -Wextra -Werror) and from C++;
#   3. the installed .so exports only vs_* symbols;
#   4. examples/c_consumer/main.c built with `cc main.c $(pkg-config --cflags --libs vitalstream)`
#      (shared) and against libvitalstream.a (pkg-config --static), synth_eval_check.c with
#      `pkg-config --libs vitalstream_synth vitalstream_eval`, and io_check.c with
#      `pkg-config --libs vitalstream_io`; all run;
#   5. examples/c_consumer built with CMake find_package(vitalstream) (CMAKE_PREFIX_PATH), run.
# usage: scripts/check_install.sh        env: BUILD_DIR (default build-pkg), KEEP=1 keeps the prefix
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$repo/build-pkg}
work=$(mktemp -d /tmp/vs_install.XXXXXX)
configured=$work/configured-prefix   # CMAKE_INSTALL_PREFIX at configure time: never written
staged=$work/staged                  # cmake --install --prefix
prefix=$work/moved/vitalstream       # where the tree ends up and is used from
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
step() { printf '\n== check_install: %s\n' "$*"; }
fail() { echo "check_install: FAIL: $*" >&2; exit 1; }

step "build for $configured, install to $staged, move to $prefix"
cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$configured" -DVITALSTREAM_BUILD_TESTS=OFF -DVITALSTREAM_BUILD_CLI=ON \
    -DVITALSTREAM_BUILD_BENCH=OFF -DVITALSTREAM_BUILD_FUZZ=OFF -DVITALSTREAM_SANITIZE=OFF >/dev/null
if ! cmake --build "$build" >"$work/build.log" 2>&1; then
    # The library package must not depend on the command-line program: report and go on.
    grep -E 'error|FAILED' "$work/build.log" | head -10
    echo "WARNING: full build failed (see above); retrying with VITALSTREAM_BUILD_CLI=OFF"
    cmake -S "$repo" -B "$build" -DVITALSTREAM_BUILD_CLI=OFF >/dev/null
    cmake --build "$build" || fail "library build"
fi
cmake --install "$build" --prefix "$staged" >"$work/install.log" ||
    { cat "$work/install.log"; fail "cmake --install"; }
[ ! -e "$configured" ] || fail "cmake --install --prefix wrote into the configure-time prefix"
mkdir -p "$(dirname "$prefix")"
mv "$staged" "$prefix"
stale=$(grep -rIl -e "$configured" -e "$staged" "$prefix" || true)
[ -z "$stale" ] || fail "installed files name the configure-time or staging prefix: $stale"

pcdir=$(dirname "$(find "$prefix" -name vitalstream.pc | head -1)")
[ -f "$pcdir/vitalstream.pc" ] || fail "vitalstream.pc not installed"
export PKG_CONFIG_PATH=$pcdir
libdir=$(cd "$(pkg-config --variable=libdir vitalstream)" 2>/dev/null && pwd) ||
    fail "pkg-config libdir $(pkg-config --variable=libdir vitalstream) does not exist"
[ "$libdir" = "$(cd "$pcdir/.." && pwd)" ] || fail "pkg-config libdir $libdir is not $pcdir/.."
for pc in vitalstream vitalstream_io vitalstream_eval vitalstream_synth; do
    pkg-config --validate "$pc" || fail "$pc.pc does not validate"
    grep -q '^License: Apache-2.0$' "$pcdir/$pc.pc" || fail "$pc.pc carries no License: Apache-2.0"
    ! grep -q 'example.invalid' "$pcdir/$pc.pc" || fail "$pc.pc carries a placeholder URL"
done

step "installed files"
ver=$(pkg-config --modversion vitalstream)
major=${ver%%.*}
for f in include/vitalstream/vitalstream.h include/vitalstream/common.h \
         include/vitalstream/version.h include/vitalstream/qrs.h include/vitalstream/io.h \
         share/doc/vitalstream/LICENSE share/doc/vitalstream/NOTICE; do
    [ -f "$prefix/$f" ] || fail "$f not installed"
done
for f in "libvitalstream.so.$ver" "libvitalstream.so.$major" libvitalstream.so libvitalstream.a \
         libvitalstream_io.a libvitalstream_eval.a libvitalstream_synth.a \
         pkgconfig/vitalstream.pc pkgconfig/vitalstream_io.pc \
         pkgconfig/vitalstream_eval.pc pkgconfig/vitalstream_synth.pc \
         cmake/vitalstream/vitalstreamConfig.cmake cmake/vitalstream/vitalstreamConfigVersion.cmake \
         cmake/vitalstream/vitalstreamTargets.cmake cmake/vitalstream/FindLibCSV.cmake; do
    [ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
[ "$(readelf -d "$libdir/libvitalstream.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = "libvitalstream.so.$major" ] \
    || fail "SONAME is not libvitalstream.so.$major"
find "$prefix" -type f -o -type l | sed "s|$prefix/||" | sort | sed 's/^/  /'
if find "$prefix/include" -name '*impl*' -o -name 'blob.h' | grep -q .; then fail "private header installed"; fi

step "each installed header compiles on its own (C11 and C++)"
for h in "$prefix"/include/vitalstream/*.h; do
    name=vitalstream/$(basename "$h")
    printf '#include <%s>\nint vs_header_check_dummy;\n' "$name" > "$work/hdr.c"
    cc -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" -c "$work/hdr.c" \
        -o "$work/hdr.o" || fail "$name does not compile alone in C11"
    if command -v c++ >/dev/null; then
        cp "$work/hdr.c" "$work/hdr.cpp"
        c++ -std=c++11 -Wall -Wextra -Werror -I"$prefix/include" -c "$work/hdr.cpp" \
            -o "$work/hdr.o" || fail "$name does not compile in C++"
    fi
done
echo "ok: $(ls "$prefix"/include/vitalstream/*.h | wc -l) headers"

step "exports of the installed shared library"
bad=$(nm -D --defined-only "$libdir/libvitalstream.so" | awk '$2 != "A" {print $3}' | grep -v '^vs_' || true)
[ -z "$bad" ] || fail "non-vs_ symbols exported: $bad"
echo "ok: $(nm -D --defined-only "$libdir/libvitalstream.so" | grep -c ' T vs_') functions, all vs_*"

cd "$work"
src=$repo/examples/c_consumer

step "pkg-config: $(pkg-config --cflags --libs vitalstream)"
pkg-config --exists --print-errors "vitalstream = $ver" || fail "pkg-config cannot find vitalstream"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$src/main.c" $(pkg-config --cflags --libs vitalstream) -lm \
    -o c_consumer_pc
LD_LIBRARY_PATH=$libdir ./c_consumer_pc
ldd_out=$(LD_LIBRARY_PATH=$libdir ldd ./c_consumer_pc | grep libvitalstream || true)
echo "$ldd_out" | grep -q "$libdir/libvitalstream.so.$major" || fail "pkg-config binary did not load the installed .so: $ldd_out"

step "pkg-config --static: $(pkg-config --static --libs vitalstream)"
# shellcheck disable=SC2046
cc -std=c11 "$src/main.c" $(pkg-config --cflags vitalstream) "$libdir/libvitalstream.a" \
    $(pkg-config --static --libs-only-l vitalstream | sed 's/-lvitalstream//') -o c_consumer_static_pc
./c_consumer_static_pc

step "pkg-config vitalstream_synth vitalstream_eval: $(pkg-config --libs vitalstream_synth vitalstream_eval)"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$src/synth_eval_check.c" \
    $(pkg-config --cflags --libs vitalstream_synth vitalstream_eval) -o synth_eval_check_pc
LD_LIBRARY_PATH=$libdir ./synth_eval_check_pc | tee synth_eval.out
grep -q 'QRS Se [0-9.]* % +P [0-9.]* %$' synth_eval.out || fail "synth_eval_check printed no scores"

step "pkg-config vitalstream_io: $(pkg-config --libs vitalstream_io)"
printf 'time,MLII\n0,0.1\n1,0.2\n2,-0.3\n' > sample.csv
# shellcheck disable=SC2046
cc -std=c11 "$src/io_check.c" $(pkg-config --cflags --libs vitalstream_io) -o io_check_pc
LD_LIBRARY_PATH=$libdir ./io_check_pc sample.csv | tee io_check.out
grep -q 'CSV sample.csv: 3 values: 0.1 0.2 -0.3$' io_check.out || fail "io_check read the wrong CSV column"

step "CMake find_package(vitalstream) with CMAKE_PREFIX_PATH=$prefix"
cmake -S "$src" -B consumer-build "${gen[@]}" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build consumer-build
./consumer-build/c_consumer
./consumer-build/c_consumer_static
./consumer-build/c_consumer_synth_eval
./consumer-build/c_consumer_io sample.csv | tee io_check.out
grep -q 'CSV sample.csv: 3 values: 0.1 0.2 -0.3$' io_check.out || fail "c_consumer_io read the wrong CSV column"
if ldd ./consumer-build/c_consumer_static | grep -q libvitalstream; then
    fail "c_consumer_static depends on libvitalstream.so"
fi

step "PASS: installed package works with pkg-config and CMake after install --prefix and a move"
