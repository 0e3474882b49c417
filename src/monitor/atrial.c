/* atrial.c — atrial-activity coherence (see atrial.h). */
#include <math.h>
#include <string.h>

#include "atrial.h"
#include "common/units.h"

void vs_atrial_clear(vs_atrial *a)
{
    memset(a, 0, sizeof *a);
    a->pend_spread = -1.0f;
    a->pend_r = -1;
}

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

/* The PR window: R - 250 ms .. R - 90 ms, at most this many samples (at VS_FS_MAX_HZ, 1000 Hz,
 * with a sample for each rounding). */
#define PR_FROM_MS 250.0
#define PR_TO_MS 90.0
#define PR_MAX_SAMPLES 162

/* Bin means of the classifier's signal over [from, to); 0 if the span left the ring or has
 * missing samples. */
static int pr_bins(const vs_classifier *c, int64_t from, int64_t to, float *bins)
{
    int16_t x[PR_MAX_SAMPLES];
    if (to - from < VS_ATRIAL_BINS || to - from > PR_MAX_SAMPLES ||
        vs_classifier_signal(c, from, (size_t)(to - from), x) != VS_OK)
        return 0;
    int64_t len = to - from;
    for (int k = 0; k < VS_ATRIAL_BINS; k++) {
        int64_t b0 = len * k / VS_ATRIAL_BINS, b1 = len * (k + 1) / VS_ATRIAL_BINS;
        int32_t sum = 0;
        for (int64_t i = b0; i < b1; i++) {
            if (x[i] == VS_CLASSIFY_SIGNAL_MISSING) return 0;
            sum += x[i];
        }
        bins[k] = (float)sum / (float)(b1 - b0);
    }
    return 1;
}

int vs_atrial_large_waves(const vs_atrial *a)
{
    return a->p_count >= VS_ATRIAL_P_MIN_BEATS && a->wave_size >= VS_ATRIAL_LARGE_WAVES;
}

/* Upper-quartile tracker: three relative steps up for one down. */
static void track_p_level(vs_atrial *a, float spread)
{
    if (!(a->p_level > 0.0f)) a->p_level = spread;
    else if (spread > a->p_level) a->p_level *= 1.0f + 3.0f * VS_ATRIAL_P_STEP;
    else if (spread < a->p_level) a->p_level *= 1.0f - VS_ATRIAL_P_STEP;
    if (a->p_count < 0xFFFFu) a->p_count++;
}

double vs_atrial_update(vs_atrial *a, const vs_classifier *c)
{
    vs_beat beat;
    vs_beat_features f;
    int32_t align = 0;
    if (!vs_classifier_pending(c, &beat, &f, &align)) return vs_atrial_coherence(a);
    a->pend_r = beat.sample_idx;
    a->pend_spread = -1.0f;
    if (!(f.flags & VS_CLASSIFY_DOMINANT)) return vs_atrial_coherence(a);
    int64_t r = beat.sample_idx + align; /* lined up with the dominant beat */
    double fs_hz = vs_classifier_fs_hz(c);
    int64_t from = r - vs_ms_to_samples(PR_FROM_MS, fs_hz);
    int64_t to = r - vs_ms_to_samples(PR_TO_MS, fs_hz);
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
    /* P-wave presence on pairs of bins (about 20 ms at any rate): a P wave lasts 80-120 ms
     * and keeps its height, while the sample noise that the single bins still carry averages
     * down. */
    float plo = 1e30f, phi = -1e30f;
    for (int k = 0; k + 1 < VS_ATRIAL_BINS; k += 2) {
        float v = 0.5f * (w[k] + w[k + 1]);
        if (v < plo) plo = v;
        if (v > phi) phi = v;
    }
    a->pend_spread = phi - plo;
    track_p_level(a, phi - plo);
    float amp_uv = 1000.0f * beat.amplitude_mv;
    if (amp_uv > 0.0f) {
        float ratio = a->pend_spread / amp_uv;
        if (ratio > 1.0f) ratio = 1.0f;
        a->wave_size += (ratio - a->wave_size) / (float)VS_ATRIAL_WAVE_BEATS;
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
    vs_blob_f32(w, a->p_level);
    vs_blob_u16(w, (uint16_t)a->p_count);
    vs_blob_f32(w, a->pend_spread);
    vs_blob_i64(w, a->pend_r);
    vs_blob_f32(w, a->wave_size);
}

void vs_atrial_state_read(vs_atrial *a, vs_blob_reader *r, unsigned version)
{
    vs_atrial_clear(a);
    for (int k = 0; k < VS_ATRIAL_BINS; k++) a->avg[k] = vs_blob_get_f32(r);
    a->mean_pp = vs_blob_get_f32(r);
    a->count = vs_blob_get_u16(r);
    vs_blob_require(r, a->mean_pp >= 0.0f);
    if (version < 3) return; /* the P-wave level starts afresh */
    a->p_level = vs_blob_get_f32(r);
    a->p_count = vs_blob_get_u16(r);
    a->pend_spread = vs_blob_get_f32(r);
    a->pend_r = vs_blob_get_i64(r);
    a->wave_size = vs_blob_get_f32(r);
    vs_blob_require(r, isfinite(a->p_level) && a->p_level >= 0.0f && isfinite(a->pend_spread) &&
                           a->pend_r >= -1 && a->wave_size >= 0.0f && a->wave_size <= 1.0f);
}
