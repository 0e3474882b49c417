/* hrv_window.c — rolling HRV window over a beat stream and its portable state
 * (VS_MODULE_HRV; payload layout in include/vitalstream/hrv.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hrv_impl.h"
#include "state/module_state.h"
#include "common/units.h"

#define WIN_DEFAULT_S 300.0
#define WIN_MIN_S 30.0
#define WIN_MAX_S 600.0

VS_API size_t vs_hrv_window_max_intervals(void) { return VS_HRV_WINDOW_MAX; }

static int64_t window_samples(const struct vs_hrv_window *w)
{
    return (int64_t)floor(w->window_s * w->fs_hz + 0.5);
}

static void pop_front(struct vs_hrv_window *w)
{
    w->sum_samples -= w->ring[w->head] & 0x7FFF;
    w->head = (w->head + 1) % VS_HRV_WINDOW_MAX;
    w->count--;
}

static void trim(struct vs_hrv_window *w)
{
    int64_t lim = window_samples(w);
    while (w->count > 0 && w->sum_samples > lim) pop_front(w);
}

/* Block layout: [align slack][struct][rr: VS_HRV_WINDOW_MAX doubles][batch workspace]. */
static size_t head_size(void) { return (sizeof(struct vs_hrv_window) + 15) / 16 * 16; }

VS_API size_t vs_hrv_window_workspace_size(double fs_hz)
{
    if (!vs_fs_in_range(fs_hz)) return 0;
    return 16 + head_size() + VS_HRV_WINDOW_MAX * sizeof(double) +
           vs_hrv_workspace_size(VS_HRV_WINDOW_MAX);
}

VS_API vs_status vs_hrv_window_init_static(vs_hrv_window **out, void *mem, size_t mem_size,
                                           double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    *out = NULL;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < vs_hrv_window_workspace_size(fs_hz)) return VS_E_NO_MEMORY;
    char *p = (char *)(((uintptr_t)mem + 15) / 16 * 16);
    struct vs_hrv_window *w = (struct vs_hrv_window *)p;
    memset(w, 0, sizeof *w);
    w->fs_hz = fs_hz;
    w->window_s = WIN_DEFAULT_S;
    w->rr = (double *)(p + head_size());
    w->ws = p + head_size() + VS_HRV_WINDOW_MAX * sizeof(double);
    w->base = mem;
    vs_hrv_window_reset(w);
    *out = w;
    return VS_OK;
}

