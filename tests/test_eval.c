/* test_eval.c — EC57 comparator (vs_ec57_*) on hand-made annotation lists, one test per bxb
 * rule (see the rule list at the top of src/eval/ec57.c). Times in samples at 360 Hz, where the
 * default 0.15 s window is 54 samples and the default start (300 s) is sample 108000. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/eval.h"

#define FS 360.0
#define MAXA 64

typedef struct { vs_annotation a[MAXA]; size_t n; } alist;

static void add(alist *l, int64_t t, int code) {
    assert_true(l->n < MAXA);
    memset(&l->a[l->n], 0, sizeof l->a[0]);
    l->a[l->n].sample_idx = t;
    l->a[l->n].code = (int16_t)code;
    l->n++;
}
static void add_sub(alist *l, int64_t t, int code, int subtype) {
    add(l, t, code);
    l->a[l->n - 1].subtype = (int8_t)subtype;
}
static void beats(alist *l, const int64_t *t, size_t n, int code) {
    for (size_t i = 0; i < n; i++) add(l, t[i], code);
}

/* options: start 0 (scoring from the first sample), record of 100000 samples (the end), window
 * 0.15 s */
static vs_ec57_options opt0(void) {
    vs_ec57_options o;
    vs_ec57_default_options(&o);
    o.start_s = 0.0;
    o.record_length_samples = 100000;
    return o;
}

static vs_ec57_result run(const alist *r, const alist *t, const vs_ec57_options *o) {
    vs_ec57_result res;
    assert_int_equal(vs_ec57_compare(r->a, r->n, t->a, t->n, FS, o, &res), VS_OK);
    return res;
}

#define CHECK(res, TP, FN, FP) do { \
    assert_int_equal((res).tp, (TP)); assert_int_equal((res).fn, (FN)); \
    assert_int_equal((res).fp, (FP)); } while (0)

static void test_defaults(void **state) {
    (void)state;
    vs_ec57_options o;
    vs_ec57_default_options(&o);
    assert_true(fabs(o.match_window_s - 0.15) < 1e-12);
    assert_true(fabs(o.start_s - 300.0) < 1e-12);
    assert_true(o.end_s < 0.0);
    alist r = { .n = 0 }, t = { .n = 0 };
    vs_ec57_result res = run(&r, &t, &o);
    assert_int_equal(res.match_window_samples, 54);   /* (int)(0.15*360 + 0.5) */
    assert_int_equal(res.start_sample, 108000);
    assert_int_equal(res.end_sample, -1);
    CHECK(res, 0, 0, 0);
    /* WFDB rounding at another rate: 0.15 s * 250 Hz = 37.5 -> 38 samples */
    assert_int_equal(vs_ec57_compare(NULL, 0, NULL, 0, 250.0, &o, &res), VS_OK);
    assert_int_equal(res.match_window_samples, 38);
    assert_int_equal(res.start_sample, 75000);
    o.record_length_samples = 650000;
    assert_int_equal(vs_ec57_compare(NULL, 0, NULL, 0, FS, &o, &res), VS_OK);
    assert_int_equal(res.end_sample, 650000);
}

static void test_identical(void **state) {
    (void)state;
    alist r = { .n = 0 };
    for (int i = 1; i <= 20; i++) add(&r, i * 300, i % 5 == 0 ? VS_ANN_PVC : VS_ANN_NORMAL);
    vs_ec57_options o = opt0();
    vs_ec57_result res = run(&r, &r, &o);
    CHECK(res, 20, 0, 0);
    assert_int_equal(res.matrix[VS_EC57_N][VS_EC57_N], 16);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_V], 4);
    vs_ec57_stats st;
    assert_int_equal(vs_ec57_result_stats(&res, &st), VS_OK);
    assert_true(st.qrs_se == 100.0 && st.qrs_ppv == 100.0 && st.veb_se == 100.0);
    assert_true(st.sveb_se == -1.0);                    /* no SVEB: undefined */
    assert_true(st.rms_rr_error_ms == 0.0);
}

