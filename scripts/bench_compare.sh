#!/usr/bin/env bash
# bench_compare.sh — Google Benchmark figures of two builds side by side, from one run on one
# machine (a shared machine is noisy: compare the ratio, not the absolute figures). Each program
# runs with 3 repetitions (before, then after), and the table shows the medians of CPU time.
#
# usage: scripts/bench_compare.sh BEFORE_BENCH_PROGRAM AFTER_BENCH_PROGRAM [OUT.md]
#        (programs: <build>/bench/vitalstream_bench, e.g. a build of the commit before a change)
# env:   BENCH_FILTER (default: QRS, filters, monitor, state round trips)  BENCH_MIN_TIME=0.3
#        BENCH_ROUNDS=1: with K > 1, before and after alternate K times and each side's figure is
#        the least of its K medians (other load on a shared machine only ever adds time)
set -euo pipefail
before=$1
after=$2
out=${3:-/dev/stdout}
filter=${BENCH_FILTER:-qrs_detect|iir_bandpass|monitor_process|roundtrip}
min_time=${BENCH_MIN_TIME:-0.3}
rounds=${BENCH_ROUNDS:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for round in $(seq "$rounds"); do
    for side in before after; do
        prog=${!side}
        "$prog" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
            --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
            --benchmark_out="$tmp/$side.$round.json" --benchmark_out_format=json >/dev/null 2>&1
    done
done
python3 - "$tmp" "$rounds" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >"$out" <<'PY'
import json, sys

def medians(side):
    rows = {}
    for k in range(1, int(sys.argv[2]) + 1):
        for b in json.load(open(f"{sys.argv[1]}/{side}.{k}.json"))["benchmarks"]:
            if b.get("aggregate_name") != "median":
                continue
            old = rows.get(b["run_name"])
            if old is None or b["cpu_time"] < old["cpu_time"]:
                rows[b["run_name"]] = b
    return rows

before, after = medians("before"), medians("after")
how = ("median of 3 repetitions" if sys.argv[2] == "1" else
       f"least of {sys.argv[2]} alternating rounds' medians of 3 repetitions")
print(f"Google Benchmark, before vs after, one run ({sys.argv[3]}, load {sys.argv[4]}): "
      f"{how}, CPU time per iteration.\n")
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
