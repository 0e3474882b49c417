/* test_common_helpers.c — the private helpers in src/common/: sampling-rate check and ms ->
 * samples (units.h), sorts and median (sort.h), deterministic exp and log (detmath.h; sin/cos/tan
 * are checked in test_filter_design.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "common/detmath.h"
#include "common/sort.h"
#include "common/units.h"

static void test_fs_in_range(void **state)
{
    (void)state;
    assert_true(vs_fs_in_range(VS_FS_MIN_HZ));
    assert_true(vs_fs_in_range(VS_FS_MAX_HZ));
    assert_true(vs_fs_in_range(360.0));
    assert_false(vs_fs_in_range(nextafter(VS_FS_MIN_HZ, 0.0)));
    assert_false(vs_fs_in_range(nextafter(VS_FS_MAX_HZ, 2e3)));
    assert_false(vs_fs_in_range(NAN));
    assert_false(vs_fs_in_range(INFINITY));
    assert_false(vs_fs_in_range(-INFINITY));
}

static void test_ms_to_samples(void **state)
{
    (void)state;
    /* 150 ms at 360 Hz = 54 samples; 160 ms at 250 Hz = 40; half a sample rounds away from 0 */
    assert_int_equal(vs_ms_to_samples(150.0, 360.0), 54);
    assert_int_equal(vs_ms_to_samples(160.0, 250.0), 40);
    assert_int_equal(vs_ms_to_samples(5.0, 100.0), 1);   /* 0.5 samples */
    assert_int_equal(vs_ms_to_samples(4.9, 100.0), 0);
    assert_int_equal(vs_ms_to_samples(0.0, 1000.0), 0);
    assert_int_equal(vs_ms_to_samples(-5.0, 100.0), -1);
    /* a window is at least one sample */
    assert_int_equal(vs_ms_to_window(0.0, 360.0), 1);
    assert_int_equal(vs_ms_to_window(4.9, 100.0), 1);
    assert_int_equal(vs_ms_to_window(2000.0, 360.0), 720);
    /* unrounded, in the order ms * 1e-3 * fs the modules always used */
    for (double ms = 0.0; ms < 3000.0; ms += 7.3)
        for (double fs = VS_FS_MIN_HZ; fs <= VS_FS_MAX_HZ; fs += 37.5) {
            double want = ms * 1e-3 * fs;
            assert_true(vs_ms_in_samples(ms, fs) == want);
            assert_int_equal(vs_ms_to_samples(ms, fs), (int32_t)lround(want));
        }
}

static int cmp_f64(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_sorts(void **state)
{
    (void)state;
    srand(7);
    for (size_t n = 0; n <= 70; n++) {
        float f[70];
        double d[70], ref[70];
        for (size_t i = 0; i < n; i++) {
            int r = rand() % 41 - 20; /* duplicates on purpose */
            f[i] = (float)r * 0.25f;
            d[i] = ref[i] = (double)r * 0.125;
        }
        vs_sort_f32(f, n);
        vs_sort_f64(d, n);
        if (n) qsort(ref, n, sizeof ref[0], cmp_f64);
        for (size_t i = 0; i < n; i++) {
            assert_true(d[i] == ref[i]);
            assert_true(f[i] == (float)(ref[i] * 2.0)); /* same keys, same order */
        }
    }
    /* a long double array (HRV windows): heap sort against qsort */
    enum { N = 5000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < N; i++) a[i] = b[i] = (double)rand() / RAND_MAX * 2000.0 - 1000.0;
    vs_sort_f64(a, N);
    qsort(b, N, sizeof b[0], cmp_f64);
    for (size_t i = 0; i < N; i++) assert_true(a[i] == b[i]);
    free(a);
    free(b);
}

static void test_median(void **state)
{
    (void)state;
    const float odd[] = {1.0f, 2.0f, 7.0f};
    const float even[] = {1.0f, 2.0f, 4.0f, 9.0f};
    assert_true(vs_median_sorted_f32(odd, 3) == 2.0f);
    assert_true(vs_median_sorted_f32(even, 4) == 3.0f);
    assert_true(vs_median_sorted_f32(odd, 1) == 1.0f);
}

/* Relative error of got against libm's want, in units of DBL_EPSILON. */
static double rel_eps(double got, double want)
{
    return want == 0.0 ? fabs(got) / DBL_EPSILON : fabs(got - want) / fabs(want) / DBL_EPSILON;
}

static void test_det_exp(void **state)
{
    (void)state;
    double worst = 0.0;
    for (double x = -700.0; x <= 700.0; x += 0.0173) worst = fmax(worst, rel_eps(vs_det_exp(x), exp(x)));
    assert_true(worst <= 4.0);
    assert_true(vs_det_exp(0.0) == 1.0);
    assert_true(vs_det_exp(-800.0) == 0.0);
    assert_true(isinf(vs_det_exp(800.0)));
    assert_true(isnan(vs_det_exp(NAN)));
}

static void test_det_log(void **state)
{
    (void)state;
    double worst = 0.0;
    /* the classifier's feature range and far beyond, logarithmically spaced */
    for (double x = 1e-300; x < 1e300; x *= 1.0137) worst = fmax(worst, rel_eps(vs_det_log(x), log(x)));
    /* around 1, where log is small: relative accuracy must hold there too */
    for (double x = 0.5; x <= 2.0; x += 1.0 / 4096.0 + 1e-9)
        if (x != 1.0) worst = fmax(worst, rel_eps(vs_det_log(x), log(x)));
    print_message("det log: worst relative error %.2f eps\n", worst);
    assert_true(worst <= 4.0);
    assert_true(vs_det_log(1.0) == 0.0);
    assert_true(fabs(vs_det_log(0x1p-1074) - log(0x1p-1074)) <= 4.0 * DBL_EPSILON * 745.0);
    assert_true(isinf(vs_det_log(0.0)) && vs_det_log(0.0) < 0.0);
    assert_true(isinf(vs_det_log(INFINITY)) && vs_det_log(INFINITY) > 0.0);
    assert_true(isnan(vs_det_log(-1.0)));
    assert_true(isnan(vs_det_log(NAN)));
    /* inverse of exp to within a few ulp */
    for (double y = -20.0; y <= 20.0; y += 0.01)
        assert_true(fabs(vs_det_log(vs_det_exp(y)) - y) <= 8.0 * DBL_EPSILON * fmax(1.0, fabs(y)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fs_in_range), cmocka_unit_test(test_ms_to_samples),
        cmocka_unit_test(test_sorts),       cmocka_unit_test(test_median),
        cmocka_unit_test(test_det_exp),     cmocka_unit_test(test_det_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
