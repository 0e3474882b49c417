// bench_state.cpp — portable state: save a warmed-up object to a blob and load it into a second
// object of the same fs (the round trip a monitor does to migrate or checkpoint a stream).
// items_per_second = round trips/s; bytes_per_second counts blob bytes written + read.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

void BM_state_roundtrip_qrs(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Qrs a(fs), b(fs);
        std::vector<vs_beat> beats(a.max_events(x.size()) + 1);
        a.process(x.data(), x.size() / 6, beats.data(), beats.size()); // 10 s of history
        vsb::Bytes blob(a.state_size());
        size_t len = 0;
        for (auto _ : state) {
            len = a.save(blob);
            b.load(blob.data(), len);
            benchmark::ClobberMemory();
        }
        state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
        state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                                static_cast<int64_t>(2 * len));
        state.counters["blob_bytes"] = static_cast<double>(len);
        state.counters["fs_hz"] = fs;
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_state_roundtrip_iir(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Iir a = vsb::Iir::bandpass(fs, 5.0, 15.0, 2), b = vsb::Iir::bandpass(fs, 5.0, 15.0, 2);
        std::vector<float> y(x.size());
        a.process(x.data(), y.data(), x.size() / 6);
        vsb::Bytes blob(vs_iir_state_size(a.get()));
        size_t len = 0;
        for (auto _ : state) {
            len = vsb::iir_save(a, blob);
            vsb::iir_load(b, blob.data(), len);
            benchmark::ClobberMemory();
        }
        state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
        state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                                static_cast<int64_t>(2 * len));
        state.counters["blob_bytes"] = static_cast<double>(len);
        state.counters["fs_hz"] = fs;
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

VSB_REGISTER_FS(BM_state_roundtrip_qrs);
VSB_REGISTER_FS(BM_state_roundtrip_iir);
