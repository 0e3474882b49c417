/* iir.c — vs_iir: a cascade of biquads in transposed direct form II with double state.
 *
 * State blob (module VS_MODULE_IIR, header fs_hz = 0.0 because the object has no sampling
 * rate), payload in this order, all little-endian:
 *   u32  n_sections                       (parameter: must equal the loading object's)
 *   f64  b0 b1 b2 a1 a2   x n_sections    (parameters: must equal bit for bit)
 *   f64  hold                             (signal state, written by vs_iir_write_signal_state)
 *   f64  z[s][0] z[s][1]  x n_sections
 * Parameters that differ give VS_E_STATE_MISMATCH; a section count outside 1..8, non-finite or
 * extra/missing bytes give VS_E_STATE_CORRUPT. */
#include "filter_impl.h"
#include "state/module_state.h"

#include <stdlib.h>
#include <string.h>

VS_API size_t vs_iir_max_sections(void) { return VS_IIR_MAX_SECTIONS; }

VS_API size_t vs_iir_workspace_size(void) { return sizeof(struct vs_iir); }

void vs_iir_clear(struct vs_iir *f)
{
    f->hold = 0.0;
    memset(f->z, 0, sizeof f->z);
}

void vs_iir_setup(struct vs_iir *f, const vs_biquad_coeffs *sections, size_t n_sections)
{
    memset(f, 0, sizeof *f);
    f->n_sections = (uint32_t)n_sections;
    for (size_t i = 0; i < n_sections; i++) f->c[i] = sections[i];
}

static vs_status check_sections(const vs_biquad_coeffs *sections, size_t n_sections)
{
    if (!sections) return VS_E_NULL_ARG;
    if (n_sections < 1 || n_sections > VS_IIR_MAX_SECTIONS) return VS_E_INVALID_ARG;
    for (size_t i = 0; i < n_sections; i++) {
        const vs_biquad_coeffs *c = &sections[i];
        if (!isfinite(c->b0) || !isfinite(c->b1) || !isfinite(c->b2) || !isfinite(c->a1) ||
            !isfinite(c->a2))
            return VS_E_INVALID_ARG;
        if (!vs_biquad_is_stable(c)) return VS_E_UNSTABLE_FILTER;
    }
    return VS_OK;
}

VS_API vs_status vs_iir_init_static(vs_iir **out, void *mem, size_t mem_size,
                                    const vs_biquad_coeffs *sections, size_t n_sections)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    vs_status st = check_sections(sections, n_sections);
    if (st != VS_OK) return st;
    if (mem_size < sizeof(struct vs_iir)) return VS_E_NO_MEMORY;
    if ((uintptr_t)mem % _Alignof(struct vs_iir) != 0) return VS_E_INVALID_ARG;
    struct vs_iir *f = (struct vs_iir *)mem;
    vs_iir_setup(f, sections, n_sections);
    *out = f;
    return VS_OK;
}

VS_API vs_status vs_iir_create(vs_iir **out, const vs_biquad_coeffs *sections, size_t n_sections)
{
    if (!out) return VS_E_NULL_ARG;
    vs_status st = check_sections(sections, n_sections);
    if (st != VS_OK) return st;
    void *mem = malloc(sizeof(struct vs_iir));
    if (!mem) return VS_E_NO_MEMORY;
    st = vs_iir_init_static(out, mem, sizeof(struct vs_iir), sections, n_sections);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_iir_destroy(vs_iir *f)
{
    if (f && f->owns_memory) free(f);
}

VS_API void vs_iir_reset(vs_iir *f)
{
    if (f) vs_iir_clear(f);
}

/* The Butterworth band-passes of the detectors have two sections: a loop of its own keeps both
 * sections' delay elements in registers. Per section the operations are those of vs_iir_step. */
static void run_two_sections(struct vs_iir *f, const double *x, float *y, size_t n)
{
    const double b00 = f->c[0].b0, b01 = f->c[0].b1, b02 = f->c[0].b2, a01 = f->c[0].a1,
                 a02 = f->c[0].a2;
    const double b10 = f->c[1].b0, b11 = f->c[1].b1, b12 = f->c[1].b2, a11 = f->c[1].a1,
                 a12 = f->c[1].a2;
    double z00 = f->z[0][0], z01 = f->z[0][1], z10 = f->z[1][0], z11 = f->z[1][1];
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        double u = b00 * v + z00;
        z00 = b01 * v - a01 * u + z01;
        z01 = b02 * v - a02 * u;
        double w = b10 * u + z10;
        z10 = b11 * u - a11 * w + z11;
        z11 = b12 * u - a12 * w;
        y[i] = (float)w;
    }
    f->z[0][0] = z00;
    f->z[0][1] = z01;
    f->z[1][0] = z10;
    f->z[1][1] = z11;
}

void vs_iir_run_finite(struct vs_iir *f, const double *x, float *y, size_t n)
{
    if (f->n_sections == 2) {
        run_two_sections(f, x, y, n);
        return;
    }
    for (size_t i = 0; i < n; i++) y[i] = (float)vs_iir_step(f, x[i]);
}

/* Block size of vs_iir_process: the input is conditioned (missing samples replaced) a block at a
 * time, then run through the cascade in one loop. */
