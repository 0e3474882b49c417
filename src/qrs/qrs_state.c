/* qrs_state.c — portable state of vs_qrs (blob header in state.h, module VS_MODULE_QRS).
 *
 * Payload, format version 1, in this order (LE; f32/f64 as IEEE bits):
 *   f64 refractory_ms, searchback_rr, twave_ms, min_amplitude_mv   (parameters)
 *   i64 n                                                           (samples consumed)
 *   u8 primed
 *   band-pass signal state (filter_impl.h: f64 hold, f64 z[s][0..1] per section)
 *   f32 dhist[4]
 *   u32 mwi_pos, f64 mwi_sum, f32 mwi_ring[mwi_len]      (mwi_len follows from fs)
 *   u32 bp_pos, f32 bp_ring[mwi_len + 2]
 *   f32 m_prev, m_prev2; i32 missing_run
 *   u8 has_pending, candidate pending; u8 has_best_noise, candidate best_noise
 *      candidate = i64 peak_idx, i64 r_idx, f32 value, f32 slope, f32 r_amp
 *   f32 spk, npk, last_slope; i64 last_r_idx, last_peak_idx
 *   f32 rr_hist[8]; u32 rr_count; f32 rr_mean
 *   u8 learning (1 blind; format 4 also 2: shadow), u8 n_learn, then n_learn compact candidates (learning lasts 2 s, so indices
 *      fit in u32): u32 peak_idx, u32 r_idx, f32 value, f32 slope, f32 r_amp
 * Format version 2 appends:
 *   i64 gap_end_idx (first finite sample after the latest gap, -1 none; version 1 blobs load
 *      with -1: no gap pending)
 * Format version 4 writes the learning candidates' peak_idx and r_idx as u16 ages (n - idx:
 * re-learning happens at any time, and a learning window spans under 3 s), leaves out f32 dhist[4] and writes only the 2 oldest integrator inputs
 * (ages mwi_len - 2, then mwi_len - 1, in samples before the newest): the rest follow from bp_ring and
 * are rebuilt on load (this keeps vs_monitor's blob within 4096 bytes). It also appends the
 * artefact state (qrs_detect.c):
 *   i64 learn_end_idx, i64 art_last_idx, u8 in_artefact, u32 flat_run, f32 flat_x,
 *   u32 seg_count, f32 seg_peak, u8 seg_clean, u32 amp_count, u32 seg_rejects,
 *   i64 rebase_idx, f32 amp_hist[8]
 *   (older blobs load with learning ending at 2 s, no artefact, an empty history)
 * Everything that decides future output is saved, so save -> load -> continue gives exactly the
 * beats of an uninterrupted run. */
#include <math.h>
#include <string.h>

#include "qrs_impl.h"
#include "state/module_state.h"

/* Version 4 leaves out what the band-pass ring determines: the derivative history (its 4
 * newest values) and all but the VS_QRS_MWI_KEPT oldest integrator inputs (each is the slope
 * energy of 5 consecutive band-pass values, and the ring holds mwi_len + 2 of them). */
#define VS_QRS_MWI_KEPT 2u

/* Ring slots of the value `age` samples old (0: newest). */
static uint32_t mwi_slot(const struct vs_qrs *q, uint32_t age)
{
    return (q->mwi_pos + q->mwi_len - 1u - age) % q->mwi_len;
}

static float bp_aged(const struct vs_qrs *q, uint32_t age)
{
    uint32_t len = q->mwi_len + 2u;
    return q->bp_ring[(q->bp_pos + len - 1u - age) % len];
}

/* Rebuilds dhist and the newer integrator inputs from the band-pass ring (version 4). */
static void rebuild_from_bp_ring(struct vs_qrs *t)
{
    for (uint32_t i = 0; i < 4; i++) t->dhist[i] = bp_aged(t, i);
    for (uint32_t a = 0; a + VS_QRS_MWI_KEPT < t->mwi_len; a++)
        t->mwi_ring[mwi_slot(t, a)] = vs_qrs_slope_energy(t, bp_aged(t, a), bp_aged(t, a + 1),
                                                          bp_aged(t, a + 3), bp_aged(t, a + 4));
}

