/* classify.c — vs_classifier: life cycle, signal ring, per-beat features, decision.
 *
 * Features are measured against the patient's own recent beats (dominant template, running
 * width/amplitude/energy/P-window levels, local RR), which is what lets a model trained on other
 * patients work. Everything that builds that context is rule-based (template correlation and
 * prematurity), never the model's output, so training sees exactly the run-time features. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "classify_impl.h"
#include "../common/detmath.h"
#include "../common/param_table.h"
#include "../common/simd.h"
#include "../common/units.h"

#define HP_CUTOFF_HZ 0.5
#define MATCH_CORR 0.9f      /* a beat matches a template at this correlation */
#define HIT_DECAY (31.0f / 32.0f)
#define DOM_ALPHA (1.0f / 16.0f)
#define LONG_ALPHA (1.0f / 64.0f)
#define DEFAULT_RR_MS 800.0f
/* Quiet in noise (tuned on DS1 with the noise stress test, bench/results/noise.md): a beat
 * classed V whose shape is not seen again — it matches neither the dominant template at
 * MATCH_CORR nor the secondary template (the previous odd beat) at CONSISTENT_CORR and by
 * SECOND_MARGIN more than the dominant, and the next beat does not match it that way either — is
 * flagged VS_BEAT_ODD_SHAPE: it keeps its class, but vs_monitor counts it in no VT run.
 * Ventricular runs repeat one shape; detections and distorted beats in noise do not. */
#define CONSISTENT_CORR 0.8f
#define SECOND_MARGIN 0.2f
/* measure_beat's verdicts */
#define MEASURED_MATCHED 0x1        /* matched the dominant or the secondary template */
#define MEASURED_MATCHED_SECOND 0x2 /* matched the secondary template */

static const vs_param_row k_params[] = {
    VS_PARAM_ROW(VS_CLASSIFY_S_BIAS, -10.0, 10.0, 0.0, struct vs_classifier, s_bias),
    VS_PARAM_ROW(VS_CLASSIFY_V_BIAS, -10.0, 10.0, 0.0, struct vs_classifier, v_bias),
};
static const vs_param_table k_table = VS_PARAM_TABLE(k_params);

_Static_assert(sizeof(vs_beat_features) == 72, "vs_beat_features layout is part of the ABI");
_Static_assert(sizeof(vs_classified_beat) == 120, "vs_classified_beat layout is part of the ABI");
VS_API size_t vs_beat_features_struct_size(void) { return sizeof(vs_beat_features); }
VS_API size_t vs_classified_beat_struct_size(void) { return sizeof(vs_classified_beat); }

VS_API int vs_aami_class_in_af(int aami_class, int in_af)
{
    return in_af && aami_class == VS_AAMI_S ? VS_AAMI_N : aami_class;
}

VS_API int vs_aami_class_wfdb_code(int aami_class)
{
    switch (aami_class) {
    case VS_AAMI_N: return 1;  /* NORMAL */
    case VS_AAMI_S: return 8;  /* APC "A" */
    case VS_AAMI_V: return 5;  /* PVC */
    case VS_AAMI_F: return 6;  /* FUSION */
    default: return 13;        /* UNKNOWN "Q" */
    }
}

VS_API const char *vs_aami_class_name(int aami_class)
{
    static const char *const names[] = {"N", "S", "V", "F", "Q"};
    return aami_class >= 0 && aami_class <= 4 ? names[aami_class] : "?";
}

/* Sub-sample alignment. Template matching on the sample grid is off by up to half a sample:
 * 1.4 ms at 360 Hz, but 3.9 ms at 128 Hz, where a steep QRS then correlates ~0.02 lower and
 * differs ~70 % more from its own template (measured on DS1 resampled to 128 Hz), and beats
 * averaged into the template blur it. So below VS_CLS_ALIGN_FS the beat window is aligned in
 * steps of 1/sub sample (sub = ceil(VS_CLS_ALIGN_FS / fs)), read between samples with a
 * Catmull-Rom cubic: every rate gets the 360 Hz grid (the rate the model was trained at) or a
 * finer one. At >= 360 Hz sub = 1 and nothing is interpolated. Shifts are in 1/sub samples. */
#define VS_CLS_ALIGN_FS 360.0

static int32_t align_steps(double fs_hz)
{
    int32_t k = 1;
    while ((double)k * fs_hz < VS_CLS_ALIGN_FS) k++;
    return k;
}

VS_API size_t vs_classifier_workspace_size(double fs_hz)
{
    return vs_fs_in_range(fs_hz) ? sizeof(struct vs_classifier) : 0;
}

void vs_classifier_clear(struct vs_classifier *c)
{
    c->n = 0;
    c->primed = 0;
    c->hp_x = c->hp_y = 0.0f;
    memset(c->ring, 0, sizeof c->ring);
    memset(c->tmpl, 0, sizeof c->tmpl);
    c->has_tmpl[0] = c->has_tmpl[1] = 0;
    c->hits[0] = c->hits[1] = 0.0f;
    c->tmpl_prem[0] = c->tmpl_prem[1] = 1.0f;
    c->dom_width = c->dom_pp = c->dom_energy = c->dom_p = c->dom_pol = 0.0f;
    c->has_dom = 0;
    c->last_r = -1;
    memset(c->rr_hist, 0, sizeof c->rr_hist);
    c->rr_count = c->rr_pos = 0;
    memset(c->local_hist, 0, sizeof c->local_hist);
    c->local_count = c->local_pos = 0;
    c->long_rr = 0.0f;
    memset(c->dom_rr_hist, 0, sizeof c->dom_rr_hist);
    c->dom_rr_count = c->dom_rr_pos = 0;
    c->dom_corr = 1.0f;
    c->has_pending = 0;
    memset(&c->pend_beat, 0, sizeof c->pend_beat);
    memset(&c->pend_f, 0, sizeof c->pend_f);
    c->pend_shift = 0;
}

