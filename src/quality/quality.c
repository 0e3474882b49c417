/* quality.c — life cycle, parameters and the per-sample logic of vs_quality (see quality.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quality_impl.h"
#include "common/simd.h"
#include "common/param_table.h"
#include "common/units.h"

/* Analysis bands. The QRS band is where a clean ECG has most of its slope energy; muscle
 * artefact and mains pick-up dominate above 40 Hz (capped below Nyquist for low rates); the
 * baseline lives below 0.7 Hz (respiration, electrode motion). */
#define HF_CUTOFF_HZ 40.0
#define QRS_LOW_HZ 5.0
#define QRS_HIGH_HZ 15.0
#define BASELINE_HZ 0.7
/* Keeps scores finite (they are saved as f32 and compared). */
#define SCORE_MAX 1e6
/* Lower bound of VS_QUALITY_SEGMENT_MS (also sizes vs_quality_max_events). */
#define SEGMENT_MS_MIN 250.0

#define ROW(id, lo, hi, dflt, field) VS_PARAM_ROW(id, lo, hi, dflt, struct vs_quality, field)
static const vs_param_row k_params[] = {
    ROW(VS_QUALITY_SEGMENT_MS, SEGMENT_MS_MIN, 10000.0, 1000.0, segment_ms),
    ROW(VS_QUALITY_HOLD_SEGMENTS, 1.0, 10.0, 2.0, hold_segments),
    ROW(VS_QUALITY_FLAT_RANGE_MV, 0.0, 1.0, 0.02, flat_range_mv),
    ROW(VS_QUALITY_SATURATION_MS, 20.0, 5000.0, 300.0, saturation_ms),
    ROW(VS_QUALITY_MISSING_MS, 1.0, 10000.0, 300.0, missing_ms),
    ROW(VS_QUALITY_HF_RATIO, 0.01, 100.0, 0.3, hf_ratio),
    ROW(VS_QUALITY_BASELINE_RATIO, 0.1, 100.0, 1.5, baseline_ratio),
};
#undef ROW
static const vs_param_table k_table = VS_PARAM_TABLE(k_params);

VS_API size_t vs_quality_event_struct_size(void) { return sizeof(vs_quality_event); }
_Static_assert(sizeof(vs_quality_event) == 32, "vs_quality_event layout is part of the ABI");

void vs_quality_derive(struct vs_quality *q)
{
    q->seg_len = vs_ms_to_window(q->segment_ms, q->fs_hz);
    q->sat_len = vs_ms_to_window(q->saturation_ms, q->fs_hz);
    q->missing_len = vs_ms_to_window(q->missing_ms, q->fs_hz);
    q->hold_n = (uint32_t)lround(q->hold_segments);
    if (q->hold_n < 1) q->hold_n = 1;
}

static void seg_clear(vs_quality_seg *s)
{
    memset(s, 0, sizeof *s);
}

void vs_quality_clear(struct vs_quality *q)
{
    q->n = 0;
    q->primed = 0;
    vs_iir_clear(&q->hp);
    vs_iir_clear(&q->bp);
    vs_iir_clear(&q->lp);
    q->seg_count = 0;
    q->trk.n_finite = 0;
    q->trk.x_min = q->trk.x_max = 0.0f;
    q->trk.prev_x = 0.0f;
    q->trk.run = 0;
    q->trk.hi_best = q->trk.lo_best = 0;
    q->trk.missing_run = 0;
    q->trk.max_missing = 0;
    seg_clear(&q->cur);
    seg_clear(&q->prev);
    q->has_prev = 0;
    q->level = VS_QUALITY_GOOD;
    q->streak_n = 0;
    q->streak_dir = 0;
    q->streak_level = VS_QUALITY_GOOD;
    q->streak_onset = 0;
    q->streak_reasons = 0;
    q->streak_score = 0.0f;
}

VS_API size_t vs_quality_workspace_size(double fs_hz)
{
    return vs_fs_in_range(fs_hz) ? sizeof(struct vs_quality) : 0;
}

static vs_status design(struct vs_iir *f, vs_filter_kind kind, unsigned order, double fs_hz,
                        double f1, double f2)
{
    vs_biquad_coeffs c[VS_IIR_MAX_SECTIONS];
    size_t nsec = 0;
    vs_status st = vs_butterworth_design(kind, order, fs_hz, f1, f2, c, VS_IIR_MAX_SECTIONS, &nsec);
    if (st != VS_OK) return st;
    vs_iir_setup(f, c, nsec);
    return VS_OK;
}

