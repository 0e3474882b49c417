/* quality_state.c — portable state of vs_quality (blob header in state.h, VS_MODULE_QUALITY).
 *
 * Payload, format version 1, in this order (LE; f32/f64 as IEEE bits):
 *   f64 segment_ms, hold_segments, flat_range_mv, saturation_ms, missing_ms, hf_ratio,
 *       baseline_ratio                                              (parameters)
 *   i64 n; u8 primed
 *   high-pass, QRS band-pass, low-pass signal state (filter_impl.h: f64 hold, f64 z[s][0..1])
 *   u32 seg_count, n_finite; f32 x_min, x_max, prev_x; u32 run, hi_best, lo_best,
 *       missing_run, max_missing
 *   segment cur, u8 has_prev, segment prev   (segment = f64 e_hf, e_qrs; f32 qrs_peak, lp_min,
 *                                             lp_max)
 *   u8 level, u8 streak_n, u8 streak_dir (0, 1 = worse, 2 = better), u8 streak_level,
 *   i64 streak_onset, u32 streak_reasons, f32 streak_score
 * 294 bytes with the header whatever fs is (the high-pass has 2 sections, the others 1). */
#include <string.h>

#include "quality_impl.h"
#include "state/module_state.h"

/* Longest segment: 10 s at 1000 Hz. */
#define SEG_MAX 10000u

static void put_seg(vs_blob_writer *w, const vs_quality_seg *s)
{
    vs_blob_f64(w, s->e_hf);
    vs_blob_f64(w, s->e_qrs);
    vs_blob_f32(w, s->qrs_peak);
    vs_blob_f32(w, s->lp_min);
    vs_blob_f32(w, s->lp_max);
}

static void get_seg(vs_blob_reader *r, vs_quality_seg *s)
{
    s->e_hf = vs_blob_get_f64(r);
    s->e_qrs = vs_blob_get_f64(r);
    s->qrs_peak = vs_blob_get_f32(r);
    s->lp_min = vs_blob_get_f32(r);
    s->lp_max = vs_blob_get_f32(r);
    vs_blob_require(r, s->e_hf >= 0.0 && s->e_qrs >= 0.0 && s->qrs_peak >= 0.0f &&
                           s->lp_min <= s->lp_max);
}

void vs_quality_state_write(const struct vs_quality *q, vs_blob_writer *w)
{
    vs_blob_f64(w, q->segment_ms);
    vs_blob_f64(w, q->hold_segments);
    vs_blob_f64(w, q->flat_range_mv);
    vs_blob_f64(w, q->saturation_ms);
    vs_blob_f64(w, q->missing_ms);
    vs_blob_f64(w, q->hf_ratio);
    vs_blob_f64(w, q->baseline_ratio);
    vs_blob_i64(w, q->n);
    vs_blob_u8(w, (uint8_t)q->primed);
    vs_iir_write_signal_state(&q->hp, w);
    vs_iir_write_signal_state(&q->bp, w);
    vs_iir_write_signal_state(&q->lp, w);
    vs_blob_u32(w, q->seg_count);
    vs_blob_u32(w, q->trk.n_finite);
    vs_blob_f32(w, q->trk.x_min);
    vs_blob_f32(w, q->trk.x_max);
    vs_blob_f32(w, q->trk.prev_x);
    vs_blob_u32(w, q->trk.run);
    vs_blob_u32(w, q->trk.hi_best);
    vs_blob_u32(w, q->trk.lo_best);
    vs_blob_u32(w, q->trk.missing_run);
    vs_blob_u32(w, q->trk.max_missing);
    put_seg(w, &q->cur);
    vs_blob_u8(w, (uint8_t)q->has_prev);
    put_seg(w, &q->prev);
    vs_blob_u8(w, (uint8_t)q->level);
    vs_blob_u8(w, (uint8_t)(q->streak_n > 255 ? 255 : q->streak_n));
    vs_blob_u8(w, (uint8_t)(q->streak_dir > 0 ? 1 : (q->streak_dir < 0 ? 2 : 0)));
    vs_blob_u8(w, (uint8_t)q->streak_level);
    vs_blob_i64(w, q->streak_onset);
    vs_blob_u32(w, q->streak_reasons);
    vs_blob_f32(w, q->streak_score);
}

static double get_param(vs_blob_reader *r, vs_quality_param p)
{
    double v = vs_blob_get_f64(r), lo = 0.0, hi = 0.0;
    vs_blob_require(r, vs_quality_param_bounds(p, &lo, &hi, NULL) == VS_OK && v >= lo && v <= hi);
    return v;
}

