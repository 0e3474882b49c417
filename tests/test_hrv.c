/* test_hrv.c — batch HRV indices (vs_hrv_compute) on series with known answers, the NN
 * correction rule and the error paths. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/hrv.h"

#define PI 3.14159265358979323846

static uint64_t rng_state = 88172645463325252ull;
static double urand(void) /* xorshift64*, [0,1) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}
static double grand(void)
{
    double u = urand(), v = urand();
    if (u < 1e-300) u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(2.0 * PI * v);
}

static vs_hrv_options opts(uint32_t method)
{
    vs_hrv_options o;
    assert_int_equal(vs_hrv_default_options(&o), VS_OK);
    o.psd_method = method;
    return o;
}

static void test_layout(void **st)
{
    (void)st;
    assert_int_equal(vs_hrv_result_struct_size(), sizeof(vs_hrv_result));
    assert_int_equal(vs_hrv_options_struct_size(), sizeof(vs_hrv_options));
    assert_int_equal(sizeof(vs_hrv_result), 288);
}

static void test_constant(void **st)
{
    (void)st;
    enum { N = 400 };
    double rr[N];
    for (int i = 0; i < N; i++) rr[i] = 800.0;
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, NULL, N, NULL, &r), VS_OK);
    assert_int_equal(r.n_input, N);
    assert_int_equal(r.n_nn, N);
    assert_true(r.mean_nn_ms == 800.0 && r.median_nn_ms == 800.0);
    assert_true(r.sdnn_ms == 0.0 && r.rmssd_ms == 0.0 && r.sdsd_ms == 0.0);
    assert_true(r.pnn50_pct == 0.0 && r.pnn20_pct == 0.0 && r.iqr_nn_ms == 0.0);
    assert_true(r.cvnn == 0.0 && r.sd1_ms == 0.0 && r.sd2_ms == 0.0);
    assert_true(fabs(r.hr_mean_bpm - 75.0) < 1e-12);
    assert_true(r.triangular_index == 1.0);
    assert_true(r.lf_ms2 < 1e-12 && r.hf_ms2 < 1e-12 && r.vlf_ms2 < 1e-12);
    assert_true(isnan(r.sampen) && isnan(r.apen)); /* r = 0.2 * SDNN = 0: documented NaN */
}

/* RR alternating 1300/1400 ms: exact successive differences of +-100 ms and a spectral line at
 * 0.5 cycles/beat = 1 / 2.7 s = 0.370 Hz (inside HF). */
static void test_alternating(void **st)
{
    (void)st;
    enum { N = 301 };
    double rr[N];
    for (int i = 0; i < N; i++) rr[i] = (i % 2) ? 1400.0 : 1300.0;
    for (uint32_t m = 0; m <= 1; m++) {
        vs_hrv_options o = opts(m);
        vs_hrv_result r;
        assert_int_equal(vs_hrv_compute(rr, NULL, N, &o, &r), VS_OK);
        assert_true(fabs(r.rmssd_ms - 100.0) < 1e-9);
        assert_true(fabs(r.sdsd_ms - sqrt(300.0 * 1e4 / 299.0)) < 1e-9);
        assert_true(fabs(r.sd1_ms - r.sdsd_ms / sqrt(2.0)) < 1e-9);
        assert_true(r.pnn50_pct == 100.0 && r.pnn20_pct == 100.0);
        assert_true(fabs(r.mean_nn_ms - (150 * 1400.0 + 151 * 1300.0) / 301.0) < 1e-9);
        double fpk = 1.0 / 2.7;
        fprintf(stderr, "alternating method %u: HF peak %.4f Hz, HF %.1f LF %.3f VLF %.3f ms^2\n",
                m, r.hf_peak_hz, r.hf_ms2, r.lf_ms2, r.vlf_ms2);
        assert_true(fabs(r.hf_peak_hz - fpk) < 0.005);
        assert_true(r.hf_ms2 > 50.0 * (r.lf_ms2 + r.vlf_ms2));
        assert_true(r.hfn_nu > 95.0);
    }
}

