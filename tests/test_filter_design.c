/* test_filter_design.c — deterministic math, Butterworth/notch design and |H| evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vitalstream/filter.h"
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#ifndef M_SQRT1_2
#define M_SQRT1_2 0.70710678118654752440
#endif
#include "common/detmath.h"
#include "filter/filter_impl.h"

static const double k_fs[] = {100.0, 250.0, 360.0, 500.0, 1000.0};
#define N_FS (sizeof k_fs / sizeof k_fs[0])

static void check_close(double got, double want, double rel, double abs_tol, const char *what)
{
    double err = fabs(got - want);
    if (!(err <= rel * fabs(want) + abs_tol)) {
        print_error("%s: got %.17g want %.17g (err %.3g)\n", what, got, want, err);
        fail();
    }
}

/* ---- detmath ---- */
static void test_detmath_vs_libm(void **state)
{
    (void)state;
    double worst = 0.0;
    for (int i = -20000; i <= 20000; i++) {
        double x = (double)i * 0.000785398163397448 * 1.0000001; /* [-5 pi, 5 pi] roughly */
        double s = vs_det_sin(x), c = vs_det_cos(x);
        double es = fabs(s - sin(x)), ec = fabs(c - cos(x));
        if (es > worst) worst = es;
        if (ec > worst) worst = ec;
        assert_true(es <= 1e-14 * fabs(sin(x)) + 1e-16);
        assert_true(ec <= 1e-14 * fabs(cos(x)) + 1e-16);
    }
    /* tan on (0, pi/2), the range the designs use, relative accuracy including near pi/2 */
    for (int i = 1; i < 20000; i++) {
        double x = 1.5707963267948966 * (double)i / 20000.0;
        check_close(vs_det_tan(x), tan(x), 1e-14, 0.0, "tan");
    }
    check_close(vs_det_tan(1.5707963267948), tan(1.5707963267948), 1e-14, 0.0, "tan near pi/2");
    check_close(vs_det_tan(1e-300), 1e-300, 1e-15, 0.0, "tan tiny");
    check_close(vs_det_sin(1e-8), sin(1e-8), 1e-15, 0.0, "sin tiny");
    check_close(vs_det_sin(12345.678), sin(12345.678), 1e-12, 0.0, "sin large");
    assert_true(vs_det_sin(0.0) == 0.0);
    assert_true(vs_det_cos(0.0) == 1.0);
    assert_true(isnan(vs_det_sin(INFINITY)));
    assert_true(isnan(vs_det_cos(NAN)));
    assert_true(isnan(vs_det_tan(-INFINITY)));
    assert_true(worst < 1e-15);
}

/* ---- analytic Butterworth magnitude ---- */
static double analytic(vs_filter_kind kind, unsigned order, double fs, double f1, double f2,
                       double f)
{
    double t = tan(M_PI * f / fs), t1 = tan(M_PI * f1 / fs), t2 = tan(M_PI * f2 / fs);
    double w;
    switch (kind) {
    case VS_FILTER_LOWPASS: w = t / t1; break;
    case VS_FILTER_HIGHPASS: w = t1 / t; break;
    case VS_FILTER_BANDPASS: w = (t * t - t1 * t2) / ((t2 - t1) * t); break;
    default: w = (t2 - t1) * t / (t1 * t2 - t * t); break;
    }
    return 1.0 / sqrt(1.0 + pow(w * w, (double)order));
}

