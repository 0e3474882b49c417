/* monitor_state.c — one portable blob for the whole pipeline (module VS_MODULE_MONITOR).
 *
 * Payload of the current format version (VS_STATE_FORMAT_VERSION, in the blob header), in this
 * order (LE):
 *   u8 finished, i64 n (samples consumed)
 *   then each child's own payload, exactly as its own state blob of the same format version
 *   carries it, in the order vs_qrs, vs_classifier, vs_quality, vs_rhythm, vs_hrv_window; then
 *   the atrial-coherence tracker (atrial.c: f32 avg[16], f32 mean_pp, u16 count; blobs of
 *   format version 3 and later also f32 p_level, u16 p_count, f32 pend_spread, i64 pend_r,
 *   f32 wave_size); blobs of format version 5 and later then u8 pend_shape (run_shape.h: the
 *   shape match of the beat the classifier holds back; 0 = unknown when loading older blobs).
 * Loading backs every child up first and puts the backups back unless the whole blob was valid,
 * so a failed load leaves the monitor exactly as it was. */
#include <string.h>

#include "monitor_impl.h"
#include "state/module_state.h"
#include "qrs/qrs_impl.h"
#include "classify/classify_impl.h"
#include "quality/quality_impl.h"
#include "rhythm/rhythm_impl.h"
#include "hrv/hrv_impl.h"

/* The payload writer for the shared mechanics (state/module_state.h); the load below is the
 * monitor's own, because it commits several children at once. */
static void write_all(const void *obj, vs_blob_writer *w)
{
    const struct vs_monitor *m = obj;
    vs_blob_u8(w, (uint8_t)m->finished);
    vs_blob_i64(w, m->n);
    vs_qrs_state_write(m->qrs, w);
    vs_classifier_state_write(m->cls, w);
    vs_quality_state_write(m->qual, w);
    vs_rhythm_state_write(m->rhy, w);
    vs_hrv_window_state_write(m->hrv, w);
    vs_atrial_state_write(&m->atrial, w);
    vs_blob_u8(w, m->pend_shape);
}

VS_API size_t vs_monitor_state_size(const vs_monitor *m)
{
    return m ? vs_module_state_size(VS_MODULE_MONITOR, m->fs_hz, write_all, m) : 0;
}

VS_API vs_status vs_monitor_state_save(const vs_monitor *m, uint8_t *buf, size_t capacity,
                                       size_t *written)
{
    if (written) *written = 0;
    if (!m || !buf) return VS_E_NULL_ARG;
    return vs_module_state_save(VS_MODULE_MONITOR, m->fs_hz, write_all, m, buf, capacity, written);
}

/* A copy of the children: plain structs (their arrays are inline), so a copy is a memcpy. It
 * lives in the monitor's own block (monitor_memory.c). */
typedef struct scratch {
    struct vs_qrs qrs;
    struct vs_classifier cls;
    struct vs_quality qual;
    struct vs_rhythm rhy;
    struct vs_hrv_window hrv;
} scratch;

size_t vs_monitor_load_scratch_size(void) { return sizeof(scratch); }

/* The children are read in place after a backup copy, which is put back when the blob turns out
 * invalid: one copy of ~10 KB per load instead of two (read into a copy, then commit it). */
VS_API vs_status vs_monitor_state_load(vs_monitor *m, const uint8_t *buf, size_t len)
{
    if (!m || !buf) return VS_E_NULL_ARG;
    vs_blob_reader r;
    uint16_t version = 0;
    vs_status st = vs_blob_open(&r, buf, len, VS_MODULE_MONITOR, m->fs_hz, &version);
    if (st != VS_OK) return st;
    scratch *backup = m->load_scratch;
    backup->qrs = *m->qrs;
    backup->cls = *m->cls;
    backup->qual = *m->qual;
    backup->rhy = *m->rhy;
    backup->hrv = *m->hrv;
    uint8_t finished = vs_blob_get_u8(&r);
    int64_t n = vs_blob_get_i64(&r);
    vs_blob_require(&r, finished <= 1 && n >= 0);
    vs_qrs_state_read(m->qrs, &r, version);
    if (!r.error) vs_classifier_state_read(m->cls, &r);
    if (!r.error) vs_quality_state_read(m->qual, &r);
    if (!r.error) vs_rhythm_state_read(m->rhy, &r, version);
    if (!r.error) vs_hrv_window_state_read(m->hrv, &r);
    vs_atrial atrial;
    if (!r.error) vs_atrial_state_read(&atrial, &r, version);
    uint8_t pend_shape = version >= 5 ? vs_blob_get_u8(&r) : 0; /* 0: unknown (run_shape.h) */
    /* The children count samples/beats on their own; they must agree with the monitor. */
    vs_blob_require(&r, m->qrs->n == n);
    st = vs_blob_close(&r);
    if (st == VS_OK) {
        m->atrial = atrial;
        m->pend_shape = pend_shape;
        m->finished = finished;
        m->n = n;
    } else {
        *m->qrs = backup->qrs;
        *m->cls = backup->cls;
        *m->qual = backup->qual;
        *m->rhy = backup->rhy;
        *m->hrv = backup->hrv;
    }
    return st;
}

/* Payload sizes depend only on fs and on a few fill counts (QRS learning candidates, classifier
 * templates, rhythm histories, HRV intervals): measure a scratch copy with the counts at their
 * maxima (a classifier beat waiting for its post-RR included; the QRS detector re-learns after
 * artefacts at any time, so a full learning buffer too). test_monitor checks that no real
 * stream exceeds it. */
VS_API size_t vs_monitor_state_size_max(double fs_hz)
{
    vs_monitor *m = NULL;
    if (vs_monitor_create(&m, fs_hz) != VS_OK) return 0;
    scratch *t = m->load_scratch;
    t->qrs = *m->qrs;
    t->qrs.learning = 1;
    t->qrs.n_learn = VS_QRS_LEARN_MAX;
    t->cls = *m->cls;
    t->cls.has_tmpl[0] = t->cls.has_tmpl[1] = 1;
    t->cls.has_pending = 1;
    t->qual = *m->qual;
    t->rhy = *m->rhy;
    t->rhy.rr_count = VS_RHY_RR_RING;
    t->rhy.beat_count = VS_RHY_BEAT_RING;
    t->rhy.n_votes = VS_RHY_VOTE_RING;
    t->hrv = *m->hrv;
    t->hrv.count = VS_HRV_WINDOW_MAX;
    m->qrs = &t->qrs;
    m->cls = &t->cls;
    m->qual = &t->qual;
    m->rhy = &t->rhy;
    m->hrv = &t->hrv;
    size_t n = vs_monitor_state_size(m);
    vs_monitor_destroy(m); /* one block: the children point into it, nothing else to free */
    return n;
}
