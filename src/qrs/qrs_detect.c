/* qrs_detect.c — the per-sample decision logic of vs_qrs.
 *
 * Signal path: band-pass (QRS energy band) -> five-point derivative -> square -> moving-window
 * integrator. Every local maximum of the integrator is a candidate; within one refractory period
 * only the largest survives. A surviving candidate is judged against adaptive signal/noise peak
 * levels (threshold between them); candidates soon after a beat with a much smaller slope are
 * T waves. If no beat comes for searchback_rr mean RR intervals, the largest rejected candidate
 * since the last beat is taken if it clears half the threshold (search-back keeps one candidate,
 * so its cost is O(1) per sample: no rescans). The R position is the largest band-passed
 * deflection inside the integrator window that produced the peak, shifted back by the band-pass
 * group delay, so it lies on the QRS of the input ECG. */
#include <math.h>
#include <string.h>

#include "qrs_impl.h"

/* Tuned on channel 0 of the MIT-BIH Arrhythmia Database (all 48 records, EC57 rules). */
static const float k_threshold_frac = 0.2f;   /* threshold: noise + this * (signal - noise) */
static const float k_searchback_frac = 0.5f;  /* search-back accepts above this * threshold */
static const float k_twave_slope = 0.5f;      /* T wave: slope below this * last QRS slope */
static const float k_level_weight = 0.125f;   /* running-level update weight (x2 search-back) */

static float fmaxf_(float a, float b) { return a > b ? a : b; }

static double refractory_samples(const struct vs_qrs *q)
{
    return q->refractory_ms * 1e-3 * q->fs_hz;
}

static float threshold1(const struct vs_qrs *q) { return q->npk + k_threshold_frac * (q->spk - q->npk); }

static void emit(struct vs_qrs *q, const vs_qrs_candidate *c, uint32_t flags, vs_beat *out,
                 size_t *k)
{
    vs_beat *b = &out[(*k)++];
    b->sample_idx = c->r_idx;
    b->decided_idx = q->n;
    b->amplitude_mv = c->r_amp;
    b->rr_ms = q->last_r_idx >= 0 ? (float)((double)(c->r_idx - q->last_r_idx) * 1e3 / q->fs_hz)
                                  : 0.0f;
    /* the first beat after a gap in the input: its RR spans the gap and means nothing */
    if (q->gap_end_idx >= 0 && c->r_idx >= q->gap_end_idx && q->last_r_idx < q->gap_end_idx)
        flags |= VS_BEAT_AFTER_GAP;
    b->flags = flags;
    b->reserved = 0;
}

static void update_rr(struct vs_qrs *q, int64_t rr)
{
    /* Cap at 2 s so one long pause cannot push search-back (and so latency) out for ever. */
    double cap = 2.0 * q->fs_hz;
    float v = (float)(rr > cap ? cap : (double)rr);
    q->rr_hist[q->rr_count % VS_QRS_RR_HISTORY] = v;
    q->rr_count++;
    uint32_t m = q->rr_count < VS_QRS_RR_HISTORY ? q->rr_count : VS_QRS_RR_HISTORY;
    float s = 0.0f;
    for (uint32_t i = 0; i < m; i++) s += q->rr_hist[i];
    q->rr_mean = s / (float)m;
}

static void accept(struct vs_qrs *q, const vs_qrs_candidate *c, int searchback, vs_beat *out,
                   size_t *k)
{
    if (q->last_r_idx >= 0 && (double)(c->r_idx - q->last_r_idx) < refractory_samples(q))
        return; /* two candidates resolved to one QRS */
    uint32_t flags = searchback ? VS_BEAT_SEARCHBACK : 0u;
    emit(q, c, flags, out, k);
    if (q->last_r_idx >= 0) update_rr(q, c->r_idx - q->last_r_idx);
    float w = searchback ? 2.0f * k_level_weight : k_level_weight;
    float v = c->value;
    if (q->spk > 0.0f && v > 4.0f * q->spk) v = 4.0f * q->spk; /* one artefact must not blind it */
    q->spk = w * v + (1.0f - w) * q->spk;
    q->last_slope = c->slope;
    q->last_r_idx = c->r_idx;
    q->last_peak_idx = c->peak_idx;
    q->has_best_noise = 0;
}

