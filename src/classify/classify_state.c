/* classify_state.c — portable state of vs_classifier (blob header in state.h, module
 * VS_MODULE_CLASSIFY).
 *
 * Payload, format version 1, in this order (LE; f32/f64 as IEEE bits):
 *   f64 s_bias, v_bias                                  (parameters)
 *   i64 n; u8 primed; f32 hp_x, hp_y
 *   u16 ring[ring_len]          (int16 microvolts, 0x8000 = missing; ring_len = 1.35 s * fs)
 *   for each of the 2 templates: u8 has, then if has u16 tmpl[t_len] (t_len follows from fs)
 *   f32 hits[2], tmpl_prem[2]
 *   u8 has_dom; f32 dom_width, dom_pp, dom_energy, dom_p, dom_pol
 *   i64 last_r
 *   u8 rr_count, rr_pos; f32 rr_hist[16]
 *   u8 local_count, local_pos; f32 local_hist[8]
 *   f32 long_rr
 *   u8 dom_rr_count, dom_rr_pos; f32 dom_rr_hist[16]; f32 dom_corr
 *   u8 has_pending, then if has: beat (i64 sample_idx, i64 decided_idx, f32 amplitude_mv,
 *      f32 rr_ms, u32 flags, u32 reserved) and features (16 x f32 in struct order,
 *      f32 rr_irregularity_med, u32 flags)
 * The in-memory ring and templates are int16, so a load restores them exactly. */
#include <string.h>

#include "classify_impl.h"
#include "state/module_state.h"

#define N_FEAT_FLOATS 17

static void put_features(vs_blob_writer *w, const vs_beat_features *f)
{
    const float v[N_FEAT_FLOATS] = {
        f->pre_rr_ms, f->post_rr_ms, f->local_rr_ms, f->long_rr_ms, f->rr_irregularity,
        f->dom_irregularity, f->template_corr, f->corr_deficit, f->qrs_width_ms,
        f->width_ratio, f->amp_ratio, f->energy_ratio, f->p_ratio, f->polarity,
        f->polarity_diff, f->template_diff, f->rr_irregularity_med};
    for (int i = 0; i < N_FEAT_FLOATS; i++) vs_blob_f32(w, v[i]);
    vs_blob_u32(w, f->flags);
}

static void get_features(vs_blob_reader *r, vs_beat_features *f)
{
    float v[N_FEAT_FLOATS];
    for (int i = 0; i < N_FEAT_FLOATS; i++) v[i] = vs_blob_get_f32(r);
    f->pre_rr_ms = v[0];
    f->post_rr_ms = v[1];
    f->local_rr_ms = v[2];
    f->long_rr_ms = v[3];
    f->rr_irregularity = v[4];
    f->dom_irregularity = v[5];
    f->template_corr = v[6];
    f->corr_deficit = v[7];
    f->qrs_width_ms = v[8];
    f->width_ratio = v[9];
    f->amp_ratio = v[10];
    f->energy_ratio = v[11];
    f->p_ratio = v[12];
    f->polarity = v[13];
    f->polarity_diff = v[14];
    f->template_diff = v[15];
    f->rr_irregularity_med = v[16];
    f->flags = vs_blob_get_u32(r);
    vs_blob_require(r, f->flags <= 0xFu && f->template_diff >= 0.0f && f->pre_rr_ms >= 0.0f &&
                           f->local_rr_ms >= 0.0f && f->long_rr_ms >= 0.0f &&
                           f->rr_irregularity_med >= 0.0f);
}