VS_API vs_status vs_classifier_init_static(vs_classifier **out, void *mem, size_t mem_size,
                                           double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < sizeof(struct vs_classifier)) return VS_E_NO_MEMORY;
    struct vs_classifier *c = (struct vs_classifier *)mem;
    memset(c, 0, sizeof *c);
    c->fs_hz = fs_hz;
    c->ring_len = (uint32_t)lround(VS_CLS_RING_S * fs_hz);
    c->t_pre = (uint32_t)vs_ms_to_samples(83.0, fs_hz);
    c->t_post = (uint32_t)vs_ms_to_samples(111.0, fs_hz);
    c->t_len = c->t_pre + c->t_post + 1;
    /* The detector's R mark can sit on the R or the S peak of the same beat shape (30 ms
     * apart): the template search covers +-40 ms, and the window leaves room for it. */
    c->shift_max = vs_ms_to_samples(40.0, fs_hz);
    c->w_pre = vs_ms_to_samples(250.0, fs_hz) + c->shift_max;
    c->w_post = vs_ms_to_samples(160.0, fs_hz) + c->shift_max;
    if (c->shift_max < 1) c->shift_max = 1;
    c->sub = align_steps(fs_hz);
    c->hp_a = 1.0 / (1.0 + 2.0 * 3.14159265358979323846 * HP_CUTOFF_HZ / fs_hz);
    vs_param_set_defaults(&k_table, c);
    vs_classifier_clear(c);
    *out = c;
    return VS_OK;
}

VS_API vs_status vs_classifier_create(vs_classifier **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(sizeof(struct vs_classifier));
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_classifier_init_static(out, mem, sizeof(struct vs_classifier), fs_hz);
    if (st != VS_OK) {
        free(mem);
        *out = NULL;
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_classifier_destroy(vs_classifier *c)
{
    if (c && c->owns_memory) free(c);
}

VS_API void vs_classifier_reset(vs_classifier *c)
{
    if (c) vs_classifier_clear(c);
}

VS_API vs_status vs_classifier_param_bounds(vs_classifier_param p, double *min, double *max,
                                            double *dflt)
{
    return vs_param_bounds(&k_table, p, min, max, dflt);
}

VS_API vs_status vs_classifier_set_param(vs_classifier *c, vs_classifier_param p, double value)
{
    return vs_param_set(&k_table, c, p, value);
}

VS_API vs_status vs_classifier_get_param(const vs_classifier *c, vs_classifier_param p,
                                         double *value)
{
    return vs_param_get(&k_table, c, p, value);
}

VS_API double vs_classifier_fs_hz(const vs_classifier *c) { return c ? c->fs_hz : 0.0; }
VS_API int64_t vs_classifier_samples_seen(const vs_classifier *c) { return c ? c->n : 0; }

/* ---- signal ring ------------------------------------------------------------------------- */
/* lrintf(u) for |u| <= 32767 (rounding half to even), without a call into libm: the
 * truncation's remainder u - r is exact, so every platform rounds the same way. NaN gives 0 (as
 * lrintf's out-of-range result does after the int16 cast on glibc and musl). */
static int32_t round_half_even(float u)
{
    if (u != u) return 0;
    int32_t r = (int32_t)u, odd = r & 1;
    float f = u - (float)r;
    /* branch-free: the remainder's side of 1/2 is unpredictable sample to sample */
    return r + ((f > 0.5f) | ((f == 0.5f) & odd)) - ((f < -0.5f) | ((f == -0.5f) & odd));
}

static int16_t to_microvolt(float v)
{
    float u = v * 1000.0f;
    if (u > 32767.0f) u = 32767.0f;
    if (u < -32767.0f) u = -32767.0f;
    return (int16_t)round_half_even(u);
}

/* One step of y[n] = a (y[n-1] + x[n] - x[n-1]) for a finite sample v (a missing one changes
 * nothing): removes baseline wander, keeps the QRS. */
static inline float high_pass_step(struct vs_classifier *c, float a, float v, float *hx,
                                   float *hy)
{
    if (!c->primed) {
        *hx = v;
        *hy = 0.0f;
        c->primed = 1;
    }
    float y = a * (*hy + (v - *hx));
    *hx = v;
    *hy = y;
    return y;
}

#ifdef VS_SIMD
/* Samples per pass of vs_classifier_push_samples (the high-pass output waits on the stack). */
#define PUSH_BLOCK 256

/* to_microvolt on four lanes as int32, VS_CLS_MISSING where x is not finite: the same clamps
 * (the C conditionals exactly, NaN included), round half to even, and NaN -> 0. SSE2's
 * conversion rounds as MXCSR says: to nearest even, the default every float operation of the
 * library assumes; WASM's nearest is always that, and trunc_sat maps NaN to 0. */
#if defined(__SSE2__)
static i32x4 to_microvolt4(__m128 y, __m128 x)
{
    __m128 u = _mm_mul_ps(y, _mm_set1_ps(1000.0f));
    u = _mm_min_ps(_mm_set1_ps(32767.0f), u);  /* 32767 < u ? 32767 : u */
    u = _mm_max_ps(_mm_set1_ps(-32767.0f), u); /* -32767 > u ? -32767 : u */
    __m128i s = _mm_and_si128(_mm_cvtps_epi32(u), _mm_castps_si128(_mm_cmpord_ps(u, u)));
    __m128i finite = _mm_castps_si128(_mm_cmplt_ps(
        _mm_and_ps(x, _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff))), _mm_set1_ps(INFINITY)));
    return _mm_or_si128(_mm_and_si128(finite, s),
                        _mm_andnot_si128(finite, _mm_set1_epi32(VS_CLS_MISSING)));
}
#else
static i32x4 to_microvolt4(v128_t y, v128_t x)
{
    v128_t u = wasm_f32x4_mul(y, wasm_f32x4_splat(1000.0f));
    u = wasm_f32x4_pmin(u, wasm_f32x4_splat(32767.0f));
    u = wasm_f32x4_pmax(u, wasm_f32x4_splat(-32767.0f));
    v128_t s = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(u));
    v128_t finite = wasm_f32x4_lt(wasm_f32x4_abs(x), wasm_f32x4_splat(INFINITY));
    return wasm_v128_bitselect(s, wasm_i32x4_splat(VS_CLS_MISSING), finite);
}
#endif

/* Ring slots from k on get y in microvolts (VS_CLS_MISSING where x is not finite), eight at a
 * time wherever the ring does not wrap inside them; returns the slot after the last. */
static uint32_t to_ring(struct vs_classifier *c, const float *x, const float *y, size_t n,
                        uint32_t k)
{
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && k + 8 <= c->ring_len) {
            i32x4 lo = to_microvolt4(f32x4_load(y + i), f32x4_load(x + i));
            i32x4 hi = to_microvolt4(f32x4_load(y + i + 4), f32x4_load(x + i + 4));
            i32x4_store_i16x8(c->ring + k, lo, hi);
            i += 8;
            k += 8;
        } else {
            c->ring[k++] = isfinite(x[i]) ? to_microvolt(y[i]) : VS_CLS_MISSING;
            i++;
        }
        if (k == c->ring_len) k = 0;
    }
    return k;
}
#endif

