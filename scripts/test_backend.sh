#!/bin/sh
# test_backend.sh — the backend project examples/backend (stream workers on Redis + web API):
#   1. venv BUILD/venv: pip install ./bindings/python and ./examples/backend[test] (real installs)
#   2. mypy --strict on the package vitalstream_backend
#   3. pytest examples/backend/tests: real redis-server processes (one server, AOF, a 3-master
#      cluster) and PostgreSQL started by the fixtures; the worker fault tests compare exported
#      annotation files with `vitalstream detect --classify` on the MIT-BIH records.
# CI size: all 48 records, the first VS_FAULT_SECONDS (default 300) seconds of each. The full
# acceptance run (whole 30-minute records):  VS_FAULT_SECONDS=full scripts/test_backend.sh
#
# env: VS_NATIVE_BUILD    build folder holding the `vitalstream` CLI (test_all: build-release);
#                         without it the CLI is built in BUILD/native
#      VS_BACKEND_BUILD   work folder (default: build-backend in the repository)
#      VITALSTREAM_MITDB  MIT-BIH database (default ../shared/data/mitdb beside the repository)
#      VS_FAULT_SECONDS, VS_FAULT_RECORDS   fault test size (see above; records: all or a list)
#      VS_BACKEND_PYTEST_ARGS               extra pytest arguments
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=${VS_BACKEND_BUILD:-$root/build-backend}
py=${PYTHON:-python3}
: "${VITALSTREAM_MITDB:=$root/../shared/data/mitdb}"
export VITALSTREAM_MITDB
step() { printf '\n=== test_backend: %s\n' "$*"; }
mkdir -p "$b"

for tool in redis-server redis-cli; do
    command -v $tool >/dev/null 2>&1 || { echo "test_backend: $tool missing (apt-get install redis-server)" >&2; exit 2; }
done

cli=""
for c in "${VS_NATIVE_BUILD:-/nonexistent}/vitalstream" "${VS_NATIVE_BUILD:-/nonexistent}/examples/cli/vitalstream"; do
    [ -x "$c" ] && cli=$c && break
done
if [ -z "$cli" ]; then
    step "building the vitalstream CLI in $b/native"
    cmake -S "$root" -B "$b/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$b/native" -j 2 --target vitalstream_cli >/dev/null
    cli=$b/native/vitalstream
fi
export VITALSTREAM_CLI="$cli"

step "venv + pip install ./bindings/python ./examples/backend[test]"
"$py" -m venv --clear "$b/venv"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check "$root/bindings/python"
"$b/venv/bin/python" -m pip install -q --disable-pip-version-check "$root/examples/backend[test]"

step "mypy --strict vitalstream_backend"
(cd "$root/examples/backend" && "$b/venv/bin/python" -m mypy --strict --cache-dir "$b/mypy_cache" src/vitalstream_backend)

step "pytest examples/backend/tests (fault tests: ${VS_FAULT_RECORDS:-all} records, ${VS_FAULT_SECONDS:-300} s each)"
# shellcheck disable=SC2086
(cd "$b" && "$b/venv/bin/python" -m pytest -q -p no:cacheprovider -rs "$root/examples/backend/tests" ${VS_BACKEND_PYTEST_ARGS:-})