static void reject(struct vs_qrs *q, const vs_qrs_candidate *c)
{
    q->npk = k_level_weight * c->value + (1.0f - k_level_weight) * q->npk;
    int clear_of_last = q->last_r_idx < 0 ||
                        (double)(c->r_idx - q->last_r_idx) >= refractory_samples(q);
    if (clear_of_last && (!q->has_best_noise || c->value > q->best_noise.value)) {
        q->best_noise = *c;
        q->has_best_noise = 1;
    }
}

static void judge(struct vs_qrs *q, const vs_qrs_candidate *c, vs_beat *out, size_t *k)
{
    int big = c->value > threshold1(q) && c->r_amp >= (float)q->min_amplitude_mv;
    if (big && q->last_r_idx >= 0) {
        double since = (double)(c->r_idx - q->last_r_idx);
        if (since < q->twave_ms * 1e-3 * q->fs_hz && c->slope < k_twave_slope * q->last_slope) big = 0;
    }
    if (big)
        accept(q, c, 0, out, k);
    else
        reject(q, c);
}

/* End of the learning period: levels from the candidates seen, then judge them in order. */
static void finish_learning(struct vs_qrs *q, vs_beat *out, size_t *k)
{
    float vmax = 0.0f;
    for (uint32_t i = 0; i < q->n_learn; i++) vmax = fmaxf_(vmax, q->learn[i].value);
    q->spk = 0.5f * vmax;
    q->npk = 0.0f;
    q->learning = 0;
    for (uint32_t i = 0; i < q->n_learn; i++) judge(q, &q->learn[i], out, k);
    q->n_learn = 0;
}

static void finalize_pending(struct vs_qrs *q, vs_beat *out, size_t *k)
{
    q->has_pending = 0;
    if (q->learning) {
        if (q->n_learn < VS_QRS_LEARN_MAX) q->learn[q->n_learn++] = q->pending;
        return;
    }
    judge(q, &q->pending, out, k);
}

static void new_candidate(struct vs_qrs *q, const vs_qrs_candidate *c, vs_beat *out, size_t *k)
{
    if (q->has_pending && (double)(c->peak_idx - q->pending.peak_idx) < refractory_samples(q)) {
        if (c->value > q->pending.value) q->pending = *c;
        return;
    }
    if (q->has_pending) finalize_pending(q, out, k);
    q->pending = *c;
    q->has_pending = 1;
}

/* Position, amplitude and slope of the QRS behind an integrator maximum: the energy that made
 * the maximum lies in the integrator window, so the QRS is the largest band-passed deflection
 * (and steepest slope) inside it. Scans in ring-slot order (no division per element); ties keep
 * the lowest slot. */
static void measure_candidate(const struct vs_qrs *q, vs_qrs_candidate *c, int64_t n)
{
    float best = -1.0f, emax = 0.0f;
    uint32_t best_i = 0, len = q->mwi_len + 2;
    for (uint32_t i = 0; i < len; i++) {
        float a = fabsf(q->bp_ring[i]);
        if (a > best) { best = a; best_i = i; }
    }
    for (uint32_t i = 0; i < q->mwi_len; i++)
        if (q->mwi_ring[i] > emax) emax = q->mwi_ring[i];
    uint32_t best_age = (q->bp_pos + len - 1 - best_i) % len;
    c->slope = sqrtf(emax);
    c->r_amp = best;
    c->r_idx = n - (int64_t)best_age - (int64_t)q->bp_delay;
    if (c->r_idx < 0) c->r_idx = 0;
}

