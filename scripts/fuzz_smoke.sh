#!/usr/bin/env bash
# fuzz_smoke.sh — build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang and run each for
# FUZZ_SECONDS seconds (default 20) on a fresh corpus directory under /tmp, seeded from
# tests/fuzz/corpus/<target>/ and matching sample files (tests/data, the MIT-BIH database).
#
# usage: scripts/fuzz_smoke.sh [TARGET...]        (default: every fuzz_* program)
# env:   FUZZ_SECONDS=20   FUZZ_BUILD_DIR=build-fuzz   CC=clang   VITALSTREAM_MITDB=...
#        FUZZ_SKIP_BUILD=1 (use binaries already in $FUZZ_BUILD_DIR/fuzz)
#        KEEP_FUZZ=1 (keep /tmp/vs_fuzz.* also when every target passed)
# Exit status is non-zero if any target crashes, leaks, hits UB or fails to build.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD_DIR:-$repo/build-fuzz}
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
cc=${CC:-clang}
case "$cc" in *clang*) ;; *) cc=clang ;; esac

if ! command -v "$cc" >/dev/null; then
    echo "fuzz_smoke: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
fi
if ! ls "$repo"/tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
    echo "fuzz_smoke: no tests/fuzz/fuzz_*.c targets yet - nothing to do"
    exit 0
fi

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    # Reuse an existing build dir only if it was configured with the same generator.
    if [ -f "$build/CMakeCache.txt" ] && ! grep -q "CMAKE_GENERATOR:INTERNAL=${gen[1]:-Unix Makefiles}" "$build/CMakeCache.txt"; then
        rm -rf "$build"
    fi
    cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVITALSTREAM_BUILD_FUZZ=ON \
        -DVITALSTREAM_BUILD_TESTS=OFF -DVITALSTREAM_BUILD_CLI=OFF -DVITALSTREAM_BUILD_BENCH=OFF \
        >/dev/null
    cmake --build "$build" --target fuzzers
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in "$build"/fuzz/fuzz_*; do
        [ -x "$f" ] && targets+=("$(basename "$f")")
    done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz_smoke: no fuzz binaries in $build/fuzz" >&2; exit 1; }

work=$(mktemp -d /tmp/vs_fuzz.XXXXXX)
echo "fuzz_smoke: ${#targets[@]} target(s), ${seconds}s each, corpora and artifacts in $work"

# seed FILES... into DIR (at most 64 files, each <= 64 KiB, so startup stays quick)
seed() {
    local dir=$1; shift
    local n=0 f
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(stat -c %s "$f")" -le 65536 ] || continue
        cp "$f" "$dir/$(basename "$(dirname "$f")")_$(basename "$f")"
        n=$((n + 1))
        [ $n -lt 64 ] || break
    done
}

failed=()
declare -A result
for t in "${targets[@]}"; do
    bin=$build/fuzz/$t
    corpus=$work/$t/corpus
    mkdir -p "$corpus" "$work/$t/artifacts"
    shopt -s nullglob
    # checked-in seeds: tests/fuzz/corpus/<target>/ and tests/fuzz/corpus_<word>*/ where <word>
    # is the first word after fuzz_ (corpus_state -> fuzz_state_load)
    word=${t#fuzz_}; word=${word%%_*}
    seed "$corpus" "$repo"/tests/fuzz/corpus/"$t"/* "$repo"/tests/fuzz/corpus_"$word"*/*
    case "$t" in
        *wfdb*|*header*|*hea*) seed "$corpus" "$repo"/tests/data/*.hea "$mitdb"/10[0-5].hea ;;
        *annot*|*atr*)         seed "$corpus" "$repo"/tests/data/*.atr "$mitdb"/10[0-2].atr ;;
        *csv*)                 seed "$corpus" "$repo"/tests/data/*.csv ;;
        *state*)               seed "$corpus" "$repo"/tests/data/*.bin "$repo"/tests/data/*.vsst \
                                              "$repo"/tests/data/*state* ;;
    esac
    shopt -u nullglob
    echo "== $t: $(ls "$corpus" | wc -l) seed file(s)"
    set +e
    (cd "$work/$t" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/$t/artifacts/" "$corpus" > "$work/$t/log.txt" 2>&1)
    rc=$?
    set -e
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/$t/log.txt" | grep -Eo '[0-9]+$' || true)
    if [ $rc -eq 0 ]; then
        result[$t]="ok    ${execs:-?} runs"
    else
        result[$t]="FAIL  exit $rc (log: $work/$t/log.txt)"
        failed+=("$t")
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$work/$t/log.txt" | head -20 || true
    fi
done

echo "---- fuzz smoke summary (${seconds}s per target) ----"
for t in "${targets[@]}"; do printf '  %-24s %s\n' "$t" "${result[$t]}"; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz_smoke: ${#failed[@]} target(s) failed: ${failed[*]}"
    exit 1
fi
echo "fuzz_smoke: all targets ok"
# Keep corpora and logs only on failure (or when asked).
[ "${KEEP_FUZZ:-0}" = 1 ] || rm -rf "$work"