/* RR modulated by A sin(2 pi f0 t): the band containing f0 holds about A^2/2. */
static void sinus_case(double f0, double amp, uint32_t method, double tol)
{
    double rr[600];
    double t = 0.0;
    size_t n = 0;
    while (t < 300.0 && n < 600) {
        double v = 1000.0 + amp * sin(2.0 * PI * f0 * t);
        rr[n++] = v;
        t += v / 1000.0;
    }
    vs_hrv_options o = opts(method);
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, NULL, n, &o, &r), VS_OK);
    double band = f0 < 0.15 ? r.lf_ms2 : r.hf_ms2, pk = f0 < 0.15 ? r.lf_peak_hz : r.hf_peak_hz;
    double expect = amp * amp / 2.0;
    fprintf(stderr, "sinus f0 %.3f method %u: band %.1f (expect %.1f) peak %.4f, total %.1f\n", f0,
            method, band, expect, pk, r.total_power_ms2);
    assert_true(fabs(band - expect) < tol * expect);
    assert_true(fabs(pk - f0) < 0.006);
    assert_true(band > 0.9 * r.total_power_ms2);
}

static void test_sinus(void **st)
{
    (void)st;
    sinus_case(0.1, 40.0, VS_HRV_PSD_LOMB, 0.05);
    sinus_case(0.25, 30.0, VS_HRV_PSD_LOMB, 0.05);
    sinus_case(0.1, 40.0, VS_HRV_PSD_WELCH, 0.10);
    sinus_case(0.25, 30.0, VS_HRV_PSD_WELCH, 0.10);
}

static void test_white_noise(void **st)
{
    (void)st;
    enum { N = 2000 };
    static double rr[N];
    rng_state = 12345;
    for (int i = 0; i < N; i++) rr[i] = 800.0 + 25.0 * grand();
    for (uint32_t m = 0; m <= 1; m++) {
        vs_hrv_options o = opts(m);
        vs_hrv_result r;
        assert_int_equal(vs_hrv_compute(rr, NULL, N, &o, &r), VS_OK);
        assert_int_equal(r.n_nn, N);
        /* Density per Hz in LF and HF should agree for a flat spectrum. */
        double dl = r.lf_ms2 / 0.11, dh = r.hf_ms2 / 0.25, ratio = dl / dh;
        fprintf(stderr,
                "white noise method %u: LF/Hz %.1f HF/Hz %.1f ratio %.3f DFA a1 %.3f a2 %.3f "
                "SampEn %.3f ApEn %.3f SDNN %.2f SD1 %.2f SD2 %.2f\n",
                m, dl, dh, ratio, r.dfa_alpha1, r.dfa_alpha2, r.sampen, r.apen, r.sdnn_ms,
                r.sd1_ms, r.sd2_ms);
        assert_true(ratio > 0.75 && ratio < 1.33);
        /* white noise of variance 625 ms^2 over [0, fs/2] with fs = 1/0.8 s */
        assert_true(fabs(dh - 625.0 / 0.625) < 0.2 * 625.0 / 0.625);
        assert_true(fabs(r.dfa_alpha1 - 0.5) < 0.12 && fabs(r.dfa_alpha2 - 0.5) < 0.15);
        /* SampEn(2, 0.2 sd) of Gaussian white noise: -ln P(|x-y| <= 0.2 sd) = -ln erf(0.1) = 2.18 */
        assert_true(fabs(r.sampen - (-log(erf(0.1)))) < 0.15);
        assert_true(r.apen > 1.5 && r.apen < 2.5);
        /* SD1 = SD2 = SDNN for uncorrelated intervals */
        assert_true(fabs(r.sd1_ms / r.sd2_ms - 1.0) < 0.1);
        assert_true(fabs(r.sdnn_ms - 25.0) < 1.5);
    }
}

/* DFA of a random walk of increments is about 1.5; of a strongly anti-persistent series < 0.5. */
static void test_dfa_brown(void **st)
{
    (void)st;
    enum { N = 1000 };
    static double rr[N];
    rng_state = 99;
    double x = 0.0;
    for (int i = 0; i < N; i++) {
        x += grand();
        rr[i] = 800.0 + 2.0 * x;
    }
    vs_hrv_options o = opts(0);
    o.max_rel_change = 0.0;
    o.min_rr_ms = 100;
    o.max_rr_ms = 5000;
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, NULL, N, &o, &r), VS_OK);
    fprintf(stderr, "brownian: DFA a1 %.3f a2 %.3f\n", r.dfa_alpha1, r.dfa_alpha2);
    assert_true(fabs(r.dfa_alpha1 - 1.5) < 0.2);
}

