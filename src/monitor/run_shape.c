/* run_shape.c — is a ventricular run one shape? (see run_shape.h) */
#include <math.h>

#include "run_shape.h"

#define SHIFT_MS 20.0

/* 1 if ring samples [first, first + len) are all held and present. */
static int in_ring(const struct vs_classifier *c, int64_t first, int64_t len)
{
    if (first < 0 || first < c->n - (int64_t)c->ring_len || first + len > c->n) return 0;
    for (int64_t i = first; i < first + len; i++)
        if (c->ring[(uint64_t)i % c->ring_len] == VS_CLS_MISSING) return 0;
    return 1;
}

static double at(const struct vs_classifier *c, int64_t i)
{
    return (double)c->ring[(uint64_t)i % c->ring_len];
}

uint8_t vs_run_shape_match(const struct vs_classifier *c, int64_t r_prev, int64_t r_next)
{
    int64_t len = (int64_t)c->t_len, shift = (int64_t)floor(SHIFT_MS * 0.001 * c->fs_hz + 0.5);
    int64_t b0 = r_next - (int64_t)c->t_pre, a0 = r_prev - (int64_t)c->t_pre;
    if (r_prev >= r_next || !in_ring(c, b0, len) || !in_ring(c, a0 - shift, len + 2 * shift))
        return VS_RUN_SHAPE_UNKNOWN;
    double sy = 0.0, syy = 0.0;
    for (int64_t i = 0; i < len; i++) {
        double y = at(c, b0 + i);
        sy += y;
        syy += y * y;
    }
    double n = (double)len, vy = syy - sy * sy / n, best = -1.0;
    if (vy <= 1e-9) return VS_RUN_SHAPE_UNKNOWN;
    for (int64_t s = -shift; s <= shift; s++) {
        double sx = 0.0, sxx = 0.0, sxy = 0.0;
        for (int64_t i = 0; i < len; i++) {
            double x = at(c, a0 + s + i), y = at(c, b0 + i);
            sx += x;
            sxx += x * x;
            sxy += x * y;
        }
        double vx = sxx - sx * sx / n;
        if (vx <= 1e-9) continue;
        double r = (sxy - sx * sy / n) / sqrt(vx * vy);
        if (r > best) best = r;
    }
    if (best > 1.0) best = 1.0;
    return (uint8_t)(1 + lround((best + 1.0) * 127.0));
}

int vs_run_shape_differs(uint8_t match)
{
    /* the threshold in the same quantised units, so that the test is exact */
    return match != VS_RUN_SHAPE_UNKNOWN &&
           (long)match < 1 + lround((VS_RUN_SHAPE_MIN_CORR + 1.0) * 127.0);
}
