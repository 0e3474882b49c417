#!/usr/bin/env bash
# bench_eval_wall.sh — wall time of `vitalstream eval --db $MITDB` (the whole MIT-BIH database
# through the built-in detector and the EC57 comparator), Release build.
# usage: scripts/bench_eval_wall.sh [extra eval options]
# env:   VITALSTREAM_MITDB (default ../shared/data/mitdb beside the repository)
#        BENCH_BUILD_DIR=build-bench-cli  BENCH_EVAL_OUT=bench/results/eval_wall.txt
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mitdb=${VITALSTREAM_MITDB:-$repo/../shared/data/mitdb}
build=${BENCH_BUILD_DIR:-$repo/build-bench-cli}
out=${BENCH_EVAL_OUT:-$repo/bench/results/eval_wall.txt}
if [ ! -f "$mitdb/100.hea" ]; then
    echo "bench_eval_wall: MIT-BIH database not found at $mitdb (set VITALSTREAM_MITDB) - skipped"
    exit 0
fi
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$repo" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DVITALSTREAM_BUILD_CLI=ON \
    -DVITALSTREAM_BUILD_TESTS=OFF -DVITALSTREAM_BUILD_BENCH=OFF -DVITALSTREAM_SANITIZE=OFF >/dev/null
cmake --build "$build" --target vitalstream_cli
cli=$build/vitalstream

log=$(mktemp /tmp/vs_eval_wall.XXXXXX)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
set +e
"$cli" eval --db "$mitdb" "$@" >"$log" 2>&1
rc=$?
set -e
end=$(date +%s.%N)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
tail -n 15 "$log"
mkdir -p "$(dirname "$out")"
{
    echo "vitalstream eval --db $(basename "$mitdb") $*"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(uname -m), $(nproc) cores"
    echo "exit status: $rc"
    echo "wall time: ${wall} s"
} | tee "$out"
exit $rc
