/* mwi.c — moving-window integrator: mean of the last n inputs (n from window_ms and fs).
 *
 * The running sum is updated with one add and one subtract per sample and recomputed from the
 * ring, in ring order, each time the write position wraps (every n samples). Rounding error thus
 * never accumulates beyond one window, whatever the length of the recording, and the result is
 * a pure function of the input sequence (deterministic across platforms and chunkings). */
#include "filter_impl.h"
#include "common/units.h"

#include <stdlib.h>
#include <string.h>

size_t vs_mwi_window_samples(double fs_hz, double window_ms)
{
    if (!vs_fs_in_range(fs_hz)) return 0;
    if (!(window_ms > 0.0 && window_ms <= VS_MWI_MAX_WINDOW_MS)) return 0;
    double n = window_ms * fs_hz / 1000.0 + 0.5;
    size_t len = (size_t)n; /* n >= 0.5, < 10^4 + 1 */
    return len < 1 ? 1 : len;
}

void vs_mwi_resum(struct vs_mwi *m)
{
    double s = 0.0;
    for (uint32_t i = 0; i < m->len; i++) s += m->ring[i];
    m->sum = s;
}

void vs_mwi_clear(struct vs_mwi *m)
{
    m->pos = 0;
    m->sum = 0.0;
    m->hold = 0.0;
    for (uint32_t i = 0; i < m->len; i++) m->ring[i] = 0.0;
}

void vs_mwi_setup(struct vs_mwi *m, double *ring, size_t len)
{
    memset(m, 0, sizeof *m);
    m->len = (uint32_t)len;
    m->ring = ring;
    vs_mwi_clear(m);
}

static size_t header_size(void)
{
    size_t a = _Alignof(double);
    return (sizeof(struct vs_mwi) + a - 1) / a * a;
}

VS_API size_t vs_mwi_workspace_size(double fs_hz, double window_ms)
{
    size_t n = vs_mwi_window_samples(fs_hz, window_ms);
    if (n == 0) return 0;
    return header_size() + n * sizeof(double);
}

static vs_status check_args(double fs_hz, double window_ms)
{
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (!(window_ms > 0.0 && window_ms <= VS_MWI_MAX_WINDOW_MS)) return VS_E_INVALID_ARG;
    return VS_OK;
}

VS_API vs_status vs_mwi_init_static(vs_mwi **out, void *mem, size_t mem_size, double fs_hz,
                                    double window_ms)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    vs_status st = check_args(fs_hz, window_ms);
    if (st != VS_OK) return st;
    size_t need = vs_mwi_workspace_size(fs_hz, window_ms);
    if (mem_size < need) return VS_E_NO_MEMORY;
    if ((uintptr_t)mem % _Alignof(struct vs_mwi) != 0) return VS_E_INVALID_ARG;
    struct vs_mwi *m = (struct vs_mwi *)mem;
    vs_mwi_setup(m, (double *)((unsigned char *)mem + header_size()),
                 vs_mwi_window_samples(fs_hz, window_ms));
    *out = m;
    return VS_OK;
}

VS_API vs_status vs_mwi_create(vs_mwi **out, double fs_hz, double window_ms)
{
    if (!out) return VS_E_NULL_ARG;
    vs_status st = check_args(fs_hz, window_ms);
    if (st != VS_OK) return st;
    size_t need = vs_mwi_workspace_size(fs_hz, window_ms);
    void *mem = malloc(need);
    if (!mem) return VS_E_NO_MEMORY;
    st = vs_mwi_init_static(out, mem, need, fs_hz, window_ms);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_mwi_destroy(vs_mwi *m)
{
    if (m && m->owns_memory) free(m);
}

VS_API void vs_mwi_reset(vs_mwi *m)
{
    if (m) vs_mwi_clear(m);
}

VS_API vs_status vs_mwi_process(vs_mwi *m, const float *in, float *out, size_t n)
{
    if (!m) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!in || !out) return VS_E_NULL_ARG;
    for (size_t i = 0; i < n; i++) out[i] = (float)vs_mwi_step(m, (double)in[i]);
    return VS_OK;
}

void vs_mwi_write_signal_state(const struct vs_mwi *m, vs_blob_writer *w)
{
    vs_blob_u32(w, m->len);
    vs_blob_u32(w, m->pos);
    vs_blob_f64(w, m->sum);
    vs_blob_f64(w, m->hold);
    for (uint32_t i = 0; i < m->len; i++) vs_blob_f64(w, m->ring[i]);
}

void vs_mwi_read_signal_state(struct vs_mwi *m, vs_blob_reader *r)
{
    uint32_t len = vs_blob_get_u32(r);
    uint32_t pos = vs_blob_get_u32(r);
    vs_blob_require(r, len == m->len && pos < len);
    double sum = vs_blob_get_f64(r);
    double hold = vs_blob_get_f64(r);
    if (r->error) return;
    /* Validate the ring before touching the object: every value must be finite. */
    size_t start = r->pos;
    for (uint32_t i = 0; i < len; i++) (void)vs_blob_get_f64(r);
    if (r->error) return;
    r->pos = start;
    for (uint32_t i = 0; i < len; i++) m->ring[i] = vs_blob_get_f64(r);
    m->pos = pos;
    m->sum = sum;
    m->hold = hold;
}