VS_API vs_status vs_quality_init_static(vs_quality **out, void *mem, size_t mem_size,
                                        double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < sizeof(struct vs_quality)) return VS_E_NO_MEMORY;
    if (((uintptr_t)mem) % sizeof(double) != 0) return VS_E_INVALID_ARG;
    struct vs_quality *q = (struct vs_quality *)mem;
    memset(q, 0, sizeof *q);
    q->fs_hz = fs_hz;
    double hf = HF_CUTOFF_HZ < 0.4 * fs_hz ? HF_CUTOFF_HZ : 0.4 * fs_hz;
    vs_status st = design(&q->hp, VS_FILTER_HIGHPASS, 4, fs_hz, hf, 0.0);
    if (st == VS_OK) st = design(&q->bp, VS_FILTER_BANDPASS, 1, fs_hz, QRS_LOW_HZ, QRS_HIGH_HZ);
    if (st == VS_OK) st = design(&q->lp, VS_FILTER_LOWPASS, 2, fs_hz, BASELINE_HZ, 0.0);
    if (st != VS_OK) return st;
    vs_param_set_defaults(&k_table, q);
    vs_quality_derive(q);
    vs_quality_clear(q);
    *out = q;
    return VS_OK;
}

VS_API vs_status vs_quality_create(vs_quality **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(sizeof(struct vs_quality));
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_quality_init_static(out, mem, sizeof(struct vs_quality), fs_hz);
    if (st != VS_OK) {
        free(mem);
        *out = NULL;
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_quality_destroy(vs_quality *q)
{
    if (q && q->owns_memory) free(q);
}

VS_API void vs_quality_reset(vs_quality *q)
{
    if (q) vs_quality_clear(q);
}

VS_API vs_status vs_quality_param_bounds(vs_quality_param p, double *min, double *max,
                                         double *dflt)
{
    return vs_param_bounds(&k_table, p, min, max, dflt);
}

VS_API vs_status vs_quality_set_param(vs_quality *q, vs_quality_param p, double value)
{
    vs_status st = vs_param_set(&k_table, q, p, value);
    if (st == VS_OK) vs_quality_derive(q);
    return st;
}

VS_API vs_status vs_quality_get_param(const vs_quality *q, vs_quality_param p, double *value)
{
    return vs_param_get(&k_table, q, p, value);
}

VS_API double vs_quality_fs_hz(const vs_quality *q) { return q ? q->fs_hz : 0.0; }
VS_API int64_t vs_quality_samples_seen(const vs_quality *q) { return q ? q->n : 0; }

VS_API vs_quality_level vs_quality_current(const vs_quality *q)
{
    return q ? (vs_quality_level)q->level : VS_QUALITY_GOOD;
}

VS_API int64_t vs_quality_still_samples(const vs_quality *q)
{
    if (!q) return 0;
    return q->trk.missing_run > 0 ? (int64_t)q->trk.missing_run : (int64_t)q->trk.run;
}

VS_API size_t vs_quality_segment_remaining(const vs_quality *q)
{
    if (!q) return 0;
    return q->seg_count >= q->seg_len ? 1u : (size_t)(q->seg_len - q->seg_count);
}

VS_API size_t vs_quality_max_events(const vs_quality *q, size_t n)
{
    if (!q) return 0;
    /* Decisions happen only at segment ends: at most one per segment, plus the segment already
     * under way. The shortest allowed segment is used, so that a buffer sized once (e.g. by a
     * composite at create time) stays large enough whatever VS_QUALITY_SEGMENT_MS is set to. */
    return n / vs_ms_to_window(SEGMENT_MS_MIN, q->fs_hz) + 1;
}

static double ratio(double num, double den)
{
    if (!(num > 0.0)) return 0.0;
    if (!(den > 0.0)) return SCORE_MAX;
    double r = num / den;
    return r < SCORE_MAX ? r : SCORE_MAX;
}

static double dmax(double a, double b) { return a > b ? a : b; }

/* Judges the segment that just ended and applies the hysteresis; returns 1 with *ev filled
 * when the level in force changed. */
static int end_segment(struct vs_quality *q, vs_quality_event *ev)
{
    uint32_t reasons = 0;
    double score = 0.0;
    /* unreadable: missing, flat, stuck at an extreme */
    double s_miss = q->trk.n_finite == 0 ? SCORE_MAX
                                     : ratio((double)q->trk.max_missing, (double)q->missing_len);
    if (s_miss >= 1.0) reasons |= VS_QUALITY_MISSING;
    score = dmax(score, s_miss);
    if (q->trk.n_finite > 0) {
        double range = (double)q->trk.x_max - (double)q->trk.x_min;
        double s_flat = ratio(q->flat_range_mv, range);
        if (q->flat_range_mv > 0.0 && s_flat > 1.0) reasons |= VS_QUALITY_FLAT;
        score = dmax(score, s_flat);
        uint32_t stuck = q->trk.hi_best > q->trk.lo_best ? q->trk.hi_best : q->trk.lo_best;
        double s_sat = ratio((double)stuck, (double)q->sat_len);
        if (s_sat >= 1.0) reasons |= VS_QUALITY_SATURATED;
        score = dmax(score, s_sat);
    }
    /* noisy: features over this segment and the previous one, so that a beat is in view */
    vs_quality_seg w = q->cur;
    if (q->has_prev) {
        w.e_hf += q->prev.e_hf;
        w.e_qrs += q->prev.e_qrs;
        if (q->prev.qrs_peak > w.qrs_peak) w.qrs_peak = q->prev.qrs_peak;
        if (q->prev.lp_min < w.lp_min) w.lp_min = q->prev.lp_min;
        if (q->prev.lp_max > w.lp_max) w.lp_max = q->prev.lp_max;
    }
    if (q->trk.n_finite > 0) {
        double s_hf = ratio(w.e_hf, q->hf_ratio * w.e_qrs);
        if (s_hf > 1.0) reasons |= VS_QUALITY_HF_NOISE;
        double s_bl = ratio((double)w.lp_max - (double)w.lp_min,
                            q->baseline_ratio * (double)w.qrs_peak);
        if (s_bl > 1.0) reasons |= VS_QUALITY_BASELINE;
        score = dmax(score, dmax(s_hf, s_bl));
    }
    uint32_t raw = VS_QUALITY_GOOD;
    if (reasons & (VS_QUALITY_MISSING | VS_QUALITY_FLAT | VS_QUALITY_SATURATED))
        raw = VS_QUALITY_UNREADABLE;
    else if (reasons)
        raw = VS_QUALITY_NOISY;

    int64_t seg_start = q->n - (int64_t)q->seg_count;
    /* the next segment starts from here */
    q->prev = q->cur;
    q->has_prev = 1;
    seg_clear(&q->cur);
    q->seg_count = 0;
    q->trk.n_finite = 0;
    q->trk.hi_best = q->trk.lo_best = 0;
    q->trk.max_missing = 0;

    /* hysteresis */
    int dir = raw > q->level ? 1 : (raw < q->level ? -1 : 0);
    if (dir == 0) {
        q->streak_n = 0;
        return 0;
    }
    if (q->streak_n > 0 && dir == q->streak_dir) {
        q->streak_n++;
        if (dir > 0 ? raw < q->streak_level : raw > q->streak_level) q->streak_level = raw;
        q->streak_reasons |= reasons;
        if (score > q->streak_score) q->streak_score = (float)score;
    } else {
        q->streak_n = 1;
        q->streak_dir = dir;
        q->streak_level = raw;
        q->streak_onset = seg_start;
        q->streak_reasons = reasons;
        q->streak_score = (float)score;
    }
    if (q->streak_n < q->hold_n) return 0;
    q->level = q->streak_level;
    q->streak_n = 0;
    memset(ev, 0, sizeof *ev);
    ev->sample_idx = q->streak_onset;
    ev->decided_idx = q->n - 1;
    ev->level = (int32_t)q->level;
    ev->reasons = q->level == VS_QUALITY_GOOD ? 0u : q->streak_reasons;
    ev->score = q->streak_score;
    return 1;
}

/* Filter overshoot on inputs near FLT_MAX must not become inf (the state must stay savable). */
static float to_float(double v)
{
    return v > FLT_MAX ? FLT_MAX : (v < -FLT_MAX ? -FLT_MAX : (float)v);
}

/* Extremes and runs of identical values of the finite input, and missing runs. */
static inline void track_input(vs_quality_track *k, float xf, int finite)
{
    if (!finite) {
        k->missing_run++;
        if (k->missing_run > k->max_missing) k->max_missing = k->missing_run;
        k->run = 0;
    } else {
        k->missing_run = 0;
        if (k->n_finite == 0) {
            k->x_min = k->x_max = xf;
        } else if (xf > k->x_max) {
            k->x_max = xf;
            k->hi_best = 0;
        } else if (xf < k->x_min) {
            k->x_min = xf;
            k->lo_best = 0;
        }
        k->n_finite++;
        k->run = (k->run > 0 && xf == k->prev_x) ? k->run + 1 : 1;
        k->prev_x = xf;
        if (xf == k->x_max && k->run > k->hi_best) k->hi_best = k->run;
        if (xf == k->x_min && k->run > k->lo_best) k->lo_best = k->run;
    }
}

/* One biquad of vs_iir_step on registers (transposed direct form II). */
#define BIQUAD(c, z0, z1, in, out)                                                             \
    do {                                                                                       \
        double out_ = (c).b0 * (in) + (z0);                                                    \
        (z0) = (c).b1 * (in) - (c).a1 * out_ + (z1);                                           \
        (z1) = (c).b2 * (in) - (c).a2 * out_;                                                  \
        (out) = out_;                                                                          \
    } while (0)

#ifdef VS_SIMD
/* The four biquads as two pairs of lanes, (high-pass section 1 | band-pass) and (high-pass
 * section 2 | low-pass), with their delay elements, and the energies (e_hf, e_qrs). */
typedef struct quality_pairs {
    f64x2_biquad pc, sc;
    f64x2 pz0, pz1, sz0, sz1, energy;
} quality_pairs;

/* One input sample: input tracking, the four biquads (a missing sample replays the last finite
 * input) and the energies; returns (b, lo), the band-pass and low-pass outputs. */
static inline f64x2 filter_pair(quality_pairs *f, float xf, vs_quality_track *trk, double *hold_h,
                                double *hold_b, double *hold_l)
{
    const int finite = isfinite(xf);
    track_input(trk, xf, finite);
    if (finite) *hold_h = *hold_b = *hold_l = (double)xf;
    const f64x2 ub = f64x2_biquad_step(&f->pc, f64x2_make(*hold_h, *hold_b), &f->pz0, &f->pz1);
    const f64x2 hl = f64x2_biquad_step(&f->sc, f64x2_with_hi(ub, *hold_l), &f->sz0, &f->sz1);
    const f64x2 hb = f64x2_lo_hi(hl, ub); /* (h, b) */
    f->energy = f64x2_add(f->energy, f64x2_mul(hb, hb));
    return f64x2_hi_hi(ub, hl);
}
#endif

/* n samples within the current segment, with the filters primed or none of the samples finite:
 * input tracking, the three filters (vs_iir_step's operations in its order; a missing sample
 * replays the last finite input) and the segment's sums, all in registers. The filters have the
 * layout vs_quality_init_static designs whatever the rate: a 4th-order Butterworth high-pass is
 * 2 biquads, the 1st-order band-pass 1, the 2nd-order low-pass 1. */
static void run_samples(struct vs_quality *q, const float *x, size_t n)
{
    const vs_biquad_coeffs h0 = q->hp.c[0], h1 = q->hp.c[1], bc = q->bp.c[0], lc = q->lp.c[0];
    double zh00 = q->hp.z[0][0], zh01 = q->hp.z[0][1], zh10 = q->hp.z[1][0],
           zh11 = q->hp.z[1][1], zb0 = q->bp.z[0][0], zb1 = q->bp.z[0][1], zl0 = q->lp.z[0][0],
           zl1 = q->lp.z[0][1];
    double hold_h = q->hp.hold, hold_b = q->bp.hold, hold_l = q->lp.hold;
    double e_hf = q->cur.e_hf, e_qrs = q->cur.e_qrs;
    float peak = q->cur.qrs_peak, lp_min = q->cur.lp_min, lp_max = q->cur.lp_max;
    const int fresh = q->seg_count == 0; /* the segment starts with x[0] */
    vs_quality_track trk = q->trk;
#ifdef VS_SIMD
    /* The four biquads as two pairs of lanes, (high-pass section 1 | band-pass) and (high-pass
     * section 2 | low-pass), each lane the scalar BIQUAD's operations in its order
     * (common/simd.h): the same bits with half the instructions, which neither the compilers
     * nor the WASM engines find on their own. */
    quality_pairs f = {vs_biquad_pair(&h0, &bc), vs_biquad_pair(&h1, &lc),
                       f64x2_make(zh00, zb0), f64x2_make(zh01, zb1), f64x2_make(zh10, zl0),
                       f64x2_make(zh11, zl1), f64x2_make(e_hf, e_qrs)};
    /* The segment's extremes in double, (|b| max, lo max) and (-, lo min), converted once at the
     * end: to_float is monotonic, so the float of the extreme is the extreme of the floats, and
     * keep_max / keep_min compare as the scalar code's ifs do (NaN included). */
    f64x2 hi = f64x2_make((double)peak, (double)lp_max), lo_min = f64x2_splat((double)lp_min);
    size_t i = 0;
    if (fresh && n > 0) { /* the segment's first sample sets the low-pass extremes */
        const f64x2 b_lo = filter_pair(&f, x[0], &trk, &hold_h, &hold_b, &hold_l);
        hi = f64x2_keep_max(f64x2_lo_hi(hi, b_lo), f64x2_abs_lo(b_lo)); /* (peak, lo) */
        lo_min = b_lo;
        i = 1;
    }
    for (; i < n; i++) {
        const f64x2 b_lo = filter_pair(&f, x[i], &trk, &hold_h, &hold_b, &hold_l);
        hi = f64x2_keep_max(hi, f64x2_abs_lo(b_lo));
        lo_min = f64x2_keep_min(lo_min, b_lo);
    }
    if (n > 0) {
        peak = to_float(f64x2_lo(hi));
        lp_max = to_float(f64x2_hi(hi));
        lp_min = to_float(f64x2_hi(lo_min));
    }
    zh00 = f64x2_lo(f.pz0);
    zb0 = f64x2_hi(f.pz0);
    zh01 = f64x2_lo(f.pz1);
    zb1 = f64x2_hi(f.pz1);
    zh10 = f64x2_lo(f.sz0);
    zl0 = f64x2_hi(f.sz0);
    zh11 = f64x2_lo(f.sz1);
    zl1 = f64x2_hi(f.sz1);
    e_hf = f64x2_lo(f.energy);
    e_qrs = f64x2_hi(f.energy);
#else
    for (size_t i = 0; i < n; i++) {
        float xf = x[i];
        int finite = isfinite(xf);
        track_input(&trk, xf, finite);
        double v = (double)xf, vh = v, vb = v, vl = v;
        if (finite) {
            hold_h = hold_b = hold_l = v;
        } else {
            vh = hold_h;
            vb = hold_b;
            vl = hold_l;
        }
        double u, h, b, lo;
        BIQUAD(h0, zh00, zh01, vh, u);
        BIQUAD(h1, zh10, zh11, u, h);
        BIQUAD(bc, zb0, zb1, vb, b);
        BIQUAD(lc, zl0, zl1, vl, lo);
        e_hf += h * h;
        e_qrs += b * b;
        float l = to_float(lo);
        float ab = to_float(fabs(b));
        if (ab > peak) peak = ab;
        if (fresh && i == 0) {
            lp_min = lp_max = l;
        } else {
            if (l < lp_min) lp_min = l;
            if (l > lp_max) lp_max = l;
        }
    }
#endif
    q->trk = trk;
    q->hp.z[0][0] = zh00;
    q->hp.z[0][1] = zh01;
    q->hp.z[1][0] = zh10;
    q->hp.z[1][1] = zh11;
    q->bp.z[0][0] = zb0;
    q->bp.z[0][1] = zb1;
    q->lp.z[0][0] = zl0;
    q->lp.z[0][1] = zl1;
    q->hp.hold = hold_h;
    q->bp.hold = hold_b;
    q->lp.hold = hold_l;
    q->cur.e_hf = e_hf;
    q->cur.e_qrs = e_qrs;
    q->cur.qrs_peak = peak;
    q->cur.lp_min = lp_min;
    q->cur.lp_max = lp_max;
    q->seg_count += (uint32_t)n;
    q->n += (int64_t)n;
}

VS_API vs_status vs_quality_process(vs_quality *q, const float *x, size_t n,
                                    vs_quality_event *out, size_t capacity, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!q || !n_out || (n > 0 && !x)) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!out || capacity < vs_quality_max_events(q, n)) return VS_E_BUFFER_TOO_SMALL;
    size_t k = 0, i = 0;
    while (i < n) {
        /* up to the end of the current segment (one sample ends a segment that a lowered
         * VS_QUALITY_SEGMENT_MS left longer than seg_len) */
        size_t len = q->seg_count < q->seg_len ? q->seg_len - q->seg_count : 1;
        if (len > n - i) len = n - i;
        if (!q->primed) {
            /* the filters start from the first finite sample's steady state */
            size_t j = 0;
            while (j < len && !isfinite(x[i + j])) j++;
            if (j == 0) {
                vs_iir_prime(&q->hp, x[i]);
                vs_iir_prime(&q->bp, x[i]);
                vs_iir_prime(&q->lp, x[i]);
                q->primed = 1;
            } else {
                len = j;
            }
        }
        run_samples(q, x + i, len);
        i += len;
        if (q->seg_count >= q->seg_len && end_segment(q, &out[k])) k++;
    }
    *n_out = k;
    return VS_OK;
}