VS_API vs_status vs_classifier_push_samples(vs_classifier *c, const float *x, size_t n)
{
    if (!c || (n > 0 && !x)) return VS_E_NULL_ARG;
    const float a = (float)c->hp_a;
    uint32_t k = (uint32_t)((uint64_t)c->n % c->ring_len); /* ring slot of sample c->n */
    float hx = c->hp_x, hy = c->hp_y;
#ifdef VS_SIMD
    /* The high-pass (a serial recursion) first, then the conversion in vectors (WASM engines
     * ran the scalar conversion through trapping float->int checks and NaN-aware min/max;
     * natively it was half the loop's time). The same values either way. */
    float y[PUSH_BLOCK];
    for (size_t off = 0; off < n; off += PUSH_BLOCK) {
        size_t len = n - off < PUSH_BLOCK ? n - off : PUSH_BLOCK;
        const float *v = x + off;
        int finite = c->primed;
        for (size_t i = 0; i < len; i++) finite &= fabsf(v[i]) <= FLT_MAX; /* NaN: 0 */
        if (finite) {
            /* high_pass_step with x[n-1] read from the input: the only value carried from
             * sample to sample is y, a chain of one add and one multiply */
            float t = a * (hy + (v[0] - hx));
            y[0] = t;
            for (size_t i = 1; i < len; i++) {
                t = a * (t + (v[i] - v[i - 1]));
                y[i] = t;
            }
            hx = v[len - 1];
            hy = t;
        } else {
            for (size_t i = 0; i < len; i++)
                y[i] = isfinite(v[i]) ? high_pass_step(c, a, v[i], &hx, &hy) : 0.0f;
        }
        k = to_ring(c, v, y, len, k);
    }
#else
    for (size_t i = 0; i < n; i++) {
        c->ring[k] = isfinite(x[i]) ? to_microvolt(high_pass_step(c, a, x[i], &hx, &hy))
                                    : VS_CLS_MISSING;
        if (++k == c->ring_len) k = 0;
    }
#endif
    c->hp_x = hx;
    c->hp_y = hy;
    c->n += (int64_t)n;
    return VS_OK;
}

/* ---- features ---------------------------------------------------------------------------- */
static float mean_of(const float *v, uint32_t n)
{
    float s = 0.0f;
    for (uint32_t i = 0; i < n; i++) s += v[i];
    return n ? s / (float)n : 0.0f;
}

static float local_rr(const struct vs_classifier *c)
{
    if (c->local_count) return mean_of(c->local_hist, c->local_count);
    if (c->rr_count) return mean_of(c->rr_hist, c->rr_count);
    return DEFAULT_RR_MS;
}

static void sort_floats(float *v, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        float x = v[i];
        uint32_t j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

static float median_sorted(const float *v, uint32_t n)
{
    return n % 2 ? v[n / 2] : 0.5f * (v[n / 2 - 1] + v[n / 2]);
}

/* Median |successive difference| / median over the RR history: an isolated long pause (or a
 * premature beat) moves only a few differences, so this stays low in sinus rhythm with pauses
 * and ectopic beats and is high only when the rhythm is irregular throughout (AF). */
static float rr_irregularity_median(const float *hist, uint32_t n, uint32_t pos)
{
    if (n < 3) return 0.0f;
    float r[VS_CLS_RR_HIST], d[VS_CLS_RR_HIST];
    for (uint32_t i = 0; i < n; i++) {
        r[i] = hist[(pos + VS_CLS_RR_HIST - n + i) % VS_CLS_RR_HIST];
        if (i) d[i - 1] = fabsf(r[i] - r[i - 1]);
    }
    sort_floats(r, n);
    sort_floats(d, n - 1);
    float m = median_sorted(r, n);
    return m > 0.0f ? median_sorted(d, n - 1) / m : 0.0f;
}

/* Spread of the shorter half of the RR history: (r[3n/8] - r[n/8]) / r[n/4] over the sorted
 * intervals. Ectopic beats and pauses form separate clusters that this ignores, and the short
 * cycles of a regular rhythm (sinus, or a run of atrial beats) barely vary, while in atrial
 * fibrillation even the shorter half of the intervals is spread out. */
static float rr_short_half_spread(const float *hist, uint32_t n)
{
    if (n < 4) return 0.0f;
    float r[VS_CLS_RR_HIST];
    memcpy(r, hist, n * sizeof r[0]);
    sort_floats(r, n);
    float m = r[n / 4];
    return m > 0.0f ? (r[3 * n / 8] - r[n / 8]) / m : 0.0f;
}

/* Mean |successive difference| / mean over the RR history, in time order. */
static float rr_irregularity(const float *hist, uint32_t n, uint32_t pos)
{
    if (n < 3) return 0.0f;
    float prev = 0.0f, sum_d = 0.0f, sum = 0.0f;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = (pos + VS_CLS_RR_HIST - n + i) % VS_CLS_RR_HIST;
        float r = hist[k];
        if (i) sum_d += fabsf(r - prev);
        sum += r;
        prev = r;
    }
    float m = sum / (float)n;
    return m > 0.0f ? (sum_d / (float)(n - 1)) / m : 0.0f;
}

/* The window's value at sample i + j / sub (0 <= j < sub). */
static float window_at(const float *w, int32_t i, int32_t j, int32_t sub)
{
    if (j == 0) return w[i];
    float t = (float)j / (float)sub, t2 = t * t, t3 = t2 * t;
    float p0 = w[i - 1], p1 = w[i], p2 = w[i + 1], p3 = w[i + 2];
    return 0.5f * (2.0f * p1 + (p2 - p0) * t + (2.0f * p0 - 5.0f * p1 + 4.0f * p2 - p3) * t2 +
                   (3.0f * (p1 - p2) + p3 - p0) * t3);
}

/* Splits a shift in 1/sub samples into whole samples (floor) and the remaining steps. */
static void split_shift(int32_t s, int32_t sub, int32_t *whole, int32_t *frac)
{
    int32_t q = s / sub, r = s % sub;
    if (r < 0) {
        r += sub;
        q -= 1;
    }
    *whole = q;
    *frac = r;
}

/* Template search, laid out for speed (issue 16). For each shift the Pearson correlation of the
 * window (t_len values from offset base + shift) with template t is
 *     (sxy - sx sy / n) / sqrt((sxx - sx^2 / n) (syy - sy^2 / n))
 * with every sum in double, accumulated in the template's sample order. The template's sums
 * (sy, syy) are the same for every shift and are formed once; the window's values and squares
 * (a float's square is exact in double) once per sub-sample phase; and the window sums of all
 * shifts advance together, sample i of the template after sample i - 1 for every shift, so each
 * shift's sums are the very doubles that summing it alone gives (the order of the additions is
 * unchanged), while the loop over the shifts has no dependency and runs as vectors. */
