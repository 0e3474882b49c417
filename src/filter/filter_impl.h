/* filter_impl.h (private) — layouts of the filter objects, so composite objects (vs_qrs,
 * vs_monitor) can embed them by value and run them per sample without calls through handles.
 * Never installed. */
#ifndef VITALSTREAM_SRC_FILTER_IMPL_H
#define VITALSTREAM_SRC_FILTER_IMPL_H

#include <math.h>
#include "vitalstream/filter.h"
#include "../state/blob.h"

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

/* Signal part of the state only (coefficients are re-derived from parameters on load). */
void vs_iir_write_signal_state(const struct vs_iir *f, vs_blob_writer *w);
void vs_iir_read_signal_state(struct vs_iir *f, vs_blob_reader *r);

#endif