static void put_candidate(vs_blob_writer *w, const vs_qrs_candidate *c)
{
    vs_blob_i64(w, c->peak_idx);
    vs_blob_i64(w, c->r_idx);
    vs_blob_f32(w, c->value);
    vs_blob_f32(w, c->slope);
    vs_blob_f32(w, c->r_amp);
}

static void get_candidate(vs_blob_reader *r, vs_qrs_candidate *c, int64_t n)
{
    c->peak_idx = vs_blob_get_i64(r);
    c->r_idx = vs_blob_get_i64(r);
    c->value = vs_blob_get_f32(r);
    c->slope = vs_blob_get_f32(r);
    c->r_amp = vs_blob_get_f32(r);
    vs_blob_require(r, c->peak_idx >= 0 && c->peak_idx <= n && c->r_idx >= 0 && c->r_idx <= n);
}

void vs_qrs_state_write(const struct vs_qrs *q, vs_blob_writer *w)
{
    vs_blob_f64(w, q->refractory_ms);
    vs_blob_f64(w, q->searchback_rr);
    vs_blob_f64(w, q->twave_ms);
    vs_blob_f64(w, q->min_amplitude_mv);
    vs_blob_i64(w, q->n);
    vs_blob_u8(w, (uint8_t)q->primed);
    vs_iir_write_signal_state(&q->bp, w);
    vs_blob_u32(w, q->mwi_pos);
    vs_blob_f64(w, q->mwi_sum);
    for (uint32_t a = q->mwi_len - VS_QRS_MWI_KEPT; a < q->mwi_len; a++)
        vs_blob_f32(w, q->mwi_ring[mwi_slot(q, a)]);
    vs_blob_u32(w, q->bp_pos);
    for (uint32_t i = 0; i < q->mwi_len + 2; i++) vs_blob_f32(w, q->bp_ring[i]);
    vs_blob_f32(w, q->m_prev);
    vs_blob_f32(w, q->m_prev2);
    vs_blob_i32(w, q->missing_run);
    vs_blob_u8(w, (uint8_t)q->has_pending);
    put_candidate(w, &q->pending);
    vs_blob_u8(w, (uint8_t)q->has_best_noise);
    put_candidate(w, &q->best_noise);
    vs_blob_f32(w, q->spk);
    vs_blob_f32(w, q->npk);
    vs_blob_f32(w, q->last_slope);
    vs_blob_i64(w, q->last_r_idx);
    vs_blob_i64(w, q->last_peak_idx);
    for (int i = 0; i < VS_QRS_RR_HISTORY; i++) vs_blob_f32(w, q->rr_hist[i]);
    vs_blob_u32(w, q->rr_count);
    vs_blob_f32(w, q->rr_mean);
    vs_blob_u8(w, (uint8_t)q->learning);
    vs_blob_u8(w, (uint8_t)q->n_learn);
    for (uint32_t i = 0; i < q->n_learn; i++) {
        const vs_qrs_candidate *c = &q->learn[i];
        vs_blob_u16(w, (uint16_t)(q->n - c->peak_idx)); /* ages: learning lasts 2 s */
        vs_blob_u16(w, (uint16_t)(q->n - c->r_idx));
        vs_blob_f32(w, c->value);
        vs_blob_f32(w, c->slope);
        vs_blob_f32(w, c->r_amp);
    }
    vs_blob_i64(w, q->gap_end_idx);
    vs_blob_i64(w, q->learn_end_idx);
    vs_blob_i64(w, q->art_last_idx);
    vs_blob_u8(w, (uint8_t)q->in_artefact);
    vs_blob_u32(w, q->flat_run);
    vs_blob_f32(w, q->flat_x);
    vs_blob_u32(w, q->seg_count);
    vs_blob_f32(w, q->seg_peak);
    vs_blob_u8(w, (uint8_t)q->seg_clean);
    vs_blob_u32(w, q->amp_count);
    vs_blob_u32(w, q->seg_rejects);
    vs_blob_i64(w, q->rebase_idx);
    for (int i = 0; i < VS_QRS_AMP_HISTORY; i++) vs_blob_f32(w, q->amp_hist[i]);
}

