/* test_hrv_window.c — rolling HRV window: equals the batch computation on the same intervals,
 * trimming by time and by count, parameters, misuse, and the portable state (size bound at
 * 360 Hz, exact resume whatever the chunking, distinct codes for bad blobs, object untouched). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/hrv.h"
#include "vitalstream/state.h"

#define FS 360.0
#define NB 1200

static int64_t pos[NB];
static int normal[NB];

/* Beat positions (integer samples) with a slow and a respiratory modulation and ectopic beats
 * every 41st beat (premature, then a compensatory pause). */
static void make_beats(double mean_ms)
{
    double t = 0.0;
    int64_t p = 100;
    for (int i = 0; i < NB; i++) {
        double rr = mean_ms + 40.0 * sin(0.6 * t) + 25.0 * sin(2.0 * 3.14159265 * 0.08 * t);
        normal[i] = (i % 41) != 20;
        if (!normal[i]) rr *= 0.7;
        if (i > 0 && !normal[i - 1]) rr *= 1.25;
        p += (int64_t)(rr * FS / 1000.0);
        pos[i] = p;
        t += rr / 1000.0;
    }
}

static vs_hrv_window *mk(void)
{
    vs_hrv_window *w = NULL;
    assert_int_equal(vs_hrv_window_create(&w, FS), VS_OK);
    return w;
}

static void push_range(vs_hrv_window *w, int a, int b)
{
    for (int i = a; i < b; i++) assert_int_equal(vs_hrv_window_push(w, pos[i], normal[i]), VS_OK);
}

/* The window holds intervals (N-K .. N-1); the same intervals through vs_hrv_compute must give the
 * same bytes, provided the beat starting the first kept interval is normal. */
static void compare_with_batch(const vs_hrv_window *w, int nbeats, uint32_t method)
{
    size_t k = vs_hrv_window_count(w);
    assert_true(k > 0 && (int)k < nbeats);
    int first = nbeats - 1 - (int)k; /* beat starting the first kept interval */
    assert_true(normal[first]);
    double rr[700];
    uint8_t ex[700];
    for (size_t i = 0; i < k; i++) {
        int e = first + 1 + (int)i;
        rr[i] = (double)(pos[e] - pos[e - 1]) * 1000.0 / FS;
        ex[i] = (uint8_t)!normal[e];
    }
    vs_hrv_options o;
    vs_hrv_default_options(&o);
    o.psd_method = method;
    vs_hrv_result a, b;
    assert_int_equal(vs_hrv_window_compute(w, &o, &a), VS_OK);
    assert_int_equal(vs_hrv_compute(rr, ex, k, &o, &b), VS_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.n_excluded > 0 && !isnan(a.lf_ms2) && !isnan(a.dfa_alpha2));
}

static void test_equals_batch(void **st)
{
    (void)st;
    make_beats(800.0);
    vs_hrv_window *w = mk();
    push_range(w, 0, 300); /* 240 s: everything held */
    assert_int_equal(vs_hrv_window_count(w), 299);
    compare_with_batch(w, 300, 0);
    push_range(w, 300, 600); /* trimmed to the last 300 s */
    size_t k = vs_hrv_window_count(w);
    int64_t span = pos[599] - pos[599 - k];
    assert_true(span <= (int64_t)(300 * FS) && pos[599] - pos[598 - k] > (int64_t)(300 * FS));
    compare_with_batch(w, 600, 0);
    compare_with_batch(w, 600, 1);
    vs_hrv_window_destroy(w);
}

static void test_count_cap(void **st)
{
    (void)st;
    make_beats(400.0); /* 150 bpm: 300 s would be 750 intervals */
    vs_hrv_window *w = mk();
    push_range(w, 0, 800);
    assert_int_equal(vs_hrv_window_count(w), vs_hrv_window_max_intervals());
    assert_int_equal(vs_hrv_window_max_intervals(), 448);
    size_t first = 800 - 1 - 448;
    if (normal[first]) compare_with_batch(w, 800, 0);
    /* shortening the window drops old intervals at once */
    assert_int_equal(vs_hrv_window_set_param(w, VS_HRV_WINDOW_LENGTH_S, 60), VS_OK);
    size_t k = vs_hrv_window_count(w);
    assert_true(pos[799] - pos[799 - k] <= (int64_t)(60 * FS));
    assert_true(pos[799] - pos[798 - k] > (int64_t)(60 * FS));
    vs_hrv_window_destroy(w);
}

