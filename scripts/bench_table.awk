# bench_table.awk — table from a Google Benchmark JSON file (one "key": value per line, as the
# library writes it). usage: awk -f scripts/bench_table.awk bench/results/core.json
function flush() {
    if (name == "") return
    if (err != "") { printf "%-32s  ERROR: %s\n", name, err }
    else if (ips != "" && tps != "")
        printf "%-32s %12.2f %10.2f %12.0f %14.1f %s\n", name, ips / 1e6, tps * 1e9, xrt, cpu, unit
    else
        printf "%-32s %12s %10s %12s %14.1f %s  %s\n", name, "-", "-", "-", cpu, unit, extra
    name = err = ips = tps = xrt = cpu = unit = extra = ""
}
function val(line) { sub(/^[^:]*: */, "", line); sub(/,$/, "", line); gsub(/"/, "", line); return line }
BEGIN {
    printf "%-32s %12s %10s %12s %17s\n", "benchmark", "Msamples/s", "ns/sample", "x realtime", "cpu time/iter"
    printf "%s\n", "-----------------------------------------------------------------------------------------"
}
/"benchmarks": \[/ { inb = 1 }
inb && /^ *"name":/ { flush(); name = val($0) }
inb && /"error_message":/ { err = val($0) }
inb && /"items_per_second":/ { ips = val($0) }
inb && /"time_per_sample":/ { tps = val($0) }
inb && /"x_realtime":/ { xrt = val($0) }
inb && /"cpu_time":/ { cpu = val($0) }
inb && /"time_unit":/ { unit = val($0) }
inb && /"blob_bytes":/ { extra = sprintf("blob %d bytes", val($0) + 0) }
END { flush() }