static void check_design(vs_filter_kind kind, unsigned order, double fs, double f1, double f2)
{
    vs_biquad_coeffs sec[VS_IIR_MAX_SECTIONS];
    size_t n = 99;
    char what[160];
    assert_int_equal(vs_butterworth_design(kind, order, fs, f1, f2, sec, VS_IIR_MAX_SECTIONS, &n),
                     VS_OK);
    int band = kind == VS_FILTER_BANDPASS || kind == VS_FILTER_BANDSTOP;
    assert_int_equal(n, band ? order : (order + 1) / 2);
    for (size_t i = 0; i < n; i++) {
        assert_true(vs_biquad_is_stable(&sec[i]));
        if (!band && (order & 1) && sec[i].a2 == 0.0) assert_true(sec[i].b2 == 0.0);
    }
    if (!band && (order & 1)) {
        int first_order = 0;
        for (size_t i = 0; i < n; i++) first_order += (sec[i].a2 == 0.0 && sec[i].b2 == 0.0);
        assert_int_equal(first_order, 1);
    }
    double m;
    /* edges: exactly 1/sqrt(2) */
    snprintf(what, sizeof what, "kind %d order %u fs %g edge f1", kind, order, fs);
    assert_int_equal(vs_biquad_magnitude(sec, n, fs, f1, &m), VS_OK);
    check_close(m, M_SQRT1_2, 0.0, 1e-9, what);
    if (band) {
        assert_int_equal(vs_biquad_magnitude(sec, n, fs, f2, &m), VS_OK);
        snprintf(what, sizeof what, "kind %d order %u fs %g edge f2", kind, order, fs);
        check_close(m, M_SQRT1_2, 0.0, 1e-9, what);
    }
    /* the whole response on a grid, against the analytic formula */
    for (int i = 1; i < 200; i++) {
        double f = fs * 0.5 * (double)i / 200.0;
        double want = analytic(kind, order, fs, f1, f2, f);
        assert_int_equal(vs_biquad_magnitude(sec, n, fs, f, &m), VS_OK);
        snprintf(what, sizeof what, "kind %d order %u fs %g f1 %g f2 %g at f %g", kind, order,
                 fs, f1, f2, f);
        check_close(m, want, 1e-8, 1e-11, what);
    }
    /* pass band ~ 1 */
    double fp = kind == VS_FILTER_LOWPASS ? f1 * 0.05
              : kind == VS_FILTER_HIGHPASS ? 0.5 * (f1 + fs * 0.5)
              : kind == VS_FILTER_BANDPASS ? fs / M_PI * atan(sqrt(tan(M_PI * f1 / fs) *
                                                                   tan(M_PI * f2 / fs)))
                                           : 0.0;
    assert_int_equal(vs_biquad_magnitude(sec, n, fs, fp, &m), VS_OK);
    snprintf(what, sizeof what, "kind %d order %u fs %g passband", kind, order, fs);
    check_close(m, analytic(kind, order, fs, f1, f2, fp), 1e-9, 0.0, what);
    assert_true(m > 0.99);
    if (kind == VS_FILTER_BANDPASS || kind == VS_FILTER_BANDSTOP) check_close(m, 1.0, 0.0, 1e-10, what);
}

static void test_butterworth_low_high(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FS; i++) {
        double fs = k_fs[i];
        for (unsigned order = 1; order <= 8; order++) {
            check_design(VS_FILTER_LOWPASS, order, fs, 15.0, 0.0);
            check_design(VS_FILTER_LOWPASS, order, fs, fs * 0.4, 0.0);
            check_design(VS_FILTER_HIGHPASS, order, fs, 0.5, 0.0);
            check_design(VS_FILTER_HIGHPASS, order, fs, 5.0, 0.0);
        }
    }
}

static void test_butterworth_band(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FS; i++) {
        double fs = k_fs[i];
        for (unsigned order = 1; order <= 8; order++) {
            check_design(VS_FILTER_BANDPASS, order, fs, 5.0, 15.0);
            check_design(VS_FILTER_BANDPASS, order, fs, 0.5, 40.0);
            check_design(VS_FILTER_BANDSTOP, order, fs, 45.0, 49.0);
            check_design(VS_FILTER_BANDSTOP, order, fs, 10.0, 30.0);
        }
    }
}