static void test_params_and_misuse(void **st)
{
    (void)st;
    double lo, hi, d, v;
    assert_int_equal(vs_hrv_window_param_bounds(VS_HRV_WINDOW_LENGTH_S, &lo, &hi, &d), VS_OK);
    assert_true(lo == 30 && hi == 600 && d == 300);
    assert_int_equal(vs_hrv_window_param_bounds((vs_hrv_window_param)9, &lo, &hi, &d),
                     VS_E_UNKNOWN_PARAM);
    vs_hrv_window *w = NULL;
    assert_int_equal(vs_hrv_window_create(&w, 50), VS_E_FS_OUT_OF_RANGE);
    assert_null(w);
    assert_int_equal(vs_hrv_window_create(&w, NAN), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_hrv_window_create(NULL, FS), VS_E_NULL_ARG);
    vs_hrv_window_destroy(NULL);
    /* caller memory, deliberately misaligned: same results as a created window */
    size_t need = vs_hrv_window_workspace_size(FS);
    assert_true(need > 0);
    assert_int_equal(vs_hrv_window_workspace_size(10), 0);
    char *mem = malloc(need + 1);
    vs_hrv_window *ws = NULL;
    assert_int_equal(vs_hrv_window_init_static(&ws, mem + 1, need - 1, FS), VS_E_NO_MEMORY);
    assert_int_equal(vs_hrv_window_init_static(&ws, mem + 1, need, 20), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_hrv_window_init_static(&ws, mem + 1, need, FS), VS_OK);
    make_beats(800.0);
    w = mk();
    push_range(w, 0, 400);
    push_range(ws, 0, 400);
    vs_hrv_result ra, rb;
    assert_int_equal(vs_hrv_window_compute(w, NULL, &ra), VS_OK);
    assert_int_equal(vs_hrv_window_compute(ws, NULL, &rb), VS_OK);
    assert_memory_equal(&ra, &rb, sizeof ra);
    vs_hrv_window_destroy(ws); /* no-op */
    vs_hrv_window_destroy(w);
    free(mem);
    w = mk();
    assert_int_equal(vs_hrv_window_get_param(w, VS_HRV_WINDOW_LENGTH_S, &v), VS_OK);
    assert_true(v == 300);
    assert_int_equal(vs_hrv_window_set_param(w, VS_HRV_WINDOW_LENGTH_S, 29), VS_E_PARAM_OUT_OF_RANGE);
    assert_int_equal(vs_hrv_window_set_param(w, VS_HRV_WINDOW_LENGTH_S, NAN), VS_E_PARAM_OUT_OF_RANGE);
    assert_int_equal(vs_hrv_window_set_param(w, (vs_hrv_window_param)2, 100), VS_E_UNKNOWN_PARAM);
    vs_hrv_result r;
    assert_int_equal(vs_hrv_window_compute(w, NULL, &r), VS_E_INSUFFICIENT_DATA);
    assert_int_equal(vs_hrv_window_compute(w, NULL, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_hrv_window_push(w, -1, 1), VS_E_INVALID_ARG);
    assert_int_equal(vs_hrv_window_push(w, 1000, 1), VS_OK);
    assert_int_equal(vs_hrv_window_push(w, 1000, 1), VS_E_INVALID_ARG);
    assert_int_equal(vs_hrv_window_push(w, 999, 1), VS_E_INVALID_ARG);
    assert_int_equal(vs_hrv_window_count(w), 0);
    assert_int_equal(vs_hrv_window_push(w, 1300, 1), VS_OK);
    assert_int_equal(vs_hrv_window_push(w, 1600, 1), VS_OK);
    assert_int_equal(vs_hrv_window_count(w), 2);
    assert_int_equal(vs_hrv_window_compute(w, NULL, &r), VS_OK);
    assert_true(fabs(r.mean_nn_ms - 300 * 1000.0 / FS) < 1e-9);
    /* a gap longer than 32767 samples restarts the window */
    assert_int_equal(vs_hrv_window_push(w, 1600 + 40000, 1), VS_OK);
    assert_int_equal(vs_hrv_window_count(w), 0);
    assert_int_equal(vs_hrv_window_push(w, 1600 + 40300, 1), VS_OK);
    assert_int_equal(vs_hrv_window_count(w), 1);
    vs_hrv_window_reset(w);
    assert_int_equal(vs_hrv_window_count(w), 0);
    assert_int_equal(vs_hrv_window_push(w, 5, 1), VS_OK); /* history forgotten */
    assert_int_equal(vs_hrv_window_count(NULL), 0);
    vs_hrv_window_destroy(w);
}

static uint8_t *save(const vs_hrv_window *w, size_t *len)
{
    size_t n = vs_hrv_window_state_size(w);
    uint8_t *b = malloc(n);
    assert_int_equal(vs_hrv_window_state_save(w, b, n, len), VS_OK);
    assert_int_equal(*len, n);
    return b;
}

static void test_state_size(void **st)
{
    (void)st;
    make_beats(400.0);
    vs_hrv_window *w = mk();
    size_t empty = vs_hrv_window_state_size(w), largest = empty;
    {   /* a fresh window (no beat yet) round-trips */
        size_t len;
        uint8_t *b = save(w, &len);
        vs_hrv_window *w2 = mk();
        assert_int_equal(vs_hrv_window_state_load(w2, b, len), VS_OK);
        assert_int_equal(vs_hrv_window_push(w2, 0, 1), VS_OK);
        free(b);
        vs_hrv_window_destroy(w2);
    }
    for (int i = 0; i < 800; i++) {
        assert_int_equal(vs_hrv_window_push(w, pos[i], normal[i]), VS_OK);
        size_t s = vs_hrv_window_state_size(w);
        if (s > largest) largest = s;
    }
    fprintf(stderr, "vs_hrv_window state at 360 Hz: empty %zu, 150 bpm full %zu, max %zu bytes\n",
            empty, largest, vs_hrv_window_state_size_max(FS));
    assert_int_equal(largest, vs_hrv_window_state_size_max(FS));
    assert_true(vs_hrv_window_state_size_max(FS) <= 1400);
    uint8_t small[8];
    size_t wr = 99;
    assert_int_equal(vs_hrv_window_state_save(w, small, sizeof small, &wr), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(wr, 0);
    vs_hrv_window_destroy(w);
}

/* save -> destroy -> create -> load between chunks of any size equals one uninterrupted run. */
static void test_chunk_invariance(void **st)
{
    (void)st;
    make_beats(750.0);
    vs_hrv_window *ref = mk();
    push_range(ref, 0, NB);
    vs_hrv_result rr;
    assert_int_equal(vs_hrv_window_compute(ref, NULL, &rr), VS_OK);
    size_t lr;
    uint8_t *bref = save(ref, &lr);
    const int chunks[] = {1, 7, 100, 333};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        vs_hrv_window *w = mk();
        for (int i = 0; i < NB; i += chunks[c]) {
            push_range(w, i, i + chunks[c] < NB ? i + chunks[c] : NB);
            size_t len;
            uint8_t *b = save(w, &len);
            vs_hrv_window_destroy(w);
            w = mk();
            assert_int_equal(vs_hrv_window_state_load(w, b, len), VS_OK);
            free(b);
        }
        vs_hrv_result r;
        assert_int_equal(vs_hrv_window_compute(w, NULL, &r), VS_OK);
        assert_memory_equal(&r, &rr, sizeof r);
        size_t len;
        uint8_t *b = save(w, &len);
        assert_int_equal(len, lr);
        assert_memory_equal(b, bref, len);
        free(b);
        vs_hrv_window_destroy(w);
    }
    free(bref);
    vs_hrv_window_destroy(ref);
}

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
/* Recomputes the CRC after a deliberate edit (header bytes 0..19, then the payload). */
static void recrc(uint8_t *b, size_t len)
{
    uint8_t *tmp = malloc(len);
    memcpy(tmp, b, 20);
    memcpy(tmp + 20, b + 24, len - 24);
    put32(b + 20, vs_crc32(tmp, len - 4));
    free(tmp);
}

static void expect_rejected(vs_hrv_window *w, const uint8_t *b, size_t len, vs_status code)
{
    size_t l0;
    uint8_t *before = save(w, &l0);
    assert_int_equal(vs_hrv_window_state_load(w, b, len), code);
    size_t l1;
    uint8_t *after = save(w, &l1);
    assert_int_equal(l0, l1);
    assert_memory_equal(before, after, l0);
    free(before);
    free(after);
}

static void test_bad_blobs(void **st)
{
    (void)st;
    make_beats(800.0);
    vs_hrv_window *src = mk(), *w = mk();
    push_range(src, 0, 200);
    push_range(w, 500, 520); /* different content, so "unchanged" is meaningful */
    size_t len;
    uint8_t *good = save(src, &len);
    uint8_t *b = malloc(len);
    assert_true(get32(good + 16) == len - 24);

    expect_rejected(w, good, 10, VS_E_STATE_TRUNCATED);
    expect_rejected(w, good, len - 1, VS_E_STATE_TRUNCATED);
    memcpy(b, good, len);
    b[0] = 'X';
    expect_rejected(w, b, len, VS_E_STATE_BAD_MAGIC);
    memcpy(b, good, len);
    b[4] = 0xFF;
    recrc(b, len); /* a real newer blob: the checksum is checked first */
    expect_rejected(w, b, len, VS_E_STATE_NEWER_VERSION);
    memcpy(b, good, len);
    b[6] = 2; /* VS_MODULE_QRS */
    recrc(b, len);
    expect_rejected(w, b, len, VS_E_STATE_WRONG_MODULE);
    memcpy(b, good, len);
    b[len - 1] ^= 0x40;
    expect_rejected(w, b, len, VS_E_STATE_BAD_CHECKSUM);
    /* count above the cap */
    memcpy(b, good, len);
    b[24 + 17] = 0xFF;
    b[24 + 18] = 0xFF;
    recrc(b, len);
    expect_rejected(w, b, len, VS_E_STATE_CORRUPT);
    /* window length out of bounds */
    memcpy(b, good, len);
    memset(b + 24, 0, 8);
    recrc(b, len);
    expect_rejected(w, b, len, VS_E_STATE_CORRUPT);
    /* zero-length interval */
    memcpy(b, good, len);
    b[24 + 19] = 0;
    b[24 + 20] = 0x80;
    recrc(b, len);
    expect_rejected(w, b, len, VS_E_STATE_CORRUPT);
    /* intervals summing beyond the window */
    memcpy(b, good, len);
    for (size_t i = 24 + 19; i + 1 < len; i += 2) {
        b[i] = 0xFF;
        b[i + 1] = 0x7F;
    }
    recrc(b, len);
    expect_rejected(w, b, len, VS_E_STATE_CORRUPT);
    /* another sampling rate */
    vs_hrv_window *w250 = NULL;
    assert_int_equal(vs_hrv_window_create(&w250, 250), VS_OK);
    expect_rejected(w250, good, len, VS_E_STATE_MISMATCH);
    assert_int_equal(vs_hrv_window_state_load(w, NULL, len), VS_E_NULL_ARG);
    /* and the good blob loads */
    assert_int_equal(vs_hrv_window_state_load(w, good, len), VS_OK);
    assert_int_equal(vs_hrv_window_count(w), vs_hrv_window_count(src));
    vs_state_info info;
    assert_int_equal(vs_state_inspect(good, len, &info), VS_OK);
    assert_int_equal(info.module_id, VS_MODULE_HRV);
    free(b);
    free(good);
    vs_hrv_window_destroy(w250);
    vs_hrv_window_destroy(src);
    vs_hrv_window_destroy(w);
}

/* Format version 1 blob, written by this library for the beats 100 + 300 i + 7 (i mod 3),
 * i = 0..11, beat 5 ectopic, at 360 Hz. It must keep loading, and the same beats must keep
 * producing exactly these bytes (a change of format needs a new version and this blob kept). */
static const uint8_t golden_v1[65] = {
    0x56, 0x53, 0x53, 0x54, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x76,
    0x40, 0x29, 0x00, 0x00, 0x00, 0xba, 0xf2, 0x52, 0xa7, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0,
    0x72, 0x40, 0x56, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x00, 0x33, 0x01,
    0x33, 0x01, 0x1e, 0x01, 0x33, 0x01, 0x33, 0x81, 0x1e, 0x81, 0x33, 0x01, 0x33, 0x01, 0x1e,
    0x01, 0x33, 0x01, 0x33, 0x01};

static void test_golden_v1(void **st)
{
    (void)st;
    vs_hrv_window *w = mk(), *g = mk();
    for (int i = 0; i < 12; i++)
        assert_int_equal(vs_hrv_window_push(w, 100 + i * 300 + (i % 3) * 7, i != 5), VS_OK);
    size_t len;
    uint8_t *b = save(w, &len);
    assert_int_equal(len, sizeof golden_v1);
    /* same fields as the v1 blob: magic, module, fs, length and payload (the format version
     * and therefore the CRC moved on in version 2, whose HRV payload is unchanged) */
    assert_memory_equal(b, golden_v1, 4);
    assert_memory_equal(b + 6, golden_v1 + 6, 14);
    assert_memory_equal(b + 24, golden_v1 + 24, len - 24);
    assert_int_equal(vs_hrv_window_state_load(g, golden_v1, sizeof golden_v1), VS_OK);
    assert_int_equal(vs_hrv_window_count(g), 11);
    vs_hrv_result r1, r2;
    assert_int_equal(vs_hrv_window_compute(w, NULL, &r1), VS_OK);
    assert_int_equal(vs_hrv_window_compute(g, NULL, &r2), VS_OK);
    assert_memory_equal(&r1, &r2, sizeof r1);
    assert_int_equal(r2.n_excluded, 2);
    /* the loaded window continues from beat 11 */
    assert_int_equal(vs_hrv_window_push(g, 100 + 11 * 300 + 14, 1), VS_E_INVALID_ARG);
    assert_int_equal(vs_hrv_window_push(g, 100 + 12 * 300, 1), VS_OK);
    assert_int_equal(vs_hrv_window_count(g), 12);
    free(b);
    vs_hrv_window_destroy(w);
    vs_hrv_window_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equals_batch),    cmocka_unit_test(test_count_cap),
        cmocka_unit_test(test_params_and_misuse), cmocka_unit_test(test_state_size),
        cmocka_unit_test(test_chunk_invariance), cmocka_unit_test(test_bad_blobs), cmocka_unit_test(test_golden_v1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