/* Shifts of one phase: at most 2 shift_max + 1 = 81 (40 ms at VS_FS_MAX_HZ); sub <= 4 phases
 * (sub = ceil(360 / fs), fs >= VS_FS_MIN_HZ = 100). */
#define CORR_SHIFTS_MAX 88
#define CORR_PHASES_MAX 4
#define CORR_SPAN_MAX (VS_CLS_TMPL_MAX + CORR_SHIFTS_MAX)
_Static_assert(CORR_SHIFTS_MAX >= 81 + 7, "a block of 8 shifts past the last shift");

/* Correlations r[0..n_shift) of the window values a[k .. k + len) (squares q) with the template
 * (values y, sums sy and syy) for k = 0 .. n_shift - 1; a and q hold n_shift - 1 + len values and
 * 7 more of any finite value (the last block of 4 or 8 shifts may run past n_shift: 29 shifts at
 * 360 Hz, and a 29th shift alone in the scalar loop cost as much as a block of 4).
 * ring_values: every a[k] is a ring sample as get_window converts it, (float)s * 0.001f with s an
 * int16: 0 or at least 0.001f > 2^-10 in magnitude, so a multiple of 2^-33 (24-bit mantissa),
 * and below 2^6. Any sum of up to CORR_SPAN_MAX (< 2^9) of them is then a multiple of 2^-33
 * below 2^15, which a double holds exactly: the window sums sx are exact whatever the order, and
 * each one follows from the one before (+ the value entering, - the value leaving) with the bits
 * that summing it from scratch gives. */
static void corr_shifts(const double *a, const double *q, const double *y, uint32_t len,
                        double sy, double syy, int32_t n_shift, int ring_values, float *r)
{
    const double n = (double)len, vy = syy - sy * sy / n;
    double sx[CORR_SHIFTS_MAX], sxx[CORR_SHIFTS_MAX], sxy[CORR_SHIFTS_MAX];
    int32_t k0 = 0;
#ifdef VS_SIMD
    if (ring_values) {
        /* the window sums of shifts k and k + half side by side (two lanes), each from the one
         * before; the first two summed in two halves (exact in any order) */
        const int32_t n_pad = (n_shift + 7) / 8 * 8, half = n_pad / 2;
        f64x2 s0 = f64x2_splat(0.0), s1 = s0;
        uint32_t j = 0;
        for (; j + 2 <= len; j += 2) {
            s0 = f64x2_add(s0, f64x2_make(a[j], a[j + (uint32_t)half]));
            s1 = f64x2_add(s1, f64x2_make(a[j + 1], a[j + 1 + (uint32_t)half]));
        }
        if (j < len) s0 = f64x2_add(s0, f64x2_make(a[j], a[j + (uint32_t)half]));
        f64x2 sum = f64x2_add(s0, s1);
        const double *in = a + len;
        for (int32_t k = 0;; k++) {
            sx[k] = f64x2_lo(sum);
            sx[k + half] = f64x2_hi(sum);
            /* no sum past the last shift: its in[n_pad - 1] lies beyond a's padding when
             * n_shift = 8j + 1 (41 shifts at 500 Hz) */
            if (k + 1 == half) break;
            sum = f64x2_sub(f64x2_add(sum, f64x2_make(in[k], in[k + half])),
                            f64x2_make(a[k], a[k + half]));
        }
        /* 8 shifts at a time, their 16 sums of squares and products in registers over the
         * whole template: 8 independent chains of additions hide the addition's latency */
        for (; k0 < n_shift; k0 += 8) {
            f64x2 xx[4], xy[4];
            for (int h = 0; h < 4; h++) xx[h] = xy[h] = f64x2_splat(0.0);
            for (uint32_t i = 0; i < len; i++) {
                const f64x2 b = f64x2_splat(y[i]);
                for (int h = 0; h < 4; h++) {
                    xx[h] = f64x2_add(xx[h], f64x2_load(q + i + k0 + 2 * h));
                    xy[h] = f64x2_add(xy[h], f64x2_mul(f64x2_load(a + i + k0 + 2 * h), b));
                }
            }
            for (int h = 0; h < 4; h++) {
                f64x2_store(sxx + k0 + 2 * h, xx[h]);
                f64x2_store(sxy + k0 + 2 * h, xy[h]);
            }
        }
    }
    /* 4 shifts at a time, their 12 sums in registers over the whole template (the loop below
     * loads and stores every sum at every sample) */
    for (; k0 < n_shift; k0 += 4) {
        f64x2 x0 = f64x2_splat(0.0), x1 = x0, xx0 = x0, xx1 = x0, xy0 = x0, xy1 = x0;
        for (uint32_t i = 0; i < len; i++) {
            const f64x2 b = f64x2_splat(y[i]);
            const f64x2 v0 = f64x2_load(a + i + k0), v1 = f64x2_load(a + i + k0 + 2);
            x0 = f64x2_add(x0, v0);
            x1 = f64x2_add(x1, v1);
            xx0 = f64x2_add(xx0, f64x2_load(q + i + k0));
            xx1 = f64x2_add(xx1, f64x2_load(q + i + k0 + 2));
            xy0 = f64x2_add(xy0, f64x2_mul(v0, b));
            xy1 = f64x2_add(xy1, f64x2_mul(v1, b));
        }
        f64x2_store(sx + k0, x0);
        f64x2_store(sx + k0 + 2, x1);
        f64x2_store(sxx + k0, xx0);
        f64x2_store(sxx + k0 + 2, xx1);
        f64x2_store(sxy + k0, xy0);
        f64x2_store(sxy + k0 + 2, xy1);
    }
    if (!(vy <= 1e-12)) {
        /* the correlations two at a time, each lane the scalar expression below (the division
         * and the square root are correctly rounded in both) */
        const f64x2 vn = f64x2_splat(n), vsy = f64x2_splat(sy), vvy = f64x2_splat(vy),
                    eps = f64x2_splat(1e-12);
        for (int32_t k = 0; k < k0; k += 4) {
            f64x2 c[2];
            for (int h = 0; h < 2; h++) {
                const f64x2 x = f64x2_load(sx + k + 2 * h);
                const f64x2 vx = f64x2_sub(f64x2_load(sxx + k + 2 * h),
                                           f64x2_div(f64x2_mul(x, x), vn));
                const f64x2 num = f64x2_sub(f64x2_load(sxy + k + 2 * h),
                                            f64x2_div(f64x2_mul(x, vsy), vn));
                c[h] = f64x2_zero_where(f64x2_le(vx, eps),
                                        f64x2_div(num, f64x2_sqrt(f64x2_mul(vx, vvy))));
            }
            f32x4_store(r + k, f32x4_from_f64x2(c[0], c[1]));
        }
        return;
    }
#else
    (void)ring_values;
#endif
    for (int32_t k = k0; k < n_shift; k++) sx[k] = sxx[k] = sxy[k] = 0.0;
    for (uint32_t i = 0; i < len; i++) {
        const double b = y[i], *ai = a + i, *qi = q + i;
        for (int32_t k = k0; k < n_shift; k++) {
            sx[k] += ai[k];
            sxx[k] += qi[k];
            sxy[k] += ai[k] * b;
        }
    }
    for (int32_t k = 0; k < n_shift; k++) {
        double vx = sxx[k] - sx[k] * sx[k] / n;
        r[k] = vx <= 1e-12 || vy <= 1e-12 ? 0.0f
                                          : (float)((sxy[k] - sx[k] * sy / n) / sqrt(vx * vy));
    }
}

