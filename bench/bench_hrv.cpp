// bench_hrv.cpp — the rolling HRV window: cost of one beat push (O(1)) and of one full compute
// over a 5-minute window (Lomb-Scargle or Welch; entropies and DFA included), at 360 Hz, for a
// typical rate (~75 bpm, ~375 intervals) and the worst case (the 448-interval cap, ~150 bpm).
#include <cmath>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "shim.hpp"
#include <vitalstream/hrv.h>

namespace {

constexpr double kFs = 360.0;

using Window = vsb::Handle<vs_hrv_window, vs_hrv_window_destroy>;

Window make_window()
{
    vs_hrv_window *w = nullptr;
    vsb::check(vs_hrv_window_create(&w, kFs), "vs_hrv_window_create");
    return Window(w);
}

// Beat positions with respiratory and slow modulation; every 50th beat premature (ectopic).
std::vector<int64_t> beats(double mean_ms, size_t n, std::vector<int> *normal)
{
    std::vector<int64_t> pos(n);
    normal->assign(n, 1);
    double t = 0.0;
    int64_t p = 0;
    for (size_t i = 0; i < n; i++) {
        double rr = mean_ms + 30.0 * std::sin(2.0 * 3.14159265 * 0.25 * t) +
                    20.0 * std::sin(2.0 * 3.14159265 * 0.07 * t);
        if (i % 50 == 25) {
            rr *= 0.7;
            (*normal)[i] = 0;
        }
        p += static_cast<int64_t>(rr * kFs / 1000.0);
        pos[i] = p;
        t += rr / 1000.0;
    }
    return pos;
}

void BM_hrv_window_push(benchmark::State &state)
{
    try {
        std::vector<int> normal;
        const std::vector<int64_t> pos = beats(800.0, 4096, &normal);
        const int64_t period = pos.back() + 300;
        Window w = make_window();
        int64_t offset = 0;
        size_t i = 0;
        for (auto _ : state) {
            vsb::check(vs_hrv_window_push(w.get(), pos[i] + offset, normal[i]), "push");
            if (++i == pos.size()) {
                i = 0;
                offset += period;
            }
        }
        state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
        state.counters["intervals_held"] = static_cast<double>(vs_hrv_window_count(w.get()));
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

// range(0): mean RR in ms (800: typical, 400: count cap reached); range(1): PSD method.
void BM_hrv_window_compute(benchmark::State &state)
{
    try {
        std::vector<int> normal;
        const std::vector<int64_t> pos = beats(static_cast<double>(state.range(0)), 1000, &normal);
        Window w = make_window();
        for (size_t i = 0; i < pos.size(); i++)
            vsb::check(vs_hrv_window_push(w.get(), pos[i], normal[i]), "push");
        vs_hrv_options o;
        vs_hrv_default_options(&o);
        o.psd_method = static_cast<uint32_t>(state.range(1));
        vs_hrv_result r;
        for (auto _ : state) {
            vsb::check(vs_hrv_window_compute(w.get(), &o, &r), "compute");
            benchmark::DoNotOptimize(r);
        }
        state.counters["intervals"] = static_cast<double>(vs_hrv_window_count(w.get()));
        state.counters["state_bytes"] = static_cast<double>(vs_hrv_window_state_size(w.get()));
        state.counters["lf_hf"] = r.lf_hf;
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

BENCHMARK(BM_hrv_window_push);
BENCHMARK(BM_hrv_window_compute)
    ->ArgNames({"mean_rr_ms", "welch"})
    ->Args({800, VS_HRV_PSD_LOMB})
    ->Args({800, VS_HRV_PSD_WELCH})
    ->Args({400, VS_HRV_PSD_LOMB})
    ->Args({400, VS_HRV_PSD_WELCH})
    ->Unit(benchmark::kMillisecond);
