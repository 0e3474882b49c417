#!/usr/bin/env bash
# bench_compare.sh — Google Benchmark figures of two builds side by side, from one run on one
# machine (a shared machine is noisy: compare the ratio, not the absolute figures). Each program
# runs with 3 repetitions (before, then after), and the table shows the medians of CPU time.
#
# usage: scripts/bench_compare.sh BEFORE_BENCH_PROGRAM AFTER_BENCH_PROGRAM [OUT.md]
#        (programs: <build>/bench/vitalstream_bench, e.g. a build of the commit before a change)
# env:   BENCH_FILTER (default: QRS, filters, monitor, state round trips)  BENCH_MIN_TIME=0.3
set -euo pipefail
before=$1
after=$2
out=${3:-/dev/stdout}
filter=${BENCH_FILTER:-qrs_detect|iir_bandpass|monitor_process|roundtrip}
min_time=${BENCH_MIN_TIME:-0.3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for side in before after; do
    prog=${!side}
    "$prog" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
        --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
        --benchmark_out="$tmp/$side.json" --benchmark_out_format=json >/dev/null 2>&1
done
python3 - "$tmp/before.json" "$tmp/after.json" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >"$out" <<'PY'
import json, sys

def medians(path):
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        rows[b["run_name"]] = b
    return rows

before, after = medians(sys.argv[1]), medians(sys.argv[2])
print(f"Google Benchmark, before vs after, one run ({sys.argv[3]}, load {sys.argv[4]}): "
      "median of 3 repetitions, CPU time per iteration.\n")
print("| benchmark | before | after | speed-up | after: M samples/s |")
print("|---|---:|---:|---:|---:|")
for name, a in after.items():
    b = before.get(name)
    if not b:
        continue
    unit = a["time_unit"]
    ips = a.get("items_per_second", 0.0)
    rate = f"{ips / 1e6:.1f}" if "roundtrip" not in name else "-"
    print(f"| {name} | {b['cpu_time']:.0f} {unit} | {a['cpu_time']:.0f} {unit} | "
          f"{b['cpu_time'] / a['cpu_time']:.2f}x | {rate} |")
PY