static void test_nn_rule(void **st)
{
    (void)st;
    /* exclusion flags drop the interval ending at the flagged beat and the next one */
    double rr[20];
    uint8_t ex[20] = {0};
    for (int i = 0; i < 20; i++) rr[i] = 800.0;
    rr[5] = 500.0; /* premature beat ... */
    rr[6] = 1100.0; /* ... and its compensatory pause */
    ex[5] = 1;
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, ex, 20, NULL, &r), VS_OK);
    assert_int_equal(r.n_excluded, 2);
    assert_int_equal(r.n_nn, 18);
    assert_true(r.sdnn_ms == 0.0 && r.rmssd_ms == 0.0);
    /* without the flag the 20 % rule removes both */
    assert_int_equal(vs_hrv_compute(rr, NULL, 20, NULL, &r), VS_OK);
    assert_int_equal(r.n_rel_change, 2);
    assert_int_equal(r.n_nn, 18);
    /* bounds */
    rr[5] = 250.0;
    rr[6] = 2500.0;
    assert_int_equal(vs_hrv_compute(rr, NULL, 20, NULL, &r), VS_OK);
    assert_int_equal(r.n_out_of_bounds, 2);
    assert_int_equal(r.n_rel_change, 0);
    /* successive differences only across adjacent NN: the 800 -> 900 step happens over a
     * dropped interval, so RMSSD stays 0 */
    for (int i = 0; i < 20; i++) rr[i] = i < 10 ? 800.0 : 900.0;
    rr[10] = 3000.0;
    assert_int_equal(vs_hrv_compute(rr, NULL, 20, NULL, &r), VS_OK);
    assert_int_equal(r.n_nn, 19);
    assert_true(r.rmssd_ms == 0.0 && r.pnn20_pct == 0.0);
    assert_true(r.sdnn_ms > 40.0);
    /* a lasting change of rate: 5 rejections, then accepted as the new reference */
    for (int i = 0; i < 20; i++) rr[i] = i < 8 ? 700.0 : 1000.0;
    assert_int_equal(vs_hrv_compute(rr, NULL, 20, NULL, &r), VS_OK);
    assert_int_equal(r.n_rel_change, 5);
    assert_int_equal(r.n_nn, 15);
    /* rule 3 disabled */
    vs_hrv_options o = opts(0);
    o.max_rel_change = 0.0;
    assert_int_equal(vs_hrv_compute(rr, NULL, 20, &o, &r), VS_OK);
    assert_int_equal(r.n_nn, 20);
}

static void test_percentiles_and_geometry(void **st)
{
    (void)st;
    double rr[] = {800, 810, 790, 805, 820, 780, 800, 815, 795, 800, 810, 790, 805, 800, 812,
                   798, 803, 807, 793, 801, 799, 804};
    size_t n = sizeof rr / sizeof rr[0];
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, NULL, n, NULL, &r), VS_OK);
    double s[32];
    memcpy(s, rr, sizeof rr);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && s[j] < s[j - 1]; j--) {
            double t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    /* n = 22: median between order statistics 10 and 11; quartiles at 5.25 and 15.75 */
    assert_true(r.median_nn_ms == 0.5 * (s[10] + s[11]));
    double q1 = s[5] + 0.25 * (s[6] - s[5]), q3 = s[15] + 0.75 * (s[16] - s[15]);
    assert_true(fabs(r.iqr_nn_ms - (q3 - q1)) < 1e-12);
    assert_true(r.min_nn_ms == 780 && r.max_nn_ms == 820);
    assert_true(fabs(r.hr_max_bpm - 60000.0 / 780) < 1e-12);
    /* histogram counts by hand */
    int cnt[300] = {0}, mx = 0;
    for (size_t i = 0; i < n; i++) cnt[(int)(rr[i] / 7.8125)]++;
    for (int i = 0; i < 300; i++)
        if (cnt[i] > mx) mx = cnt[i];
    assert_true(fabs(r.triangular_index - (double)n / mx) < 1e-12);
    assert_true(r.tinn_ms > 0.0 && r.tinn_ms <= 80.0);
    assert_true(isnan(r.lf_ms2)); /* 18 s: too short for the frequency domain */
    /* few intervals over a wide range: more histogram bins than intervals */
    double wide[20];
    for (int i = 0; i < 20; i++) wide[i] = 300.0 + 85.0 * i;
    vs_hrv_options o;
    vs_hrv_default_options(&o);
    o.max_rel_change = 0.0;
    vs_hrv_result rw;
    assert_int_equal(vs_hrv_compute(wide, NULL, 20, &o, &rw), VS_OK);
    assert_int_equal(rw.n_nn, 20);
    assert_true(rw.triangular_index == 20.0);
    assert_true(fabs(rw.rmssd_ms - 85.0) < 1e-9 && rw.pnn50_pct == 100.0);
    assert_true(isnan(r.dfa_alpha1));
}

