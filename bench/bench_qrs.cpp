// bench_qrs.cpp — the streaming QRS detector (whole pipeline per sample: band-pass, derivative,
// squaring, integration, adaptive thresholds, search-back) at 250/360/500 Hz.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

void BM_qrs_detect(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Qrs q(fs);
        const size_t block = static_cast<size_t>(fs);
        std::vector<vs_beat> beats(q.max_events(block) + 1);
        size_t total = 0;
        for (auto _ : state) {
            for (size_t off = 0; off < x.size(); off += block) {
                size_t len = std::min(block, x.size() - off);
                total += q.process(x.data() + off, len, beats.data(), beats.size());
            }
            benchmark::DoNotOptimize(total);
        }
        vsb::set_sample_counters(state, x.size(), fs);
        state.counters["beats_per_min"] = benchmark::Counter(
            static_cast<double>(total) / static_cast<double>(state.iterations()) /
            (vsb::kSignalSeconds / 60.0));
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

VSB_REGISTER_FS(BM_qrs_detect);