void vs_quality_state_read(struct vs_quality *t, vs_blob_reader *r)
{
    t->segment_ms = get_param(r, VS_QUALITY_SEGMENT_MS);
    t->hold_segments = get_param(r, VS_QUALITY_HOLD_SEGMENTS);
    t->flat_range_mv = get_param(r, VS_QUALITY_FLAT_RANGE_MV);
    t->saturation_ms = get_param(r, VS_QUALITY_SATURATION_MS);
    t->missing_ms = get_param(r, VS_QUALITY_MISSING_MS);
    t->hf_ratio = get_param(r, VS_QUALITY_HF_RATIO);
    t->baseline_ratio = get_param(r, VS_QUALITY_BASELINE_RATIO);
    if (r->error) return;
    vs_quality_derive(t);
    t->n = vs_blob_get_i64(r);
    t->primed = vs_blob_get_u8(r);
    vs_blob_require(r, t->n >= 0 && t->primed <= 1);
    vs_iir_read_signal_state(&t->hp, r);
    vs_iir_read_signal_state(&t->bp, r);
    vs_iir_read_signal_state(&t->lp, r);
    t->seg_count = vs_blob_get_u32(r);
    t->trk.n_finite = vs_blob_get_u32(r);
    t->trk.x_min = vs_blob_get_f32(r);
    t->trk.x_max = vs_blob_get_f32(r);
    t->trk.prev_x = vs_blob_get_f32(r);
    t->trk.run = vs_blob_get_u32(r);
    t->trk.hi_best = vs_blob_get_u32(r);
    t->trk.lo_best = vs_blob_get_u32(r);
    t->trk.missing_run = vs_blob_get_u32(r);
    t->trk.max_missing = vs_blob_get_u32(r);
    /* A segment under way is shorter than its length (it ends as soon as it is complete). */
    /* Runs may have started in earlier segments, so they are bounded by n only. A segment under
     * way can exceed seg_len after segment_ms was lowered; it then ends at the next sample. */
    vs_blob_require(r, (int64_t)t->seg_count <= t->n && t->seg_count <= SEG_MAX &&
                           t->trk.n_finite <= t->seg_count && t->trk.x_min <= t->trk.x_max &&
                           (int64_t)t->trk.run <= t->n && (int64_t)t->trk.missing_run <= t->n &&
                           (int64_t)t->trk.max_missing <= t->n && (int64_t)t->trk.hi_best <= t->n &&
                           (int64_t)t->trk.lo_best <= t->n);
    get_seg(r, &t->cur);
    t->has_prev = vs_blob_get_u8(r);
    vs_blob_require(r, t->has_prev <= 1);
    get_seg(r, &t->prev);
    t->level = vs_blob_get_u8(r);
    t->streak_n = vs_blob_get_u8(r);
    uint8_t dir = vs_blob_get_u8(r);
    t->streak_dir = dir == 1 ? 1 : (dir == 2 ? -1 : 0);
    t->streak_level = vs_blob_get_u8(r);
    t->streak_onset = vs_blob_get_i64(r);
    t->streak_reasons = vs_blob_get_u32(r);
    t->streak_score = vs_blob_get_f32(r);
    vs_blob_require(r, t->level <= VS_QUALITY_UNREADABLE && dir <= 2 &&
                           t->streak_level <= VS_QUALITY_UNREADABLE &&
                           t->streak_n <= 10u && t->streak_onset >= 0 &&
                           t->streak_onset <= t->n && t->streak_reasons <= 0x1Fu &&
                           t->streak_score >= 0.0f);
}

/* Adapters for the shared size/save/load mechanics (state/module_state.h). */
static void write_payload(const void *obj, vs_blob_writer *w) { vs_quality_state_write(obj, w); }

static void read_payload(void *obj, vs_blob_reader *r, unsigned format_version)
{
    (void)format_version;
    vs_quality_state_read(obj, r);
}

VS_API size_t vs_quality_state_size(const vs_quality *q)
{
    return q ? vs_module_state_size(VS_MODULE_QUALITY, q->fs_hz, write_payload, q) : 0;
}

VS_API vs_status vs_quality_state_save(const vs_quality *q, uint8_t *buf, size_t capacity,
                                       size_t *written)
{
    if (written) *written = 0;
    if (!q || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_QUALITY, q->fs_hz, write_payload, q,
                                buf, capacity, written);
}

VS_API vs_status vs_quality_state_load(vs_quality *q, const uint8_t *buf, size_t len)
{
    if (!q || !buf) return VS_E_NULL_ARG;
    struct vs_quality tmp; /* scratch copy on the stack */
    return vs_module_state_load(VS_MODULE_QUALITY, q->fs_hz, read_payload, q,
                                &tmp, sizeof tmp, buf, len);
}