static void test_window_edge(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    const int64_t dts[] = { 54, -54, 55, -55, 0 };
    const int matched[] = { 1, 1, 0, 0, 1 };
    for (size_t k = 0; k < sizeof dts / sizeof dts[0]; k++) {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 1000, VS_ANN_NORMAL);
        add(&t, 1000 + dts[k], VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        if (matched[k]) CHECK(res, 1, 0, 0);
        else CHECK(res, 0, 1, 1);
    }
    /* a wider window (-w) */
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 1000, VS_ANN_NORMAL);
    add(&t, 1070, VS_ANN_NORMAL);
    o.match_window_s = 0.2; /* 72 samples */
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 1, 0, 0);
}

static void test_missed_and_extra(void **state) {
    (void)state;
    alist r = { .n = 0 }, t = { .n = 0 };
    const int64_t rt[] = { 1000, 2000, 3000, 4000 };
    const int64_t tt[] = { 1010, 1500, 3000, 3990, 4500 };
    beats(&r, rt, 4, VS_ANN_NORMAL);
    beats(&t, tt, 5, VS_ANN_NORMAL);
    vs_ec57_options o = opt0();
    o.record_length_samples = 0;
    vs_ec57_result res = run(&r, &t, &o);
    /* end = end of reference annotations (record length unknown): 4500 is after the last
     * reference beat and is not counted */
    CHECK(res, 3, 1, 1);
    assert_int_equal(res.matrix[VS_EC57_N][VS_EC57_O], 1);
    assert_int_equal(res.matrix[VS_EC57_O][VS_EC57_N], 1);
    /* with the record length known (bxb's default "e"), extra beats at the end count */
    o.record_length_samples = 10000;
    res = run(&r, &t, &o);
    CHECK(res, 3, 1, 2);
    /* -t 0: stop when either list ends */
    o.end_s = 0.0;
    res = run(&r, &t, &o);
    CHECK(res, 3, 1, 1);
}

static void test_double_match(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    /* two test beats around one reference beat: the closer one matches; on a tie the later
     * one matches (the earlier is refused because the next test beat is not farther) */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 1000, VS_ANN_NORMAL);
        add(&t, 995, VS_ANN_NORMAL);
        add(&t, 1010, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 1, 0, 1);
    }
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 1000, VS_ANN_NORMAL);
        add(&r, 2000, VS_ANN_NORMAL);
        add(&t, 990, VS_ANN_NORMAL);
        add(&t, 1010, VS_ANN_NORMAL);
        add(&t, 2000, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 2, 0, 1);
    }
    /* one test beat between two reference beats: it matches one of them only */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 1000, VS_ANN_NORMAL);
        add(&r, 1060, VS_ANN_NORMAL);
        add(&t, 1040, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 1, 1, 0);
        /* 1040 is closer to 1060: 1000 is missed, 1060 matched */
        assert_int_equal(res.matrix[VS_EC57_N][VS_EC57_O], 1);
    }
}

/* The 2002 modification (example in bxb.c): window 37, ref 96 160, test 128 185 -> all match;
 * the plain "closer than the next" rule would give 2 FN + ... */
static void test_pardey_rule(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    o.match_window_s = 37.0 / 360.0;
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 96, VS_ANN_NORMAL);
    add(&r, 160, VS_ANN_NORMAL);
    add(&t, 128, VS_ANN_NORMAL);
    add(&t, 185, VS_ANN_NORMAL);
    vs_ec57_result res = run(&r, &t, &o);
    assert_int_equal(res.match_window_samples, 37);
    CHECK(res, 2, 0, 0);
    /* same with the roles swapped (case 1 of the loop) */
    res = run(&t, &r, &o);
    CHECK(res, 2, 0, 0);
}

static void test_start_boundary(void **state) {
    (void)state;
    vs_ec57_options o;
    vs_ec57_default_options(&o);
    o.record_length_samples = 200000;
    /* reference beats before 5 min are not scored; the last test beat before the start can
     * match the first scored reference beat */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        const int64_t rt[] = { 50000, 107990, 108010, 108400 };
        const int64_t tt[] = { 60000, 107980, 108400 };
        beats(&r, rt, 4, VS_ANN_NORMAL);
        beats(&t, tt, 3, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 2, 0, 0);
    }
    /* a test beat within the window after the start is dropped uncounted when the next test
     * beat is closer to the first reference beat */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 108100, VS_ANN_NORMAL);
        add(&t, 108020, VS_ANN_NORMAL);
        add(&t, 108090, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 1, 0, 0);
    }
    /* ... but not when it is more than a window after the start */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 108300, VS_ANN_NORMAL);
        add(&t, 108200, VS_ANN_NORMAL);
        add(&t, 108290, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 1, 0, 1);
    }
    /* a reference beat exactly at the start is scored; test beats only in the learning period
     * are not */
    {
        alist r = { .n = 0 }, t = { .n = 0 };
        add(&r, 108000, VS_ANN_NORMAL);
        add(&t, 1000, VS_ANN_NORMAL);
        add(&t, 2000, VS_ANN_NORMAL);
        vs_ec57_result res = run(&r, &t, &o);
        CHECK(res, 0, 1, 0);
    }
}