static void test_errors(void **st)
{
    (void)st;
    double rr[40];
    for (int i = 0; i < 40; i++) rr[i] = 800 + (i % 3);
    vs_hrv_result r;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, NULL, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_hrv_compute(NULL, NULL, 3, NULL, &r), VS_E_NULL_ARG);
    assert_int_equal(vs_hrv_compute(rr, NULL, 0, NULL, &r), VS_E_INSUFFICIENT_DATA);
    assert_int_equal(r.n_nn, 0);
    assert_true(isnan(r.mean_nn_ms));
    rr[7] = NAN;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, NULL, &r), VS_E_INVALID_ARG);
    rr[7] = -800;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, NULL, &r), VS_E_INVALID_ARG);
    rr[7] = INFINITY;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, NULL, &r), VS_E_INVALID_ARG);
    rr[7] = 800;
    uint8_t ex[40];
    memset(ex, 1, sizeof ex);
    assert_int_equal(vs_hrv_compute(rr, ex, 40, NULL, &r), VS_E_INSUFFICIENT_DATA);
    assert_int_equal(r.n_excluded, 40);
    /* one interval: mean only */
    assert_int_equal(vs_hrv_compute(rr, NULL, 1, NULL, &r), VS_OK);
    assert_true(r.mean_nn_ms == 800 && isnan(r.sdnn_ms) && isnan(r.rmssd_ms));
    /* a few intervals: time domain yes, the rest NaN */
    assert_int_equal(vs_hrv_compute(rr, NULL, 5, NULL, &r), VS_OK);
    assert_true(!isnan(r.sdnn_ms) && !isnan(r.rmssd_ms) && !isnan(r.sd1_ms));
    assert_true(isnan(r.triangular_index) && isnan(r.lf_ms2) && isnan(r.sampen) &&
                isnan(r.dfa_alpha1));
    /* options out of range */
    vs_hrv_options o = opts(0);
    o.min_rr_ms = NAN;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, &o, &r), VS_E_INVALID_ARG);
    o = opts(7);
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, &o, &r), VS_E_INVALID_ARG);
    o = opts(1);
    o.welch_fs_hz = 10;
    o.welch_segment_s = 300; /* 3000 samples > 2048 */
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, &o, &r), VS_E_INVALID_ARG);
    o = opts(0);
    o.entropy_m = 0;
    assert_int_equal(vs_hrv_compute(rr, NULL, 40, &o, &r), VS_E_INVALID_ARG);
    assert_int_equal(vs_hrv_default_options(NULL), VS_E_NULL_ARG);
}

static void test_workspace(void **st)
{
    (void)st;
    enum { N = 500 };
    double rr[N];
    rng_state = 7;
    for (int i = 0; i < N; i++) rr[i] = 900 + 40 * grand();
    size_t need = vs_hrv_workspace_size(N);
    assert_true(need > N * sizeof(double));
    char *ws = malloc(need + 1);
    vs_hrv_result a, b;
    assert_int_equal(vs_hrv_compute_ws(rr, NULL, N, NULL, ws, need - 1, &a), VS_E_NO_MEMORY);
    assert_int_equal(vs_hrv_compute_ws(rr, NULL, N, NULL, NULL, need, &a), VS_E_NULL_ARG);
    /* misaligned caller memory is fine */
    assert_int_equal(vs_hrv_compute_ws(rr, NULL, N, NULL, ws + 1, need, &a), VS_OK);
    assert_int_equal(vs_hrv_compute(rr, NULL, N, NULL, &b), VS_OK);
    assert_memory_equal(&a, &b, sizeof a);
    free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_alternating),   cmocka_unit_test(test_sinus),
        cmocka_unit_test(test_white_noise),   cmocka_unit_test(test_dfa_brown),
        cmocka_unit_test(test_nn_rule),       cmocka_unit_test(test_percentiles_and_geometry),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_workspace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
