#!/usr/bin/env bash
# test_packaging.sh — CI step `packaging` (scripts/test_all.sh): what a user gets besides the code.
#   1. license   LICENSE is the Apache-2.0 text, NOTICE is there, the .pc templates, pyproject.toml
#                and package.json declare Apache-2.0
#   2. version   one version: CMakeLists.txt project() = the built library and CLI
#                (VS_NATIVE_BUILD) = pyproject.toml (static, or dynamic from CMakeLists.txt via
#                setup.py) = package.json = a section of CHANGELOG.md
#   3. paths     no tracked file names this machine's folders (anything under /work)
#   4. bindings  scripts/check_wheel.sh (manylinux wheels + sdist, fresh venv) and
#                scripts/check_npm_pack.sh (npm pack of a fresh checkout), when present
#   5. docs      API references, warnings are errors: C from the public headers (Doxygen,
#                docs/Doxyfile), Python (pdoc, bindings/python/scripts/docs.sh, in the venv that
#                holds the wheel of step 4 when there is one) and TypeScript (TypeDoc,
#                `npm run docs` in bindings/wasm)
# The relocatable install (pkg-config and find_package after `cmake --install --prefix` and a
# move) is the `install` step (scripts/check_install.sh); the CLI contract is ctest (test_cli*).
#
# env: VS_NATIVE_BUILD   built release tree (default <repo>/build-release; its vitalstream CLI is
#                        used for the version check, skipped when absent)
#      VITALSTREAM_MITDB MIT-BIH folder (default ../shared/data/mitdb beside the repository),
#                        passed on to the binding checks
#      VS_DOCS_OUT       where the C and Python references go (default <repo>/build-docs)
#      VS_WHEEL_CHECK    check_wheel.sh's work folder (default <repo>/build-wheel-check)
#      VS_PACKAGING_PARTS the parts to run (default: "license version paths bindings docs")
# Every part runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
native=${VS_NATIVE_BUILD:-$repo/build-release}
export VITALSTREAM_MITDB=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
docs_out=${VS_DOCS_OUT:-$repo/build-docs}
failed=()
declare -A took
part() { printf '\n== test_packaging: %s\n' "$*"; }
# run NAME FUNCTION: runs one part in a subshell, records its time and failure.
run() {
    local t0 rc=0
    t0=$(date +%s)
    part "$1"
    ( set -euo pipefail; "$2" ) || rc=$?
    took[$1]=$(( $(date +%s) - t0 ))
    if [ $rc -ne 0 ]; then failed+=("$1"); echo "test_packaging: $1 FAILED (exit $rc)"; fi
}
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake_version() {
    sed -n 's/^project(vitalstream VERSION \([0-9][0-9.]*\).*/\1/p' "$repo/CMakeLists.txt"
}

