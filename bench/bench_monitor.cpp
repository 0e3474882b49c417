// bench_monitor.cpp — the whole vs_monitor pipeline (QRS, beat classifier, signal quality, rhythm,
// rolling HRV window) per sample at 250/360/500 Hz, next to the QRS-only path of bench_qrs.cpp in
// the same run; and the cost of handing a patient's stream to another worker (save + load of the
// one monitor blob).
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

void BM_monitor_process(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Monitor m(fs);
        const size_t block = static_cast<size_t>(fs);
        std::vector<vs_event> events(m.max_events(block) + 1);
        size_t total = 0;
        for (auto _ : state) {
            m.reset(); // same work every iteration: the signal from its start
            for (size_t off = 0; off < x.size(); off += block) {
                size_t len = std::min(block, x.size() - off);
                total += m.process(x.data() + off, len, events.data(), events.size());
            }
            benchmark::DoNotOptimize(total);
        }
        vsb::set_sample_counters(state, x.size(), fs);
        state.counters["state_bytes"] = static_cast<double>(m.state_size());
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_monitor_state_roundtrip(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Monitor m(fs), other(fs);
        std::vector<vs_event> events(m.max_events(x.size()) + 1);
        m.process(x.data(), x.size(), events.data(), events.size());
        vsb::Bytes blob(m.state_size());
        for (auto _ : state) {
            size_t n = m.save(blob);
            other.load(blob.data(), n);
            benchmark::ClobberMemory();
        }
        state.counters["state_bytes"] = static_cast<double>(blob.size());
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

VSB_REGISTER_FS(BM_monitor_process);
VSB_REGISTER_FS(BM_monitor_state_roundtrip);