static void test_end_boundary(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    o.end_s = 3000.0 / 360.0; /* sample 3000 */
    alist r = { .n = 0 }, t = { .n = 0 };
    const int64_t rt[] = { 1000, 2000, 3020, 4000 };
    const int64_t tt[] = { 1000, 2990, 5000 };
    beats(&r, rt, 4, VS_ANN_NORMAL);
    beats(&t, tt, 3, VS_ANN_NORMAL);
    vs_ec57_result res = run(&r, &t, &o);
    assert_int_equal(res.end_sample, 3000);
    /* 2000 missed; 2990 (before the end) pairs with 3020 (after it); nothing later counts */
    CHECK(res, 2, 1, 0);
    /* end before start: improper interval */
    o.start_s = 10.0;
    o.end_s = 5.0;
    assert_int_equal(vs_ec57_compare(r.a, r.n, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
}

static void test_non_beats_ignored(void **state) {
    (void)state;
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 500, VS_ANN_RHYTHM);
    add(&r, 1000, VS_ANN_NORMAL);
    add(&r, 1500, VS_ANN_NOTE);
    add(&r, 1700, VS_ANN_ARFCT);
    add_sub(&r, 1800, VS_ANN_NOISE, 1);   /* noise in signal 0: not a shutdown */
    add(&r, 2000, VS_ANN_NORMAL);
    add(&r, 2500, VS_ANN_TWAVE);
    add(&r, 3000, VS_ANN_NORMAL);
    add(&t, 1000, VS_ANN_NORMAL);
    add(&t, 1500, VS_ANN_NOTE);
    add(&t, 1600, VS_ANN_PWAVE);
    add(&t, 2000, VS_ANN_NORMAL);
    add(&t, 3000, VS_ANN_NORMAL);
    vs_ec57_options o = opt0();
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 3, 0, 0);
}

/* bxb's isqrs() table counts '!' (FLWAV) as a beat with class O: a test beat matched to it
 * is an FP, and a reference beat matched to a test '!' is an FN. */
static void test_flutter_wave_is_class_o(void **state) {
    (void)state;
    assert_true(vs_ec57_is_beat(VS_ANN_FLWAV));
    assert_int_equal(vs_ec57_code_class(VS_ANN_FLWAV), VS_EC57_O);
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 1000, VS_ANN_FLWAV);
    add(&r, 2000, VS_ANN_NORMAL);
    add(&t, 1000, VS_ANN_NORMAL);
    add(&t, 2000, VS_ANN_FLWAV);
    vs_ec57_options o = opt0();
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 0, 1, 1);
    /* and '!' against '!' counts nowhere */
    res = run(&r, &r, &o);
    CHECK(res, 1, 0, 0);
}

