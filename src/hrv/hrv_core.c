/* hrv_core.c — NN selection and the time-domain, geometric and nonlinear HRV indices
 * (definitions in include/vitalstream/hrv.h). */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hrv_impl.h"
#include "common/sort.h"

#define HRV_BIN_MS 7.8125   /* 1/128 s */
#define HRV_MAX_REL_REJECT 5

_Static_assert(sizeof(vs_hrv_options) == 64, "vs_hrv_options layout");
_Static_assert(sizeof(vs_hrv_result) == 288, "vs_hrv_result layout");
_Static_assert(offsetof(vs_hrv_result, mean_nn_ms) == 24 &&
                   offsetof(vs_hrv_result, dfa_alpha2) == 280,
               "vs_hrv_result: the doubles are contiguous after six u32 counts");

VS_API size_t vs_hrv_options_struct_size(void) { return sizeof(vs_hrv_options); }
VS_API size_t vs_hrv_result_struct_size(void) { return sizeof(vs_hrv_result); }

VS_API vs_status vs_hrv_default_options(vs_hrv_options *o)
{
    if (!o) return VS_E_NULL_ARG;
    memset(o, 0, sizeof *o);
    o->min_rr_ms = 300.0;
    o->max_rr_ms = 2000.0;
    o->max_rel_change = 0.2;
    o->entropy_r = 0.2;
    o->lomb_df_hz = 0.0005;
    o->welch_fs_hz = 4.0;
    o->welch_segment_s = 256.0;
    o->psd_method = VS_HRV_PSD_LOMB;
    o->entropy_m = 2;
    return VS_OK;
}

static int in(double v, double lo, double hi) { return v >= lo && v <= hi; } /* false for NaN */

vs_status vs_hrv_check_options(const vs_hrv_options *o)
{
    if (!in(o->min_rr_ms, 100, 1000) || !in(o->max_rr_ms, 500, 5000) ||
        !(o->max_rr_ms > o->min_rr_ms) || !in(o->max_rel_change, 0, 1) ||
        !in(o->entropy_r, 0.01, 2) || !in(o->lomb_df_hz, 1e-4, 0.01) ||
        !in(o->welch_fs_hz, 1, 10) || !in(o->welch_segment_s, 30, 600) ||
        o->welch_fs_hz * o->welch_segment_s > VS_HRV_FFT_MAX ||
        o->psd_method > VS_HRV_PSD_WELCH || o->entropy_m < 1 || o->entropy_m > 5)
        return VS_E_INVALID_ARG;
    return VS_OK;
}

#define WS_ALIGN 16
static size_t round_up(size_t v) { return (v + WS_ALIGN - 1) / WS_ALIGN * WS_ALIGN; }

VS_API size_t vs_hrv_workspace_size(size_t n)
{
    /* about 50 bytes per interval plus the FFT buffers: refuse sizes that would wrap size_t
     * (32 bits on wasm32) */
    if (n > (SIZE_MAX / 2) / 64) return 0;
    size_t arr = round_up(n * sizeof(double));
    return 6 * arr + 2 * round_up(n) +
           round_up(VS_HRV_FFT_MAX * sizeof(double)) * 2 +
           round_up((VS_HRV_FFT_MAX / 2 + 1) * sizeof(double)) + WS_ALIGN;
}

void vs_hrv_scratch_init(vs_hrv_scratch *s, void *ws, size_t n)
{
    uintptr_t p = ((uintptr_t)ws + WS_ALIGN - 1) / WS_ALIGN * WS_ALIGN;
    size_t arr = round_up(n * sizeof(double));
    double **d[6] = {&s->nn, &s->t, &s->a, &s->b, &s->c, &s->d};
    for (int i = 0; i < 6; i++) {
        *d[i] = (double *)p;
        p += arr;
    }
    s->adj = (uint8_t *)p;
    p += round_up(n);
    s->iflag = (uint8_t *)p;
    p += round_up(n);
    s->re = (double *)p;
    p += round_up(VS_HRV_FFT_MAX * sizeof(double));
    s->im = (double *)p;
    p += round_up(VS_HRV_FFT_MAX * sizeof(double));
    s->psd = (double *)p;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static double percentile_sorted(const double *x, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    if (i + 1 >= n) return x[n - 1];
    return x[i] + (x[i + 1] - x[i]) * f;
}

static double mean_of(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    return s / (double)n;
}

static double sd_of(const double *x, size_t n, double mean)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (x[i] - mean) * (x[i] - mean);
    return sqrt(s / (double)(n - 1));
}

/* ---- geometric ----------------------------------------------------------------------------- */

/* Histogram in h (bins [j, j+1) * 1/128 s anchored at 0 ms, from MinNN's bin); returns the
 * number of bins. */
