/* test_monitor_static.c — vs_monitor in caller memory (vs_monitor_workspace_size +
 * vs_monitor_init_static, monitor.h): argument errors (size one byte short, misaligned block,
 * fs out of range), no malloc at all once the block is given (counted through the linker's
 * --wrap, see tests/CMakeLists.txt), events and state blobs byte-identical to a malloc'd
 * monitor (also when a static monitor and a created one hand the stream to each other), a
 * failed load that changes nothing, and parameters that raise the children's event bounds (a
 * 120 ms QRS refractory period at 100 Hz) without a scratch overflow. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/monitor.h"
#include "vitalstream/state.h"
#ifdef VS_TEST_HAVE_IO
#include "vitalstream/io.h"
#endif

/* ---- allocation counter (active when the test is linked with --wrap=malloc etc.) ---------- */
#ifdef VS_TEST_WRAP_MALLOC
void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
static int g_counting;
static size_t g_allocs;
void *__wrap_malloc(size_t n)
{
    if (g_counting) g_allocs++;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t k, size_t n)
{
    if (g_counting) g_allocs++;
    return __real_calloc(k, n);
}
void *__wrap_realloc(void *p, size_t n)
{
    if (g_counting) g_allocs++;
    return __real_realloc(p, n);
}
#endif

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct events {
    vs_event *ev;
    size_t n, cap;
} events;

static void push(events *r, const vs_event *ev, size_t n)
{
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2 + 64;
        r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
        assert_non_null(r->ev);
    }
    if (n) memcpy(r->ev + r->n, ev, n * sizeof *ev);
    r->n += n;
}

static void assert_same(const events *a, const events *b, const char *what)
{
    if (a->n != b->n) fail_msg("%s: %zu events vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (memcmp(&a->ev[i], &b->ev[i], sizeof a->ev[i]))
            fail_msg("%s: event %zu differs", what, i);
}

/* A block of `size` bytes at byte offset `offset` from a 64-byte boundary. */
static void *block_at(size_t size, size_t offset, void **owner)
{
    uint8_t *raw = malloc(size + 64 + offset);
    assert_non_null(raw);
    *owner = raw;
    uint8_t *p = (uint8_t *)(((uintptr_t)raw + 63) / 64 * 64);
    return p + offset;
}

static vs_monitor *make_static(double fs, size_t offset, void **owner)
{
    size_t size = vs_monitor_workspace_size(fs);
    assert_true(size > 0);
    void *mem = block_at(size, offset, owner);
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_init_static(&m, mem, size, fs), VS_OK);
    assert_ptr_equal(m, mem); /* the monitor sits at the start of the block */
    return m;
}

static void feed(vs_monitor *m, const float *x, size_t n, events *out)
{
    size_t cap = vs_monitor_max_events(m, n), got = 0;
    vs_event *ev = malloc((cap ? cap : 1) * sizeof *ev);
    assert_non_null(ev);
    assert_int_equal(vs_monitor_process(m, x, n, ev, cap, &got), VS_OK);
    push(out, ev, got);
    free(ev);
}

static void finish(vs_monitor *m, events *out)
{
    size_t cap = vs_monitor_max_events(m, 0), got = 0;
    vs_event *ev = malloc(cap * sizeof *ev);
    assert_non_null(ev);
    assert_int_equal(vs_monitor_finish(m, ev, cap, &got), VS_OK);
    push(out, ev, got);
    free(ev);
}

static uint8_t *save(const vs_monitor *m, size_t *len)
{
    size_t size = vs_monitor_state_size(m);
    uint8_t *blob = malloc(size);
    assert_non_null(blob);
    assert_int_equal(vs_monitor_state_save(m, blob, size, len), VS_OK);
    assert_int_equal(*len, size);
    return blob;
}

/* m's state blob is exactly blob[0..len). */
static void assert_state_is(const vs_monitor *m, const uint8_t *blob, size_t len, const char *what)
{
    size_t got_len = 0;
    uint8_t *got = save(m, &got_len);
    if (got_len != len || memcmp(got, blob, len)) fail_msg("%s: state blob differs", what);
    free(got);
}