void vs_classifier_state_write(const struct vs_classifier *c, vs_blob_writer *w)
{
    vs_blob_f64(w, c->s_bias);
    vs_blob_f64(w, c->v_bias);
    vs_blob_i64(w, c->n);
    vs_blob_u8(w, (uint8_t)c->primed);
    vs_blob_f32(w, c->hp_x);
    vs_blob_f32(w, c->hp_y);
    for (uint32_t i = 0; i < c->ring_len; i++) vs_blob_u16(w, (uint16_t)c->ring[i]);
    for (int k = 0; k < 2; k++) {
        vs_blob_u8(w, (uint8_t)c->has_tmpl[k]);
        if (c->has_tmpl[k])
            for (uint32_t i = 0; i < c->t_len; i++) vs_blob_u16(w, (uint16_t)c->tmpl[k][i]);
    }
    for (int k = 0; k < 2; k++) vs_blob_f32(w, c->hits[k]);
    for (int k = 0; k < 2; k++) vs_blob_f32(w, c->tmpl_prem[k]);
    vs_blob_u8(w, (uint8_t)c->has_dom);
    vs_blob_f32(w, c->dom_width);
    vs_blob_f32(w, c->dom_pp);
    vs_blob_f32(w, c->dom_energy);
    vs_blob_f32(w, c->dom_p);
    vs_blob_f32(w, c->dom_pol);
    vs_blob_i64(w, c->last_r);
    vs_blob_u8(w, (uint8_t)c->rr_count);
    vs_blob_u8(w, (uint8_t)c->rr_pos);
    for (int i = 0; i < VS_CLS_RR_HIST; i++) vs_blob_f32(w, c->rr_hist[i]);
    vs_blob_u8(w, (uint8_t)c->local_count);
    vs_blob_u8(w, (uint8_t)c->local_pos);
    for (int i = 0; i < VS_CLS_LOCAL_HIST; i++) vs_blob_f32(w, c->local_hist[i]);
    vs_blob_f32(w, c->long_rr);
    vs_blob_u8(w, (uint8_t)c->dom_rr_count);
    vs_blob_u8(w, (uint8_t)c->dom_rr_pos);
    for (int i = 0; i < VS_CLS_RR_HIST; i++) vs_blob_f32(w, c->dom_rr_hist[i]);
    vs_blob_f32(w, c->dom_corr);
    vs_blob_u8(w, (uint8_t)c->has_pending);
    if (c->has_pending) {
        const vs_beat *b = &c->pend_beat;
        vs_blob_i64(w, b->sample_idx);
        vs_blob_i64(w, b->decided_idx);
        vs_blob_f32(w, b->amplitude_mv);
        vs_blob_f32(w, b->rr_ms);
        vs_blob_u32(w, b->flags);
        vs_blob_u32(w, b->reserved);
        put_features(w, &c->pend_f);
    }
}

static int param_in_bounds(vs_classifier_param p, double v)
{
    double lo, hi;
    if (vs_classifier_param_bounds(p, &lo, &hi, NULL) != VS_OK) return 0;
    return v >= lo && v <= hi;
}

