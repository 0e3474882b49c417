#!/usr/bin/env bash
# demo.sh — the README's first command: set up everything on a fresh Debian 12 machine and bring up
# the monitor with simulated patients: PostgreSQL + Redis (local, under the data directory), the
# stream workers, the persistence consumer, the web API serving the Angular central station, and
# the simulator replaying N demo patients (MIT-BIH records when ../shared/data/mitdb is present,
# else synthetic ECG from the library's own generator — no external data needed).
#
# usage: scripts/demo.sh [--patients N] [--port PORT] [--data-dir DIR]     (defaults 8, 8000,
#        build-demo/stack). Stop it with scripts/demo.sh down. Admin login: user `admin`, password
#        $VITALSTREAM_ADMIN_PASSWORD, else generated and printed by the launcher.
# The library alone (synthesize, detect, score; no services): scripts/demo_library.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build-demo
venv=$build/venv
data_dir=$build/stack
if [ "${1:-}" = down ]; then
    shift
    exec "$venv/bin/vitalstream-stack" down --data-dir "$data_dir" "$@"
fi

need=(build-essential cmake ninja-build pkg-config libcsv-dev python3-venv python3-dev
      redis-server postgresql emscripten)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v npm >/dev/null || { echo "demo: Node.js 20 with npm is needed for the central station" >&2; exit 1; }

echo "== Python: the vitalstream binding and the backend (venv $venv)"
mkdir -p "$build"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "$repo/bindings/python" "$repo/examples/backend"

echo "== the central station (npm package from bindings/wasm, Angular production build)"
if [ ! -f "$repo/bindings/wasm/dist/index.js" ]; then "$repo/bindings/wasm/build.sh" >/dev/null; fi
(cd "$repo/examples/frontend" && NG_CLI_ANALYTICS=false npm ci --no-audit --no-fund >/dev/null &&
    NG_CLI_ANALYTICS=false npx ng build >/dev/null)

echo "== bring up the stack"
exec "$venv/bin/vitalstream-stack" up --data-dir "$data_dir" \
    --static-dir "$repo/examples/frontend/dist/vitalstream/browser" "$@"