static void test_classes(void **state) {
    (void)state;
    /* bxb's amap with SVEB statistics */
    const int n_codes[] = { VS_ANN_NORMAL, VS_ANN_LBBB, VS_ANN_RBBB, VS_ANN_BBB };
    const int s_codes[] = { VS_ANN_APC, VS_ANN_ABERR, VS_ANN_NPC, VS_ANN_SVPB, VS_ANN_NESC,
                            VS_ANN_AESC, VS_ANN_SVESC };
    const int v_codes[] = { VS_ANN_PVC, VS_ANN_VESC, VS_ANN_RONT };
    const int q_codes[] = { VS_ANN_UNKNOWN, VS_ANN_PACE, VS_ANN_PFUS, VS_ANN_LEARN };
    for (size_t i = 0; i < 4; i++) assert_int_equal(vs_ec57_code_class(n_codes[i]), VS_EC57_N);
    for (size_t i = 0; i < 7; i++) assert_int_equal(vs_ec57_code_class(s_codes[i]), VS_EC57_S);
    for (size_t i = 0; i < 3; i++) assert_int_equal(vs_ec57_code_class(v_codes[i]), VS_EC57_V);
    for (size_t i = 0; i < 4; i++) assert_int_equal(vs_ec57_code_class(q_codes[i]), VS_EC57_Q);
    assert_int_equal(vs_ec57_code_class(VS_ANN_FUSION), VS_EC57_F);
    int nbeat = 0;
    for (int c = -5; c < 70; c++) nbeat += vs_ec57_is_beat(c);
    assert_int_equal(nbeat, 20);
    assert_false(vs_ec57_is_beat(VS_ANN_NOISE));
    assert_false(vs_ec57_is_beat(VS_ANN_NAPC));

    alist r = { .n = 0 }, t = { .n = 0 };
    const int rc[] = { VS_ANN_NORMAL, VS_ANN_PVC, VS_ANN_PVC, VS_ANN_APC, VS_ANN_APC,
                       VS_ANN_NORMAL, VS_ANN_FUSION, VS_ANN_UNKNOWN, VS_ANN_PVC };
    const int tc[] = { VS_ANN_NORMAL, VS_ANN_PVC, VS_ANN_NORMAL, VS_ANN_APC, VS_ANN_NORMAL,
                       VS_ANN_PVC, VS_ANN_NORMAL, VS_ANN_NORMAL, -1 };
    for (int i = 0; i < 9; i++) {
        add(&r, 1000 * (i + 1), rc[i]);
        if (tc[i] >= 0) add(&t, 1000 * (i + 1) + 5, tc[i]);
    }
    add(&t, 9500, VS_ANN_PVC); /* extra V */
    vs_ec57_options o = opt0();
    o.record_length_samples = 20000;
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 8, 1, 1);
    assert_int_equal(res.matrix[VS_EC57_N][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_V], 1);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_O], 1);
    assert_int_equal(res.matrix[VS_EC57_S][VS_EC57_S], 1);
    assert_int_equal(res.matrix[VS_EC57_S][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_N][VS_EC57_V], 1);
    assert_int_equal(res.matrix[VS_EC57_F][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_Q][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_O][VS_EC57_V], 1);
    vs_ec57_stats st;
    assert_int_equal(vs_ec57_result_stats(&res, &st), VS_OK);
    assert_true(fabs(st.veb_se - 100.0 / 3.0) < 1e-9);     /* Vv / (Vv+Vn+Vo) */
    assert_true(fabs(st.veb_ppv - 100.0 / 3.0) < 1e-9);    /* Vv / (Vv+Nv+Ov) */
    assert_true(fabs(st.sveb_se - 50.0) < 1e-9);
    assert_true(fabs(st.sveb_ppv - 100.0) < 1e-9);
    /* FPR: (Nv+Ov) / (Nn+Sn+Ss+Fn+Qn + Nv+Ov) = 2 / 7 */
    assert_true(fabs(st.veb_fpr - 200.0 / 7.0) < 1e-9);
}

static void test_vf_periods(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 1000, VS_ANN_NORMAL);
    add(&r, 2000, VS_ANN_VFON);
    add(&r, 2100, VS_ANN_FLWAV);
    add(&r, 2300, VS_ANN_NORMAL);   /* inside VF: ignored by bxb */
    add(&r, 3000, VS_ANN_VFOFF);
    add(&r, 4000, VS_ANN_NORMAL);
    add(&t, 1000, VS_ANN_NORMAL);
    add(&t, 2000, VS_ANN_NORMAL);   /* test beats during reference VF are not counted */
    add(&t, 2500, VS_ANN_NORMAL);
    add(&t, 3000, VS_ANN_NORMAL);
    add(&t, 3100, VS_ANN_NORMAL);   /* after VFOFF: an ordinary extra beat */
    add(&t, 4000, VS_ANN_NORMAL);
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 2, 0, 1);
    /* VF marked by the test annotator gives no exemption to reference beats */
    alist t2 = { .n = 0 };
    add(&t2, 1000, VS_ANN_NORMAL);
    add(&t2, 1500, VS_ANN_VFON);
    add(&t2, 2000, VS_ANN_NORMAL);
    add(&t2, 3500, VS_ANN_VFOFF);
    add(&t2, 4000, VS_ANN_NORMAL);
    alist r2 = { .n = 0 };
    add(&r2, 1000, VS_ANN_NORMAL);
    add(&r2, 2000, VS_ANN_NORMAL);
    add(&r2, 3000, VS_ANN_NORMAL);
    add(&r2, 4000, VS_ANN_NORMAL);
    res = run(&r2, &t2, &o);
    CHECK(res, 2, 2, 0);
    /* VF that never ends: the reference stops there */
    alist r3 = { .n = 0 };
    add(&r3, 1000, VS_ANN_NORMAL);
    add(&r3, 2000, VS_ANN_VFON);
    add(&r3, 2500, VS_ANN_NORMAL);
    o.record_length_samples = 5000;
    res = run(&r3, &t, &o);
    CHECK(res, 1, 0, 0); /* all later test beats fall in the open VF */
}