check_license() {
    local lic=$repo/LICENSE
    [ -f "$lic" ] || fail "no LICENSE"
    if [ -f /usr/share/common-licenses/Apache-2.0 ]; then
        cmp -s "$lic" /usr/share/common-licenses/Apache-2.0 ||
            fail "LICENSE differs from the Apache-2.0 text (/usr/share/common-licenses/Apache-2.0)"
    else
        for l in 'Apache License' 'Version 2.0, January 2004' 'END OF TERMS AND CONDITIONS'; do
            grep -q "$l" "$lic" || fail "LICENSE lacks '$l'"
        done
    fi
    [ -s "$repo/NOTICE" ] || fail "no NOTICE"
    grep -q 'MIT-BIH Arrhythmia Database' "$repo/NOTICE" || fail "NOTICE does not credit MIT-BIH"
    grep -q 'libcsv' "$repo/NOTICE" || fail "NOTICE does not name libcsv"
    for pc in "$repo"/pkgconfig/*.pc.in; do
        grep -q '^License: Apache-2.0$' "$pc" || fail "$pc: no License: Apache-2.0"
        ! grep -q 'example.invalid' "$pc" || fail "$pc: placeholder URL"
    done
    grep -Eq '^license *= *(\{ *text *= *)?"Apache-2.0"' "$repo/bindings/python/pyproject.toml" ||
        fail "bindings/python/pyproject.toml does not declare license Apache-2.0"
    grep -q '"license": "Apache-2.0"' "$repo/bindings/wasm/package.json" ||
        fail "bindings/wasm/package.json does not declare license Apache-2.0"
    echo "ok: LICENSE (Apache-2.0), NOTICE, license metadata in .pc, pyproject.toml, package.json"
}

check_version() {
    local v py npm
    v=$(cmake_version)
    [ -n "$v" ] || fail "no project(vitalstream VERSION x.y.z) in CMakeLists.txt"
    echo "CMakeLists.txt: $v"
    if [ -x "$native/vitalstream" ]; then
        [ "$("$native/vitalstream" version)" = "vitalstream $v" ] ||
            fail "$native/vitalstream says '$("$native/vitalstream" version)', not $v"
        echo "built library and CLI ($native): $v"
    else
        echo "note: no built CLI at $native/vitalstream; library version not compared"
    fi
    local toml=$repo/bindings/python/pyproject.toml
    py=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$toml")
    if [ -n "$py" ]; then
        [ "$py" = "$v" ] || fail "pyproject.toml version $py != $v"
    elif grep -Eq '^dynamic *= *\[.*"version"' "$toml"; then
        grep -q 'project_version(' "$repo/bindings/python/setup.py" ||
            fail "pyproject.toml version is dynamic but setup.py does not take it from CMakeLists.txt"
        py="$v (dynamic, from CMakeLists.txt)"
    else
        fail "pyproject.toml has no version"
    fi
    echo "pyproject.toml: $py"
    npm=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$repo/bindings/wasm/package.json")
    [ "$npm" = "$v" ] || fail "package.json version '$npm' != $v"
    echo "package.json: $npm"
    grep -Eq "^## \[$v\]" "$repo/CHANGELOG.md" || fail "CHANGELOG.md has no section '## [$v]'"
    echo "ok: one version $v everywhere, CHANGELOG.md section present"
}

check_paths() {
    local hits pat='/wor''k/'  # split so that this file does not match itself
    if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
        hits=$(cd "$repo" && git ls-files -z | xargs -0 grep -nI "$pat" 2>/dev/null || true)
    else
        hits=$(grep -rnI "$pat" "$repo" --exclude-dir='build*' --exclude-dir='.venv*' \
               --exclude-dir=node_modules --exclude-dir=.git 2>/dev/null || true)
    fi
    [ -z "$hits" ] || { echo "$hits" | head -20; fail "machine-specific paths in the repository"; }
    echo "ok: no tracked file names a path under /work"
}

check_docs() {
    command -v doxygen >/dev/null || fail "doxygen not installed (apt-get install doxygen)"
    rm -rf "$docs_out/c"
    mkdir -p "$docs_out/c"
    (cd "$repo" && VS_DOCS_OUT="$docs_out/c" VS_DOCS_VERSION=$(cmake_version) doxygen docs/Doxyfile) ||
        fail "doxygen reported a warning (treated as an error) or failed"
    local h
    for h in "$repo"/include/vitalstream/*.h; do
        h=$(basename "$h" .h)
        [ -f "$docs_out/c/html/${h//_/__}_8h.html" ] || fail "no reference page for $h.h"
    done
    for f in vs_qrs_create vs_monitor_process vs_csv_read_column VS_E_STATE_BAD_CHECKSUM; do
        grep -rqF "$f" "$docs_out/c/html/" || fail "$f missing from the C reference"
    done
    echo "ok: C API reference $docs_out/c/html/index.html ($(find "$docs_out/c/html" -name '*.html' | wc -l) pages)"
    # Python (pdoc, bindings/python/scripts/docs.sh): in the venv where check_wheel.sh installed
    # the wheel users get, else in a fresh venv with the package built from bindings/python.
    local py=${VS_WHEEL_CHECK:-$repo/build-wheel-check}/venv/bin/python
    if ! "$py" -c 'import vitalstream' 2>/dev/null; then
        py=$docs_out/py-venv/bin/python
        [ -x "$py" ] || python3 -m venv "$docs_out/py-venv"
        "$py" -m pip install -q --disable-pip-version-check "$repo/bindings/python" ||
            fail "cannot install bindings/python for pdoc"
    fi
    PYTHON=$py "$repo/bindings/python/scripts/docs.sh" "$docs_out/python" ||
        fail "Python reference (pdoc) failed"
    # TypeScript (TypeDoc, `npm run docs` of bindings/wasm -> bindings/wasm/build/docs)
    (cd "$repo/bindings/wasm" &&
        { [ -x node_modules/.bin/typedoc ] || npm ci --no-audit --no-fund --loglevel=error; } &&
        npm run --silent docs) || fail "TypeScript reference (TypeDoc) failed"
    [ -f "$repo/bindings/wasm/build/docs/index.html" ] || fail "TypeDoc wrote no index.html"
    echo "ok: Python reference $docs_out/python, TypeScript reference bindings/wasm/build/docs"
}

check_bindings() {
    local s
    for s in check_wheel check_npm_pack; do
        if [ -x "$repo/scripts/$s.sh" ]; then
            VS_NATIVE_BUILD=$native "$repo/scripts/$s.sh" || fail "scripts/$s.sh failed"
        else
            echo "note: scripts/$s.sh not present"
        fi
    done
}

parts=${VS_PACKAGING_PARTS:-license version paths bindings docs}
for p in $parts; do
    case $p in
        license|version|paths|docs|bindings) run "$p" "check_$p" ;;
        *) echo "test_packaging: unknown part '$p'" >&2; exit 2 ;;
    esac
done

printf '\n== test_packaging: summary\n'
for p in $parts; do printf '  %-9s %4ss\n' "$p" "${took[$p]}"; done
if [ ${#failed[@]} -ne 0 ]; then echo "test_packaging: FAILED: ${failed[*]}"; exit 1; fi
echo "test_packaging: all parts passed"
