/* hrv.h — heart-rate variability: batch indices over an RR series and a streaming rolling window.
 *
 * NN selection (the correction rule; parameters in vs_hrv_options). Input interval i is rr_ms[i];
 * exclude[i] != 0 means the beat that ENDS interval i is ectopic or an artifact. Interval i is
 * used as an NN interval only if, in this order:
 *   1. neither the beat ending it (exclude[i]) nor the beat starting it (exclude[i-1]) is
 *      flagged ("adjacent to an excluded beat"; counted in n_excluded);
 *   2. min_rr_ms <= rr <= max_rr_ms (physiological bounds; counted in n_out_of_bounds);
 *   3. |rr - ref| <= max_rel_change * ref, where ref is the previous ACCEPTED NN interval
 *      (the first interval passing 1-2 is accepted and becomes ref). After 5 consecutive
 *      rejections by this rule the interval is accepted anyway and becomes the new ref, so a
 *      genuine change of rate cannot lock the series out (counted in n_rel_change).
 *      max_rel_change = 0 disables rule 3.
 * Time axis: every input interval (used or not) advances time, so NN interval k is placed at the
 * end time of its input interval (Lomb-Scargle and the Welch resampling use these times).
 * Successive differences (RMSSD, SDSD, pNN50/20, Poincare SD1/SD2) use only pairs of NN intervals
 * that are consecutive in the input (no dropped interval between them). DFA, entropies and the
 * distribution indices use the NN series concatenated.
 *
 * Definitions (all intervals in ms):
 *   SDNN, SDSD: sample standard deviation (divisor n-1). RMSSD: sqrt(mean(d^2)).
 *   pNN50/pNN20: 100 * #(|d| > 50 / 20 ms) / #d (percent of successive differences).
 *   CVNN = SDNN / MeanNN. MedianNN, IQRNN: percentiles with linear interpolation between order
 *   statistics (position p*(n-1)). HR mean = 60000 / MeanNN; HR min/max = 60000 / MaxNN, MinNN.
 *   Triangular index = n_nn / (largest count of the histogram with 1/128 s = 7.8125 ms bins,
 *   bins [k, k+1) * 7.8125 ms). TINN = (M - N) * bin width, where the triangle that is 0 outside
 *   [N, M] and peaks at the modal bin with the modal count minimises the squared error to the
 *   histogram (N, M searched over all bin edges).
 *   Frequency domain (ms^2, one-sided PSD integrated as sum of PSD(f) * df over grid points with
 *   lo <= f < hi): VLF [0.0033, 0.04), LF [0.04, 0.15), HF [0.15, 0.4) Hz, total = VLF+LF+HF,
 *   LF/HF, LFn = 100*LF/(LF+HF), HFn = 100*HF/(LF+HF) (normalised units, Task Force 1996).
 *   - VS_HRV_PSD_LOMB (default): classic Lomb-Scargle periodogram of the mean-removed NN values at
 *     their times, grid f = k * lomb_df_hz up to 0.4 Hz, scaled to a density
 *     PSD = 2 * P(f) * span / (n_nn - 1) so that a sinusoid of amplitude A gives power A^2/2.
 *   - VS_HRV_PSD_WELCH: NN values at their times interpolated by a natural cubic spline at
 *     welch_fs_hz (default 4 Hz), segments of welch_segment_s (default 256 s; the whole series
 *     when shorter), 50 % overlap, each segment linearly detrended and Hann-windowed (periodic),
 *     zero-padded to a power of two, averaged one-sided PSD scaled by fs * sum(w^2).
 *   Nonlinear: SD1 = sd((x2-x1)/sqrt 2), SD2 = sd((x2+x1)/sqrt 2) over adjacent pairs (n-1
 *   divisor). Sample entropy (Richman-Moorman, Chebyshev distance, no self matches, the first
 *   n-m templates for both lengths) and approximate entropy (Pincus, self matches included),
 *   both with m = entropy_m and r = entropy_r * SDNN. DFA: profile = cumsum(NN - mean), boxes of
 *   every size s in [4, 16] (alpha1) and [16, 64] (alpha2), non-overlapping from the start,
 *   least-squares line removed per box, F(s) = sqrt(mean squared residual), alpha = least-squares
 *   slope of ln F(s) against ln s.
 *
 * Undefined indices are NaN: with n_nn < 2 everything except MeanNN/Median/Min/Max/HR; fewer than
 * 1 (2) adjacent pair(s): RMSSD, pNN (SDSD, SD1, SD2); n_nn < 20: triangular index and TINN;
 * span of the NN times < 60 s or n_nn < 16: every frequency-domain index; n_nn < 10: entropies
 * (SampEn also NaN when no template match exists, ApEn never); n_nn < 32: DFA alpha1; n_nn < 128:
 * DFA alpha2; SDNN = 0: CVNN is 0, entropies NaN. VS_E_INSUFFICIENT_DATA only when no NN interval
 * is left (out is then filled with NaN and the counts).
 *
 * Memory: vs_hrv_compute_ws works in caller memory of vs_hrv_workspace_size(n) bytes and never
 * allocates; vs_hrv_compute is a convenience that allocates that workspace once and frees it.
 * Cost: O(n log n) plus O(n * grid) for Lomb-Scargle and O(n^2) for the two entropies (one
 * pass over template pairs): 0.09 s for a 30-min MIT-BIH record (2,500 intervals); for 24-h series
 * compute per 5-min segment.
 * Arithmetic: trigonometry is the project's deterministic sin/cos (+ - * / only); log/sqrt from
 * libm (sqrt is exact; log is used only by DFA and the entropies). */
