#!/usr/bin/env bash
# test_all.sh — every check of libvitalstream, as run by CI (.ci/run) and documented in the
# README ("run all tests"):
#   1. release    Release build (gcc, -Wall -Wextra -Wpedantic -Werror, Ninja if present), ctest
#   2. asan       ASan+UBSan build (-DVITALSTREAM_SANITIZE=ON), ctest again
#   3. portable   clang build of everything with -Werror (no tests run); Windows cross build of the
#                 core with mingw-w64: DLL exports and dllimport checked (scripts/check_mingw.sh)
#   4. fuzz       libFuzzer smoke run of every tests/fuzz/fuzz_*.c (FUZZ_SECONDS each, default 15)
#   5. install    scripts/check_install.sh (install to a temp prefix; pkg-config + find_package)
#   6. bench      benchmark build + one tiny run (proves it works; not a measurement)
#   7. hrvx       HRV cross-check against NeuroKit2 on MIT-BIH (scripts/test_hrv_crosscheck.sh)
#   8. python     Python binding: pip install, pytest, wheel + sdist installs (scripts/test_python.sh)
#   9. wasm       WebAssembly binding: emcc build, node --test, headless Chromium, npm pack install
#                 (scripts/test_wasm.sh)
#  10. packaging  license/pkg-config/wheel/npm-pack/API-docs checks (scripts/test_packaging.sh)
#  11. backend    workers + FastAPI backend on real Redis and PostgreSQL (scripts/test_backend.sh)
#  12. frontend   Angular central station: unit tests, production build, end-to-end in headless
#                 Chromium against the real stack (scripts/test_frontend.sh)
# The MIT-BIH tests read $VITALSTREAM_MITDB, else ../shared/data/mitdb beside the repository,
# and skip when it is absent.
#
# usage: scripts/test_all.sh [STEP...]          (default: all steps, in the order above)
# env:   TEST_ALL_SKIP="fuzz bench"   BUILD_ROOT=<repo>   JOBS=<nproc>   FUZZ_SECONDS=15
# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=${BUILD_ROOT:-$repo}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export FUZZ_SECONDS=${FUZZ_SECONDS:-15}
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(release asan portable fuzz install bench hrvx python wasm packaging backend frontend)
logdir=$(mktemp -d /tmp/vs_test_all.XXXXXX)
declare -A status elapsed

mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
if [ -f "$mitdb/100.hea" ]; then
    echo "test_all: MIT-BIH database: $mitdb"
else
    echo "test_all: MIT-BIH database not found at $mitdb - those tests will skip"
fi

# configure BUILD_DIR [cmake args...]: fresh cache when the generator changed.
configure() {
    local dir=$1; shift
    if [ -f "$dir/CMakeCache.txt" ] &&
       ! grep -q "CMAKE_GENERATOR:INTERNAL=${gen[1]:-Unix Makefiles}" "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
    cmake -S "$repo" -B "$dir" "${gen[@]}" "$@"
}

