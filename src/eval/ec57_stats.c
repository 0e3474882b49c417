/* ec57_stats.c — figures derived from EC57 comparison counts: per record as bxb prints them,
 * gross and average over records as sumstats computes them (rules in ec57.c). */
#include <math.h>
#include <string.h>
#include "vitalstream/eval.h"

enum { F_QSE, F_QPP, F_VSE, F_VPP, F_VFPR, F_SSE, F_SPP, F_RR, F_COUNT };

VS_API double vs_ec57_percent(int64_t num, int64_t den)
{
    if (den <= 0) return -1.0;
    return (100.0 * (double)num) / (double)den;
}

VS_API size_t vs_ec57_result_struct_size(void) { return sizeof(vs_ec57_result); }

/* Numerators and denominators of the figures. sveb_ppv_with_fs: 1 = bxb, 0 = sumstats. */
static void fractions(const vs_ec57_result *r, int sveb_ppv_with_fs, int64_t num[F_COUNT],
                      int64_t den[F_COUNT])
{
    const int64_t(*m)[VS_EC57_NCLASS] = r->matrix;
    enum { N = VS_EC57_N, S = VS_EC57_S, V = VS_EC57_V, F = VS_EC57_F, Q = VS_EC57_Q,
           O = VS_EC57_O, X = VS_EC57_X };
    num[F_QSE] = r->tp;
    den[F_QSE] = r->tp + r->fn;
    num[F_QPP] = r->tp;
    den[F_QPP] = r->tp + r->fp;

    int64_t vtp = m[V][V];
    int64_t vfn = m[V][N] + m[V][S] + m[V][F] + m[V][Q] + m[V][O] + m[V][X];
    int64_t vfp = m[N][V] + m[S][V] + m[O][V] + m[X][V];
    int64_t vtn = 0;
    const int rows[] = { N, S, F, Q, O, X };
    const int cols[] = { N, S, F, Q };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) vtn += m[rows[i]][cols[j]];
    num[F_VSE] = vtp;
    den[F_VSE] = vtp + vfn;
    num[F_VPP] = vtp;
    den[F_VPP] = vtp + vfp;
    num[F_VFPR] = vfp;
    den[F_VFPR] = vtn + vfp;

    int64_t stp = m[S][S];
    int64_t sfn = m[S][N] + m[S][V] + m[S][F] + m[S][Q] + m[S][O] + m[S][X];
    int64_t sfp = m[N][S] + m[V][S] + m[O][S] + m[X][S] + (sveb_ppv_with_fs ? m[F][S] : 0);
    num[F_SSE] = stp;
    den[F_SSE] = stp + sfn;
    num[F_SPP] = stp;
    den[F_SPP] = stp + sfp;
    num[F_RR] = 0;
    den[F_RR] = r->rr_error_count;
}

static double rms_ms(const vs_ec57_result *r)
{
    if (r->rr_error_count <= 0 || !(r->fs_hz > 0.0)) return -1.0;
    return sqrt(r->rr_error_sum_sq / (double)r->rr_error_count) * 1000.0 / r->fs_hz;
}

static void fill(vs_ec57_stats *st, const int64_t num[F_COUNT], const int64_t den[F_COUNT])
{
    st->qrs_se = vs_ec57_percent(num[F_QSE], den[F_QSE]);
    st->qrs_ppv = vs_ec57_percent(num[F_QPP], den[F_QPP]);
    st->veb_se = vs_ec57_percent(num[F_VSE], den[F_VSE]);
    st->veb_ppv = vs_ec57_percent(num[F_VPP], den[F_VPP]);
    st->veb_fpr = vs_ec57_percent(num[F_VFPR], den[F_VFPR]);
    st->sveb_se = vs_ec57_percent(num[F_SSE], den[F_SSE]);
    st->sveb_ppv = vs_ec57_percent(num[F_SPP], den[F_SPP]);
}

VS_API vs_status vs_ec57_result_stats(const vs_ec57_result *r, vs_ec57_stats *stats)
{
    if (!r || !stats) return VS_E_NULL_ARG;
    int64_t num[F_COUNT], den[F_COUNT];
    fractions(r, 1, num, den);
    fill(stats, num, den);
    stats->rms_rr_error_ms = rms_ms(r);
    return VS_OK;
}

VS_API void vs_ec57_summary_init(vs_ec57_summary *s)
{
    if (s) memset(s, 0, sizeof *s);
}

VS_API vs_status vs_ec57_summary_add(vs_ec57_summary *s, const vs_ec57_result *r)
{
    if (!s || !r) return VS_E_NULL_ARG;
    if (s->n_records > 0 && s->gross.fs_hz != r->fs_hz) s->gross.fs_hz = 0.0; /* mixed */
    else s->gross.fs_hz = r->fs_hz;
    if (s->n_records == 0) {
        s->gross.match_window_samples = r->match_window_samples;
        s->gross.start_sample = r->start_sample;
        s->gross.end_sample = r->end_sample;
    }
    s->gross.tp += r->tp;
    s->gross.fn += r->fn;
    s->gross.fp += r->fp;
    for (int i = 0; i < VS_EC57_NCLASS; i++)
        for (int j = 0; j < VS_EC57_NCLASS; j++) s->gross.matrix[i][j] += r->matrix[i][j];
    s->gross.rr_error_count += r->rr_error_count;
    s->gross.rr_error_sum_sq += r->rr_error_sum_sq;

    int64_t num[F_COUNT], den[F_COUNT];
    fractions(r, 0, num, den);
    for (int k = 0; k < F_COUNT; k++) {
        if (k == F_RR) {
            double v = rms_ms(r);
            if (v >= 0.0) {
                s->sum_frac[k] += v;
                s->n_frac[k]++;
            }
        } else if (den[k] > 0) {
            s->sum_frac[k] += (double)num[k] / (double)den[k];
            s->n_frac[k]++;
        }
    }
    s->n_records++;
    return VS_OK;
}

VS_API vs_status vs_ec57_summary_stats(const vs_ec57_summary *s, vs_ec57_stats *gross,
                                       vs_ec57_stats *average)
{
    if (!s) return VS_E_NULL_ARG;
    if (gross) {
        int64_t num[F_COUNT], den[F_COUNT];
        fractions(&s->gross, 0, num, den);
        fill(gross, num, den);
        /* pooled RMS; needs a single fs */
        gross->rms_rr_error_ms = rms_ms(&s->gross);
    }
    if (average) {
        double v[F_COUNT];
        for (int k = 0; k < F_COUNT; k++) {
            if (s->n_frac[k] <= 0) v[k] = -1.0;
            else if (k == F_RR) v[k] = s->sum_frac[k] / (double)s->n_frac[k];
            else v[k] = 100.0 * s->sum_frac[k] / (double)s->n_frac[k];
        }
        average->qrs_se = v[F_QSE];
        average->qrs_ppv = v[F_QPP];
        average->veb_se = v[F_VSE];
        average->veb_ppv = v[F_VPP];
        average->veb_fpr = v[F_VFPR];
        average->sveb_se = v[F_SSE];
        average->sveb_ppv = v[F_SPP];
        average->rms_rr_error_ms = v[F_RR];
    }
    return VS_OK;
}