static size_t histogram(const double *nn, size_t n, double mn, double mx, double *h)
{
    size_t b0 = (size_t)(mn / HRV_BIN_MS);
    size_t bins = (size_t)(mx / HRV_BIN_MS) - b0 + 1;
    for (size_t j = 0; j < bins; j++) h[j] = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)(nn[i] / HRV_BIN_MS) - b0;
        if (j >= bins) j = bins - 1;
        h[j] += 1.0;
    }
    return bins;
}

static void geometric(const vs_hrv_scratch *s, size_t n, double mn, double mx, vs_hrv_result *out)
{
    double *h = s->re; /* at most 5000 / 7.8125 + 1 = 641 bins, whatever n */
    size_t bins = histogram(s->nn, n, mn, mx, h);
    size_t x = 0;
    for (size_t j = 1; j < bins; j++)
        if (h[j] > h[x]) x = j;
    double y = h[x];
    out->triangular_index = (double)n / y;
    /* Triangle through (N,0), (X+0.5,Y), (M,0) in bin-edge coordinates, histogram values at bin
     * centres j+0.5; left and right halves are independent, so each is minimised alone. */
    double xc = (double)x + 0.5;
    double best_l = INFINITY, best_r = INFINITY;
    size_t bn = 0, bm = bins;
    for (size_t N = 0; N <= x; N++) {
        double e = 0.0;
        for (size_t j = 0; j < x; j++) {
            double c = (double)j + 0.5, q = 0.0;
            if (c > (double)N) q = y * (c - (double)N) / (xc - (double)N);
            e += (h[j] - q) * (h[j] - q);
        }
        if (e < best_l) {
            best_l = e;
            bn = N;
        }
    }
    for (size_t M = x + 1; M <= bins; M++) {
        double e = 0.0;
        for (size_t j = x + 1; j < bins; j++) {
            double c = (double)j + 0.5, q = 0.0;
            if (c < (double)M) q = y * ((double)M - c) / ((double)M - xc);
            e += (h[j] - q) * (h[j] - q);
        }
        if (e < best_r) {
            best_r = e;
            bm = M;
        }
    }
    out->tinn_ms = (double)(bm - bn) * HRV_BIN_MS;
}

/* ---- entropies ----------------------------------------------------------------------------- */

static int within(const double *x, size_t i, size_t j, unsigned m, double r)
{
    for (unsigned k = 0; k < m; k++)
        if (fabs(x[i + k] - x[j + k]) > r) return 0;
    return 1;
}

/* Sample and approximate entropy in one pass over the template pairs i < j (each pair once, both
 * templates credited; ApEn's self matches added up front). cm/cm1: n doubles each. SampEn uses
 * the pairs with j < n - m (the first n - m templates for both lengths). */
static void entropies(const double *x, size_t n, unsigned m, double r, double *cm, double *cm1,
                      double *sampen, double *apen)
{
    size_t nt = n - m + 1, nt1 = n - m;
    double a = 0.0, b = 0.0;
    for (size_t i = 0; i < nt; i++) cm[i] = 1.0;
    for (size_t i = 0; i < nt1; i++) cm1[i] = 1.0;
    for (size_t i = 0; i < nt; i++)
        for (size_t j = i + 1; j < nt; j++) {
            if (!within(x, i, j, m, r)) continue;
            cm[i] += 1.0;
            cm[j] += 1.0;
            if (j < nt1) {
                b += 1.0;
                if (fabs(x[i + m] - x[j + m]) <= r) {
                    a += 1.0;
                    cm1[i] += 1.0;
                    cm1[j] += 1.0;
                }
            }
        }
    *sampen = (a == 0.0 || b == 0.0) ? NAN : -log(a / b);
    double phi = 0.0, phi1 = 0.0;
    for (size_t i = 0; i < nt; i++) phi += log(cm[i] / (double)nt);
    for (size_t i = 0; i < nt1; i++) phi1 += log(cm1[i] / (double)nt1);
    *apen = phi / (double)nt - phi1 / (double)nt1;
}

/* ---- DFA ----------------------------------------------------------------------------------- */

/* ln F(s) for the profile y (n points); boxes of s points, non-overlapping from the start. */
static double dfa_log_f(const double *y, size_t n, size_t sz)
{
    size_t boxes = n / sz;
    double ssq = 0.0;
    /* x = 0..sz-1 centred: sums of x and x^2 are fixed per size */
    double xm = ((double)sz - 1.0) / 2.0, sxx = 0.0;
    for (size_t k = 0; k < sz; k++) sxx += ((double)k - xm) * ((double)k - xm);
    for (size_t b = 0; b < boxes; b++) {
        const double *v = y + b * sz;
        double ym = 0.0, sxy = 0.0;
        for (size_t k = 0; k < sz; k++) ym += v[k];
        ym /= (double)sz;
        for (size_t k = 0; k < sz; k++) sxy += ((double)k - xm) * (v[k] - ym);
        double slope = sxy / sxx;
        for (size_t k = 0; k < sz; k++) {
            double e = v[k] - ym - slope * ((double)k - xm);
            ssq += e * e;
        }
    }
    return 0.5 * log(ssq / (double)(boxes * sz));
}