/* Reads into t (a copy of the live object); the caller commits only on success. */
void vs_classifier_state_read(struct vs_classifier *t, vs_blob_reader *r)
{
    t->s_bias = vs_blob_get_f64(r);
    t->v_bias = vs_blob_get_f64(r);
    vs_blob_require(r, param_in_bounds(VS_CLASSIFY_S_BIAS, t->s_bias) &&
                           param_in_bounds(VS_CLASSIFY_V_BIAS, t->v_bias));
    t->n = vs_blob_get_i64(r);
    vs_blob_require(r, t->n >= 0);
    t->primed = vs_blob_get_u8(r);
    vs_blob_require(r, t->primed <= 1);
    t->hp_x = vs_blob_get_f32(r);
    t->hp_y = vs_blob_get_f32(r);
    for (uint32_t i = 0; i < t->ring_len; i++) t->ring[i] = (int16_t)vs_blob_get_u16(r);
    for (int k = 0; k < 2; k++) {
        t->has_tmpl[k] = vs_blob_get_u8(r);
        vs_blob_require(r, t->has_tmpl[k] <= 1);
        if (r->error) return;
        memset(t->tmpl[k], 0, sizeof t->tmpl[k]);
        if (t->has_tmpl[k])
            for (uint32_t i = 0; i < t->t_len; i++) {
                t->tmpl[k][i] = (int16_t)vs_blob_get_u16(r);
                vs_blob_require(r, t->tmpl[k][i] != VS_CLS_MISSING);
            }
    }
    for (int k = 0; k < 2; k++) {
        t->hits[k] = vs_blob_get_f32(r);
        vs_blob_require(r, t->hits[k] >= 0.0f && t->hits[k] <= 1.0e6f);
    }
    for (int k = 0; k < 2; k++) t->tmpl_prem[k] = vs_blob_get_f32(r);
    t->has_dom = vs_blob_get_u8(r);
    vs_blob_require(r, t->has_dom <= 1);
    t->dom_width = vs_blob_get_f32(r);
    t->dom_pp = vs_blob_get_f32(r);
    t->dom_energy = vs_blob_get_f32(r);
    t->dom_p = vs_blob_get_f32(r);
    t->dom_pol = vs_blob_get_f32(r);
    vs_blob_require(r, t->dom_width >= 0.0f && t->dom_pp >= 0.0f && t->dom_energy >= 0.0f &&
                           t->dom_p >= 0.0f);
    t->last_r = vs_blob_get_i64(r);
    vs_blob_require(r, t->last_r >= -1 && t->last_r < t->n);
    t->rr_count = vs_blob_get_u8(r);
    t->rr_pos = vs_blob_get_u8(r);
    vs_blob_require(r, t->rr_count <= VS_CLS_RR_HIST && t->rr_pos < VS_CLS_RR_HIST);
    for (int i = 0; i < VS_CLS_RR_HIST; i++) {
        t->rr_hist[i] = vs_blob_get_f32(r);
        vs_blob_require(r, t->rr_hist[i] >= 0.0f);
    }
    t->local_count = vs_blob_get_u8(r);
    t->local_pos = vs_blob_get_u8(r);
    vs_blob_require(r, t->local_count <= VS_CLS_LOCAL_HIST && t->local_pos < VS_CLS_LOCAL_HIST);
    for (int i = 0; i < VS_CLS_LOCAL_HIST; i++) {
        t->local_hist[i] = vs_blob_get_f32(r);
        vs_blob_require(r, t->local_hist[i] >= 0.0f);
    }
    t->long_rr = vs_blob_get_f32(r);
    vs_blob_require(r, t->long_rr >= 0.0f);
    t->dom_rr_count = vs_blob_get_u8(r);
    t->dom_rr_pos = vs_blob_get_u8(r);
    vs_blob_require(r, t->dom_rr_count <= VS_CLS_RR_HIST && t->dom_rr_pos < VS_CLS_RR_HIST);
    for (int i = 0; i < VS_CLS_RR_HIST; i++) {
        t->dom_rr_hist[i] = vs_blob_get_f32(r);
        vs_blob_require(r, t->dom_rr_hist[i] >= 0.0f);
    }
    t->dom_corr = vs_blob_get_f32(r);
    vs_blob_require(r, t->dom_corr >= -1.0f && t->dom_corr <= 1.0f);
    t->has_pending = vs_blob_get_u8(r);
    vs_blob_require(r, t->has_pending <= 1);
    if (r->error) return;
    memset(&t->pend_beat, 0, sizeof t->pend_beat);
    memset(&t->pend_f, 0, sizeof t->pend_f);
    t->pend_shift = 0; /* not saved (classify_impl.h) */
    if (t->has_pending) {
        vs_beat *b = &t->pend_beat;
        b->sample_idx = vs_blob_get_i64(r);
        b->decided_idx = vs_blob_get_i64(r);
        b->amplitude_mv = vs_blob_get_f32(r);
        b->rr_ms = vs_blob_get_f32(r);
        b->flags = vs_blob_get_u32(r);
        b->reserved = vs_blob_get_u32(r);
        vs_blob_require(r, b->sample_idx >= 0 && b->sample_idx == t->last_r &&
                               b->decided_idx >= b->sample_idx);
        get_features(r, &t->pend_f);
    }
}

/* Adapters for the shared size/save/load mechanics (state/module_state.h). */
static void write_payload(const void *obj, vs_blob_writer *w) { vs_classifier_state_write(obj, w); }

static void read_payload(void *obj, vs_blob_reader *r, unsigned format_version)
{
    (void)format_version;
    vs_classifier_state_read(obj, r);
}

VS_API size_t vs_classifier_state_size(const vs_classifier *c)
{
    return c ? vs_module_state_size(VS_MODULE_CLASSIFY, c->fs_hz, write_payload, c) : 0;
}

VS_API vs_status vs_classifier_state_save(const vs_classifier *c, uint8_t *buf, size_t capacity,
                                          size_t *written)
{
    if (written) *written = 0;
    if (!c || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_CLASSIFY, c->fs_hz, write_payload, c,
                                buf, capacity, written);
}

VS_API vs_status vs_classifier_state_load(vs_classifier *c, const uint8_t *buf, size_t len)
{
    if (!c || !buf) return VS_E_NULL_ARG;
    struct vs_classifier tmp; /* scratch copy on the stack (about 4 KiB) */
    return vs_module_state_load(VS_MODULE_CLASSIFY, c->fs_hz, read_payload, c,
                                &tmp, sizeof tmp, buf, len);
}
