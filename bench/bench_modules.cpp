// bench_modules.cpp — two of the monitor's stages alone, on the signal of BM_monitor_process, so
// that a change to one of them can be measured without the rest of the pipeline around it:
// signal quality (vs_quality_process, 1-s calls) and the beat classifier (vs_classifier_process
// over the whole signal with the detector's beats, found once before timing).
#include <benchmark/benchmark.h>

#include "bench_common.hpp"

namespace {

using Quality = vsb::Handle<vs_quality, vs_quality_destroy>;
using Classifier = vsb::Handle<vs_classifier, vs_classifier_destroy>;

void BM_quality_process(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vs_quality *p = nullptr;
        vsb::check(vs_quality_create(&p, fs), "vs_quality_create");
        Quality q(p);
        const size_t block = static_cast<size_t>(fs);
        std::vector<vs_quality_event> events(vs_quality_max_events(q.get(), block) + 1);
        size_t total = 0;
        for (auto _ : state) {
            vs_quality_reset(q.get()); // same work every iteration
            for (size_t off = 0; off < x.size(); off += block) {
                size_t len = std::min(block, x.size() - off), got = 0;
                vsb::check(vs_quality_process(q.get(), x.data() + off, len, events.data(),
                                              events.size(), &got),
                           "vs_quality_process");
                total += got;
            }
            benchmark::DoNotOptimize(total);
        }
        vsb::set_sample_counters(state, x.size(), fs);
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

void BM_classifier_process(benchmark::State &state)
{
    const double fs = static_cast<double>(state.range(0));
    try {
        const std::vector<float> &x = vsb::bench_signal(fs);
        vsb::Qrs det(fs);
        std::vector<vs_beat> beats(det.max_events(x.size()) + 1);
        beats.resize(det.process(x.data(), x.size(), beats.data(), beats.size()));
        vs_classifier *p = nullptr;
        vsb::check(vs_classifier_create(&p, fs), "vs_classifier_create");
        Classifier c(p);
        std::vector<vs_classified_beat> out(beats.size() + 1);
        size_t total = 0;
        for (auto _ : state) {
            vs_classifier_reset(c.get());
            size_t got = 0;
            vsb::check(vs_classifier_process(c.get(), x.data(), x.size(), beats.data(),
                                             beats.size(), out.data(), out.size(), &got),
                       "vs_classifier_process");
            total += got;
            benchmark::DoNotOptimize(total);
        }
        vsb::set_sample_counters(state, x.size(), fs);
        state.counters["beats"] = static_cast<double>(beats.size());
    } catch (const std::exception &e) {
        state.SkipWithError(e.what());
    }
}

} // namespace

VSB_REGISTER_FS(BM_quality_process);
VSB_REGISTER_FS(BM_classifier_process);