/* Best correlation with template `which` over shifts of +-shift_max samples; *best_s in 1/sub
 * samples (the first of equal maxima in shift order). */
static float best_corr(const struct vs_classifier *c, const float *w, int which, int32_t *best_s)
{
    const int32_t base = c->w_pre - (int32_t)c->t_pre, sub = c->sub, m = c->shift_max;
    const uint32_t len = c->t_len;
    const int16_t *t = c->tmpl[which];
    double y[VS_CLS_TMPL_MAX], sy = 0, syy = 0;
    for (uint32_t i = 0; i < len; i++) {
        y[i] = (double)t[i] * 0.001;
        sy += y[i];
        syy += y[i] * y[i];
    }
    /* r[(s + m sub)]: correlation at shift s (1/sub samples) */
    float r[CORR_SHIFTS_MAX * CORR_PHASES_MAX], rj[CORR_SHIFTS_MAX];
    double a[CORR_SPAN_MAX], q[CORR_SPAN_MAX];
    for (int32_t j = 0; j < sub; j++) {
        /* shifts whole * sub + j within +-m sub: whole = -m .. m (j = 0) or m - 1 */
        const int32_t n_shift = 2 * m + (j == 0 ? 1 : 0);
        const int32_t span = n_shift - 1 + (int32_t)len;
        const float *wj = w + base - m;
        if (j == 0) { /* the ring's samples (window_at), in a loop that vectorizes */
            for (int32_t k = 0; k < span; k++) {
                double v = wj[k];
                a[k] = v;
                q[k] = v * v;
            }
        } else {
            for (int32_t k = 0; k < span; k++) {
                double v = window_at(wj, k, j, sub);
                a[k] = v;
                q[k] = v * v;
            }
        }
        for (int32_t k = span; k < span + 7; k++) a[k] = q[k] = 0.0; /* corr_shifts' padding */
        corr_shifts(a, q, y, len, sy, syy, n_shift, j == 0, rj);
        for (int32_t i = 0; i < n_shift; i++) r[(-m + i) * sub + j + m * sub] = rj[i];
    }
    float best = -1.0f;
    *best_s = 0;
    for (int32_t s = -m * sub; s <= m * sub; s++) {
        if (r[s + m * sub] > best) {
            best = r[s + m * sub];
            *best_s = s;
        }
    }
    return best;
}

/* RMS(w - template) / RMS(template) with w aligned at shift s (1/sub samples). */
static float template_diff(const struct vs_classifier *c, const float *w, int which, int32_t s)
{
    int32_t whole, j;
    split_shift(s, c->sub, &whole, &j);
    int32_t base = c->w_pre - (int32_t)c->t_pre + whole;
    double se = 0, st = 0;
    for (uint32_t i = 0; i < c->t_len; i++) {
        double t = (double)c->tmpl[which][i] * 0.001,
               d = window_at(w, base + (int32_t)i, j, c->sub) - t;
        se += d * d;
        st += t * t;
    }
    return st > 1e-12 ? (float)sqrt(se / st) : 1.0f;
}

/* Raw morphology of the window w (w[0] = R - w_pre), in mV and ms. */
typedef struct morph {
    float width_ms, pp, energy, p_spread, polarity;
} morph;

static void measure(const struct vs_classifier *c, const float *w, morph *m)
{
    const double fs = c->fs_hz;
    int32_t r = c->w_pre;
    int32_t b0 = r - vs_ms_to_samples(110.0, fs), b1 = r - vs_ms_to_samples(70.0, fs);
    float base = 0.0f;
    for (int32_t i = b0; i <= b1; i++) base += w[i];
    base /= (float)(b1 - b0 + 1);
    int32_t q0 = r - vs_ms_to_samples(70.0, fs), q1 = r + vs_ms_to_samples(90.0, fs);
    float mx = -1e30f, mn = 1e30f, e = 0.0f;
    for (int32_t i = q0; i <= q1; i++) {
        float v = w[i] - base;
        if (v > mx) mx = v;
        if (v < mn) mn = v;
        e += v * v;
    }
    m->pp = mx - mn;
    m->energy = sqrtf(e / (float)(q1 - q0 + 1));
    m->polarity = m->pp > 1e-6f ? (mx + mn) / m->pp : 0.0f;
    /* width: 10 % .. 90 % of the cumulative |slope| over R - 100 .. R + 120 ms */
    int32_t d0 = r - vs_ms_to_samples(100.0, fs), d1 = r + vs_ms_to_samples(120.0, fs);
    float total = 0.0f;
    for (int32_t i = d0; i <= d1; i++) total += fabsf(w[i + 1] - w[i - 1]);
    float acc = 0.0f;
    int32_t t10 = d0, t90 = d1;
    int got10 = 0;
    for (int32_t i = d0; i <= d1; i++) {
        acc += fabsf(w[i + 1] - w[i - 1]);
        if (!got10 && acc >= 0.1f * total) {
            t10 = i;
            got10 = 1;
        }
        if (acc >= 0.9f * total) {
            t90 = i;
            break;
        }
    }
    m->width_ms = total > 0.0f ? (float)((double)(t90 - t10) * 1000.0 / fs) : 0.0f;
    int32_t p0 = r - vs_ms_to_samples(250.0, fs), p1 = r - vs_ms_to_samples(120.0, fs);
    float pmx = -1e30f, pmn = 1e30f;
    for (int32_t i = p0; i <= p1; i++) {
        if (w[i] > pmx) pmx = w[i];
        if (w[i] < pmn) pmn = w[i];
    }
    m->p_spread = pmx - pmn;
}