static void test_stopband_attenuation(void **state)
{
    (void)state;
    /* order-4 low-pass 15 Hz at 360 Hz: one octave up ~ -24 dB, Butterworth formula */
    vs_biquad_coeffs sec[8];
    size_t n;
    double m;
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 4, 360.0, 15.0, 0.0, sec, 8, &n),
                     VS_OK);
    assert_int_equal(vs_biquad_magnitude(sec, n, 360.0, 30.0, &m), VS_OK);
    double r = tan(M_PI * 30.0 / 360.0) / tan(M_PI * 15.0 / 360.0);
    check_close(m, 1.0 / sqrt(1.0 + pow(r, 8.0)), 1e-9, 0.0, "octave");
    assert_true(20.0 * log10(m) < -23.0);
    /* at Nyquist a low-pass is exactly zero (zeros at z = -1) */
    assert_int_equal(vs_biquad_magnitude(sec, n, 360.0, 180.0, &m), VS_OK);
    assert_true(m < 1e-12);
    /* band-stop centre is a zero */
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDSTOP, 2, 500.0, 48.0, 52.0, sec, 8, &n),
                     VS_OK);
    double c = 500.0 / M_PI * atan(sqrt(tan(M_PI * 48.0 / 500.0) * tan(M_PI * 52.0 / 500.0)));
    assert_int_equal(vs_biquad_magnitude(sec, n, 500.0, c, &m), VS_OK);
    assert_true(m < 1e-7);
    assert_int_equal(vs_biquad_magnitude(sec, n, 500.0, 0.0, &m), VS_OK);
    check_close(m, 1.0, 0.0, 1e-14, "bandstop DC");
}

static void test_design_errors(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n = 0;
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, 250.0, 10.0, 0.0, NULL, 8, &n),
                     VS_E_NULL_ARG);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, 250.0, 10.0, 0.0, sec, 8, NULL),
                     VS_E_NULL_ARG);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, 99.9, 10.0, 0.0, sec, 8, &n),
                     VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, 1000.1, 10.0, 0.0, sec, 8, &n),
                     VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, NAN, 10.0, 0.0, sec, 8, &n),
                     VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 0, 250.0, 10.0, 0.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 9, 250.0, 10.0, 0.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    assert_int_equal(vs_butterworth_design((vs_filter_kind)7, 2, 250.0, 10.0, 0.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    const double bad_f1[] = {0.0, -1.0, 125.0, 200.0, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_f1 / sizeof bad_f1[0]; i++) {
        assert_int_equal(vs_butterworth_design(VS_FILTER_HIGHPASS, 2, 250.0, bad_f1[i], 0.0, sec,
                                               8, &n), VS_E_INVALID_ARG);
        assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 2, 250.0, bad_f1[i], 40.0,
                                               sec, 8, &n), VS_E_INVALID_ARG);
    }
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 2, 250.0, 20.0, 10.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 2, 250.0, 20.0, 20.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDSTOP, 2, 250.0, 20.0, 125.0, sec, 8, &n),
                     VS_E_INVALID_ARG);
    /* capacity: reports the count needed, leaves the output alone */
    memset(sec, 0, sizeof sec);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 5, 250.0, 10.0, 0.0, sec, 2, &n),
                     VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 3);
    assert_true(sec[0].b0 == 0.0);
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 8, 250.0, 5.0, 15.0, sec, 7, &n),
                     VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 8);
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 5, 250.0, 10.0, 0.0, sec, 3, &n),
                     VS_OK);
    /* an edge so close to 0 that the pole rounds onto the unit circle */
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 2, 250.0, 1e-300, 0.0, sec, 8, &n),
                     VS_E_UNSTABLE_FILTER);
    /* magnitude errors */
    double m;
    assert_int_equal(vs_biquad_magnitude(NULL, 1, 250.0, 1.0, &m), VS_E_NULL_ARG);
    assert_int_equal(vs_biquad_magnitude(sec, 1, 250.0, 1.0, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_biquad_magnitude(sec, 1, 0.0, 1.0, &m), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_biquad_magnitude(sec, 1, 250.0, NAN, &m), VS_E_INVALID_ARG);
    assert_int_equal(vs_biquad_magnitude(NULL, 0, 250.0, 1.0, &m), VS_OK);
    assert_true(m == 1.0);
}

