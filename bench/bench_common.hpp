// bench_common.hpp — pieces shared by the bench_*.cpp files: the cached synthetic signal per
// sampling rate, the per-sample counters and the fs registration (250, 360, 500 Hz).
#ifndef VITALSTREAM_BENCH_COMMON_HPP
#define VITALSTREAM_BENCH_COMMON_HPP

#include <algorithm>
#include <map>
#include <vector>

#include <benchmark/benchmark.h>

#include "shim.hpp"

namespace vsb {

constexpr double kSignalSeconds = 60.0;

// 60 s of synthetic ECG per sampling rate, generated once.
inline const std::vector<float> &bench_signal(double fs_hz)
{
    static std::map<double, std::vector<float>> cache;
    auto it = cache.find(fs_hz);
    if (it == cache.end()) it = cache.emplace(fs_hz, synth_ecg(fs_hz, kSignalSeconds)).first;
    return it->second;
}

// samples/s as items_per_second, plus time_per_sample (seconds in JSON; the console shows it
// with an SI prefix, e.g. "7.8ns") and x_realtime (seconds of ECG processed per second).
inline void set_sample_counters(benchmark::State &state, size_t samples_per_iter, double fs_hz)
{
    const double n = static_cast<double>(samples_per_iter);
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                            static_cast<int64_t>(samples_per_iter));
    state.counters["time_per_sample"] = benchmark::Counter(
        n, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    state.counters["x_realtime"] =
        benchmark::Counter(n / fs_hz, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["fs_hz"] = fs_hz;
}

} // namespace vsb

#define VSB_REGISTER_FS(fn) BENCHMARK(fn)->ArgName("fs")->Arg(250)->Arg(360)->Arg(500)

#endif