static float safe_ratio(float a, float b)
{
    return b > 1e-6f ? a / b : 1.0f;
}

static void set_template(struct vs_classifier *c, int which, const float *w, int32_t shift)
{
    int32_t base = c->w_pre - (int32_t)c->t_pre + shift;
    for (uint32_t i = 0; i < c->t_len; i++) c->tmpl[which][i] = to_microvolt(w[base + (int32_t)i]);
    c->has_tmpl[which] = 1;
}

/* Running mean of the template with the window aligned at shift (1/sub samples). */
static void update_template(struct vs_classifier *c, int which, const float *w, int32_t shift)
{
    int32_t whole, j;
    split_shift(shift, c->sub, &whole, &j);
    int32_t base = c->w_pre - (int32_t)c->t_pre + whole;
    uint32_t i = 0;
#ifdef VS_SIMD
    /* Whole-sample shifts (always at >= 360 Hz) eight values at a time: to_microvolt4 (w is
     * finite: get_window), the difference in int32, and the division by 8 truncated towards
     * zero as C's (an arithmetic shift floors, so negative values add 7 first). */
    const i32x4 four = i32x4_splat(4), seven = i32x4_splat(7), eight = i32x4_splat(8);
    for (; j == 0 && i + 8 <= c->t_len; i += 8) {
        const float *p = w + base + (int32_t)i;
        i32x4 t[2];
        i32x4_load_i16x8(c->tmpl[which] + i, &t[0], &t[1]);
        for (int h = 0; h < 2; h++) {
            const f32x4 x = f32x4_load(p + 4 * h);
            const i32x4 d = i32x4_sub(to_microvolt4(x, x), t[h]);
            const i32x4 neg = i32x4_shr(d, 31); /* all ones where d < 0 */
            const i32x4 a = i32x4_sub(i32x4_add(d, four), i32x4_and(neg, eight));
            t[h] = i32x4_add(t[h], i32x4_shr(i32x4_add(a, i32x4_and(neg, seven)), 3));
        }
        i32x4_store_i16x8(c->tmpl[which] + i, t[0], t[1]);
    }
#endif
    for (; i < c->t_len; i++) {
        int32_t t = c->tmpl[which][i];
        int32_t v = to_microvolt(window_at(w, base + (int32_t)i, j, c->sub));
        /* integer running mean (1/8): exact in the int16 state */
        int32_t d = v - t;
        t += (d >= 0 ? d + 4 : d - 4) / 8;
        c->tmpl[which][i] = (int16_t)t;
    }
}

static void set_dom(struct vs_classifier *c, const morph *m)
{
    c->dom_width = m->width_ms;
    c->dom_pp = m->pp;
    c->dom_energy = m->energy;
    c->dom_p = m->p_spread;
    c->dom_pol = m->polarity;
    c->has_dom = 1;
}

static void update_dom(struct vs_classifier *c, const morph *m)
{
    c->dom_width += DOM_ALPHA * (m->width_ms - c->dom_width);
    c->dom_pp += DOM_ALPHA * (m->pp - c->dom_pp);
    c->dom_energy += DOM_ALPHA * (m->energy - c->dom_energy);
    c->dom_p += DOM_ALPHA * (m->p_spread - c->dom_p);
    c->dom_pol += DOM_ALPHA * (m->polarity - c->dom_pol);
}

/* Copies the window of beat R into w; 0 if it is not entirely in the ring or has gaps. */
static int get_window(const struct vs_classifier *c, int64_t r, float *w)
{
    int64_t first = r - c->w_pre, last = r + c->w_post + 1; /* +1: slope needs one more */
    int64_t oldest = c->n - (int64_t)c->ring_len;
    if (first < 0 || first < oldest || last >= c->n) return 0;
    uint32_t k = (uint32_t)((uint64_t)first % c->ring_len);
    for (int64_t i = 0; i <= last - first; i++) {
        int16_t s = c->ring[k];
        if (s == VS_CLS_MISSING) return 0;
        w[i] = (float)s * 0.001f;
        if (++k == c->ring_len) k = 0;
    }
    return 1;
}

/* Measures beat b against the context and updates the context with it; returns MEASURED_*
 * bits. */
