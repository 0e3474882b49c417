/* atrial.c — atrial-activity coherence (see atrial.h). */
#include <math.h>
#include <string.h>

#include "atrial.h"

void vs_atrial_clear(vs_atrial *a) { memset(a, 0, sizeof *a); }

double vs_atrial_coherence(const vs_atrial *a)
{
    if (a->count < VS_ATRIAL_MIN_BEATS || !(a->mean_pp > 0.0f)) return NAN;
    float lo = a->avg[0], hi = a->avg[0];
    for (int k = 1; k < VS_ATRIAL_BINS; k++) {
        if (a->avg[k] < lo) lo = a->avg[k];
        if (a->avg[k] > hi) hi = a->avg[k];
    }
    double c = (double)(hi - lo) / (double)a->mean_pp;
    return c > 1.0 ? 1.0 : c;
}

/* Bin means of the ring over [from, to); 0 if the span left the ring or has missing samples. */
static int pr_bins(const struct vs_classifier *c, int64_t from, int64_t to, float *bins)
{
    if (from < 0 || to > c->n || to - from < VS_ATRIAL_BINS ||
        c->n - from > (int64_t)c->ring_len)
        return 0;
    int64_t len = to - from;
    for (int k = 0; k < VS_ATRIAL_BINS; k++) {
        int64_t b0 = from + len * k / VS_ATRIAL_BINS, b1 = from + len * (k + 1) / VS_ATRIAL_BINS;
        int32_t sum = 0;
        for (int64_t i = b0; i < b1; i++) {
            int16_t v = c->ring[i % c->ring_len];
            if (v == VS_CLS_MISSING) return 0;
            sum += v;
        }
        bins[k] = (float)sum / (float)(b1 - b0);
    }
    return 1;
}

double vs_atrial_update(vs_atrial *a, const struct vs_classifier *c)
{
    if (!c->has_pending || !(c->pend_f.flags & VS_CLASSIFY_DOMINANT))
        return vs_atrial_coherence(a);
    int64_t r = c->pend_beat.sample_idx + c->pend_shift; /* lined up with the dominant beat */
    int64_t from = r - (int64_t)floor(0.250 * c->fs_hz + 0.5);
    int64_t to = r - (int64_t)floor(0.090 * c->fs_hz + 0.5);
    float w[VS_ATRIAL_BINS];
    if (!pr_bins(c, from, to, w)) return vs_atrial_coherence(a);
    float mean = 0.0f;
    for (int k = 0; k < VS_ATRIAL_BINS; k++) mean += w[k];
    mean /= (float)VS_ATRIAL_BINS;
    float lo = w[0] - mean, hi = lo;
    for (int k = 0; k < VS_ATRIAL_BINS; k++) {
        w[k] -= mean;
        if (w[k] < lo) lo = w[k];
        if (w[k] > hi) hi = w[k];
    }
    if (a->count == 0) {
        memcpy(a->avg, w, sizeof w);
        a->mean_pp = hi - lo;
    } else {
        /* running averages over about 8 beats: short enough to follow an AF onset */
        for (int k = 0; k < VS_ATRIAL_BINS; k++) a->avg[k] += (w[k] - a->avg[k]) * 0.125f;
        a->mean_pp += ((hi - lo) - a->mean_pp) * 0.125f;
    }
    if (a->count < 0xFFFFu) a->count++;
    return vs_atrial_coherence(a);
}

void vs_atrial_state_write(const vs_atrial *a, vs_blob_writer *w)
{
    for (int k = 0; k < VS_ATRIAL_BINS; k++) vs_blob_f32(w, a->avg[k]);
    vs_blob_f32(w, a->mean_pp);
    vs_blob_u16(w, (uint16_t)a->count);
}

void vs_atrial_state_read(vs_atrial *a, vs_blob_reader *r)
{
    for (int k = 0; k < VS_ATRIAL_BINS; k++) a->avg[k] = vs_blob_get_f32(r);
    a->mean_pp = vs_blob_get_f32(r);
    a->count = vs_blob_get_u16(r);
    vs_blob_require(r, a->mean_pp >= 0.0f);
}
