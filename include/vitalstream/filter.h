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
 * order 1..8 (low/high-pass: ceil(order/2) sections, an odd order adding one first-order section
 * stored as a biquad with b2 = a2 = 0; band: order sections);
 * f1_hz is the cut-off (low/high-pass) or the lower edge (band); f2_hz the upper edge (band, else
 * ignored). Requires fs_hz in [VS_FS_MIN_HZ, VS_FS_MAX_HZ] and 0 < f1 < f2 < fs/2.
 * The cascade has |H| = 1/sqrt(2) exactly at the edges (up to rounding) and unit gain at DC
 * (low-pass, band-stop), Nyquist (high-pass) or the band centre (band-pass).
 * Errors: VS_E_NULL_ARG (sections or n_sections NULL), VS_E_FS_OUT_OF_RANGE, VS_E_INVALID_ARG
 * (kind, order or edges), VS_E_BUFFER_TOO_SMALL (capacity below the section count, which is then
 * stored in *n_sections; sections untouched), VS_E_UNSTABLE_FILTER (an edge so close to 0 or
 * fs/2 that a pole rounds onto the unit circle). */
VS_API vs_status vs_butterworth_design(vs_filter_kind kind, unsigned order, double fs_hz,
                                       double f1_hz, double f2_hz, vs_biquad_coeffs *sections,
                                       size_t capacity, size_t *n_sections);

/* Second-order IIR notch at f0_hz with quality factor q: zeros on the unit circle at +-f0, poles
 * on the same angle at radius sqrt((1 - beta)/(1 + beta)), beta = tan(pi (f0/q) / fs), so the
 * -3 dB bandwidth is f0/q (pre-warped); gain exactly 1 at DC and Nyquist.
 * Requires 0 < f0 < fs/2, 0 < q <= 1e6 and f0/q < fs/2 (else VS_E_INVALID_ARG). */
VS_API vs_status vs_notch_design(double fs_hz, double f0_hz, double q, vs_biquad_coeffs *section);

/* |H(e^{j 2 pi f / fs})| of a cascade, for tests and plots. Any fs_hz > 0 (finite) and any
 * finite f_hz are accepted; n_sections == 0 gives 1 (sections may then be NULL). */
VS_API vs_status vs_biquad_magnitude(const vs_biquad_coeffs *sections, size_t n_sections,
                                     double fs_hz, double f_hz, double *magnitude);

/* ---- vs_iir: a cascade of biquads (transposed direct form II, double precision state) ---- */
typedef struct vs_iir vs_iir;

/* Sections: 1..VS_IIR_MAX_SECTIONS with finite coefficients (else VS_E_INVALID_ARG) and poles
 * strictly inside the unit circle (else VS_E_UNSTABLE_FILTER); they are copied.
 * init_static: mem must be aligned for double (else VS_E_INVALID_ARG) and hold
 * vs_iir_workspace_size() bytes (else VS_E_NO_MEMORY). */
VS_API size_t vs_iir_workspace_size(void);
VS_API vs_status vs_iir_create(vs_iir **out, const vs_biquad_coeffs *sections, size_t n_sections);
VS_API vs_status vs_iir_init_static(vs_iir **out, void *mem, size_t mem_size,
                                    const vs_biquad_coeffs *sections, size_t n_sections);
VS_API void vs_iir_destroy(vs_iir *f); /* NULL ok; no-op for init_static objects */
VS_API void vs_iir_reset(vs_iir *f);
VS_API vs_status vs_iir_process(vs_iir *f, const float *in, float *out, size_t n);

/* ---- vs_deriv: five-point derivative y = fs/8 (2x[n] + x[n-1] - x[n-3] - 2x[n-4]) ----
 * Output unit: input unit per second. Group delay 2 samples. This is the Pan-Tompkins kernel:
 * on a ramp of slope a (units per second) it outputs exactly 1.25 a once four samples of history
 * exist (history before the first sample is 0). fs_hz in [VS_FS_MIN_HZ, VS_FS_MAX_HZ]. */
typedef struct vs_deriv vs_deriv;
VS_API size_t vs_deriv_workspace_size(void);
VS_API vs_status vs_deriv_create(vs_deriv **out, double fs_hz);
VS_API vs_status vs_deriv_init_static(vs_deriv **out, void *mem, size_t mem_size, double fs_hz);
VS_API void vs_deriv_destroy(vs_deriv *d);
VS_API void vs_deriv_reset(vs_deriv *d);
VS_API vs_status vs_deriv_process(vs_deriv *d, const float *in, float *out, size_t n);

/* ---- vs_mwi: moving-window integrator (mean of the last window_ms of input) ----
 * Window n = round(window_ms * fs / 1000) samples (at least 1), window_ms in (0, 10000]
 * (else VS_E_INVALID_ARG; workspace_size returns 0 for invalid arguments). The output is the sum
 * of the last n inputs divided by n, inputs before the start counting as 0 (a ramp-up over the
 * first n samples). The running sum is re-summed from the window every n samples, so it never
 * drifts, however long the recording. */
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
 * ~600 ms evaluated on a stream decimated to ~50 Hz by block means, then linear interpolation),
 * delay documented by vs_baseline_delay_samples. Output[n] = input[n - delay] - baseline at
 * n - delay. The delay is about 0.42-0.43 s (250 Hz: 107 samples, 360 Hz: 150, 500 Hz: 215,
 * 1000 Hz: 430). The first input primes all buffers, so a DC offset is removed from the start.
 * Cost: O(1) per sample plus ~40 compares per decimated sample; memory under 6 KiB. */
typedef struct vs_baseline vs_baseline;
VS_API size_t vs_baseline_workspace_size(double fs_hz);
VS_API vs_status vs_baseline_create(vs_baseline **out, double fs_hz);
VS_API vs_status vs_baseline_init_static(vs_baseline **out, void *mem, size_t mem_size,
                                         double fs_hz);
VS_API void vs_baseline_destroy(vs_baseline *b);
VS_API void vs_baseline_reset(vs_baseline *b);
VS_API size_t vs_baseline_delay_samples(const vs_baseline *b);
VS_API vs_status vs_baseline_process(vs_baseline *b, const float *in, float *out, size_t n);

/* ---- portable state of the stand-alone filter objects (see state.h for the blob format) ----
 * vs_iir blob: module VS_MODULE_IIR, header fs_hz = 0.0 (the object has no sampling rate);
 * payload u32 n_sections, f64 b0 b1 b2 a1 a2 per section (parameters: a different count or any
 * differing coefficient bit gives VS_E_STATE_MISMATCH), f64 last finite input, f64 z0 z1 per
 * section. state_save: capacity below vs_iir_state_size gives VS_E_BUFFER_TOO_SMALL with the
 * size needed in *written. state_load leaves the object untouched on any failure. */
VS_API size_t vs_iir_state_size(const vs_iir *f);
VS_API vs_status vs_iir_state_save(const vs_iir *f, uint8_t *buf, size_t capacity, size_t *written);
VS_API vs_status vs_iir_state_load(vs_iir *f, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_FILTER_H */
