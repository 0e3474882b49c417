/* test_episodes.c — the epicmp-style AF episode comparator on hand-made annotation lists whose
 * answers were worked out by hand from epicmp's rules (see src/eval/episodes.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/eval.h"

typedef struct item {
    int64_t t;
    const char *aux; /* NULL: a normal beat annotation */
} item;

static size_t build(vs_annotation *out, const item *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].sample_idx = in[i].t;
        if (in[i].aux) {
            out[i].code = VS_ANN_RHYTHM;
            out[i].aux_len = (uint16_t)(strlen(in[i].aux) + 1); /* WFDB style: NUL included */
            memcpy(out[i].aux, in[i].aux, strlen(in[i].aux));
        } else {
            out[i].code = VS_ANN_NORMAL;
        }
    }
    return n;
}

#define BUILD(arr, items) build(arr, items, sizeof items / sizeof items[0])

static vs_epi_options opts(double start_s, double end_s)
{
    vs_epi_options o;
    vs_epi_default_options(&o);
    o.start_s = start_s;
    o.end_s = end_s;
    return o;
}

static void test_basic_counts(void **st)
{
    (void)st;
    static const item ref_i[] = { {100, "(AFIB"}, {400, "(N"}, {600, "(AFIB"}, {800, "(N"} };
    static const item test_i[] = { {150, "(AFIB"}, {300, "(N"}, {350, "(AFIB"}, {450, "(N"},
                                   {900, "(AFIB"}, {950, "(N"} };
    vs_annotation ref[8], test[8];
    size_t nr = BUILD(ref, ref_i), nt = BUILD(test, test_i);
    vs_epi_options o = opts(0.0, 10.0); /* fs 100: scoring 0..1000 */
    vs_epi_result r;
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.ref_matched, 1);
    assert_int_equal(r.ref_missed, 1);
    assert_int_equal(r.ref_duration, 500);
    assert_int_equal(r.ref_overlap, 200);
    assert_int_equal(r.test_matched, 2);
    assert_int_equal(r.test_false, 1);
    assert_int_equal(r.test_duration, 300);
    assert_int_equal(r.test_overlap, 200);
    vs_epi_stats s;
    assert_int_equal(vs_epi_result_stats(&r, &s), VS_OK);
    assert_true(s.episode_se == 50.0);
    assert_true(s.duration_se == 40.0);
    assert_true(s.episode_ppv > 66.66 && s.episode_ppv < 66.67);
    assert_true(s.duration_ppv > 66.66 && s.duration_ppv < 66.67);
}

static void test_learning_period_and_open_end(void **st)
{
    (void)st;
    static const item ref_i[] = { {0, "(N"}, {200, "(AFIB"}, {500, "(N"}, {700, "(AFIB"} };
    static const item test_i[] = { {250, "(AFIB"}, {260, "(N"}, {450, "(AFIB"}, {600, NULL},
                                   {900, "(AFL"} };
    vs_annotation ref[8], test[8];
    size_t nr = BUILD(ref, ref_i), nt = BUILD(test, test_i);
    vs_epi_options o = opts(3.0, -1.0);
    o.record_length_samples = 1000;
    vs_epi_result r;
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.start_sample, 300);
    assert_int_equal(r.end_sample, 1000);
    assert_int_equal(r.ref_matched, 2);
    assert_int_equal(r.ref_missed, 0);
    assert_int_equal(r.ref_duration, 500);  /* [300,500] + [700,1000] */
    assert_int_equal(r.ref_overlap, 250);   /* 450..500 + 700..900 */
    assert_int_equal(r.test_matched, 1);    /* [250,260] ends in the learning period */
    assert_int_equal(r.test_false, 0);
    assert_int_equal(r.test_duration, 450); /* [450,900]: AFL ends AF */
    assert_int_equal(r.test_overlap, 250);
}