static void synth(vs_test_record *rec, double fs, double dur, uint64_t seed)
{
    vs_synth_config cfg;
    vs_synth_default_config(&cfg);
    cfg.fs_hz = fs;
    cfg.duration_s = dur;
    cfg.pvc_per_min = 6.0;
    cfg.af_start_s = dur / 2;
    cfg.af_duration_s = dur / 4;
    cfg.emg_mv = 0.02;
    cfg.seed = seed;
    vs_test_synth(&cfg, rec);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_workspace_size(void **state)
{
    (void)state;
    assert_int_equal(vs_monitor_workspace_size(99.0), 0);
    assert_int_equal(vs_monitor_workspace_size(1001.0), 0);
    assert_int_equal(vs_monitor_workspace_size(NAN), 0);
    assert_int_equal(vs_monitor_workspace_size(INFINITY), 0);
    const double rates[] = {VS_FS_MIN_HZ, 250.0, 360.0, 500.0, VS_FS_MAX_HZ};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        double fs = rates[i];
        size_t size = vs_monitor_workspace_size(fs);
        size_t children = vs_qrs_workspace_size(fs) + vs_classifier_workspace_size(fs) +
                          vs_quality_workspace_size(fs) + vs_rhythm_workspace_size() +
                          vs_hrv_window_workspace_size(fs);
        assert_true(size > children);
        assert_true(size < 512 * 1024);
        print_message("workspace %4.0f Hz: %zu bytes (children %zu)\n", fs, size, children);
    }
}

static void test_init_static_errors(void **state)
{
    (void)state;
    const double fs = 360.0;
    size_t size = vs_monitor_workspace_size(fs);
    void *owner = NULL;
    uint8_t *mem = block_at(size + 16, 0, &owner);
    vs_monitor *m = (vs_monitor *)(uintptr_t)1;
    assert_int_equal(vs_monitor_init_static(NULL, mem, size, fs), VS_E_NULL_ARG);
    assert_int_equal(vs_monitor_init_static(&m, NULL, size, fs), VS_E_NULL_ARG);
    assert_null(m);
    assert_int_equal(vs_monitor_init_static(&m, mem, size, 99.0), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_monitor_init_static(&m, mem, size, NAN), VS_E_FS_OUT_OF_RANGE);
    /* one byte short, or nothing: a clear error, and nothing written to *out */
    m = (vs_monitor *)(uintptr_t)1;
    assert_int_equal(vs_monitor_init_static(&m, mem, size - 1, fs), VS_E_NO_MEMORY);
    assert_null(m);
    assert_int_equal(vs_monitor_init_static(&m, mem, 0, fs), VS_E_NO_MEMORY);
    assert_non_null(strstr(vs_strerror(VS_E_NO_MEMORY), "caller memory too small"));
    /* not aligned for double */
    for (size_t off = 1; off < 8; off++)
        assert_int_equal(vs_monitor_init_static(&m, mem + off, size, fs), VS_E_INVALID_ARG);
    /* 8-aligned but not 16-aligned is enough; a larger block is fine too */
    assert_int_equal(vs_monitor_init_static(&m, mem + 8, size, fs), VS_OK);
    assert_ptr_equal(m, mem + 8);
    assert_int_equal(vs_monitor_init_static(&m, mem, size + 16, fs), VS_OK);
    assert_true(vs_monitor_fs_hz(m) == fs);
    assert_int_equal(vs_monitor_samples_seen(m), 0);
    /* the children are usable through the accessors, and destroy frees nothing */
    assert_int_equal(vs_qrs_set_param(vs_monitor_qrs(m), VS_QRS_REFRACTORY_MS, 250.0), VS_OK);
    assert_non_null(vs_monitor_classifier(m));
    assert_non_null(vs_monitor_quality(m));
    assert_non_null(vs_monitor_rhythm(m));
    assert_non_null(vs_monitor_hrv_window(m));
    vs_monitor_destroy(m); /* a no-op: ASan would report a free of memory inside a block */
    free(owner);
}

/* A block in static storage: destroy must never hand it to free(). */
static _Alignas(16) unsigned char g_block[256 * 1024];

static void test_static_storage(void **state)
{
    (void)state;
    size_t size = vs_monitor_workspace_size(500.0);
    assert_true(size <= sizeof g_block);
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_init_static(&m, g_block, sizeof g_block, 500.0), VS_OK);
    vs_test_record rec;
    synth(&rec, 500.0, 20.0, 3);
    events ev = {0};
    feed(m, rec.x, rec.n, &ev);
    assert_true(ev.n > 10);
    vs_monitor_destroy(m);
    free(ev.ev);
    vs_test_record_free(&rec);
}