static void test_shutdown(void **state) {
    (void)state;
    vs_ec57_options o = opt0();
    o.record_length_samples = 6000;
    /* reference shutdown (NOISE subtype -1 .. NOISE subtype 0): extra test beats inside are
     * counted in row X (still false positives for QRS) */
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 1000, VS_ANN_NORMAL);
    add_sub(&r, 2000, VS_ANN_NOISE, -1);
    add_sub(&r, 3000, VS_ANN_NOISE, 0);
    add(&r, 4000, VS_ANN_NORMAL);
    add(&t, 1000, VS_ANN_NORMAL);
    add(&t, 2500, VS_ANN_NORMAL);
    add(&t, 3500, VS_ANN_NORMAL);
    add(&t, 4000, VS_ANN_NORMAL);
    vs_ec57_result res = run(&r, &t, &o);
    CHECK(res, 2, 0, 2);
    assert_int_equal(res.matrix[VS_EC57_X][VS_EC57_N], 1);
    assert_int_equal(res.matrix[VS_EC57_O][VS_EC57_N], 1);
    /* test shutdown (subtype 0x30): missed reference beats inside go to column x */
    alist r2 = { .n = 0 }, t2 = { .n = 0 };
    add(&r2, 1000, VS_ANN_NORMAL);
    add(&r2, 2500, VS_ANN_PVC);
    add(&r2, 4000, VS_ANN_NORMAL);
    add(&t2, 1000, VS_ANN_NORMAL);
    add_sub(&t2, 2000, VS_ANN_NOISE, 0x30);
    add_sub(&t2, 3000, VS_ANN_NOISE, 0x10);
    add(&t2, 4000, VS_ANN_NORMAL);
    res = run(&r2, &t2, &o);
    CHECK(res, 2, 1, 0);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_X], 1);
    /* single shutdown mark (AHA style): shutdown runs from window after the current beat to
     * window before the next annotation */
    alist t3 = { .n = 0 };
    add(&t3, 1000, VS_ANN_NORMAL);
    add_sub(&t3, 2500, VS_ANN_NOISE, -1);
    add(&t3, 4000, VS_ANN_NORMAL);
    res = run(&r2, &t3, &o);
    CHECK(res, 2, 1, 0);
    assert_int_equal(res.matrix[VS_EC57_V][VS_EC57_X], 1);
}