#ifndef VITALSTREAM_HRV_H
#define VITALSTREAM_HRV_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vs_hrv_psd_method {
    VS_HRV_PSD_LOMB = 0,  /* Lomb-Scargle on the uneven NN series (default) */
    VS_HRV_PSD_WELCH = 1  /* Welch on the spline-resampled series */
} vs_hrv_psd_method;

/* Options of one computation. Fill with vs_hrv_default_options, then change fields; values
 * outside the bounds below give VS_E_INVALID_ARG. */
typedef struct vs_hrv_options {
    double min_rr_ms;       /* 300  (bounds 100..1000) */
    double max_rr_ms;       /* 2000 (bounds 500..5000, > min_rr_ms) */
    double max_rel_change;  /* 0.2  (0 disables; bounds 0..1) */
    double entropy_r;       /* 0.2  tolerance as a fraction of SDNN (bounds 0.01..2) */
    double lomb_df_hz;      /* 0.0005 Lomb-Scargle grid step (bounds 1e-4..0.01) */
    double welch_fs_hz;     /* 4   resampling rate (bounds 1..10) */
    double welch_segment_s; /* 256 segment length (bounds 30..600; welch_fs*segment <= 2048) */
    uint32_t psd_method;    /* vs_hrv_psd_method */
    uint32_t entropy_m;     /* 2 embedding dimension (bounds 1..5) */
} vs_hrv_options;

VS_API size_t vs_hrv_options_struct_size(void); /* sizeof(vs_hrv_options) == 64 */
VS_API vs_status vs_hrv_default_options(vs_hrv_options *opt);

typedef struct vs_hrv_result {
    /* counts */
    uint32_t n_input;         /* intervals given */
    uint32_t n_nn;            /* NN intervals used */
    uint32_t n_excluded;      /* dropped by rule 1 (adjacent to a flagged beat) */
    uint32_t n_out_of_bounds; /* dropped by rule 2 */
    uint32_t n_rel_change;    /* dropped by rule 3 */
    uint32_t psd_method;      /* method used for the frequency domain */
    /* time domain */
    double mean_nn_ms, sdnn_ms, rmssd_ms, sdsd_ms, pnn50_pct, pnn20_pct, cvnn;
    double median_nn_ms, iqr_nn_ms, min_nn_ms, max_nn_ms;
    double hr_mean_bpm, hr_min_bpm, hr_max_bpm;
    double triangular_index, tinn_ms;
    double duration_s;        /* span of the NN times */
    /* frequency domain */
    double vlf_ms2, lf_ms2, hf_ms2, total_power_ms2, lf_hf, lfn_nu, hfn_nu;
    double lf_peak_hz, hf_peak_hz;
    /* nonlinear */
    double sd1_ms, sd2_ms, sd1_sd2, sampen, apen, dfa_alpha1, dfa_alpha2;
} vs_hrv_result;

VS_API size_t vs_hrv_result_struct_size(void); /* sizeof(vs_hrv_result) == 288 */

/* Bytes of caller workspace vs_hrv_compute_ws needs for n intervals (0 when n is absurdly large). */
VS_API size_t vs_hrv_workspace_size(size_t n);

/* rr_ms: n intervals (finite, > 0, else VS_E_INVALID_ARG); exclude: NULL or n flags (see top);
 * opt: NULL = defaults. VS_E_INSUFFICIENT_DATA when no NN interval remains (n = 0 included). */
