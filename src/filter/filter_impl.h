/* filter_impl.h (private) — layouts of the filter objects, so composite objects (vs_qrs,
 * vs_monitor) can embed them by value and run them per sample without calls through handles.
 * Never installed.
 *
 * Embedding contract (all helpers below are private, hidden, and never validate arguments; the
 * caller validates once at its own create/init time):
 *  - vs_iir:   vs_iir_setup(f, sections, n)  with 1 <= n <= VS_IIR_MAX_SECTIONS and sections
 *              from vs_butterworth_design / vs_notch_design (or checked by vs_biquad_is_stable);
 *              clears the signal state and sets owns_memory = 0. vs_iir_clear(f) = reset.
 *              vs_iir_step(f, x) runs one sample (non-finite x replays the last finite input).
 *  - vs_deriv: vs_deriv_setup(d, fs_hz) with fs_hz already range-checked; vs_deriv_clear;
 *              vs_deriv_step(d, x) = fs/8 (2x[n] + x[n-1] - x[n-3] - 2x[n-4]), history starts
 *              at 0, group delay 2 samples.
 *  - vs_mwi:   n = vs_mwi_window_samples(fs_hz, window_ms) (0 means invalid arguments);
 *              the composite provides n doubles of ring memory and calls
 *              vs_mwi_setup(m, ring, n); vs_mwi_clear; vs_mwi_step(m, x) returns the mean of the
 *              last n inputs (inputs before the start count as 0, so it ramps up over n samples).
 *              The running sum is recomputed from the ring (in ring order) every n samples, so it
 *              cannot drift and is deterministic. NOTE: struct vs_mwi holds a pointer to its ring;
 *              a composite that copies itself (e.g. to load state atomically) must re-point
 *              m->ring after the copy, or copy only the scalars.
 *  - Signal state of embedded objects for a composite blob: vs_*_write_signal_state writes only
 *    the signal part (parameters are re-derived by the composite); vs_*_read_signal_state reads
 *    it and modifies the object ONLY if every field read fine (r->error unset afterwards);
 *    on error the object is untouched and r->error is set, so vs_blob_close reports CORRUPT.
 *      iir:   f64 hold, then f64 z[s][0], z[s][1] for each section.
 *      deriv: f64 hold, f64 x[0..3]   (x[0] newest).
 *      mwi:   u32 n (must equal the object's, else error), u32 pos (< n), f64 sum, f64 hold,
 *             f64 ring[0..n-1].
 */
#ifndef VITALSTREAM_SRC_FILTER_IMPL_H
#define VITALSTREAM_SRC_FILTER_IMPL_H

#include <math.h>
#include "vitalstream/filter.h"
#include "../state/blob.h"
#include "../common/simd.h"

struct vs_iir {
    uint32_t n_sections;
    uint32_t owns_memory;  /* 1 when made by vs_iir_create */
    double hold;           /* last finite input, replayed for missing samples */
    vs_biquad_coeffs c[VS_IIR_MAX_SECTIONS];
    double z[VS_IIR_MAX_SECTIONS][2]; /* transposed direct form II delay elements */
};

/* Set up an embedded cascade (n_sections <= VS_IIR_MAX_SECTIONS, already validated). */
void vs_iir_setup(struct vs_iir *f, const vs_biquad_coeffs *sections, size_t n_sections);
void vs_iir_clear(struct vs_iir *f);
/* Sets the delay elements to the steady state of a constant input x (and hold = x), so the
 * cascade starts as if x had always been its input: no start-up step response. */
void vs_iir_prime(struct vs_iir *f, double x);

#ifdef VS_SIMD
/* Sections lo and hi as the lanes of one f64x2 biquad (common/simd.h: f64x2_biquad_step). */
static inline f64x2_biquad vs_biquad_pair(const vs_biquad_coeffs *lo, const vs_biquad_coeffs *hi)
{
    f64x2_biquad p = {f64x2_make(lo->b0, hi->b0), f64x2_make(lo->b1, hi->b1),
                      f64x2_make(lo->b2, hi->b2), f64x2_make(lo->a1, hi->a1),
                      f64x2_make(lo->a2, hi->a2)};
    return p;
}
#endif

