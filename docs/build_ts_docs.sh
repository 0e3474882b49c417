#!/bin/sh
# build_ts_docs.sh OUT — HTML reference of the npm package `vitalstream` (bindings/wasm/src) with
# TypeDoc, into OUT/ts. TypeDoc and the package's TypeScript version are installed from npm into
# OUT/ts-tools (not into the package). Warnings are errors: every type the public API mentions
# must be exported and documented where it is declared.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: docs/build_ts_docs.sh OUTDIR}
pkg=$repo/bindings/wasm
tools=$out/ts-tools
# the TypeScript the package builds with (devDependencies), so docs and build agree
ts=$(sed -n 's/^ *"typescript": "[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' "$pkg/package.json")
[ -n "$ts" ] || { echo "build_ts_docs: no typescript devDependency in $pkg/package.json" >&2; exit 1; }
if [ ! -x "$tools/node_modules/.bin/typedoc" ]; then
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "typedoc@0.28" "typescript@$ts"
fi
rm -rf "$out/ts"
"$tools/node_modules/.bin/typedoc" --tsconfig "$pkg/tsconfig.json" --entryPoints "$pkg/src/index.ts" \
    --out "$out/ts" --name "vitalstream (npm)" --readme none --excludeInternal --disableSources \
    --treatWarningsAsErrors
[ -f "$out/ts/index.html" ] || { echo "build_ts_docs: no index.html" >&2; exit 1; }
echo "ok: TypeScript reference $out/ts/index.html"