# build BUILD_DIR: build everything, keep going past a failing target so that ctest can still
# report on the rest; the step fails afterwards (see build_then_test).
build() {
    local keep=(-k)
    [ ${#gen[@]} -gt 0 ] && keep=(-k 0)
    cmake --build "$1" -j "$jobs" -- "${keep[@]}"
}

# build_then_test BUILD_DIR NAME
build_then_test() {
    local brc=0 trc=0
    build "$1" || brc=$?
    [ $brc -eq 0 ] || echo "test_all: BUILD FAILED in $1 (exit $brc); running the tests that built"
    ctest_run "$1" "$2" || trc=$?
    [ $brc -eq 0 ] || return $brc
    return $trc
}

# ctest_run BUILD_DIR NAME: run ctest, keep its log for the final summary.
ctest_run() {
    local dir=$1 name=$2 rc=0
    (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 1800) 2>&1 |
        tee "$logdir/ctest_$name.log" || rc=$?
    return $rc
}

step_release() {
    local b=$root/build-release
    configure "$b" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_SANITIZE=OFF \
        -DVITALSTREAM_BUILD_TESTS=ON -DVITALSTREAM_BUILD_CLI=ON -DVITALSTREAM_BUILD_FUZZ=OFF \
        -DVITALSTREAM_BUILD_BENCH=OFF -DVITALSTREAM_WERROR=ON
    build_then_test "$b" release
}

step_asan() {
    local b=$root/build-asan
    configure "$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALSTREAM_SANITIZE=ON \
        -DVITALSTREAM_BUILD_TESTS=ON -DVITALSTREAM_BUILD_CLI=ON -DVITALSTREAM_BUILD_FUZZ=OFF \
        -DVITALSTREAM_BUILD_BENCH=OFF
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    build_then_test "$b" asan
}

step_portable() {
    CC=clang configure "$root/build-clang" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_WERROR=ON \
        -DVITALSTREAM_BUILD_TESTS=ON -DVITALSTREAM_BUILD_CLI=ON -DVITALSTREAM_BUILD_FUZZ=OFF
    build "$root/build-clang"
    local rc=0
    MINGW_BUILD_DIR=$root/build-mingw JOBS=$jobs "$repo/scripts/check_mingw.sh" || rc=$?
    [ $rc -eq 77 ] && { echo "test_all: mingw-w64 part skipped (not installed)"; return 0; }
    return $rc
}

step_fuzz() {
    FUZZ_BUILD_DIR=$root/build-fuzz "$repo/scripts/fuzz_smoke.sh"
}

step_install() {
    BUILD_DIR=$root/build-pkg "$repo/scripts/check_install.sh"
}

step_bench() {
    BENCH_BUILD_DIR=$root/build-bench BENCH_MIN_TIME=${BENCH_MIN_TIME:-0.001} \
        BENCH_OUT=$logdir/bench_smoke.json "$repo/scripts/bench.sh"
}

step_hrvx() {
    local rc=0
    "$repo/scripts/test_hrv_crosscheck.sh" "$root/build-hrv-crosscheck" || rc=$?
    [ $rc -eq 77 ] && { echo "test_all: hrvx skipped (no MIT-BIH or no PyPI)"; return 0; }
    return $rc
}

step_python() {
    VS_PY_BUILD=$root/build-python VITALSTREAM_MITDB=$mitdb "$repo/scripts/test_python.sh"
}

step_wasm() {
    VS_WASM_NATIVE_BUILD=$root/build-wasm-native VITALSTREAM_MITDB=$mitdb "$repo/scripts/test_wasm.sh"
}

# optional_step NAME: run scripts/test_NAME.sh (each subsystem owns its script).
optional_step() {
    VS_NATIVE_BUILD=$root/build-release VITALSTREAM_MITDB=$mitdb "$repo/scripts/test_$1.sh"
}
step_packaging() { optional_step packaging; }
step_backend() { optional_step backend; }
step_frontend() { optional_step frontend; }

overall=0
for s in "${steps[@]}"; do
    case " ${TEST_ALL_SKIP:-} " in *" $s "*) status[$s]="skipped (TEST_ALL_SKIP)"; elapsed[$s]=0; continue ;; esac
    if ! declare -F "step_$s" >/dev/null; then
        echo "test_all: unknown step '$s' (release asan portable fuzz install bench hrvx python wasm packaging backend frontend)" >&2
        exit 2
    fi
    printf '\n==================== test_all: %s ====================\n' "$s"
    t0=$(date +%s)
    rc=0
    # The step runs in its own subshell so that a failing command ends that step only. It is
    # started asynchronously because bash ignores errexit inside `( ... ) || ...`.
    ( set -euo pipefail; "step_$s" ) &
    wait $! || rc=$?
    elapsed[$s]=$(( $(date +%s) - t0 ))
    if [ $rc -eq 0 ]; then status[$s]="ok"; else status[$s]="FAILED (exit $rc)"; overall=1; fi
done

printf '\n==================== test_all: summary ====================\n'
for name in release asan; do
    f=$logdir/ctest_$name.log
    [ -f "$f" ] || continue
    echo "---- ctest ($name) ----"
    grep -E 'tests passed|tests failed|The following tests|^[[:space:]]+[0-9]+ - |Total Test time|No tests were found' "$f" || true
done
echo "---- steps ----"
for s in "${steps[@]}"; do printf '  %-8s %-26s %4ss\n' "$s" "${status[$s]}" "${elapsed[$s]}"; done
echo "logs: $logdir"
if [ $overall -ne 0 ]; then echo "test_all: FAILED"; else echo "test_all: all steps passed"; fi
exit $overall