VS_API vs_status vs_hrv_compute_ws(const double *rr_ms, const uint8_t *exclude, size_t n,
                                   const vs_hrv_options *opt, void *workspace,
                                   size_t workspace_size, vs_hrv_result *out);
/* Same, allocating the workspace internally (VS_E_NO_MEMORY if that fails). */
VS_API vs_status vs_hrv_compute(const double *rr_ms, const uint8_t *exclude, size_t n,
                                const vs_hrv_options *opt, vs_hrv_result *out);

/* ---- Rolling window over a beat stream ------------------------------------------------------
 * Holds the intervals of the last window_s seconds or the last vs_hrv_window_max_intervals()
 * (448) intervals, whichever is shorter (448 beats span 5 min up to 89 bpm; the cap keeps the
 * whole vs_monitor state under 4096 bytes at 360 Hz). Each interval is an exact integer number
 * of samples (stored as 15 bits + an "excluded" bit); an interval is excluded when either of its
 * beats is not normal. An interval longer than 32767 samples (91 s at 360 Hz) is a gap: the
 * window restarts at the beat that ends it. push is O(1) amortised (about 10 ns); compute
 * converts to rr_ms = samples * 1000 / fs_hz and runs the batch computation (exclude semantics
 * per interval as above) in the object's own memory, so it never allocates (one object: no
 * concurrent compute calls). Measured (bench/bench_hrv.cpp, x86-64, 360 Hz, CPU time): 0.5 ms
 * (Welch) / 0.9 ms (Lomb-Scargle) for a 5-min window at 75 bpm (378 intervals), 0.8 / 1.3 ms
 * at 512 intervals (more than the cap of 448). */
typedef struct vs_hrv_window vs_hrv_window;

typedef enum vs_hrv_window_param {
    VS_HRV_WINDOW_LENGTH_S = 1 /* window length in seconds (default 300, bounds 30..600);
                                  shortening it drops the oldest intervals at once */
} vs_hrv_window_param;

VS_API vs_status vs_hrv_window_create(vs_hrv_window **out, double fs_hz);
/* Caller memory instead of malloc (any alignment; about 70 KiB): size from
 * vs_hrv_window_workspace_size (0 for fs outside 100..1000 Hz). destroy is then a no-op. */
VS_API size_t vs_hrv_window_workspace_size(double fs_hz);
VS_API vs_status vs_hrv_window_init_static(vs_hrv_window **out, void *mem, size_t mem_size,
                                           double fs_hz);
VS_API void vs_hrv_window_destroy(vs_hrv_window *w); /* NULL ok; no-op for init_static */
VS_API void vs_hrv_window_reset(vs_hrv_window *w);   /* forget the beats, keep parameters */
VS_API vs_status vs_hrv_window_set_param(vs_hrv_window *w, vs_hrv_window_param p, double value);
VS_API vs_status vs_hrv_window_get_param(const vs_hrv_window *w, vs_hrv_window_param p,
                                         double *value);
VS_API vs_status vs_hrv_window_param_bounds(vs_hrv_window_param p, double *min, double *max,
                                            double *dflt);
VS_API size_t vs_hrv_window_max_intervals(void); /* 448 */

/* Adds a beat at sample r_sample_idx (>= 0, strictly after the previous one, else
 * VS_E_INVALID_ARG and nothing changes). is_normal = 0 marks an ectopic beat or an artifact. */
VS_API vs_status vs_hrv_window_push(vs_hrv_window *w, int64_t r_sample_idx, int is_normal);
/* Number of intervals currently held (used or excluded). */
VS_API size_t vs_hrv_window_count(const vs_hrv_window *w);
VS_API vs_status vs_hrv_window_compute(const vs_hrv_window *w, const vs_hrv_options *opt,
                                       vs_hrv_result *out);

/* Portable state (format in state.h; module VS_MODULE_HRV). Payload: f64 window_s,
 * i64 last_r_idx (-1: no beat yet), u8 last_normal, u16 count, u16 interval[count] oldest first
 * (bit 15 = excluded, bits 0..14 = samples). */
VS_API size_t vs_hrv_window_state_size(const vs_hrv_window *w);
VS_API size_t vs_hrv_window_state_size_max(double fs_hz); /* worst case: 939 bytes */
VS_API vs_status vs_hrv_window_state_save(const vs_hrv_window *w, uint8_t *buf, size_t capacity,
                                          size_t *written);
VS_API vs_status vs_hrv_window_state_load(vs_hrv_window *w, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_HRV_H */
