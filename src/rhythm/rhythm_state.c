/* rhythm_state.c — portable state of vs_rhythm (blob header in state.h, module
 * VS_MODULE_RHYTHM).
 *
 * Payload, in this order (LE; f64 as IEEE bits):
 *   f64 param[18]                  (vs_rhythm_param order; 16 before format version 3, 17 in 3)
 *   i64 n_beats, first_idx, prev_idx; i32 prev_rr; u8 prev_class, prev_quality, prev_usable,
 *       prem_hist (from format version 4 one u8: class | quality << 3 | usable << 5 | prem << 6)
 *   u8 rr_pos, rr_count; i32 rr_ring[rr_count]       (only the filled slots)
 *   u8 beat_pos, beat_count; u16 beat_delta[beat_count]
 *   u32 v_hist, n_hist; u8 hist_count
 *   u32 vote_bits; u8 n_votes, vote_pos; u16 vote_delta[n_votes]
 *   i64 last_vote_idx, last_irregular_idx; u8 af_active; i64 af_onset, af_end
 *   u32 run_len (u16 from format version 5); i64 run_start, run_rr_sum; u8 vt_active
 *   u8 big_active, trig_active (from version 4 one u8: big | trig << 1); i64 big_onset,
 *       trig_onset; u8 rate_state; i64 rate_onset
 *   i32 cur_type; i64 cur_onset
 *   i64 last_vt_alarm_idx          (from format version 3)
 *   i64 signal_since; u32 silence[2] as 1 + (start - max(prev_idx, 0)), 0 for none;
 *       u8 timer_flags; i64 lost_from   (time-driven alarms, from format version 4)
 * Rings are only partly filled until enough beats have passed, and a filled ring keeps its
 * position, so the slots written are exactly those that can be read later. At most
 * 24 (header) + 144 + 29 + 38 + 50 + 9 + 70 + 33 + 19 + 26 + 12 + 8 + 25 = 487 bytes. */
#include <string.h>

#include "rhythm_impl.h"
#include "state/module_state.h"

void vs_rhythm_state_write(const struct vs_rhythm *r, vs_blob_writer *w)
{
    for (int i = 0; i < VS_RHY_N_PARAMS; i++) vs_blob_f64(w, r->param[i]);
    vs_blob_i64(w, r->n_beats);
    vs_blob_i64(w, r->first_idx);
    vs_blob_i64(w, r->prev_idx);
    vs_blob_i32(w, r->prev_rr);
    vs_blob_u8(w, (uint8_t)(r->prev_class | r->prev_quality << 3 | r->prev_usable << 5 |
                            r->prem_hist << 6));
    vs_blob_u8(w, (uint8_t)r->rr_pos);
    vs_blob_u8(w, (uint8_t)r->rr_count);
    for (uint32_t i = 0; i < r->rr_count; i++) vs_blob_i32(w, r->rr_ring[i]);
    vs_blob_u8(w, (uint8_t)r->beat_pos);
    vs_blob_u8(w, (uint8_t)r->beat_count);
    for (uint32_t i = 0; i < r->beat_count; i++) vs_blob_u16(w, r->beat_delta[i]);
    vs_blob_u32(w, r->v_hist);
    vs_blob_u32(w, r->n_hist);
    vs_blob_u8(w, (uint8_t)r->hist_count);
    vs_blob_u32(w, r->vote_bits);
    vs_blob_u8(w, (uint8_t)r->n_votes);
    vs_blob_u8(w, (uint8_t)r->vote_pos);
    for (uint32_t i = 0; i < r->n_votes; i++) vs_blob_u16(w, r->vote_delta[i]);
    vs_blob_i64(w, r->last_vote_idx);
    vs_blob_i64(w, r->last_irregular_idx);
    vs_blob_u8(w, r->af_active);
    vs_blob_i64(w, r->af_onset);
    vs_blob_i64(w, r->af_end);
    vs_blob_u16(w, (uint16_t)r->run_len); /* saturates at 0xFFFF (rhythm_detect.c) */
    vs_blob_i64(w, r->run_start);
    vs_blob_i64(w, r->run_rr_sum);
    vs_blob_u8(w, r->vt_active);
    vs_blob_u8(w, (uint8_t)(r->big_active | r->trig_active << 1));
    vs_blob_i64(w, r->big_onset);
    vs_blob_i64(w, r->trig_onset);
    vs_blob_u8(w, r->rate_state);
    vs_blob_i64(w, r->rate_onset);
    vs_blob_i32(w, r->cur_type);
    vs_blob_i64(w, r->cur_onset);
    vs_blob_i64(w, r->last_vt_alarm_idx);
    vs_blob_i64(w, r->signal_since);
    int64_t base = r->prev_idx > 0 ? r->prev_idx : 0;
    for (int i = 0; i < VS_RHY_SILENCES; i++) {
        /* a silence starts at or after the last pushed beat (rhythm_impl.h) */
        int64_t d = r->silence[i] < base ? 0 : r->silence[i] - base + 1;
        vs_blob_u32(w, d > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)d);
    }
    vs_blob_u8(w, r->timer_flags);
    vs_blob_i64(w, r->lost_from);
}