/* 1 when all coefficients are finite and the poles lie strictly inside the unit circle. */
int vs_biquad_is_stable(const vs_biquad_coeffs *c);

/* One sample through the cascade. */
static inline double vs_iir_step(struct vs_iir *f, double x)
{
    if (!isfinite(x)) x = f->hold; else f->hold = x;
    for (uint32_t s = 0; s < f->n_sections; s++) {
        const vs_biquad_coeffs *c = &f->c[s];
        double *z = f->z[s];
        double y = c->b0 * x + z[0];
        z[0] = c->b1 * x - c->a1 * y + z[1];
        z[1] = c->b2 * x - c->a2 * y;
        x = y;
    }
    return x;
}

/* n samples of finite input through the cascade, output rounded to float: the same operations
 * in the same order as n calls of vs_iir_step, in one loop with the delay elements in registers.
 * The caller has replaced missing samples (f->hold is left to the caller). */
void vs_iir_run_finite(struct vs_iir *f, const double *x, float *y, size_t n);

/* Signal part of the state only (coefficients are re-derived from parameters on load). */
void vs_iir_write_signal_state(const struct vs_iir *f, vs_blob_writer *w);
void vs_iir_read_signal_state(struct vs_iir *f, vs_blob_reader *r);

/* ---- five-point derivative ---- */
struct vs_deriv {
    double scale;      /* fs / 8 */
    double hold;       /* last finite input */
    double x[4];       /* x[n-1], x[n-2], x[n-3], x[n-4] */
    uint32_t owns_memory;
    uint32_t reserved;
};

void vs_deriv_setup(struct vs_deriv *d, double fs_hz);
void vs_deriv_clear(struct vs_deriv *d);

static inline double vs_deriv_step(struct vs_deriv *d, double x)
{
    if (!isfinite(x)) x = d->hold; else d->hold = x;
    double y = d->scale * ((2.0 * x + d->x[0]) - (d->x[2] + 2.0 * d->x[3]));
    d->x[3] = d->x[2];
    d->x[2] = d->x[1];
    d->x[1] = d->x[0];
    d->x[0] = x;
    return y;
}

/* ---- moving-window integrator ---- */
#define VS_MWI_MAX_WINDOW_MS 10000.0

struct vs_mwi {
    uint32_t len;      /* window in samples, >= 1 */
    uint32_t pos;      /* next ring slot to overwrite */
    uint32_t owns_memory;
    uint32_t reserved;
    double sum;        /* sum of ring[] (exactly re-summed every len samples) */
    double hold;       /* last finite input */
    double *ring;      /* len doubles */
};

/* Window length in samples: round(window_ms * fs_hz / 1000), at least 1; 0 when fs_hz is outside
 * [VS_FS_MIN_HZ, VS_FS_MAX_HZ] or window_ms outside (0, VS_MWI_MAX_WINDOW_MS]. */
size_t vs_mwi_window_samples(double fs_hz, double window_ms);
void vs_mwi_setup(struct vs_mwi *m, double *ring, size_t len);
void vs_mwi_clear(struct vs_mwi *m);
void vs_mwi_resum(struct vs_mwi *m); /* sum = ring[0] + ... + ring[len-1], in that order */

static inline double vs_mwi_step(struct vs_mwi *m, double x)
{
    if (!isfinite(x)) x = m->hold; else m->hold = x;
    double old = m->ring[m->pos];
    m->ring[m->pos] = x;
    m->sum = (m->sum + x) - old;
    if (++m->pos == m->len) {
        m->pos = 0;
        vs_mwi_resum(m);
    }
    return m->sum / (double)m->len;
}

void vs_mwi_write_signal_state(const struct vs_mwi *m, vs_blob_writer *w);
void vs_mwi_read_signal_state(struct vs_mwi *m, vs_blob_reader *r);

#endif
