#!/bin/sh
# check_npm_pack.sh — `npm pack` of a fresh checkout works (issue 17, item 3):
#   1. git clone of the repository's HEAD into a temporary folder: no dist/, no build/, no
#      node_modules — what a new user has;
#   2. `npm pack` in its bindings/wasm: the package's prepack (build.sh) must build everything
#      (npm ci for TypeScript, libcsv's source from Debian, Emscripten, tsc);
#   3. the tarball is installed into a fresh project elsewhere (bindings/wasm/test/pack_install.mjs):
#      a TypeScript consumer type-checks, and record 100 of MIT-BIH, read with the package's own
#      readWfdbFile and readWfdb (bytes), gives exactly the beats of `vitalstream detect`
#      (without the database: a synthetic record against its known beats).
# Exit status non-zero on any failure.
#
# env: VS_NATIVE_BUILD   folder with a built `vitalstream` CLI (default: built here with CMake)
#      VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repository)
#      VS_NPM_CHECK      work folder (default build-npm-check)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
w=${VS_NPM_CHECK:-$root/build-npm-check}
: "${VITALSTREAM_MITDB:=$root/../shared/data/mitdb}"
export VITALSTREAM_MITDB
step() { printf '\n=== check_npm_pack: %s\n' "$*"; }

rm -rf "$w" && mkdir -p "$w"
step "fresh clone of HEAD"
git clone -q --no-local --depth 1 "file://$root" "$w/clone"
(cd "$w/clone" && echo "check_npm_pack: $(git log --oneline -1)")
[ ! -e "$w/clone/bindings/wasm/dist" ] || { echo "check_npm_pack: the clone has a dist/" >&2; exit 1; }

cli=${VS_NATIVE_BUILD:+$VS_NATIVE_BUILD/vitalstream}
if [ -z "$cli" ] || [ ! -x "$cli" ]; then
    step "native CLI (CMake)"
    cmake -S "$w/clone" -B "$w/native" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_CLI=ON \
        -DVITALSTREAM_BUILD_TESTS=OFF >/dev/null
    cmake --build "$w/native" -j2 --target vitalstream_cli >/dev/null
    cli=$w/native/vitalstream
fi

step "npm pack (prepack builds the package)"
mkdir -p "$w/pack"
t0=$(date +%s)
(cd "$w/clone/bindings/wasm" && npm pack --pack-destination "$w/pack" >"$w/pack.log" 2>&1) || {
    tail -40 "$w/pack.log" >&2; echo "check_npm_pack: npm pack failed" >&2; exit 1; }
tarball=$(ls "$w"/pack/vitalstream-*.tgz)
echo "check_npm_pack: $(basename "$tarball"), $(wc -c < "$tarball") bytes, built in $(( $(date +%s) - t0 )) s"
tar -tzf "$tarball" > "$w/contents.txt"
for f in package/dist/index.js package/dist/index.d.ts package/dist/vitalstream.wasm \
         package/dist/vitalstream_io.wasm package/dist/licenses/libcsv-COPYING.LESSER \
         package/LICENSE package/NOTICE; do
    grep -qx "$f" "$w/contents.txt" || { echo "check_npm_pack: $f missing from the tarball" >&2; exit 1; }
done
echo "check_npm_pack: tarball holds dist/ (both .wasm), the .d.ts, LICENSE, NOTICE and libcsv's licence"

step "install elsewhere + record 100 with the package's reader"
node "$w/clone/bindings/wasm/test/pack_install.mjs" "$tarball" "$cli"
rm -rf "$w/clone"
step "passed"