static int measure_beat(struct vs_classifier *c, const vs_beat *b, vs_beat_features *f)
{
    int verdict = 0;
    memset(f, 0, sizeof *f);
    c->pend_shift = 0;
    float loc = local_rr(c);
    f->local_rr_ms = loc;
    f->long_rr_ms = c->long_rr > 0.0f ? c->long_rr : loc;
    f->rr_irregularity = rr_irregularity(c->rr_hist, c->rr_count, c->rr_pos);
    f->dom_irregularity = rr_short_half_spread(c->dom_rr_hist, c->dom_rr_count);
    f->rr_irregularity_med = rr_irregularity_median(c->rr_hist, c->rr_count, c->rr_pos);
    float pre = 0.0f;
    if (c->last_r >= 0 && !(b->flags & VS_BEAT_AFTER_GAP) && b->sample_idx > c->last_r) {
        pre = (float)((double)(b->sample_idx - c->last_r) * 1000.0 / c->fs_hz);
        f->pre_rr_ms = pre;
    } else {
        f->pre_rr_ms = loc;
        f->flags |= VS_CLASSIFY_NO_PRE_RR;
    }
    float prem = safe_ratio(f->pre_rr_ms, loc);

    float w[VS_CLS_RING_MAX + 2];
    int have = get_window(c, b->sample_idx, w);
    int matched0 = 0;
    if (have) {
        int32_t s0 = 0, s1 = 0;
        float c0 = c->has_tmpl[0] ? best_corr(c, w, 0, &s0) : 1.0f;
        float c1 = c->has_tmpl[1] ? best_corr(c, w, 1, &s1) : -1.0f;
        c->pend_shift = (s0 >= 0 ? s0 + c->sub / 2 : s0 - c->sub / 2) / c->sub; /* samples */
        int second = c1 >= CONSISTENT_CORR && c1 >= c0 + SECOND_MARGIN;
        if (c0 >= MATCH_CORR || second) verdict |= MEASURED_MATCHED;
        if (second) verdict |= MEASURED_MATCHED_SECOND;
        morph m;
        measure(c, w, &m);
        if (!c->has_dom) set_dom(c, &m);
        f->template_corr = c0;
        f->template_diff = c->has_tmpl[0] ? template_diff(c, w, 0, s0) : 0.0f;
        {
            float typ = 1.0f - c->dom_corr;
            f->corr_deficit = (1.0f - c0) / (typ > 0.005f ? typ : 0.005f);
        }
        f->qrs_width_ms = m.width_ms;
        f->width_ratio = safe_ratio(m.width_ms, c->dom_width);
        f->amp_ratio = safe_ratio(m.pp, c->dom_pp);
        f->energy_ratio = safe_ratio(m.energy, c->dom_energy);
        f->p_ratio = safe_ratio(m.p_spread, c->dom_p);
        f->polarity = m.polarity;
        f->polarity_diff = m.polarity - c->dom_pol;

        /* context update: rule-based, independent of the model */
        c->hits[0] *= HIT_DECAY;
        c->hits[1] *= HIT_DECAY;
        if (!c->has_tmpl[0]) {
            set_template(c, 0, w, 0);
            c->hits[0] = 1.0f;
            matched0 = 1;
        } else if (c0 >= MATCH_CORR) {
            update_template(c, 0, w, s0);
            c->hits[0] += 1.0f;
            c->tmpl_prem[0] += 0.125f * (prem - c->tmpl_prem[0]);
            matched0 = 1;
        } else if (c->has_tmpl[1] && c1 >= MATCH_CORR) {
            update_template(c, 1, w, s1);
            c->hits[1] += 1.0f;
            c->tmpl_prem[1] += 0.125f * (prem - c->tmpl_prem[1]);
            /* the candidate becomes dominant when it is clearly more frequent, or about as
             * frequent and less premature (bigeminy: the normal beats end the long RR) */
            if (c->hits[1] > c->hits[0] + 2.0f ||
                (c->hits[1] > 0.75f * c->hits[0] && c->tmpl_prem[1] > c->tmpl_prem[0] + 0.15f)) {
                int16_t tmp[VS_CLS_TMPL_MAX];
                memcpy(tmp, c->tmpl[0], sizeof tmp);
                memcpy(c->tmpl[0], c->tmpl[1], sizeof tmp);
                memcpy(c->tmpl[1], tmp, sizeof tmp);
                float h = c->hits[0], p = c->tmpl_prem[0];
                c->hits[0] = c->hits[1];
                c->tmpl_prem[0] = c->tmpl_prem[1];
                c->hits[1] = h;
                c->tmpl_prem[1] = p;
                set_dom(c, &m);
            }
        } else {
            set_template(c, 1, w, 0);
            c->hits[1] = 1.0f;
            c->tmpl_prem[1] = prem;
        }
        if (matched0 && prem > 0.85f) {
            update_dom(c, &m);
            c->dom_corr += DOM_ALPHA * (c0 - c->dom_corr);
            f->flags |= VS_CLASSIFY_DOMINANT;
        }
    } else {
        f->flags |= VS_CLASSIFY_RR_ONLY;
        f->template_corr = 1.0f;
        f->corr_deficit = 1.0f;
        f->template_diff = 0.0f;
        f->qrs_width_ms = c->dom_width;
        f->width_ratio = f->amp_ratio = f->energy_ratio = f->p_ratio = 1.0f;
        f->polarity = c->dom_pol;
        f->polarity_diff = 0.0f;
    }

    /* RR context */
    if (!(f->flags & VS_CLASSIFY_NO_PRE_RR)) {
        c->rr_hist[c->rr_pos] = pre;
        c->rr_pos = (c->rr_pos + 1) % VS_CLS_RR_HIST;
        if (c->rr_count < VS_CLS_RR_HIST) c->rr_count++;
        c->long_rr = c->long_rr > 0.0f ? c->long_rr + LONG_ALPHA * (pre - c->long_rr) : pre;
        if (matched0 || !have) {
            c->dom_rr_hist[c->dom_rr_pos] = pre;
            c->dom_rr_pos = (c->dom_rr_pos + 1) % VS_CLS_RR_HIST;
            if (c->dom_rr_count < VS_CLS_RR_HIST) c->dom_rr_count++;
        }
        if ((matched0 || !have) && prem > 0.7f) {
            c->local_hist[c->local_pos] = pre;
            c->local_pos = (c->local_pos + 1) % VS_CLS_LOCAL_HIST;
            if (c->local_count < VS_CLS_LOCAL_HIST) c->local_count++;
        }
    }
    c->last_r = b->sample_idx;
    return verdict;
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Deterministic log (detmath.h, issue 16): libm's differs in the last bit between C libraries,
 * and a bit can move a feature across a tree threshold. */
static double lg(float v)
{
    return vs_det_log((double)clampf(v, 0.05f, 20.0f));
}

void vs_classify_model_inputs(const vs_beat_features *f, double z[VS_CLS_NINPUT])
{
    float loc = f->local_rr_ms > 1.0f ? f->local_rr_ms : DEFAULT_RR_MS;
    /* Robust irregularity only (the mean-based measures read a rhythm with long pauses or runs
     * of ectopic beats as atrial fibrillation and hid its premature beats). AF-like = irregular
     * by both the median and the shorter-half measure; runs of short cycles between pauses are
     * not. */
    float irm = clampf(f->rr_irregularity_med, 0.0f, 2.0f);
    float sh = clampf(f->dom_irregularity, 0.0f, 2.0f);
    float af_like = irm < sh ? irm : sh;
    float pre = f->pre_rr_ms, post = f->post_rr_ms;
    z[0] = lg(pre / loc);
    z[1] = lg(post / loc);
    z[2] = lg(post / (pre > 1.0f ? pre : loc));
    z[3] = lg(pre / (f->long_rr_ms > 1.0f ? f->long_rr_ms : loc));
    z[4] = af_like;
    /* prematurity in units of the irregularity */
    z[5] = clampf((1.0f - pre / loc) / (irm + 0.05f), -10.0f, 10.0f);
    z[6] = clampf((post / loc - 1.0f) / (irm + 0.05f), -10.0f, 10.0f);
    float cr = clampf(f->template_corr, -1.0f, 1.0f);
    z[7] = cr;
    z[8] = vs_det_log(1.01 - (double)cr);
    z[9] = lg(f->width_ratio);
    z[10] = clampf(f->qrs_width_ms, 0.0f, 300.0f) / 100.0;
    z[11] = lg(f->amp_ratio);
    z[12] = lg(f->energy_ratio);
    z[13] = lg(f->p_ratio);
    z[14] = clampf(f->polarity_diff, -2.0f, 2.0f);
    z[15] = (f->flags & VS_CLASSIFY_RR_ONLY) ? 1.0 : 0.0;
    z[16] = clampf(pre, 0.0f, 3000.0f) / 1000.0;
    z[17] = lg(f->corr_deficit);
    z[18] = vs_det_log(0.02 + (double)clampf(f->template_diff, 0.0f, 10.0f));
}

int vs_classify_tree_leaf_index(const uint8_t *feat, const float *thr, const double *z)
{
    int node = 0;
    for (int d = 0; d < VS_CLS_DEPTH; d++)
        node = 2 * node + (z[feat[node]] <= (double)thr[node] ? 1 : 2);
    return node - VS_CLS_NODES;
}

int vs_classify_model_decide(const double z[VS_CLS_NINPUT], double s_bias, double v_bias,
                             float *confidence)
{
    double s[VS_CLS_NCLASS];
    for (int k = 0; k < VS_CLS_NCLASS; k++) s[k] = vs_classify_model_base[k];
    for (int t = 0; t < VS_CLS_NTREE; t++)
        for (int k = 0; k < VS_CLS_NCLASS; k++)
            s[k] += vs_classify_tree_leaf[t][k][vs_classify_tree_leaf_index(
                vs_classify_tree_feat[t][k], vs_classify_tree_thr[t][k], z)];
    s[VS_AAMI_S] += s_bias;
    s[VS_AAMI_V] += v_bias;
    int best = 0;
    for (int k = 1; k < VS_CLS_NCLASS; k++)
        if (s[k] > s[best]) best = k;
    double den = 0.0;
    for (int k = 0; k < VS_CLS_NCLASS; k++) den += vs_det_exp(s[k] - s[best]);
    if (confidence) *confidence = (float)(1.0 / den);
    return best;
}

/* next_r: the next beat's R (-1: none); next_matched_second: the next beat matched the secondary
 * template, which this beat set or updated if it matched nothing else. */
static void finalize(struct vs_classifier *c, vs_classified_beat *out, int64_t next_r,
                     int next_matched_second)
{
    vs_beat_features f = c->pend_f;
    if (next_r > c->pend_beat.sample_idx) {
        f.post_rr_ms = (float)((double)(next_r - c->pend_beat.sample_idx) * 1000.0 / c->fs_hz);
    } else {
        f.post_rr_ms = f.local_rr_ms;
        f.flags |= VS_CLASSIFY_NO_POST_RR;
    }
    memset(out, 0, sizeof *out);
    out->beat = c->pend_beat;
    double z[VS_CLS_NINPUT];
    vs_classify_model_inputs(&f, z);
    float conf = 0.0f;
    int cls = vs_classify_model_decide(z, c->s_bias, c->v_bias, &conf);
    out->aami_class = cls;
    out->wfdb_code = vs_aami_class_wfdb_code(cls);
    if (cls == VS_AAMI_V && !(f.flags & VS_CLASSIFY_RR_ONLY) &&
        !(out->beat.flags & VS_CLS_BEAT_MATCHED) && !next_matched_second)
        out->beat.flags |= VS_BEAT_ODD_SHAPE;
    if (cls == VS_AAMI_V && !(f.flags & VS_CLASSIFY_RR_ONLY) && f.template_corr >= MATCH_CORR)
        out->beat.flags |= VS_BEAT_USUAL_SHAPE;
    out->beat.flags &= ~VS_CLS_BEAT_MATCHED;
    out->confidence = conf;
    out->features = f;
    c->has_pending = 0;
}

VS_API vs_status vs_classifier_push_beat(vs_classifier *c, const vs_beat *b,
                                         vs_classified_beat *out, size_t capacity,
                                         size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!c || !b || !out || !n_out) return VS_E_NULL_ARG;
    if (capacity < 1) return VS_E_BUFFER_TOO_SMALL;
    if (b->sample_idx < 0 || b->sample_idx >= c->n || b->sample_idx <= c->last_r ||
        (c->has_pending && b->sample_idx <= c->pend_beat.sample_idx))
        return VS_E_INVALID_ARG;
    /* the new beat is measured first: whether it repeats the pending beat's shape decides
     * about the pending one (finalize reads only pend_*, which measure_beat leaves alone) */
    vs_beat_features f;
    int verdict = measure_beat(c, b, &f);
    if (c->has_pending) {
        int after_gap = (b->flags & VS_BEAT_AFTER_GAP) != 0;
        finalize(c, out, after_gap ? -1 : b->sample_idx,
                 !after_gap && (verdict & MEASURED_MATCHED_SECOND));
        *n_out = 1;
    }
    c->pend_f = f;
    c->pend_beat = *b;
    c->pend_beat.flags &= ~VS_CLS_BEAT_MATCHED;
    if (verdict & MEASURED_MATCHED) c->pend_beat.flags |= VS_CLS_BEAT_MATCHED;
    c->has_pending = 1;
    return VS_OK;
}