static void test_bad_input(void **state) {
    (void)state;
    alist r = { .n = 0 }, t = { .n = 0 };
    add(&r, 1000, VS_ANN_NORMAL);
    add(&r, 900, VS_ANN_NORMAL);
    add(&t, 1000, VS_ANN_NORMAL);
    vs_ec57_options o = opt0();
    vs_ec57_result res;
    res.tp = 77;
    assert_int_equal(vs_ec57_compare(r.a, r.n, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
    assert_int_equal(res.tp, 0);
    assert_int_equal(vs_ec57_compare(t.a, t.n, r.a, r.n, FS, &o, &res), VS_E_INVALID_ARG);
    alist neg = { .n = 0 };
    add(&neg, -5, VS_ANN_NORMAL);
    assert_int_equal(vs_ec57_compare(neg.a, 1, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
    assert_int_equal(vs_ec57_compare(NULL, 3, t.a, t.n, FS, &o, &res), VS_E_NULL_ARG);
    assert_int_equal(vs_ec57_compare(t.a, t.n, NULL, 1, FS, &o, &res), VS_E_NULL_ARG);
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, FS, &o, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, 0.0, &o, &res), VS_E_INVALID_ARG);
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, NAN, &o, &res), VS_E_INVALID_ARG);
    o.match_window_s = -1.0;
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
    o = opt0();
    o.start_s = INFINITY;
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
    o = opt0();
    o.record_length_samples = -2;
    assert_int_equal(vs_ec57_compare(t.a, t.n, t.a, t.n, FS, &o, &res), VS_E_INVALID_ARG);
    /* NULL options = defaults; empty lists are fine */
    assert_int_equal(vs_ec57_compare(NULL, 0, NULL, 0, FS, NULL, &res), VS_OK);
    CHECK(res, 0, 0, 0);
    /* equal times are allowed (e.g. a rhythm label on the same sample as a beat) */
    alist eq = { .n = 0 };
    add(&eq, 1000, VS_ANN_RHYTHM);
    add(&eq, 1000, VS_ANN_NORMAL);
    assert_int_equal(vs_ec57_compare(eq.a, eq.n, t.a, t.n, FS, &(vs_ec57_options){ 0.15, 0, -1, 0 },
                                     &res), VS_OK);
    CHECK(res, 1, 0, 0);
    assert_int_equal(vs_ec57_result_stats(NULL, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_ec57_summary_add(NULL, &res), VS_E_NULL_ARG);
    assert_int_equal(vs_ec57_summary_stats(NULL, NULL, NULL), VS_E_NULL_ARG);
}

static void test_percent_and_summary(void **state) {
    (void)state;
    assert_true(vs_ec57_percent(0, 0) == -1.0);
    assert_true(vs_ec57_percent(3, -1) == -1.0);
    assert_true(vs_ec57_percent(1, 4) == 25.0);
    assert_true(vs_ec57_result_struct_size() == sizeof(vs_ec57_result));

    vs_ec57_summary s;
    vs_ec57_summary_init(&s);
    vs_ec57_result a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    a.tp = a.matrix[0][0] = 90; a.fn = a.matrix[0][VS_EC57_O] = 10;
    a.fp = a.matrix[VS_EC57_O][0] = 0; a.fs_hz = FS;
    b.tp = b.matrix[0][0] = 10; b.fn = 0; b.fp = b.matrix[VS_EC57_O][0] = 10; b.fs_hz = FS;
    /* c: no beats at all: Se and +P undefined, left out of the averages */
    c.fs_hz = FS;
    assert_int_equal(vs_ec57_summary_add(&s, &a), VS_OK);
    assert_int_equal(vs_ec57_summary_add(&s, &b), VS_OK);
    assert_int_equal(vs_ec57_summary_add(&s, &c), VS_OK);
    assert_int_equal(s.n_records, 3);
    vs_ec57_stats g, av;
    assert_int_equal(vs_ec57_summary_stats(&s, &g, &av), VS_OK);
    assert_int_equal(s.gross.tp, 100);
    assert_int_equal(s.gross.fn, 10);
    assert_int_equal(s.gross.fp, 10);
    assert_true(fabs(g.qrs_se - 10000.0 / 110.0) < 1e-9);
    assert_true(fabs(g.qrs_ppv - 10000.0 / 110.0) < 1e-9);
    assert_true(fabs(av.qrs_se - (90.0 + 100.0) / 2.0) < 1e-9);
    assert_true(fabs(av.qrs_ppv - (100.0 + 50.0) / 2.0) < 1e-9);
    assert_true(av.veb_se == -1.0);
    assert_true(g.veb_se == -1.0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_window_edge),
        cmocka_unit_test(test_missed_and_extra),
        cmocka_unit_test(test_double_match),
        cmocka_unit_test(test_pardey_rule),
        cmocka_unit_test(test_start_boundary),
        cmocka_unit_test(test_end_boundary),
        cmocka_unit_test(test_non_beats_ignored),
        cmocka_unit_test(test_flutter_wave_is_class_o),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_vf_periods),
        cmocka_unit_test(test_shutdown),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_percent_and_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
