/* classify_view.c — read-only views of what vs_classifier holds (classify.h): its conditioned
 * signal ring and the beat it holds back. Stages built on the classifier (vs_monitor's atrial
 * coherence, run shape and timer) read these instead of the object's layout. */
#include <string.h>

#include "classify_impl.h"

_Static_assert(VS_CLS_MISSING == VS_CLASSIFY_SIGNAL_MISSING, "one marker for missing samples");

VS_API vs_status vs_classifier_signal(const vs_classifier *c, int64_t first, size_t n,
                                      int16_t *out)
{
    if (!c || (n > 0 && !out)) return VS_E_NULL_ARG;
    /* held: [c->n - ring_len, c->n) within [0, c->n) */
    if (first < 0 || n > c->ring_len || first > c->n - (int64_t)n ||
        c->n - first > (int64_t)c->ring_len)
        return VS_E_INSUFFICIENT_DATA;
    if (n == 0) return VS_OK;
    uint32_t k = (uint32_t)((uint64_t)first % c->ring_len);
    size_t head = c->ring_len - k < n ? c->ring_len - k : n; /* up to the ring's end */
    memcpy(out, c->ring + k, head * sizeof *out);
    memcpy(out + head, c->ring, (n - head) * sizeof *out);
    return VS_OK;
}

VS_API int vs_classifier_pending(const vs_classifier *c, vs_beat *beat,
                                 vs_beat_features *features, int32_t *align_samples)
{
    if (!c || !c->has_pending) return 0;
    if (beat) {
        *beat = c->pend_beat;
        beat->flags &= ~VS_CLS_BEAT_MATCHED;
    }
    if (features) *features = c->pend_f;
    if (align_samples) *align_samples = c->pend_shift;
    return 1;
}