VS_API vs_status vs_hrv_window_create(vs_hrv_window **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    size_t size = vs_hrv_window_workspace_size(fs_hz);
    if (size == 0) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(size);
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_hrv_window_init_static(out, mem, size, fs_hz);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_hrv_window_destroy(vs_hrv_window *w)
{
    if (w && w->owns_memory) free(w->base);
}

VS_API void vs_hrv_window_reset(vs_hrv_window *w)
{
    if (!w) return;
    w->last_r_idx = -1;
    w->last_normal = 0;
    w->head = w->count = 0;
    w->sum_samples = 0;
}

VS_API vs_status vs_hrv_window_param_bounds(vs_hrv_window_param p, double *min, double *max,
                                            double *dflt)
{
    if (p != VS_HRV_WINDOW_LENGTH_S) return VS_E_UNKNOWN_PARAM;
    if (min) *min = WIN_MIN_S;
    if (max) *max = WIN_MAX_S;
    if (dflt) *dflt = WIN_DEFAULT_S;
    return VS_OK;
}

VS_API vs_status vs_hrv_window_set_param(vs_hrv_window *w, vs_hrv_window_param p, double value)
{
    if (!w) return VS_E_NULL_ARG;
    if (p != VS_HRV_WINDOW_LENGTH_S) return VS_E_UNKNOWN_PARAM;
    if (!(value >= WIN_MIN_S && value <= WIN_MAX_S)) return VS_E_PARAM_OUT_OF_RANGE;
    w->window_s = value;
    trim(w);
    return VS_OK;
}

VS_API vs_status vs_hrv_window_get_param(const vs_hrv_window *w, vs_hrv_window_param p,
                                         double *value)
{
    if (!w || !value) return VS_E_NULL_ARG;
    if (p != VS_HRV_WINDOW_LENGTH_S) return VS_E_UNKNOWN_PARAM;
    *value = w->window_s;
    return VS_OK;
}

VS_API vs_status vs_hrv_window_push(vs_hrv_window *w, int64_t r_sample_idx, int is_normal)
{
    if (!w) return VS_E_NULL_ARG;
    if (r_sample_idx < 0 || r_sample_idx <= w->last_r_idx) return VS_E_INVALID_ARG;
    int normal = is_normal != 0;
    if (w->last_r_idx >= 0) {
        int64_t d = r_sample_idx - w->last_r_idx;
        if (d > (int64_t)VS_HRV_RR_MAX_SAMPLES) {
            w->head = w->count = 0; /* a gap: restart the window at this beat */
            w->sum_samples = 0;
        } else {
            if (w->count == VS_HRV_WINDOW_MAX) pop_front(w);
            uint16_t e = (uint16_t)d;
            if (!normal || !w->last_normal) e |= VS_HRV_FLAG_EXCLUDED;
            w->ring[(w->head + w->count) % VS_HRV_WINDOW_MAX] = e;
            w->count++;
            w->sum_samples += d;
            trim(w);
        }
    }
    w->last_r_idx = r_sample_idx;
    w->last_normal = (uint32_t)normal;
    return VS_OK;
}

VS_API size_t vs_hrv_window_count(const vs_hrv_window *w) { return w ? w->count : 0; }

VS_API vs_status vs_hrv_window_compute(const vs_hrv_window *w, const vs_hrv_options *opt,
                                       vs_hrv_result *out)
{
    if (!w || !out) return VS_E_NULL_ARG;
    vs_hrv_options dflt;
    if (!opt) {
        vs_hrv_default_options(&dflt);
        opt = &dflt;
    }
    vs_status st = vs_hrv_check_options(opt);
    if (st != VS_OK) return st;
    vs_hrv_scratch s;
    vs_hrv_scratch_init(&s, w->ws, VS_HRV_WINDOW_MAX);
    for (uint32_t i = 0; i < w->count; i++) {
        uint16_t e = w->ring[(w->head + i) % VS_HRV_WINDOW_MAX];
        w->rr[i] = (double)(e & 0x7FFF) * 1000.0 / w->fs_hz;
        s.iflag[i] = (uint8_t)((e & VS_HRV_FLAG_EXCLUDED) != 0);
    }
    return vs_hrv_core(w->rr, w->count, opt, &s, out);
}

/* ---- portable state ------------------------------------------------------------------------ */

void vs_hrv_window_state_write(const struct vs_hrv_window *w, vs_blob_writer *wr)
{
    vs_blob_f64(wr, w->window_s);
    vs_blob_i64(wr, w->last_r_idx);
    vs_blob_u8(wr, (uint8_t)w->last_normal);
    vs_blob_u16(wr, (uint16_t)w->count);
    for (uint32_t i = 0; i < w->count; i++)
        vs_blob_u16(wr, w->ring[(w->head + i) % VS_HRV_WINDOW_MAX]);
}

void vs_hrv_window_state_read(struct vs_hrv_window *t, vs_blob_reader *r)
{
    t->window_s = vs_blob_get_f64(r);
    vs_blob_require(r, t->window_s >= WIN_MIN_S && t->window_s <= WIN_MAX_S);
    t->last_r_idx = vs_blob_get_i64(r);
    t->last_normal = vs_blob_get_u8(r);
    uint16_t count = vs_blob_get_u16(r);
    vs_blob_require(r, t->last_r_idx >= -1 && t->last_normal <= 1 &&
                           count <= VS_HRV_WINDOW_MAX && (t->last_r_idx >= 0 || count == 0));
    if (r->error) return;
    t->head = 0;
    t->count = count;
    t->sum_samples = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint16_t e = vs_blob_get_u16(r);
        vs_blob_require(r, (e & 0x7FFF) > 0);
        t->ring[i] = e;
        t->sum_samples += e & 0x7FFF;
    }
    vs_blob_require(r, t->sum_samples <= window_samples(t) &&
                           (count == 0 || t->sum_samples <= t->last_r_idx));
}

/* Adapters for the shared size/save/load mechanics (state/module_state.h). */
static void write_payload(const void *obj, vs_blob_writer *w) { vs_hrv_window_state_write(obj, w); }

static void read_payload(void *obj, vs_blob_reader *r, unsigned format_version)
{
    (void)format_version;
    vs_hrv_window_state_read(obj, r);
}

VS_API size_t vs_hrv_window_state_size(const vs_hrv_window *w)
{
    return w ? vs_module_state_size(VS_MODULE_HRV, w->fs_hz, write_payload, w) : 0;
}

VS_API size_t vs_hrv_window_state_size_max(double fs_hz)
{
    (void)fs_hz; /* the cap is in intervals, whatever the rate */
    return VS_STATE_HEADER_SIZE + 8 + 8 + 1 + 2 + 2 * VS_HRV_WINDOW_MAX;
}

VS_API vs_status vs_hrv_window_state_save(const vs_hrv_window *w, uint8_t *buf, size_t capacity,
                                          size_t *written)
{
    if (written) *written = 0;
    if (!w || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_HRV, w->fs_hz, write_payload, w, buf, capacity, written);
}

VS_API vs_status vs_hrv_window_state_load(vs_hrv_window *w, const uint8_t *buf, size_t len)
{
    if (!w || !buf) return VS_E_NULL_ARG;
    struct vs_hrv_window tmp; /* scratch copy on the stack (about 1.3 KiB) */
    return vs_module_state_load(VS_MODULE_HRV, w->fs_hz, read_payload, w,
                                &tmp, sizeof tmp, buf, len);
}