#define VS_IIR_BLOCK 256

VS_API vs_status vs_iir_process(vs_iir *f, const float *in, float *out, size_t n)
{
    if (!f) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!in || !out) return VS_E_NULL_ARG;
    double xd[VS_IIR_BLOCK];
    for (size_t off = 0; off < n; off += VS_IIR_BLOCK) {
        size_t len = n - off < VS_IIR_BLOCK ? n - off : VS_IIR_BLOCK;
        double hold = f->hold;
        for (size_t i = 0; i < len; i++) {
            double v = (double)in[off + i];
            if (isfinite(v)) hold = v; else v = hold;
            xd[i] = v;
        }
        f->hold = hold;
        vs_iir_run_finite(f, xd, out + off, len);
    }
    return VS_OK;
}

/* ---- state ---- */

void vs_iir_write_signal_state(const struct vs_iir *f, vs_blob_writer *w)
{
    vs_blob_f64(w, f->hold);
    for (uint32_t s = 0; s < f->n_sections; s++) {
        vs_blob_f64(w, f->z[s][0]);
        vs_blob_f64(w, f->z[s][1]);
    }
}

void vs_iir_read_signal_state(struct vs_iir *f, vs_blob_reader *r)
{
    double hold = vs_blob_get_f64(r);
    double z[VS_IIR_MAX_SECTIONS][2];
    for (uint32_t s = 0; s < f->n_sections; s++) {
        z[s][0] = vs_blob_get_f64(r);
        z[s][1] = vs_blob_get_f64(r);
    }
    if (r->error) return; /* f untouched */
    f->hold = hold;
    for (uint32_t s = 0; s < f->n_sections; s++) {
        f->z[s][0] = z[s][0];
        f->z[s][1] = z[s][1];
    }
}

/* Payload writer for the shared size/save mechanics (state/module_state.h). The load below is
 * iir's own: it compares the stored coefficients before it touches any state. */
static void write_payload(const void *obj, vs_blob_writer *w)
{
    const struct vs_iir *f = obj;
    vs_blob_u32(w, f->n_sections);
    for (uint32_t s = 0; s < f->n_sections; s++) {
        vs_blob_f64(w, f->c[s].b0);
        vs_blob_f64(w, f->c[s].b1);
        vs_blob_f64(w, f->c[s].b2);
        vs_blob_f64(w, f->c[s].a1);
        vs_blob_f64(w, f->c[s].a2);
    }
    vs_iir_write_signal_state(f, w);
}

VS_API size_t vs_iir_state_size(const vs_iir *f)
{
    return f ? vs_module_state_size(VS_MODULE_IIR, 0.0, write_payload, f) : 0;
}

VS_API vs_status vs_iir_state_save(const vs_iir *f, uint8_t *buf, size_t capacity, size_t *written)
{
    if (!f || !buf || !written) return VS_E_NULL_ARG;
    size_t need = vs_iir_state_size(f);
    if (capacity < need) {
        *written = need;
        return VS_E_BUFFER_TOO_SMALL;
    }
    return vs_module_state_save(VS_MODULE_IIR, 0.0, write_payload, f, buf, capacity, written);
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

VS_API vs_status vs_iir_state_load(vs_iir *f, const uint8_t *buf, size_t len)
{
    if (!f || !buf) return VS_E_NULL_ARG;
    vs_blob_reader r;
    vs_status st = vs_blob_open(&r, buf, len, VS_MODULE_IIR, 0.0, NULL);
    if (st != VS_OK) return st;
    uint32_t n = vs_blob_get_u32(&r);
    if (r.error || n < 1 || n > VS_IIR_MAX_SECTIONS) return VS_E_STATE_CORRUPT;
    int mismatch = (n != f->n_sections);
    for (uint32_t s = 0; s < n; s++) {
        double v[5];
        for (int k = 0; k < 5; k++) v[k] = vs_blob_get_f64(&r);
        if (r.error) return VS_E_STATE_CORRUPT;
        if (!mismatch) {
            const vs_biquad_coeffs *c = &f->c[s];
            mismatch = !same_bits(v[0], c->b0) || !same_bits(v[1], c->b1) ||
                       !same_bits(v[2], c->b2) || !same_bits(v[3], c->a1) ||
                       !same_bits(v[4], c->a2);
        }
    }
    if (mismatch) return VS_E_STATE_MISMATCH;
    struct vs_iir tmp = *f;
    vs_iir_read_signal_state(&tmp, &r);
    st = vs_blob_close(&r);
    if (st != VS_OK) return st;
    *f = tmp;
    return VS_OK;
}

void vs_iir_prime(struct vs_iir *f, double x)
{
    f->hold = x;
    for (uint32_t s = 0; s < f->n_sections; s++) {
        const vs_biquad_coeffs *c = &f->c[s];
        double y = x * (c->b0 + c->b1 + c->b2) / (1.0 + c->a1 + c->a2); /* DC gain */
        f->z[s][1] = c->b2 * x - c->a2 * y;
        f->z[s][0] = c->b1 * x - c->a1 * y + f->z[s][1];
        x = y;
    }
}