/* init_static, process, save, load, reset, finish and hrv of a static monitor never allocate. */
static void test_no_malloc(void **state)
{
    (void)state;
#ifndef VS_TEST_WRAP_MALLOC
    skip();
#else
    const double fs = 360.0;
    vs_test_record rec;
    synth(&rec, fs, 60.0, 5);
    size_t size = vs_monitor_workspace_size(fs);
    void *owner = NULL;
    void *mem = block_at(size, 0, &owner);
    size_t cap = vs_monitor_max_events(NULL, 0);
    assert_int_equal(cap, 0);
    vs_event *ev = malloc(100000 * sizeof *ev);
    uint8_t *blob = malloc(vs_monitor_state_size_max(fs));
    vs_hrv_result hrv;
    assert_non_null(ev);
    assert_non_null(blob);

    g_allocs = 0;
    g_counting = 1;
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_init_static(&m, mem, size, fs), VS_OK);
    size_t got = 0, written = 0, half = rec.n / 2;
    assert_int_equal(vs_monitor_process(m, rec.x, half, ev, vs_monitor_max_events(m, half), &got),
                     VS_OK);
    assert_int_equal(vs_monitor_state_save(m, blob, vs_monitor_state_size(m), &written), VS_OK);
    assert_int_equal(vs_monitor_state_load(m, blob, written), VS_OK);
    blob[written / 2] ^= 1u;
    assert_int_not_equal(vs_monitor_state_load(m, blob, written), VS_OK);
    blob[written / 2] ^= 1u;
    assert_int_equal(vs_monitor_process(m, rec.x + half, rec.n - half, ev,
                                        vs_monitor_max_events(m, rec.n - half), &got),
                     VS_OK);
    assert_int_equal(vs_monitor_hrv(m, NULL, &hrv), VS_OK);
    assert_int_equal(vs_monitor_finish(m, ev, vs_monitor_max_events(m, 0), &got), VS_OK);
    vs_monitor_reset(m);
    vs_monitor_destroy(m);
    g_counting = 0;
    assert_int_equal(g_allocs, 0);

    /* the counter works: create allocates */
    g_counting = 1;
    assert_int_equal(vs_monitor_create(&m, fs), VS_OK);
    g_counting = 0;
    assert_true(g_allocs > 0);
    vs_monitor_destroy(m);
    free(ev);
    free(blob);
    free(owner);
    vs_test_record_free(&rec);
#endif
}

/* The same stream through a created monitor and through static ones (at several alignments),
 * chunked at random, with the stream handed between static and created monitors through the
 * state blob: the same events and the same final blob, byte for byte. */
static void run_identical(const float *x, size_t n, double fs, const char *what)
{
    events ref = {0};
    vs_monitor *c = NULL;
    assert_int_equal(vs_monitor_create(&c, fs), VS_OK);
    feed(c, x, n, &ref);
    size_t ref_len = 0;
    uint8_t *ref_blob = save(c, &ref_len);
    finish(c, &ref);
    vs_monitor_destroy(c);

    const size_t offsets[] = {0, 8, 24};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        void *owner = NULL;
        vs_monitor *m = make_static(fs, offsets[k], &owner);
        events got = {0};
        uint64_t seed = 77 + k;
        size_t pos = 0, hops = 0;
        while (pos < n) {
            size_t len = vs_test_chunk_len(-(long)(fs * 7), n - pos, &seed);
            feed(m, x + pos, len, &got);
            pos += len;
            if (pos < n && ++hops % 3 == 0) {
                /* static -> created -> static through blobs */
                size_t l1 = 0, l2 = 0;
                uint8_t *b1 = save(m, &l1);
                vs_monitor *tmp = NULL;
                assert_int_equal(vs_monitor_create(&tmp, fs), VS_OK);
                assert_int_equal(vs_monitor_state_load(tmp, b1, l1), VS_OK);
                assert_state_is(tmp, b1, l1, what);
                uint8_t *b2 = save(tmp, &l2);
                vs_monitor_destroy(tmp);
                vs_monitor_reset(m);
                assert_int_equal(vs_monitor_state_load(m, b2, l2), VS_OK);
                free(b1);
                free(b2);
            }
        }
        assert_state_is(m, ref_blob, ref_len, what);
        finish(m, &got);
        assert_same(&ref, &got, what);
        vs_monitor_destroy(m);
        free(got.ev);
        free(owner);
    }
    free(ref.ev);
    free(ref_blob);
}

