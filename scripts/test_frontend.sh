#!/usr/bin/env bash
# test_frontend.sh — the Angular central station (examples/frontend), as run by scripts/test_all.sh
# (step `frontend`) and CI:
#   1. the `vitalstream` npm package it depends on (bindings/wasm/dist; built here if missing)
#   2. npm ci, unit tests (Vitest through `ng test`, jsdom)
#   3. production build (dist/vitalstream/browser, which the backend serves at /)
#   4. end-to-end tests in headless Debian Chromium (playwright-core):
#      - in-browser analysis of MIT-BIH record 100 == `vitalstream detect` (needs the CLI:
#        $VS_NATIVE_BUILD/vitalstream, and $VITALSTREAM_MITDB; skips with a message otherwise)
#      - against the real stack (`vitalstream-stack up --patients 16`, or $VS_STACK_URL): login,
#        live tiles, an alarm acknowledged, PDF report, admin, logout (skips without the launcher)
# The stack launcher comes from PATH, else from the backend step's venv (build-backend/venv, as
# scripts/test_backend.sh leaves it), else a venv made here (build-frontend/venv).
# env: VS_NATIVE_BUILD, VITALSTREAM_MITDB, VS_STACK_BIN (launcher outside PATH), VS_STACK_URL +
#      VS_ADMIN_PASSWORD (use a running stack), VS_SCREENSHOTS (where e2e screenshots go; default
#      a temporary directory here — docs/screenshots holds the committed ones)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
fe=$repo/examples/frontend
export VITALSTREAM_MITDB=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
export VS_NATIVE_BUILD=${VS_NATIVE_BUILD:-$repo/build-release}
shots=${VS_SCREENSHOTS:-$(mktemp -d /tmp/vs_frontend_shots.XXXXXX)}
export VS_SCREENSHOTS=$shots
export NG_CLI_ANALYTICS=false
t0=$(date +%s)
step() { printf '\n---- test_frontend: %s (%ss) ----\n' "$1" "$(( $(date +%s) - t0 ))"; }

if [ "$(id -u)" = 0 ] && ! [ -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
    apt-get install -y chromium >/dev/null
fi

step "vitalstream npm package"
if [ ! -f "$repo/bindings/wasm/dist/index.js" ] || [ ! -f "$repo/bindings/wasm/dist/vitalstream.wasm" ]; then
    "$repo/bindings/wasm/build.sh"
fi

# The e2e reference for the beat count is the native CLI.
if [ ! -x "$VS_NATIVE_BUILD/vitalstream" ] && [ -f "$VITALSTREAM_MITDB/100.hea" ]; then
    step "native CLI (for the beat-count reference)"
    VS_NATIVE_BUILD=$repo/build-frontend-cli
    cmake -S "$repo" -B "$VS_NATIVE_BUILD" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_CLI=ON >/dev/null
    cmake --build "$VS_NATIVE_BUILD" -j2 --target vitalstream_cli >/dev/null
    export VS_NATIVE_BUILD
fi

if [ -z "${VS_STACK_URL:-}" ] && [ -z "${VS_STACK_BIN:-}" ] && ! command -v vitalstream-stack >/dev/null; then
    venv=${VS_BACKEND_BUILD:-$repo/build-backend}/venv
    if [ ! -x "$venv/bin/vitalstream-stack" ]; then
        step "venv with the backend (for the stack end-to-end tests)"
        venv=$repo/build-frontend/venv
        if [ ! -x "$venv/bin/vitalstream-stack" ]; then
            python3 -m venv --clear "$venv"
            "$venv/bin/python" -m pip install -q --disable-pip-version-check "$repo/bindings/python" "$repo/examples/backend"
        fi
    fi
    export VS_STACK_BIN=$venv/bin/vitalstream-stack
fi

cd "$fe"
step "npm ci"
npm ci --no-audit --no-fund

step "unit tests"
npx ng test --watch=false

step "production build"
npx ng build

step "end-to-end (headless Chromium)"
node --test --test-concurrency=1 e2e/analysis.e2e.mjs e2e/station.e2e.mjs

step "done"
echo "test_frontend: screenshots in $shots"