static int param_in_bounds(vs_qrs_param p, double v)
{
    double lo, hi;
    if (vs_qrs_param_bounds(p, &lo, &hi, NULL) != VS_OK) return 0;
    return v >= lo && v <= hi;
}

/* Reads into t (a copy of the live object); the caller commits only on success. */
void vs_qrs_state_read(struct vs_qrs *t, vs_blob_reader *r, unsigned format_version)
{
    t->refractory_ms = vs_blob_get_f64(r);
    t->searchback_rr = vs_blob_get_f64(r);
    t->twave_ms = vs_blob_get_f64(r);
    t->min_amplitude_mv = vs_blob_get_f64(r);
    vs_blob_require(r, param_in_bounds(VS_QRS_REFRACTORY_MS, t->refractory_ms) &&
                           param_in_bounds(VS_QRS_SEARCHBACK_RR, t->searchback_rr) &&
                           param_in_bounds(VS_QRS_TWAVE_WINDOW_MS, t->twave_ms) &&
                           param_in_bounds(VS_QRS_MIN_AMPLITUDE_MV, t->min_amplitude_mv));
    t->n = vs_blob_get_i64(r);
    vs_blob_require(r, t->n >= 0);
    t->primed = vs_blob_get_u8(r);
    vs_blob_require(r, t->primed <= 1);
    vs_iir_read_signal_state(&t->bp, r);
    const int compact = format_version >= 4;
    if (!compact)
        for (int i = 0; i < 4; i++) t->dhist[i] = vs_blob_get_f32(r);
    t->mwi_pos = vs_blob_get_u32(r);
    t->mwi_sum = vs_blob_get_f64(r);
    vs_blob_require(r, t->mwi_pos < t->mwi_len && t->mwi_sum >= 0.0);
    if (r->error) return; /* mwi_pos indexes below */
    for (uint32_t a = compact ? t->mwi_len - VS_QRS_MWI_KEPT : 0; a < t->mwi_len; a++) {
        float *slot = compact ? &t->mwi_ring[mwi_slot(t, a)] : &t->mwi_ring[a];
        *slot = vs_blob_get_f32(r);
        vs_blob_require(r, *slot >= 0.0f);
    }
    t->bp_pos = vs_blob_get_u32(r);
    vs_blob_require(r, t->bp_pos < t->mwi_len + 2);
    if (r->error) return;
    for (uint32_t i = 0; i < t->mwi_len + 2; i++) {
        t->bp_ring[i] = vs_blob_get_f32(r);
        vs_blob_require(r, isfinite(t->bp_ring[i]) || !compact);
    }
    if (compact) rebuild_from_bp_ring(t);
    t->m_prev = vs_blob_get_f32(r);
    t->m_prev2 = vs_blob_get_f32(r);
    t->missing_run = vs_blob_get_i32(r);
    vs_blob_require(r, t->missing_run >= 0);
    t->has_pending = vs_blob_get_u8(r);
    get_candidate(r, &t->pending, t->n);
    t->has_best_noise = vs_blob_get_u8(r);
    get_candidate(r, &t->best_noise, t->n);
    vs_blob_require(r, t->has_pending <= 1 && t->has_best_noise <= 1);
    t->spk = vs_blob_get_f32(r);
    t->npk = vs_blob_get_f32(r);
    t->last_slope = vs_blob_get_f32(r);
    t->last_r_idx = vs_blob_get_i64(r);
    t->last_peak_idx = vs_blob_get_i64(r);
    vs_blob_require(r, t->last_r_idx >= -1 && t->last_r_idx <= t->n &&
                           t->last_peak_idx >= -1 && t->last_peak_idx <= t->n);
    for (int i = 0; i < VS_QRS_RR_HISTORY; i++) t->rr_hist[i] = vs_blob_get_f32(r);
    t->rr_count = vs_blob_get_u32(r);
    t->rr_mean = vs_blob_get_f32(r);
    t->learning = vs_blob_get_u8(r);
    t->n_learn = vs_blob_get_u8(r);
    vs_blob_require(r, t->learning <= (format_version >= 4 ? VS_QRS_LEARN_SHADOW : 1u) &&
                           t->n_learn <= VS_QRS_LEARN_MAX && (t->learning || t->n_learn == 0));
    if (r->error) return;
    for (uint32_t i = 0; i < t->n_learn; i++) {
        vs_qrs_candidate *c = &t->learn[i];
        if (format_version >= 4) { /* ages: re-learning can happen at any time */
            c->peak_idx = t->n - (int64_t)vs_blob_get_u16(r);
            c->r_idx = t->n - (int64_t)vs_blob_get_u16(r);
        } else {
            c->peak_idx = vs_blob_get_u32(r);
            c->r_idx = vs_blob_get_u32(r);
        }
        c->value = vs_blob_get_f32(r);
        c->slope = vs_blob_get_f32(r);
        c->r_amp = vs_blob_get_f32(r);
        vs_blob_require(r, c->peak_idx >= 0 && c->peak_idx <= t->n && c->r_idx >= 0 &&
                               c->r_idx <= t->n);
    }
    t->gap_end_idx = -1;
    if (format_version >= 2) {
        t->gap_end_idx = vs_blob_get_i64(r);
        vs_blob_require(r, t->gap_end_idx >= -1 && t->gap_end_idx <= t->n);
    }
    vs_qrs_clear_artefact_state(t);
    if (format_version >= 4) {
        t->learn_end_idx = vs_blob_get_i64(r);
        t->art_last_idx = vs_blob_get_i64(r);
        t->in_artefact = vs_blob_get_u8(r);
        t->flat_run = vs_blob_get_u32(r);
        t->flat_x = vs_blob_get_f32(r);
        t->seg_count = vs_blob_get_u32(r);
        t->seg_peak = vs_blob_get_f32(r);
        t->seg_clean = vs_blob_get_u8(r);
        t->amp_count = vs_blob_get_u32(r);
        t->seg_rejects = vs_blob_get_u32(r);
        t->rebase_idx = vs_blob_get_i64(r);
        vs_blob_require(r, t->rebase_idx >= -1 && t->rebase_idx <= t->n);
        for (int i = 0; i < VS_QRS_AMP_HISTORY; i++) {
            t->amp_hist[i] = vs_blob_get_f32(r);
            vs_blob_require(r, t->amp_hist[i] >= 0.0f && isfinite(t->amp_hist[i]));
        }
        vs_blob_require(r, t->learn_end_idx >= 0 && t->art_last_idx >= -1 &&
                               t->art_last_idx <= t->n && t->in_artefact <= 1 &&
                               t->seg_clean <= 1 && t->seg_count < t->amp_seg_len &&
                               t->seg_peak >= 0.0f && isfinite(t->seg_peak) &&
                               (!t->in_artefact || t->art_last_idx >= 0));
    }
}

/* Adapters for the shared size/save/load mechanics (state/module_state.h). */
static void write_payload(const void *obj, vs_blob_writer *w) { vs_qrs_state_write(obj, w); }

static void read_payload(void *obj, vs_blob_reader *r, unsigned format_version)
{
    vs_qrs_state_read(obj, r, format_version);
}

VS_API size_t vs_qrs_state_size(const vs_qrs *q)
{
    return q ? vs_module_state_size(VS_MODULE_QRS, q->fs_hz, write_payload, q) : 0;
}

VS_API vs_status vs_qrs_state_save(const vs_qrs *q, uint8_t *buf, size_t capacity,
                                   size_t *written)
{
    if (written) *written = 0;
    if (!q || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_QRS, q->fs_hz, write_payload, q, buf, capacity, written);
}

VS_API vs_status vs_qrs_state_load(vs_qrs *q, const uint8_t *buf, size_t len)
{
    if (!q || !buf) return VS_E_NULL_ARG;
    struct vs_qrs tmp; /* scratch copy on the stack (about 2 KiB) */
    return vs_module_state_load(VS_MODULE_QRS, q->fs_hz, read_payload, q,
                                &tmp, sizeof tmp, buf, len);
}
