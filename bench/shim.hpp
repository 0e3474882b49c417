// shim.hpp — a thin C++ layer over the C API of libvitalstream for the benchmarks: RAII handles
// and exceptions on error, nothing else. It calls only public vs_* functions, so the numbers are
// what a C program (or a binding) gets.
#ifndef VITALSTREAM_BENCH_SHIM_HPP
#define VITALSTREAM_BENCH_SHIM_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <vitalstream/vitalstream.h>

namespace vsb {

struct Error : std::runtime_error {
    vs_status code;
    Error(vs_status c, const std::string &what)
        : std::runtime_error(what + ": " + vs_strerror(c)), code(c) {}
};

inline void check(vs_status s, const char *what)
{
    if (s != VS_OK) throw Error(s, what);
}

// unique_ptr with the module's destroy function.
template <class T, void (*Destroy)(T *)> struct Deleter {
    void operator()(T *p) const { Destroy(p); }
};
template <class T, void (*Destroy)(T *)> using Handle = std::unique_ptr<T, Deleter<T, Destroy>>;

using Bytes = std::vector<uint8_t>;

class Iir {
public:
    // Butterworth band-pass, order per edge (order N gives N sections).
    static Iir bandpass(double fs_hz, double lo_hz, double hi_hz, unsigned order)
    {
        vs_biquad_coeffs c[VS_IIR_MAX_SECTIONS];
        size_t n = 0;
        check(vs_butterworth_design(VS_FILTER_BANDPASS, order, fs_hz, lo_hz, hi_hz, c,
                                    VS_IIR_MAX_SECTIONS, &n),
              "vs_butterworth_design");
        return Iir(c, n);
    }
    static Iir notch(double fs_hz, double f0_hz, double q)
    {
        vs_biquad_coeffs c;
        check(vs_notch_design(fs_hz, f0_hz, q, &c), "vs_notch_design");
        return Iir(&c, 1);
    }
    void process(const float *in, float *out, size_t n)
    {
        check(vs_iir_process(h_.get(), in, out, n), "vs_iir_process");
    }
    size_t n_sections() const { return n_; }
    vs_iir *get() const { return h_.get(); }

private:
    Iir(const vs_biquad_coeffs *c, size_t n) : n_(n)
    {
        vs_iir *p = nullptr;
        check(vs_iir_create(&p, c, n), "vs_iir_create");
        h_.reset(p);
    }
    Handle<vs_iir, vs_iir_destroy> h_;
    size_t n_;
};

class Deriv {
public:
    explicit Deriv(double fs_hz)
    {
        vs_deriv *p = nullptr;
        check(vs_deriv_create(&p, fs_hz), "vs_deriv_create");
        h_.reset(p);
    }
    void process(const float *in, float *out, size_t n)
    {
        check(vs_deriv_process(h_.get(), in, out, n), "vs_deriv_process");
    }

private:
    Handle<vs_deriv, vs_deriv_destroy> h_;
};

class Mwi {
public:
    Mwi(double fs_hz, double window_ms)
    {
        vs_mwi *p = nullptr;
        check(vs_mwi_create(&p, fs_hz, window_ms), "vs_mwi_create");
        h_.reset(p);
    }
    void process(const float *in, float *out, size_t n)
    {
        check(vs_mwi_process(h_.get(), in, out, n), "vs_mwi_process");
    }

private:
    Handle<vs_mwi, vs_mwi_destroy> h_;
};

class Baseline {
public:
    explicit Baseline(double fs_hz)
    {
        vs_baseline *p = nullptr;
        check(vs_baseline_create(&p, fs_hz), "vs_baseline_create");
        h_.reset(p);
    }
    void process(const float *in, float *out, size_t n)
    {
        check(vs_baseline_process(h_.get(), in, out, n), "vs_baseline_process");
    }

private:
    Handle<vs_baseline, vs_baseline_destroy> h_;
};

class Qrs {
public:
    explicit Qrs(double fs_hz)
    {
        vs_qrs *p = nullptr;
        check(vs_qrs_create(&p, fs_hz), "vs_qrs_create");
        h_.reset(p);
    }
    size_t max_events(size_t n) const { return vs_qrs_max_events(h_.get(), n); }
    // Returns the number of beats written to beats (capacity >= max_events(n)).
    size_t process(const float *x, size_t n, vs_beat *beats, size_t capacity)
    {
        size_t got = 0;
        check(vs_qrs_process(h_.get(), x, n, beats, capacity, &got), "vs_qrs_process");
        return got;
    }
    size_t state_size() const { return vs_qrs_state_size(h_.get()); }
    size_t save(Bytes &buf) const
    {
        size_t written = 0;
        check(vs_qrs_state_save(h_.get(), buf.data(), buf.size(), &written), "vs_qrs_state_save");
        return written;
    }
    void load(const uint8_t *buf, size_t len)
    {
        check(vs_qrs_state_load(h_.get(), buf, len), "vs_qrs_state_load");
    }
    vs_qrs *get() const { return h_.get(); }

private:
    Handle<vs_qrs, vs_qrs_destroy> h_;
};

// The whole pipeline (monitor.h).
class Monitor {
public:
    explicit Monitor(double fs_hz)
    {
        vs_monitor *p = nullptr;
        check(vs_monitor_create(&p, fs_hz), "vs_monitor_create");
        h_.reset(p);
    }
    size_t max_events(size_t n) const { return vs_monitor_max_events(h_.get(), n); }
    size_t process(const float *x, size_t n, vs_event *events, size_t capacity)
    {
        size_t got = 0;
        check(vs_monitor_process(h_.get(), x, n, events, capacity, &got), "vs_monitor_process");
        return got;
    }
    void reset() { vs_monitor_reset(h_.get()); }
    size_t state_size() const { return vs_monitor_state_size(h_.get()); }
    size_t save(Bytes &buf) const
    {
        size_t written = 0;
        check(vs_monitor_state_save(h_.get(), buf.data(), buf.size(), &written),
              "vs_monitor_state_save");
        return written;
    }
    void load(const uint8_t *buf, size_t len)
    {
        check(vs_monitor_state_load(h_.get(), buf, len), "vs_monitor_state_load");
    }
    vs_monitor *get() const { return h_.get(); }

private:
    Handle<vs_monitor, vs_monitor_destroy> h_;
};

// IIR state helpers (same blob format).
inline size_t iir_save(const Iir &f, Bytes &buf)
{
    size_t written = 0;
    check(vs_iir_state_save(f.get(), buf.data(), buf.size(), &written), "vs_iir_state_save");
    return written;
}
inline void iir_load(Iir &f, const uint8_t *buf, size_t len)
{
    check(vs_iir_state_load(f.get(), buf, len), "vs_iir_state_load");
}

// Synthetic ECG (vs_synth: sinus rhythm with HRV, wander, noise and a few PVCs), in mV.
inline std::vector<float> synth_ecg(double fs_hz, double seconds, uint64_t seed = 7)
{
    vs_synth_config cfg;
    check(vs_synth_default_config(&cfg), "vs_synth_default_config");
    cfg.fs_hz = fs_hz;
    cfg.duration_s = seconds;
    cfg.pvc_per_min = 3.0;
    cfg.noise_mv = 0.02;
    cfg.seed = seed;
    size_t n = 0;
    check(vs_synth_num_samples(&cfg, &n), "vs_synth_num_samples");
    std::vector<float> x(n);
    check(vs_synth_generate(&cfg, x.data(), n, nullptr, 0, nullptr), "vs_synth_generate");
    return x;
}

} // namespace vsb
#endif