static void test_notch(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FS; i++) {
        double fs = k_fs[i];
        const double f0s[] = {50.0, 60.0};
        for (int j = 0; j < 2; j++) {
            double f0 = f0s[j];
            if (f0 >= fs / 2) continue;
            vs_biquad_coeffs c;
            double q = 30.0, m;
            assert_int_equal(vs_notch_design(fs, f0, q, &c), VS_OK);
            assert_true(vs_biquad_is_stable(&c));
            /* zeros on the unit circle: b0 == b2, |b1| = 2 b0 cos w0 */
            assert_true(c.b0 == c.b2);
            check_close(c.b1 / c.b0, -2.0 * cos(2.0 * M_PI * f0 / fs), 1e-14, 1e-15, "zeros");
            assert_int_equal(vs_biquad_magnitude(&c, 1, fs, f0, &m), VS_OK);
            assert_true(m < 1e-7);
            assert_int_equal(vs_biquad_magnitude(&c, 1, fs, 0.0, &m), VS_OK);
            check_close(m, 1.0, 0.0, 1e-14, "notch DC");
            /* -3 dB edges are f0/q apart (pre-warped): check the analytic notch formula */
            for (int k = 1; k < 100; k++) {
                double f = fs * 0.5 * k / 100.0;
                double w = 2 * M_PI * f / fs, w0 = 2 * M_PI * f0 / fs;
                double beta = tan(M_PI * (f0 / q) / fs);
                /* |H|^2 = (cos w - cos w0)^2 / ((cos w - cos w0)^2 + beta^2 sin^2 w) */
                double num = (cos(w) - cos(w0)) * (cos(w) - cos(w0));
                double want = sqrt(num / (num + beta * beta * sin(w) * sin(w)));
                assert_int_equal(vs_biquad_magnitude(&c, 1, fs, f, &m), VS_OK);
                check_close(m, want, 1e-9, 1e-12, "notch shape");
            }
        }
    }
    vs_biquad_coeffs c;
    assert_int_equal(vs_notch_design(250.0, 50.0, 30.0, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_notch_design(50.0, 10.0, 30.0, &c), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_notch_design(250.0, 0.0, 30.0, &c), VS_E_INVALID_ARG);
    assert_int_equal(vs_notch_design(250.0, 125.0, 30.0, &c), VS_E_INVALID_ARG);
    assert_int_equal(vs_notch_design(250.0, 50.0, 0.0, &c), VS_E_INVALID_ARG);
    assert_int_equal(vs_notch_design(250.0, 50.0, NAN, &c), VS_E_INVALID_ARG);
    assert_int_equal(vs_notch_design(250.0, 100.0, 0.5, &c), VS_E_INVALID_ARG);
}

/* Filtering a sine: the steady-state amplitude equals vs_biquad_magnitude. */
static double measured_gain(const vs_biquad_coeffs *sec, size_t n, double fs, double f)
{
    vs_iir *iir = NULL;
    assert_int_equal(vs_iir_create(&iir, sec, n), VS_OK);
    enum { LEN = 40000 };
    static float x[LEN];
    for (int i = 0; i < LEN; i++) x[i] = (float)sin(2.0 * M_PI * f * i / fs);
    assert_int_equal(vs_iir_process(iir, x, x, LEN), VS_OK);
    vs_iir_destroy(iir);
    /* least-squares amplitude over the last 20000 samples (many periods) */
    double ss = 0, sc = 0, s2 = 0, c2 = 0, sxc = 0;
    for (int i = LEN - 20000; i < LEN; i++) {
        double s = sin(2.0 * M_PI * f * i / fs), c = cos(2.0 * M_PI * f * i / fs);
        ss += x[i] * s;
        sc += x[i] * c;
        s2 += s * s;
        c2 += c * c;
        sxc += s * c;
    }
    double det = s2 * c2 - sxc * sxc;
    double a = (ss * c2 - sc * sxc) / det, b = (sc * s2 - ss * sxc) / det;
    return sqrt(a * a + b * b);
}

