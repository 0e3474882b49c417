/* qrs.c — life cycle, parameters and the process call of vs_qrs (logic in qrs_detect.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qrs_impl.h"
#include "common/detmath.h"
#include "common/param_table.h"
#include "common/units.h"

/* QRS energy band of the detection filter. */
#define QRS_BAND_LOW_HZ 5.0
#define QRS_BAND_HIGH_HZ 18.0
#define QRS_BAND_ORDER 2
#define QRS_MWI_MS 150.0
#define QRS_LEARN_S 2.0
/* Artefact handling (qrs_detect.c). Clean MIT-BIH has no run of identical samples longer than
 * 28 ms outside one 0.74 s dropout of record 116; 1.5 s of an exact constant is lead-off. */
#define QRS_FLAT_MS 1500.0
#define QRS_ARTEFACT_HOLD_S 0.5   /* band-pass and integrator settle after the last evidence */
#define QRS_RELEARN_S 2.0         /* no beat this long: re-learn (kept levels if they see the QRS) */
#define QRS_AMP_SEGMENT_S 2.0     /* holds a QRS down to 30 bpm */
/* The R mark sits this long before the band-pass maximum shifted back by the filter's group
 * delay: 2 samples at 360 Hz, where it was set and where the classifier's windows were trained.
 * A time, so that the mark falls on the same point of the QRS at every rate; as "2 samples" it
 * moved the mark 8 ms earlier at 128 Hz (11 ms at 100 Hz, 1 ms at 250 Hz, 4 ms later at 1000 Hz)
 * and every window placed from it (beat shape, P wave, atrial activity) with it. */
#define QRS_MARK_LEAD_S (2.0 / 360.0)

static const vs_param_row k_params[] = {
    VS_PARAM_ROW(VS_QRS_REFRACTORY_MS, 120.0, 400.0, 200.0, struct vs_qrs, refractory_ms),
    VS_PARAM_ROW(VS_QRS_SEARCHBACK_RR, 1.2, 3.0, 1.66, struct vs_qrs, searchback_rr),
    VS_PARAM_ROW(VS_QRS_TWAVE_WINDOW_MS, 200.0, 500.0, 360.0, struct vs_qrs, twave_ms),
    VS_PARAM_ROW(VS_QRS_MIN_AMPLITUDE_MV, 0.0, 1.0, 0.05, struct vs_qrs, min_amplitude_mv),
};
static const vs_param_table k_table = VS_PARAM_TABLE(k_params);

VS_API size_t vs_beat_struct_size(void) { return sizeof(vs_beat); }
_Static_assert(sizeof(vs_beat) == 32, "vs_beat layout is part of the ABI");

VS_API size_t vs_qrs_workspace_size(double fs_hz)
{
    return vs_fs_in_range(fs_hz) ? sizeof(struct vs_qrs) : 0;
}

/* Group delay of the band-pass at the centre of the QRS band, from the phase slope. */
static double group_delay_samples(const vs_biquad_coeffs *c, size_t n, double fs_hz)
{
    const double f = 10.0, df = 0.05;
    double ph[2];
    for (int j = 0; j < 2; j++) {
        double w = 2.0 * VS_DET_PI * (f + (j ? df : -df)) / fs_hz;
        double sw, cw, s2w, c2w;
        vs_det_sincos(w, &sw, &cw);
        vs_det_sincos(2 * w, &s2w, &c2w);
        double total = 0.0;
        for (size_t s = 0; s < n; s++) {
            double nr = c[s].b0 + c[s].b1 * cw + c[s].b2 * c2w;
            double ni = -c[s].b1 * sw - c[s].b2 * s2w;
            double dr = 1.0 + c[s].a1 * cw + c[s].a2 * c2w;
            double di = -c[s].a1 * sw - c[s].a2 * s2w;
            total += atan2(ni, nr) - atan2(di, dr);
        }
        ph[j] = total;
    }
    double dphi = ph[1] - ph[0];
    while (dphi > VS_DET_PI) dphi -= 2 * VS_DET_PI;
    while (dphi < -VS_DET_PI) dphi += 2 * VS_DET_PI;
    double dw = 2.0 * VS_DET_PI * (2 * df) / fs_hz;
    return -dphi / dw;
}