static double dfa_alpha(const double *y, size_t n, size_t lo, size_t hi)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
    for (size_t s = lo; s <= hi; s++) {
        double lx = log((double)s), ly = dfa_log_f(y, n, s);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        k += 1.0;
    }
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* ---- NN selection -------------------------------------------------------------------------- */

static size_t select_nn(const double *rr, size_t n, const vs_hrv_options *o, vs_hrv_scratch *s,
                        vs_hrv_result *out)
{
    double t = 0.0, ref = 0.0;
    int have_ref = 0, rejects = 0;
    size_t k = 0;
    size_t last_used = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        t += rr[i] / 1000.0;
        if (s->iflag[i]) {
            out->n_excluded++;
            continue;
        }
        if (rr[i] < o->min_rr_ms || rr[i] > o->max_rr_ms) {
            out->n_out_of_bounds++;
            continue;
        }
        if (o->max_rel_change > 0.0 && have_ref && fabs(rr[i] - ref) > o->max_rel_change * ref &&
            rejects < HRV_MAX_REL_REJECT) {
            rejects++;
            out->n_rel_change++;
            continue;
        }
        rejects = 0;
        ref = rr[i];
        have_ref = 1;
        s->nn[k] = rr[i];
        s->t[k] = t;
        s->adj[k] = (uint8_t)(k > 0 && last_used + 1 == i);
        last_used = i;
        k++;
    }
    return k;
}

/* Every double of the result (they follow the counts contiguously) set to NaN. */
static void fill_nan(vs_hrv_result *out)
{
    const double nan = NAN;
    unsigned char *b = (unsigned char *)out;
    for (size_t off = offsetof(vs_hrv_result, mean_nn_ms); off < sizeof *out; off += sizeof nan)
        memcpy(b + off, &nan, sizeof nan);
}