static void test_measured_response(void **state)
{
    (void)state;
    struct { vs_filter_kind k; unsigned o; double fs, f1, f2; } d[] = {
        {VS_FILTER_LOWPASS, 4, 360.0, 15.0, 0.0},
        {VS_FILTER_HIGHPASS, 3, 250.0, 5.0, 0.0},
        {VS_FILTER_BANDPASS, 2, 500.0, 5.0, 15.0},
        {VS_FILTER_BANDSTOP, 2, 1000.0, 45.0, 55.0},
        {VS_FILTER_LOWPASS, 1, 100.0, 20.0, 0.0},
    };
    const double fr[] = {0.37, 1.0, 1.9, 4.1};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        vs_biquad_coeffs sec[8];
        size_t n;
        assert_int_equal(vs_butterworth_design(d[i].k, d[i].o, d[i].fs, d[i].f1, d[i].f2, sec, 8,
                                               &n), VS_OK);
        for (size_t j = 0; j < 4; j++) {
            double f = d[i].f1 * fr[j];
            if (f >= d[i].fs / 2) continue;
            double want;
            assert_int_equal(vs_biquad_magnitude(sec, n, d[i].fs, f, &want), VS_OK);
            double got = measured_gain(sec, n, d[i].fs, f);
            check_close(got, want, 1e-4, 2e-6, "measured gain");
        }
    }
}

/* Golden bits: the coefficients must not depend on the platform's libm. These values were
 * produced by this implementation and must be identical on every platform (x86-64, wasm32,
 * Python extension). */
#ifndef GOLDEN_BP_HASH
#define GOLDEN_BP_HASH 0xe1fa164c56f8c1f7ull
#endif
static void test_golden_coefficients(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 2, 360.0, 5.0, 15.0, sec, 8, &n),
                     VS_OK);
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p = (const unsigned char *)sec;
    for (size_t i = 0; i < n * sizeof sec[0]; i++) h = (h ^ p[i]) * 1099511628211ull;
    printf("golden hash %016llx\n", (unsigned long long)h);
    assert_true(h == GOLDEN_BP_HASH);
    /* every kind, order 1..8 and standard rate, plus notches: one hash of all coefficient bits
     * (the same on gcc -O0/-O2/-O3 -march=native and clang -O2 on x86-64) */
    const vs_filter_kind kinds[4] = {VS_FILTER_LOWPASS, VS_FILTER_HIGHPASS, VS_FILTER_BANDPASS,
                                     VS_FILTER_BANDSTOP};
    h = 1469598103934665603ull;
    for (int a = 0; a < 4; a++)
        for (unsigned o = 1; o <= 8; o++)
            for (size_t f = 0; f < N_FS; f++) {
                assert_int_equal(vs_butterworth_design(kinds[a], o, k_fs[f], 3.3, 17.0, sec, 8,
                                                       &n), VS_OK);
                p = (const unsigned char *)sec;
                for (size_t i = 0; i < n * sizeof sec[0]; i++) h = (h ^ p[i]) * 1099511628211ull;
                /* at 100 Hz a 50 Hz notch is rejected and sec keeps the previous design */
                assert_int_equal(vs_notch_design(k_fs[f], 50.0, 25.0, sec),
                                 k_fs[f] > 100.0 ? VS_OK : VS_E_INVALID_ARG);
                for (size_t i = 0; i < sizeof sec[0]; i++) h = (h ^ p[i]) * 1099511628211ull;
            }
    printf("golden hash (all designs) %016llx\n", (unsigned long long)h);
    assert_true(h == 0x4d292ae098b98e9full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detmath_vs_libm),
        cmocka_unit_test(test_butterworth_low_high),
        cmocka_unit_test(test_butterworth_band),
        cmocka_unit_test(test_stopband_attenuation),
        cmocka_unit_test(test_design_errors),
        cmocka_unit_test(test_notch),
        cmocka_unit_test(test_measured_response),
        cmocka_unit_test(test_golden_coefficients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