static void step(struct vs_qrs *q, float xin, vs_beat *out, size_t *k)
{
    const int64_t n = q->n;
    /* Start from the first sample's steady state, so a record that begins far from 0 mV
     * (offset, railed ADC) does not open with a step response that looks like a QRS. */
    if (!q->primed && isfinite(xin)) {
        vs_iir_prime(&q->bp, (double)xin);
        q->primed = 1;
    }
    if (isfinite(xin)) {
        if (q->missing_run >= (int32_t)q->gap_len) q->gap_end_idx = n;
        q->missing_run = 0;
    } else if (q->missing_run < INT32_MAX) {
        q->missing_run++;
    }

    float bp = (float)vs_iir_step(&q->bp, (double)xin);
    float *h = q->dhist;
    float d = (float)(q->fs_hz / 8.0) * (2.0f * bp + h[0] - h[2] - 2.0f * h[3]);
    h[3] = h[2]; h[2] = h[1]; h[1] = h[0]; h[0] = bp;

    float e = d * d;
    q->mwi_sum += (double)e - (double)q->mwi_ring[q->mwi_pos];
    q->mwi_ring[q->mwi_pos] = e;
    if (++q->mwi_pos == q->mwi_len) {
        /* Re-sum once per window so rounding never accumulates over long streams. */
        double s = 0.0;
        for (uint32_t i = 0; i < q->mwi_len; i++) s += q->mwi_ring[i];
        q->mwi_sum = s;
        q->mwi_pos = 0;
    }
    float m = (float)(q->mwi_sum / (double)q->mwi_len);
    if (m < 0.0f) m = 0.0f;

    q->bp_ring[q->bp_pos] = bp;
    if (++q->bp_pos == q->mwi_len + 2) q->bp_pos = 0;

    float m1 = q->m_prev, m2 = q->m_prev2;
    if (m1 > m2 && m1 >= m && n >= 2) {
        vs_qrs_candidate c;
        c.peak_idx = n - 1;
        c.value = m1;
        /* A smaller maximum inside the pending candidate's refractory window is dropped by
         * new_candidate without a look at its position or slope: only measure the others. */
        int dropped = q->has_pending &&
                      (double)(c.peak_idx - q->pending.peak_idx) < refractory_samples(q) &&
                      !(c.value > q->pending.value);
        if (!dropped) {
            measure_candidate(q, &c, n);
            new_candidate(q, &c, out, k);
        }
    }
    q->m_prev2 = m1;
    q->m_prev = m;

    if (q->has_pending && (double)(n - q->pending.peak_idx) >= refractory_samples(q))
        finalize_pending(q, out, k);

    if (q->learning && n + 1 >= (int64_t)q->learn_len) finish_learning(q, out, k);

    if (!q->learning && q->last_r_idx >= 0 && q->rr_count > 0 &&
        (double)(n - q->last_peak_idx) > q->searchback_rr * (double)q->rr_mean) {
        if (q->has_best_noise && q->best_noise.value > k_searchback_frac * threshold1(q)) {
            vs_qrs_candidate c = q->best_noise;
            accept(q, &c, 1, out, k);
        }
    }
    q->n = n + 1;
}

size_t vs_qrs_run(struct vs_qrs *q, const float *x, size_t n, vs_beat *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) step(q, x[i], out, &k);
    return k;
}

void vs_qrs_clear(struct vs_qrs *q)
{
    vs_iir_clear(&q->bp);
    q->primed = 0;
    q->n = 0;
    memset(q->dhist, 0, sizeof q->dhist);
    memset(q->mwi_ring, 0, sizeof q->mwi_ring);
    q->mwi_pos = 0;
    q->mwi_sum = 0.0;
    q->m_prev = q->m_prev2 = 0.0f;
    q->missing_run = 0;
    q->gap_end_idx = -1;
    memset(q->bp_ring, 0, sizeof q->bp_ring);
    q->bp_pos = 0;
    memset(&q->pending, 0, sizeof q->pending);
    q->has_pending = 0;
    memset(&q->best_noise, 0, sizeof q->best_noise);
    q->has_best_noise = 0;
    q->spk = q->npk = 0.0f;
    q->last_slope = 0.0f;
    q->last_r_idx = -1;
    q->last_peak_idx = -1;
    memset(q->rr_hist, 0, sizeof q->rr_hist);
    q->rr_count = 0;
    q->rr_mean = 0.0f;
    q->learning = 1;
    q->n_learn = 0;
    memset(q->learn, 0, sizeof q->learn);
}
