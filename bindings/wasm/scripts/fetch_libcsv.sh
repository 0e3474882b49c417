#!/bin/sh
# fetch_libcsv.sh DIR — puts the source of libcsv (LGPL-2.1+, https://github.com/rgamble/libcsv)
# into DIR (DIR/libcsv.c, DIR/csv.h, DIR/COPYING.LESSER) for the WebAssembly build of the I/O
# library. libcsv is not vendored in this repository: its source comes from Debian's archive
# (`apt-get source libcsv`, signature-checked by apt, Debian's patches applied by dpkg-source),
# with a private apt configuration under DIR so that the machine's sources.list is untouched
# and no root is needed. Set VS_LIBCSV_SRC to an unpacked libcsv source tree to skip the
# download (offline builds).
set -eu
dir=$1
[ -f "$dir/libcsv.c" ] && [ -f "$dir/csv.h" ] && [ -f "$dir/COPYING.LESSER" ] && exit 0
mkdir -p "$dir"
if [ -n "${VS_LIBCSV_SRC:-}" ]; then
    for f in libcsv.c csv.h COPYING.LESSER; do cp "$VS_LIBCSV_SRC/$f" "$dir/$f"; done
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
    echo "fetch_libcsv.sh: no apt-get: set VS_LIBCSV_SRC to an unpacked libcsv 3.0.3 source" >&2
    exit 1; }
apt=$dir/apt
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/src"
suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-bookworm}")
echo "deb-src http://deb.debian.org/debian ${suite:-bookworm} main" > "$apt/sources.list"
set -- -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/none" \
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Debug::NoLocking=1"
[ "$(id -u)" = 0 ] && set -- "$@" -o "APT::Sandbox::User=root"
apt-get "$@" -q update >/dev/null
(cd "$apt/src" && apt-get "$@" -q source --download-only libcsv >/dev/null)
dsc=$(ls "$apt"/src/libcsv_*.dsc)
if command -v dpkg-source >/dev/null 2>&1; then
    (cd "$apt/src" && dpkg-source -q -x "$dsc" tree >/dev/null 2>&1)
    # (apt already checked the .dsc against the signed archive index; dpkg-source only warns
    # that it has no key of the uploader)
else
    mkdir -p "$apt/src/tree"
    tar -xzf "$apt"/src/libcsv_*.orig.tar.gz -C "$apt/src/tree" --strip-components=1
fi
for f in libcsv.c csv.h COPYING.LESSER; do cp "$apt/src/tree/$f" "$dir/$f"; done
basename "$dsc" .dsc > "$dir/VERSION"
rm -rf "$apt"
echo "fetch_libcsv.sh: $(cat "$dir/VERSION") from Debian's archive -> $dir"