vs_status vs_hrv_core(const double *rr, size_t n, const vs_hrv_options *o, vs_hrv_scratch *s,
                      vs_hrv_result *out)
{
    memset(out, 0, sizeof *out);
    fill_nan(out);
    out->n_input = (uint32_t)n;
    out->psd_method = o->psd_method;
    size_t m = select_nn(rr, n, o, s, out);
    out->n_nn = (uint32_t)m;
    if (m == 0) return VS_E_INSUFFICIENT_DATA;
    const double *nn = s->nn;

    /* distribution */
    double mean = mean_of(nn, m);
    double *srt = s->a;
    memcpy(srt, nn, m * sizeof *srt);
    vs_sort_f64(srt, m);
    double mn = srt[0], mx = srt[m - 1];
    out->mean_nn_ms = mean;
    out->median_nn_ms = percentile_sorted(srt, m, 0.5);
    out->min_nn_ms = mn;
    out->max_nn_ms = mx;
    out->hr_mean_bpm = 60000.0 / mean;
    out->hr_min_bpm = 60000.0 / mx;
    out->hr_max_bpm = 60000.0 / mn;
    out->duration_s = s->t[m - 1] - s->t[0];
    if (m >= 2) {
        out->iqr_nn_ms = percentile_sorted(srt, m, 0.75) - percentile_sorted(srt, m, 0.25);
        out->sdnn_ms = sd_of(nn, m, mean);
        out->cvnn = out->sdnn_ms / mean;
    }

    /* successive differences and Poincare pairs over adjacent NN */
    double sd2 = 0.0, sd = 0.0, cnt = 0.0, c50 = 0.0, c20 = 0.0;
    double su = 0.0, sv = 0.0;
    for (size_t k = 1; k < m; k++) {
        if (!s->adj[k]) continue;
        double d = nn[k] - nn[k - 1];
        sd2 += d * d;
        sd += d;
        cnt += 1.0;
        if (fabs(d) > 50.0) c50 += 1.0;
        if (fabs(d) > 20.0) c20 += 1.0;
        su += nn[k] + nn[k - 1];
    }
    if (cnt >= 1.0) {
        out->rmssd_ms = sqrt(sd2 / cnt);
        out->pnn50_pct = 100.0 * c50 / cnt;
        out->pnn20_pct = 100.0 * c20 / cnt;
    }
    if (cnt >= 2.0) {
        double dm = sd / cnt, um = su / cnt, vd = 0.0, vu = 0.0;
        for (size_t k = 1; k < m; k++) {
            if (!s->adj[k]) continue;
            double d = nn[k] - nn[k - 1], u = nn[k] + nn[k - 1];
            vd += (d - dm) * (d - dm);
            vu += (u - um) * (u - um);
        }
        (void)sv;
        out->sdsd_ms = sqrt(vd / (cnt - 1.0));
        out->sd1_ms = sqrt(vd / (cnt - 1.0) / 2.0);
        out->sd2_ms = sqrt(vu / (cnt - 1.0) / 2.0);
        out->sd1_sd2 = out->sd2_ms > 0.0 ? out->sd1_ms / out->sd2_ms : NAN;
    }

    if (m >= 20) geometric(s, m, mn, mx, out);

    /* entropies */
    if (m >= 10 && out->sdnn_ms > 0.0) {
        double r = o->entropy_r * out->sdnn_ms;
        entropies(nn, m, o->entropy_m, r, s->b, s->c, &out->sampen, &out->apen);
    }

    /* DFA on the profile (in s->a, overwriting the sorted copy) */
    if (m >= 32) {
        double *y = s->a, acc = 0.0;
        for (size_t k = 0; k < m; k++) {
            acc += nn[k] - mean;
            y[k] = acc;
        }
        out->dfa_alpha1 = dfa_alpha(y, m, 4, 16);
        if (m >= 128) out->dfa_alpha2 = dfa_alpha(y, m, 16, 64);
    }

    /* frequency domain */
    if (m >= 16 && out->duration_s >= 60.0) {
        if (o->psd_method == VS_HRV_PSD_WELCH)
            vs_hrv_welch(s, m, o->welch_fs_hz, o->welch_segment_s, out);
        else
            vs_hrv_lomb(s, m, o->lomb_df_hz, out);
        double lh = out->lf_ms2 + out->hf_ms2;
        out->total_power_ms2 = out->vlf_ms2 + lh;
        out->lf_hf = out->hf_ms2 > 0.0 ? out->lf_ms2 / out->hf_ms2 : NAN;
        out->lfn_nu = lh > 0.0 ? 100.0 * out->lf_ms2 / lh : NAN;
        out->hfn_nu = lh > 0.0 ? 100.0 * out->hf_ms2 / lh : NAN;
    }
    return VS_OK;
}

static vs_status check_input(const double *rr, size_t n, const vs_hrv_options **o,
                             vs_hrv_options *dflt)
{
    if (!*o) {
        vs_hrv_default_options(dflt);
        *o = dflt;
    }
    vs_status st = vs_hrv_check_options(*o);
    if (st != VS_OK) return st;
    for (size_t i = 0; i < n; i++)
        if (!(rr[i] > 0.0) || !isfinite(rr[i])) return VS_E_INVALID_ARG;
    return VS_OK;
}

VS_API vs_status vs_hrv_compute_ws(const double *rr_ms, const uint8_t *exclude, size_t n,
                                   const vs_hrv_options *opt, void *workspace,
                                   size_t workspace_size, vs_hrv_result *out)
{
    if (!out || (!rr_ms && n > 0)) return VS_E_NULL_ARG;
    vs_hrv_options dflt;
    vs_status st = check_input(rr_ms, n, &opt, &dflt);
    if (st != VS_OK) return st;
    size_t need = vs_hrv_workspace_size(n);
    if (!workspace || need == 0) return workspace ? VS_E_INVALID_ARG : VS_E_NULL_ARG;
    if (workspace_size < need) return VS_E_NO_MEMORY;
    vs_hrv_scratch s;
    vs_hrv_scratch_init(&s, workspace, n);
    for (size_t i = 0; i < n; i++)
        s.iflag[i] = (uint8_t)(exclude && (exclude[i] || (i > 0 && exclude[i - 1])));
    return vs_hrv_core(rr_ms, n, opt, &s, out);
}

VS_API vs_status vs_hrv_compute(const double *rr_ms, const uint8_t *exclude, size_t n,
                                const vs_hrv_options *opt, vs_hrv_result *out)
{
    if (!out || (!rr_ms && n > 0)) return VS_E_NULL_ARG;
    vs_hrv_options dflt;
    vs_status st = check_input(rr_ms, n, &opt, &dflt);
    if (st != VS_OK) return st;
    size_t need = vs_hrv_workspace_size(n);
    if (need == 0) return VS_E_INVALID_ARG;
    void *ws = malloc(need);
    if (!ws) return VS_E_NO_MEMORY;
    st = vs_hrv_compute_ws(rr_ms, exclude, n, opt, ws, need, out);
    free(ws);
    return st;
}
