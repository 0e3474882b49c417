/* filter.h — streaming filters: biquad cascades with run-time Butterworth/notch design, the
 * five-point derivative, the moving-window integrator and baseline-wander removal.
 *
 * All filters are causal and map n samples in to n samples out (in == out allowed).
 * Non-finite input samples (NaN, ±Inf) are treated as missing: the filter sees the last finite
 * input again (0 before any), so one bad sample never poisons the filter state.
 * Designs use only IEEE basic arithmetic (no libm transcendental calls), so the same parameters
 * give bit-identical coefficients on x86-64, wasm32 and from Python. */
#ifndef VITALSTREAM_FILTER_H
#define VITALSTREAM_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One second-order section, normalised so that a0 == 1:
 * y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2] */
typedef struct vs_biquad_coeffs {
    double b0, b1, b2, a1, a2;
} vs_biquad_coeffs;

/* The most sections one vs_iir holds (order-8 band-pass = 8 sections). */
#define VS_IIR_MAX_SECTIONS 8
VS_API size_t vs_iir_max_sections(void);

typedef enum vs_filter_kind {
    VS_FILTER_LOWPASS = 1,
    VS_FILTER_HIGHPASS = 2,
    VS_FILTER_BANDPASS = 3, /* order applies to each edge: order N gives N sections */
    VS_FILTER_BANDSTOP = 4
} vs_filter_kind;

/* Butterworth design by the bilinear transform with pre-warping.
 * order 1..8 (low/high-pass: ceil(order/2) sections; band: order sections);
 * f1_hz is the cut-off (low/high-pass) or the lower edge (band); f2_hz the upper edge (band, else
 * ignored). Requires fs_hz in [VS_FS_MIN_HZ, VS_FS_MAX_HZ] and 0 < f1 < f2 < fs/2. */
VS_API vs_status vs_butterworth_design(vs_filter_kind kind, unsigned order, double fs_hz,
                                       double f1_hz, double f2_hz, vs_biquad_coeffs *sections,
                                       size_t capacity, size_t *n_sections);

/* Second-order IIR notch at f0_hz with quality factor q (bandwidth f0/q), unit gain far away. */
VS_API vs_status vs_notch_design(double fs_hz, double f0_hz, double q, vs_biquad_coeffs *section);

/* |H(e^{j 2 pi f / fs})| of a cascade, for tests and plots. */
VS_API vs_status vs_biquad_magnitude(const vs_biquad_coeffs *sections, size_t n_sections,
                                     double fs_hz, double f_hz, double *magnitude);

/* ---- vs_iir: a cascade of biquads (transposed direct form II, double precision state) ---- */
typedef struct vs_iir vs_iir;

VS_API size_t vs_iir_workspace_size(void);
VS_API vs_status vs_iir_create(vs_iir **out, const vs_biquad_coeffs *sections, size_t n_sections);
VS_API vs_status vs_iir_init_static(vs_iir **out, void *mem, size_t mem_size,
                                    const vs_biquad_coeffs *sections, size_t n_sections);
VS_API void vs_iir_destroy(vs_iir *f); /* NULL ok; no-op for init_static objects */
VS_API void vs_iir_reset(vs_iir *f);
VS_API vs_status vs_iir_process(vs_iir *f, const float *in, float *out, size_t n);

/* ---- vs_deriv: five-point derivative y = fs/8 (2x[n] + x[n-1] - x[n-3] - 2x[n-4]) ----
 * Output unit: input unit per second. Group delay 2 samples. */
typedef struct vs_deriv vs_deriv;
VS_API size_t vs_deriv_workspace_size(void);
VS_API vs_status vs_deriv_create(vs_deriv **out, double fs_hz);
VS_API vs_status vs_deriv_init_static(vs_deriv **out, void *mem, size_t mem_size, double fs_hz);
VS_API void vs_deriv_destroy(vs_deriv *d);
VS_API void vs_deriv_reset(vs_deriv *d);
VS_API vs_status vs_deriv_process(vs_deriv *d, const float *in, float *out, size_t n);

/* ---- vs_mwi: moving-window integrator (mean of the last window_ms of input) ---- */
typedef struct vs_mwi vs_mwi;
VS_API size_t vs_mwi_workspace_size(double fs_hz, double window_ms);
VS_API vs_status vs_mwi_create(vs_mwi **out, double fs_hz, double window_ms);
VS_API vs_status vs_mwi_init_static(vs_mwi **out, void *mem, size_t mem_size, double fs_hz,
                                    double window_ms);
VS_API void vs_mwi_destroy(vs_mwi *m);
VS_API void vs_mwi_reset(vs_mwi *m);
VS_API vs_status vs_mwi_process(vs_mwi *m, const float *in, float *out, size_t n);

/* ---- vs_baseline: baseline-wander removal ----
 * Subtracts a causal estimate of the baseline (cascade of two moving medians over ~200 ms and
 * ~600 ms evaluated on a decimated stream, then linear interpolation), delay documented by
 * vs_baseline_delay_samples. Output = input delayed - baseline estimate. */
typedef struct vs_baseline vs_baseline;
VS_API size_t vs_baseline_workspace_size(double fs_hz);
VS_API vs_status vs_baseline_create(vs_baseline **out, double fs_hz);
VS_API vs_status vs_baseline_init_static(vs_baseline **out, void *mem, size_t mem_size,
                                         double fs_hz);
VS_API void vs_baseline_destroy(vs_baseline *b);
VS_API void vs_baseline_reset(vs_baseline *b);
VS_API size_t vs_baseline_delay_samples(const vs_baseline *b);
VS_API vs_status vs_baseline_process(vs_baseline *b, const float *in, float *out, size_t n);

/* ---- portable state of the stand-alone filter objects (see state.h for the blob format) ---- */
VS_API size_t vs_iir_state_size(const vs_iir *f);
VS_API vs_status vs_iir_state_save(const vs_iir *f, uint8_t *buf, size_t capacity, size_t *written);
VS_API vs_status vs_iir_state_load(vs_iir *f, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_FILTER_H */