static int valid_type(int32_t t)
{
    return t >= 0 && t <= VS_RHYTHM_TACHY;
}

void vs_rhythm_state_read(struct vs_rhythm *t, vs_blob_reader *rd, unsigned format_version)
{
    int n_params = format_version >= 4   ? VS_RHY_N_PARAMS
                   : format_version >= 3 ? VS_RHY_N_PARAMS_V3
                                         : VS_RHY_N_PARAMS_V2;
    for (int i = 0; i < n_params; i++) {
        t->param[i] = vs_blob_get_f64(rd);
        vs_blob_require(rd, vs_rhythm_param_ok((vs_rhythm_param)(i + 1), t->param[i]));
    }
    /* parameters newer than the blob keep the values t already has (its defaults or settings) */
    t->n_beats = vs_blob_get_i64(rd);
    t->first_idx = vs_blob_get_i64(rd);
    t->prev_idx = vs_blob_get_i64(rd);
    vs_blob_require(rd, t->n_beats >= 0 && t->first_idx >= -1 && t->prev_idx >= t->first_idx &&
                            ((t->n_beats == 0) == (t->prev_idx == -1)));
    t->prev_rr = vs_blob_get_i32(rd);
    if (format_version >= 4) {
        uint8_t b = vs_blob_get_u8(rd);
        t->prev_class = b & 7u;
        t->prev_quality = (b >> 3) & 3u;
        t->prev_usable = (b >> 5) & 1u;
        t->prem_hist = (uint8_t)(b >> 6);
    } else {
        t->prev_class = vs_blob_get_u8(rd);
        t->prev_quality = vs_blob_get_u8(rd);
        t->prev_usable = vs_blob_get_u8(rd);
        t->prem_hist = vs_blob_get_u8(rd);
    }
    vs_blob_require(rd, t->prev_rr >= 0 && t->prev_class <= 4 && t->prev_quality <= 2 &&
                            t->prev_usable <= 1 && t->prem_hist <= 3);
    t->rr_pos = vs_blob_get_u8(rd);
    t->rr_count = vs_blob_get_u8(rd);
    vs_blob_require(rd, t->rr_count <= VS_RHY_RR_RING && t->rr_pos < VS_RHY_RR_RING &&
                            (t->rr_count == VS_RHY_RR_RING || t->rr_pos == t->rr_count));
    if (rd->error) return;
    memset(t->rr_ring, 0, sizeof t->rr_ring);
    for (uint32_t i = 0; i < t->rr_count; i++) {
        t->rr_ring[i] = vs_blob_get_i32(rd);
        vs_blob_require(rd, t->rr_ring[i] > 0);
    }
    t->beat_pos = vs_blob_get_u8(rd);
    t->beat_count = vs_blob_get_u8(rd);
    vs_blob_require(rd, t->beat_count <= VS_RHY_BEAT_RING && t->beat_pos < VS_RHY_BEAT_RING &&
                            (t->beat_count == VS_RHY_BEAT_RING || t->beat_pos == t->beat_count));
    if (rd->error) return;
    memset(t->beat_delta, 0, sizeof t->beat_delta);
    for (uint32_t i = 0; i < t->beat_count; i++) t->beat_delta[i] = vs_blob_get_u16(rd);
    t->v_hist = vs_blob_get_u32(rd);
    t->n_hist = vs_blob_get_u32(rd);
    t->hist_count = vs_blob_get_u8(rd);
    vs_blob_require(rd, t->hist_count <= 32 && (t->v_hist & t->n_hist) == 0);
    t->vote_bits = vs_blob_get_u32(rd);
    t->n_votes = vs_blob_get_u8(rd);
    t->vote_pos = vs_blob_get_u8(rd);
    vs_blob_require(rd, t->n_votes <= VS_RHY_VOTE_RING && t->vote_pos < VS_RHY_VOTE_RING &&
                            (t->n_votes == VS_RHY_VOTE_RING || t->vote_pos == t->n_votes));
    if (rd->error) return;
    memset(t->vote_delta, 0, sizeof t->vote_delta);
    for (uint32_t i = 0; i < t->n_votes; i++) t->vote_delta[i] = vs_blob_get_u16(rd);
    t->last_vote_idx = vs_blob_get_i64(rd);
    t->last_irregular_idx = vs_blob_get_i64(rd);
    t->af_active = vs_blob_get_u8(rd);
    t->af_onset = vs_blob_get_i64(rd);
    t->af_end = vs_blob_get_i64(rd);
    vs_blob_require(rd, t->last_vote_idx >= -1 && t->last_vote_idx <= t->prev_idx &&
                            t->last_irregular_idx >= -1 &&
                            t->last_irregular_idx <= t->last_vote_idx && t->af_active <= AF_ENDING &&
                            t->af_onset >= -1 && t->af_onset <= t->prev_idx &&
                            t->af_end >= -1 && t->af_end <= t->prev_idx);
    t->run_len = format_version >= 5 ? vs_blob_get_u16(rd) : vs_blob_get_u32(rd);
    t->run_start = vs_blob_get_i64(rd);
    t->run_rr_sum = vs_blob_get_i64(rd);
    t->vt_active = vs_blob_get_u8(rd);
    vs_blob_require(rd, t->run_len <= (uint64_t)t->n_beats && t->run_start >= -1 &&
                            t->run_start <= t->prev_idx && t->run_rr_sum >= 0 &&
                            t->vt_active <= 1 && (!t->vt_active || t->run_len > 0));
    if (format_version >= 4) {
        uint8_t b = vs_blob_get_u8(rd);
        vs_blob_require(rd, b <= 3);
        t->big_active = b & 1u;
        t->trig_active = (uint8_t)(b >> 1);
    } else {
        t->big_active = vs_blob_get_u8(rd);
        t->trig_active = vs_blob_get_u8(rd);
    }
    t->big_onset = vs_blob_get_i64(rd);
    t->trig_onset = vs_blob_get_i64(rd);
    t->rate_state = vs_blob_get_u8(rd);
    t->rate_onset = vs_blob_get_i64(rd);
    vs_blob_require(rd, t->big_active <= 1 && t->trig_active <= 1 && t->rate_state <= 2 &&
                            t->big_onset >= -1 && t->big_onset <= t->prev_idx &&
                            t->trig_onset >= -1 && t->trig_onset <= t->prev_idx &&
                            t->rate_onset >= -1 && t->rate_onset <= t->prev_idx);
    t->cur_type = vs_blob_get_i32(rd);
    t->cur_onset = vs_blob_get_i64(rd);
    vs_blob_require(rd, valid_type(t->cur_type) && t->cur_onset >= -1 &&
                            t->cur_onset <= t->prev_idx &&
                            (t->cur_type == 0) == (t->cur_onset == -1));
    t->last_vt_alarm_idx = -1;
    t->signal_since = 0;
    for (int i = 0; i < VS_RHY_SILENCES; i++) t->silence[i] = -1;
    t->timer_flags = 0;
    t->lost_from = -1;
    if (format_version < 3) return;
    t->last_vt_alarm_idx = vs_blob_get_i64(rd);
    vs_blob_require(rd, t->last_vt_alarm_idx >= -1 && t->last_vt_alarm_idx <= t->prev_idx);
    if (format_version < 4) return;
    t->signal_since = vs_blob_get_i64(rd);
    int64_t base = t->prev_idx > 0 ? t->prev_idx : 0;
    for (int i = 0; i < VS_RHY_SILENCES; i++) {
        uint32_t d = vs_blob_get_u32(rd);
        t->silence[i] = d == 0 ? -1 : base + (int64_t)d - 1;
    }
    t->timer_flags = vs_blob_get_u8(rd);
    t->lost_from = vs_blob_get_i64(rd);
    unsigned level = t->timer_flags & VS_RHY_LEVEL_MASK;
    unsigned level1 = (t->timer_flags >> VS_RHY_LEVEL1_SHIFT) & VS_RHY_LEVEL_MASK;
    vs_blob_require(rd, t->signal_since >= 0 && (t->timer_flags & ~VS_RHY_TIMER_BITS) == 0 &&
                            level <= 2 && level1 <= 2 && (level == 0 || t->silence[0] >= 0) &&
                            (level1 == 0 || t->silence[1] >= 0) &&
                            (t->silence[1] < 0 || t->silence[0] > t->silence[1]) &&
                            t->lost_from >= -1 &&
                            (!(t->timer_flags & (VS_RHY_LOST | VS_RHY_LOST_ALARM)) ||
                             t->lost_from >= 0));
}

/* Adapters for the shared size/save/load mechanics (state/module_state.h). */
static void write_payload(const void *obj, vs_blob_writer *w) { vs_rhythm_state_write(obj, w); }

static void read_payload(void *obj, vs_blob_reader *r, unsigned format_version)
{
    vs_rhythm_state_read(obj, r, format_version);
}

VS_API size_t vs_rhythm_state_size(const vs_rhythm *r)
{
    return r ? vs_module_state_size(VS_MODULE_RHYTHM, r->fs_hz, write_payload, r) : 0;
}

VS_API vs_status vs_rhythm_state_save(const vs_rhythm *r, uint8_t *buf, size_t capacity,
                                      size_t *written)
{
    if (written) *written = 0;
    if (!r || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_RHYTHM, r->fs_hz, write_payload, r,
                                buf, capacity, written);
}

VS_API vs_status vs_rhythm_state_load(vs_rhythm *r, const uint8_t *buf, size_t len)
{
    if (!r || !buf) return VS_E_NULL_ARG;
    struct vs_rhythm tmp; /* scratch copy on the stack */
    return vs_module_state_load(VS_MODULE_RHYTHM, r->fs_hz, read_payload, r,
                                &tmp, sizeof tmp, buf, len);
}