static void test_identical_synthetic(void **state)
{
    (void)state;
    const double rates[] = {128.0, 360.0, 1000.0};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        vs_test_record rec;
        synth(&rec, rates[i], 120.0, 11 + i);
        char what[64];
        snprintf(what, sizeof what, "synthetic %.0f Hz", rates[i]);
        run_identical(rec.x, rec.n, rates[i], what);
        vs_test_record_free(&rec);
    }
}

static void test_identical_mitdb(void **state)
{
    (void)state;
#ifndef VS_TEST_HAVE_IO
    skip();
#else
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *records[] = {"208", "201"};
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, records[i], &n, &fs);
        size_t use = (size_t)n < (size_t)(600 * fs) ? (size_t)n : (size_t)(600 * fs);
        run_identical(x, use, fs, records[i]);
        vs_io_free(x);
    }
#endif
}

/* A failed load leaves a static monitor exactly as it was (the scratch copy is in its block). */
static void test_failed_load_unchanged(void **state)
{
    (void)state;
    const double fs = 250.0;
    vs_test_record rec;
    synth(&rec, fs, 40.0, 9);
    void *owner = NULL;
    vs_monitor *m = make_static(fs, 0, &owner);
    events ev = {0};
    feed(m, rec.x, rec.n / 2, &ev);
    size_t len = 0;
    uint8_t *before = save(m, &len);
    uint8_t *bad = malloc(len);
    memcpy(bad, before, len);
    bad[len - 3] ^= 0x40u;
    assert_int_equal(vs_monitor_state_load(m, bad, len), VS_E_STATE_BAD_CHECKSUM);
    assert_int_not_equal(vs_monitor_state_load(m, bad, len - 1), VS_OK);
    assert_state_is(m, before, len, "after failed loads");
    free(before);
    free(bad);
    free(ev.ev);
    free(owner);
    vs_test_record_free(&rec);
}

/* The shortest QRS refractory period at the lowest rate allows more beats per block than the
 * scratch holds with the defaults: the monitor shortens its blocks instead of failing, and the
 * events do not depend on how the input was chunked. */
static void test_short_refractory_low_rate(void **state)
{
    (void)state;
    const double fs = VS_FS_MIN_HZ;
    vs_test_record rec;
    synth(&rec, fs, 300.0, 21);
    double lo = 0, hi = 0, d = 0;
    assert_int_equal(vs_qrs_param_bounds(VS_QRS_REFRACTORY_MS, &lo, &hi, &d), VS_OK);
    double sb_lo = 0, sb_hi = 0;
    assert_int_equal(vs_qrs_param_bounds(VS_QRS_SEARCHBACK_RR, &sb_lo, &sb_hi, &d), VS_OK);
    events one = {0}, chunked = {0};
    for (int pass = 0; pass < 2; pass++) {
        void *owner = NULL;
        vs_monitor *m = make_static(fs, 0, &owner);
        assert_int_equal(vs_qrs_set_param(vs_monitor_qrs(m), VS_QRS_REFRACTORY_MS, lo), VS_OK);
        assert_int_equal(vs_qrs_set_param(vs_monitor_qrs(m), VS_QRS_SEARCHBACK_RR, sb_hi), VS_OK);
        assert_true(vs_qrs_max_events(vs_monitor_qrs(m), 4096) > 256);
        events *out = pass ? &chunked : &one;
        if (pass == 0) {
            feed(m, rec.x, rec.n, out);
        } else {
            for (size_t pos = 0; pos < rec.n; pos += 97)
                feed(m, rec.x + pos, rec.n - pos < 97 ? rec.n - pos : 97, out);
        }
        finish(m, out);
        vs_monitor_destroy(m);
        free(owner);
    }
    assert_true(one.n > 100);
    assert_same(&one, &chunked, "refractory at its minimum, 100 Hz");
    free(one.ev);
    free(chunked.ev);
    vs_test_record_free(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workspace_size),
        cmocka_unit_test(test_init_static_errors),
        cmocka_unit_test(test_static_storage),
        cmocka_unit_test(test_no_malloc),
        cmocka_unit_test(test_identical_synthetic),
        cmocka_unit_test(test_identical_mitdb),
        cmocka_unit_test(test_failed_load_unchanged),
        cmocka_unit_test(test_short_refractory_low_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
