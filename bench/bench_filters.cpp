// bench_filters.cpp — throughput of the streaming filters on synthetic ECG at 250/360/500 Hz.
// Each iteration streams 60 s of signal in 1-second blocks through one long-lived object (steady
// state, as in a monitor). Reported: items_per_second = samples/s, ns_per_sample.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

template <class Filter> void run_filter(benchmark::State &state, Filter &f, double fs)
{
    const std::vector<float> &x = vsb::bench_signal(fs);
    std::vector<float> y(x.size());
    const size_t block = static_cast<size_t>(fs);
    for (auto _ : state) {
        for (size_t off = 0; off < x.size(); off += block) {
            size_t len = std::min(block, x.size() - off);
            f.process(x.data() + off, y.data() + off, len);
        }
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    vsb::set_sample_counters(state, x.size(), fs);
}

void BM_iir_bandpass(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        vsb::Iir f = vsb::Iir::bandpass(fs, 5.0, 15.0, 2); // Pan-Tompkins band, 2 sections
        run_filter(state, f, fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_iir_notch(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        vsb::Iir f = vsb::Iir::notch(fs, 50.0, 30.0);
        run_filter(state, f, fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_deriv(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        vsb::Deriv f(fs);
        run_filter(state, f, fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_mwi(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        vsb::Mwi f(fs, 150.0);
        run_filter(state, f, fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_baseline(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        vsb::Baseline f(fs);
        run_filter(state, f, fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

VSB_REGISTER_FS(BM_iir_bandpass);
VSB_REGISTER_FS(BM_iir_notch);
VSB_REGISTER_FS(BM_deriv);
VSB_REGISTER_FS(BM_mwi);
VSB_REGISTER_FS(BM_baseline);