VS_API vs_status vs_classifier_finish(vs_classifier *c, vs_classified_beat *out,
                                      size_t capacity, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!c || !out || !n_out) return VS_E_NULL_ARG;
    if (capacity < 1) return VS_E_BUFFER_TOO_SMALL;
    if (c->has_pending) {
        finalize(c, out, -1, 0);
        *n_out = 1;
    }
    return VS_OK;
}

VS_API vs_status vs_classifier_process(vs_classifier *c, const float *x, size_t n,
                                       const vs_beat *beats, size_t n_beats,
                                       vs_classified_beat *out, size_t capacity, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!c || !n_out || (n > 0 && !x) || (n_beats > 0 && (!beats || !out)))
        return VS_E_NULL_ARG;
    if (capacity < n_beats) return VS_E_BUFFER_TOO_SMALL;
    const int64_t start = c->n;
    size_t used = 0, got = 0;
    for (size_t i = 0; i < n_beats; i++) {
        int64_t upto = beats[i].decided_idx + 1 - start; /* samples of x needed before it */
        if (beats[i].decided_idx < beats[i].sample_idx || upto > (int64_t)n)
            return VS_E_INVALID_ARG;
        if (upto > (int64_t)used) {
            vs_classifier_push_samples(c, x + used, (size_t)upto - used);
            used = (size_t)upto;
        }
        size_t k = 0;
        vs_status st = vs_classifier_push_beat(c, &beats[i], out + got, capacity - got, &k);
        if (st != VS_OK) {
            *n_out = got;
            return st;
        }
        got += k;
    }
    if (used < n) vs_classifier_push_samples(c, x + used, n - used);
    *n_out = got;
    return VS_OK;
}