VS_API vs_status vs_qrs_init_static(vs_qrs **out, void *mem, size_t mem_size, double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < sizeof(struct vs_qrs)) return VS_E_NO_MEMORY;
    struct vs_qrs *q = (struct vs_qrs *)mem;
    memset(q, 0, sizeof *q);
    q->fs_hz = fs_hz;
    size_t nsec = 0;
    vs_status st = vs_butterworth_design(VS_FILTER_BANDPASS, QRS_BAND_ORDER, fs_hz, QRS_BAND_LOW_HZ,
                                         QRS_BAND_HIGH_HZ, q->bp_coeffs, VS_IIR_MAX_SECTIONS,
                                         &nsec);
    if (st != VS_OK) return st;
    q->bp_sections = (uint32_t)nsec;
    vs_iir_setup(&q->bp, q->bp_coeffs, nsec);
    /* Integer delays from rounded real values: identical on every platform. */
    q->bp_delay =
        (uint32_t)lround(group_delay_samples(q->bp_coeffs, nsec, fs_hz) + QRS_MARK_LEAD_S * fs_hz);
    uint32_t w = (uint32_t)vs_ms_to_samples(QRS_MWI_MS, fs_hz);
    q->mwi_len = w < 1 ? 1 : (w > VS_QRS_MWI_MAX ? VS_QRS_MWI_MAX : w);
    q->learn_len = (uint32_t)lround(QRS_LEARN_S * fs_hz);
    q->gap_len = (uint32_t)lround(0.25 * fs_hz);
    q->flat_len = (uint32_t)vs_ms_to_samples(QRS_FLAT_MS, fs_hz);
    q->art_hold = (uint32_t)lround(QRS_ARTEFACT_HOLD_S * fs_hz);
    q->relearn_len = (uint32_t)lround(QRS_RELEARN_S * fs_hz);
    q->amp_seg_len = (uint32_t)lround(QRS_AMP_SEGMENT_S * fs_hz);
    vs_param_set_defaults(&k_table, q);
    vs_qrs_clear(q);
    *out = q;
    return VS_OK;
}

VS_API vs_status vs_qrs_create(vs_qrs **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(sizeof(struct vs_qrs));
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_qrs_init_static(out, mem, sizeof(struct vs_qrs), fs_hz);
    if (st != VS_OK) {
        free(mem);
        *out = NULL;
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_qrs_destroy(vs_qrs *q)
{
    if (q && q->owns_memory) free(q);
}

VS_API void vs_qrs_reset(vs_qrs *q)
{
    if (q) vs_qrs_clear(q);
}

VS_API vs_status vs_qrs_param_bounds(vs_qrs_param p, double *min, double *max, double *dflt)
{
    return vs_param_bounds(&k_table, p, min, max, dflt);
}

VS_API vs_status vs_qrs_set_param(vs_qrs *q, vs_qrs_param p, double value)
{
    return vs_param_set(&k_table, q, p, value);
}

VS_API vs_status vs_qrs_get_param(const vs_qrs *q, vs_qrs_param p, double *value)
{
    return vs_param_get(&k_table, q, p, value);
}

VS_API double vs_qrs_fs_hz(const vs_qrs *q) { return q ? q->fs_hz : 0.0; }
VS_API int64_t vs_qrs_samples_seen(const vs_qrs *q) { return q ? q->n : 0; }

VS_API size_t vs_qrs_max_latency_samples(const vs_qrs *q)
{
    if (!q) return 0;
    /* Normal decision: integrator lag + refractory wait. Search-back: searchback_rr times the
     * capped mean RR (2 s). Learning: the whole learning period. */
    double fs = q->fs_hz;
    double normal = q->mwi_len + q->bp_delay + vs_ms_in_samples(q->refractory_ms, fs) + 2;
    double sb = q->searchback_rr * 2.0 * fs + q->mwi_len + q->bp_delay + 2;
    double learn = q->learn_len + vs_ms_in_samples(q->refractory_ms, fs) + q->mwi_len + q->bp_delay;
    double m = normal > sb ? normal : sb;
    if (learn > m) m = learn;
    return (size_t)ceil(m);
}

VS_API size_t vs_qrs_max_events(const vs_qrs *q, size_t n)
{
    if (!q) return 0;
    /* Accepted beats are at least one refractory period apart; a call can emit beats whose R
     * lies up to max_latency before its first sample. */
    double gap = vs_ms_in_samples(q->refractory_ms, q->fs_hz);
    double span = (double)n + (double)vs_qrs_max_latency_samples(q);
    return (size_t)(span / gap) + VS_QRS_LEARN_MAX + 2;
}

VS_API vs_status vs_qrs_process(vs_qrs *q, const float *x, size_t n, vs_beat *beats,
                                size_t capacity, size_t *n_beats)
{
    if (n_beats) *n_beats = 0;
    if (!q || !n_beats || (n > 0 && !x)) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!beats || capacity < vs_qrs_max_events(q, n)) return VS_E_BUFFER_TOO_SMALL;
    *n_beats = vs_qrs_run(q, x, n, beats);
    return VS_OK;
}

VS_API vs_status vs_qrs_finish(vs_qrs *q, vs_beat *beats, size_t capacity, size_t *n_beats)
{
    if (n_beats) *n_beats = 0;
    if (!q || !n_beats) return VS_E_NULL_ARG;
    if (!beats || capacity < vs_qrs_max_events(q, 0)) return VS_E_BUFFER_TOO_SMALL;
    *n_beats = vs_qrs_flush(q, beats);
    return VS_OK;
}