static void test_exclude_afl(void **st)
{
    (void)st;
    static const item ref_i[] = { {100, "(AFL"}, {300, "(N"}, {400, "(AFIB"}, {500, "(N"} };
    static const item test_i[] = { {150, "(AFIB"}, {450, "(N"} };
    vs_annotation ref[8], test[8];
    size_t nr = BUILD(ref, ref_i), nt = BUILD(test, test_i);
    vs_epi_options o = opts(0.0, 10.0);
    vs_epi_result r;
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.test_duration, 300); /* EC57 default: AFL is plain non-AF */
    assert_int_equal(r.test_overlap, 50);
    o.exclude_afl = 1;
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.test_duration, 150); /* 150..300 cut out */
    assert_int_equal(r.test_overlap, 50);
    assert_int_equal(r.ref_duration, 100);  /* the Se pass never excludes */
    assert_int_equal(r.ref_overlap, 50);
}

static void test_repeated_afib_and_min_length(void **st)
{
    (void)st;
    static const item ref_i[] = { {100, "(AFIB"}, {150, NULL}, {200, "(AFIB"}, {300, "(N"},
                                  {500, "(AFIB"}, {520, "(N"} };
    vs_annotation ref[8];
    size_t nr = BUILD(ref, ref_i);
    vs_epi_options o = opts(0.0, 10.0);
    vs_epi_result r;
    assert_int_equal(vs_epi_compare_af(ref, nr, ref, nr, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.ref_matched, 2);     /* [100,300] is one episode */
    assert_int_equal(r.ref_duration, 220);
    assert_int_equal(r.ref_overlap, 220);
    o.min_length_s = 0.5;                    /* 50 samples: [500,520] is left out */
    assert_int_equal(vs_epi_compare_af(ref, nr, ref, nr, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.ref_matched, 1);
    assert_int_equal(r.ref_duration, 200);
    assert_int_equal(r.test_duration, 200);
    /* no AF anywhere: all zero, figures undefined */
    assert_int_equal(vs_epi_compare_af(ref, 0, ref, 0, 100.0, &o, &r), VS_OK);
    vs_epi_stats s;
    vs_epi_result_stats(&r, &s);
    assert_true(s.episode_se == -1.0 && s.duration_ppv == -1.0);
}

static void test_summary_and_errors(void **st)
{
    (void)st;
    static const item ref_i[] = { {100, "(AFIB"}, {400, "(N"} };
    static const item test_i[] = { {200, "(AFIB"}, {600, "(N"} };
    vs_annotation ref[4], test[4];
    size_t nr = BUILD(ref, ref_i), nt = BUILD(test, test_i);
    vs_epi_options o = opts(0.0, 10.0);
    vs_epi_result r;
    vs_epi_summary sum;
    vs_epi_summary_init(&sum);
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, &r), VS_OK);
    assert_int_equal(r.ref_overlap, 200);
    assert_int_equal(r.test_duration, 400);
    vs_epi_summary_add(&sum, &r);
    assert_int_equal(vs_epi_compare_af(ref, nr, ref, nr, 100.0, &o, &r), VS_OK);
    vs_epi_summary_add(&sum, &r);
    vs_epi_stats g;
    assert_int_equal(vs_epi_summary_stats(&sum, &g), VS_OK);
    assert_int_equal(sum.n_records, 2);
    assert_true(g.duration_se > 83.33 && g.duration_se < 83.34);  /* 500 / 600 */
    assert_true(g.duration_ppv > 71.42 && g.duration_ppv < 71.43); /* 500 / 700 */

    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &o, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_epi_compare_af(NULL, 2, test, nt, 100.0, &o, &r), VS_E_NULL_ARG);
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 0.0, &o, &r), VS_E_INVALID_ARG);
    vs_annotation bad[2] = { ref[1], ref[0] };
    assert_int_equal(vs_epi_compare_af(bad, 2, test, nt, 100.0, &o, &r), VS_E_INVALID_ARG);
    assert_int_equal(r.ref_duration, 0);
    vs_epi_options ob = opts(5.0, 2.0);
    assert_int_equal(vs_epi_compare_af(ref, nr, test, nt, 100.0, &ob, &r), VS_E_INVALID_ARG);
    assert_int_equal(vs_epi_result_struct_size(), sizeof(vs_epi_result));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_counts),
        cmocka_unit_test(test_learning_period_and_open_end),
        cmocka_unit_test(test_exclude_afl),
        cmocka_unit_test(test_repeated_afib_and_min_length),
        cmocka_unit_test(test_summary_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
