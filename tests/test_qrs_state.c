/* test_qrs_state.c — portable state of vs_qrs: size bound, exact resume, rejection of bad blobs
 * with distinct codes (object untouched), and a golden v1 blob that must keep loading. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/state.h"

static void golden_record(vs_test_record *rec)
{
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.fs_hz = 360;
    cfg.duration_s = 40;
    cfg.seed = 2026;
    cfg.pvc_per_min = 5;
    cfg.noise_mv = 0.02;
    vs_test_synth(&cfg, rec);
}

/* Feeds x to q, returning the beats (malloc'ed). */
static vs_beat *feed(vs_qrs *q, const float *x, size_t n, size_t *nb)
{
    size_t cap = vs_qrs_max_events(q, n);
    vs_beat *b = malloc(cap * sizeof *b);
    assert_int_equal(vs_qrs_process(q, x, n, b, cap, nb), VS_OK);
    return b;
}

static uint8_t *save(const vs_qrs *q, size_t *len)
{
    size_t size = vs_qrs_state_size(q);
    uint8_t *blob = malloc(size);
    assert_int_equal(vs_qrs_state_save(q, blob, size, len), VS_OK);
    assert_int_equal(*len, size);
    return blob;
}

static void test_size_bound_at_360(void **state)
{
    (void)state;
    vs_test_record rec;
    golden_record(&rec);
    vs_qrs *q;
    assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
    size_t largest = vs_qrs_state_size(q), nb;
    for (size_t i = 0; i < rec.n; i += 90) {
        free(feed(q, rec.x + i, rec.n - i < 90 ? rec.n - i : 90, &nb));
        size_t s = vs_qrs_state_size(q);
        if (s > largest) largest = s;
    }
    fprintf(stderr, "vs_qrs state at 360 Hz: %zu bytes after learning, at most %zu\n",
            vs_qrs_state_size(q), largest);
    assert_true(largest <= 1024);
    uint8_t small[16];
    size_t w = 1;
    assert_int_equal(vs_qrs_state_save(q, small, sizeof small, &w), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(w, 0);
    vs_qrs_destroy(q);
    vs_test_record_free(&rec);
}

static void test_resume_is_exact_at_any_point(void **state)
{
    (void)state;
    vs_test_record rec;
    golden_record(&rec);
    size_t n_ref;
    vs_beat *ref = vs_test_detect(rec.x, rec.n, 360, 0, 0, &n_ref);
    const size_t cuts[] = {1, 100, 719, 720, 721, 5000, 7777, 12000};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        vs_qrs *a;
        assert_int_equal(vs_qrs_create(&a, 360), VS_OK);
        size_t n1, n2, len;
        vs_beat *b1 = feed(a, rec.x, cuts[c], &n1);
        uint8_t *blob = save(a, &len);
        vs_qrs_destroy(a);
        vs_qrs *b;
        assert_int_equal(vs_qrs_create(&b, 360), VS_OK);
        assert_int_equal(vs_qrs_state_load(b, blob, len), VS_OK);
        assert_int_equal(vs_qrs_samples_seen(b), (int64_t)cuts[c]);
        /* Saving the restored object gives the same bytes. */
        size_t len2;
        uint8_t *blob2 = save(b, &len2);
        assert_int_equal(len, len2);
        assert_memory_equal(blob, blob2, len);
        vs_beat *b2 = feed(b, rec.x + cuts[c], rec.n - cuts[c], &n2);
        assert_int_equal(n1 + n2, n_ref);
        assert_memory_equal(b1, ref, n1 * sizeof *ref);
        assert_memory_equal(b2, ref + n1, n2 * sizeof *ref);
        free(b1); free(b2); free(blob); free(blob2);
        vs_qrs_destroy(b);
    }
    free(ref);
    vs_test_record_free(&rec);
}

static void put_crc(uint8_t *blob, size_t len)
{
    uint32_t payload = (uint32_t)(len - VS_STATE_HEADER_SIZE);
    uint8_t tmp[4096];
    memcpy(tmp, blob, 20);
    memcpy(tmp + 20, blob + VS_STATE_HEADER_SIZE, payload);
    uint32_t crc = vs_crc32(tmp, 20 + payload);
    for (int i = 0; i < 4; i++) blob[20 + i] = (uint8_t)(crc >> (8 * i));
}

/* The object must be unchanged: same state bytes as before the failed load. */
static void assert_rejected(vs_qrs *q, const uint8_t *blob, size_t len, vs_status expected)
{
    size_t before_len, after_len;
    uint8_t *before = save(q, &before_len);
    assert_int_equal(vs_qrs_state_load(q, blob, len), expected);
    uint8_t *after = save(q, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);
}

static void test_bad_blobs_rejected_with_distinct_codes(void **state)
{
    (void)state;
    vs_test_record rec;
    golden_record(&rec);
    vs_qrs *src, *dst;
    assert_int_equal(vs_qrs_create(&src, 360), VS_OK);
    assert_int_equal(vs_qrs_create(&dst, 360), VS_OK);
    size_t nb, len;
    free(feed(src, rec.x, 9000, &nb));
    free(feed(dst, rec.x, 3000, &nb)); /* dst has its own, different state */
    uint8_t *good = save(src, &len);
    uint8_t *bad = malloc(len);

    assert_int_equal(vs_qrs_state_load(dst, NULL, len), VS_E_NULL_ARG);
    /* truncated: inside the header, and inside the payload */
    for (size_t cut = 0; cut < len; cut += (cut < 40 ? 1 : 37))
        assert_rejected(dst, good, cut, VS_E_STATE_TRUNCATED);
    /* bad magic */
    memcpy(bad, good, len); bad[0] = 'X';
    assert_rejected(dst, bad, len, VS_E_STATE_BAD_MAGIC);
    /* newer format version */
    memcpy(bad, good, len); bad[4] = VS_STATE_FORMAT_VERSION + 1; bad[5] = 0;
    put_crc(bad, len); /* a real newer blob: the checksum is checked first */
    assert_rejected(dst, bad, len, VS_E_STATE_NEWER_VERSION);
    /* every single-byte corruption of the payload or CRC is caught by the checksum */
    for (size_t i = 16; i < len; i++) {
        memcpy(bad, good, len);
        bad[i] ^= 0x5A;
        vs_status st = vs_qrs_state_load(dst, bad, len);
        assert_true(st == VS_E_STATE_BAD_CHECKSUM || st == VS_E_STATE_TRUNCATED);
    }
    /* wrong module (checksum fixed so only the module id is wrong) */
    memcpy(bad, good, len); bad[6] = VS_MODULE_IIR; put_crc(bad, len);
    assert_rejected(dst, bad, len, VS_E_STATE_WRONG_MODULE);
    /* mismatched sampling rate: a 360 Hz blob into a 250 Hz detector */
    vs_qrs *other;
    assert_int_equal(vs_qrs_create(&other, 250), VS_OK);
    assert_rejected(other, good, len, VS_E_STATE_MISMATCH);
    vs_qrs_destroy(other);
    /* valid checksum but an impossible field (refractory period of 1e9 ms) */
    memcpy(bad, good, len);
    double huge = 1e9;
    uint64_t u;
    memcpy(&u, &huge, 8);
    for (int i = 0; i < 8; i++) bad[VS_STATE_HEADER_SIZE + i] = (uint8_t)(u >> (8 * i));
    put_crc(bad, len);
    assert_rejected(dst, bad, len, VS_E_STATE_CORRUPT);
    /* a NaN where a level must be finite: corrupt too */
    memcpy(bad, good, len);
    /* rr_mean: before the two learning bytes and the i64 gap position (format 2) */
    memset(bad + len - 14, 0xFF, 4);
    put_crc(bad, len);
    vs_status st = vs_qrs_state_load(dst, bad, len);
    assert_true(st == VS_E_STATE_CORRUPT);
    /* extra trailing bytes inside the declared payload */
    uint8_t *longer = calloc(len + 4, 1);
    memcpy(longer, good, len);
    uint32_t pl = (uint32_t)(len + 4 - VS_STATE_HEADER_SIZE);
    for (int i = 0; i < 4; i++) longer[16 + i] = (uint8_t)(pl >> (8 * i));
    put_crc(longer, len + 4);
    assert_rejected(dst, longer, len + 4, VS_E_STATE_CORRUPT);
    /* the good blob still loads after all that */
    assert_int_equal(vs_qrs_state_load(dst, good, len), VS_OK);
    /* every code above is distinct */
    const vs_status codes[] = {VS_E_STATE_TRUNCATED, VS_E_STATE_BAD_MAGIC,
                               VS_E_STATE_NEWER_VERSION, VS_E_STATE_WRONG_MODULE,
                               VS_E_STATE_MISMATCH, VS_E_STATE_BAD_CHECKSUM, VS_E_STATE_CORRUPT};
    for (size_t i = 0; i < 7; i++)
        for (size_t j = i + 1; j < 7; j++) assert_true(codes[i] != codes[j]);
    free(longer); free(good); free(bad);
    vs_qrs_destroy(src);
    vs_qrs_destroy(dst);
    vs_test_record_free(&rec);
}

/* tests/data/qrs_state_v1.bin: the state after 20 s of the golden record, written by format
 * version 1. Regenerate only when deliberately changing format (VS_WRITE_GOLDEN=1). */
static void test_golden_blob_keeps_loading(void **state)
{
    (void)state;
    vs_test_record rec;
    golden_record(&rec);
    const size_t cut = 20 * 360;
    char path[1024];
    vs_test_data_path("qrs_state_v1.bin", path, sizeof path);
    if (getenv("VS_WRITE_GOLDEN")) {
        vs_qrs *q;
        assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
        size_t nb, len;
        free(feed(q, rec.x, cut, &nb));
        uint8_t *blob = save(q, &len);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(blob, 1, len, f), len);
        fclose(f);
        free(blob);
        vs_qrs_destroy(q);
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t blob[4096];
    size_t len = fread(blob, 1, sizeof blob, f);
    fclose(f);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(blob, len, &info), VS_OK);
    assert_int_equal(info.format_version, 1);
    assert_int_equal(info.module_id, VS_MODULE_QRS);
    assert_true(info.fs_hz == 360.0);
    vs_qrs *q;
    assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
    assert_int_equal(vs_qrs_state_load(q, blob, len), VS_OK);
    assert_int_equal(vs_qrs_samples_seen(q), (int64_t)cut);
    /* Continuing from the golden blob gives the beats of an uninterrupted run. */
    size_t n_ref, n_rest;
    vs_beat *ref = vs_test_detect(rec.x, rec.n, 360, 0, 0, &n_ref);
    vs_beat *rest = feed(q, rec.x + cut, rec.n - cut, &n_rest);
    assert_true(n_rest > 10 && n_rest <= n_ref);
    assert_memory_equal(rest, ref + (n_ref - n_rest), n_rest * sizeof *rest);
    free(ref); free(rest);
    vs_qrs_destroy(q);
    vs_test_record_free(&rec);
}

/* tests/data/qrs_state_v4.bin: format version 4 (compact rings, artefact state), saved 0.2 s
 * after a 1 s NaN run at 15 s of the golden record, while the detector still holds off after
 * the artefact. Regenerate only when deliberately changing format (VS_WRITE_GOLDEN=1). */
static void test_golden_v4_blob_keeps_loading(void **state)
{
    (void)state;
    vs_test_record rec;
    golden_record(&rec);
    for (size_t i = 15 * 360; i < 16 * 360; i++) rec.x[i] = NAN;
    const size_t cut = 16 * 360 + 72;
    char path[1024];
    vs_test_data_path("qrs_state_v4.bin", path, sizeof path);
    if (getenv("VS_WRITE_GOLDEN")) {
        vs_qrs *q;
        assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
        size_t nb, len;
        free(feed(q, rec.x, cut, &nb));
        uint8_t *blob = save(q, &len);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(blob, 1, len, f), len);
        fclose(f);
        free(blob);
        vs_qrs_destroy(q);
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t blob[4096];
    size_t len = fread(blob, 1, sizeof blob, f);
    fclose(f);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(blob, len, &info), VS_OK);
    assert_int_equal(info.format_version, 4);
    vs_qrs *q;
    assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
    assert_int_equal(vs_qrs_state_load(q, blob, len), VS_OK);
    assert_int_equal(vs_qrs_samples_seen(q), (int64_t)cut);
    /* loading and saving again gives the same bytes (nothing rebuilt differently), apart from
     * the format version and the CRC over it once the library writes a newer version */
    size_t len2;
    uint8_t *again = save(q, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(again, blob, 4);
    assert_memory_equal(again + 6, blob + 6, 14);
    assert_memory_equal(again + 24, blob + 24, len - 24);
    free(again);
    size_t n_ref, n_rest;
    vs_beat *ref = vs_test_detect(rec.x, rec.n, 360, 0, 0, &n_ref);
    vs_beat *rest = feed(q, rec.x + cut, rec.n - cut, &n_rest);
    assert_true(n_rest > 10 && n_rest <= n_ref);
    assert_memory_equal(rest, ref + (n_ref - n_rest), n_rest * sizeof *rest);
    assert_true(rest[0].sample_idx >= 16 * 360);
    assert_true(rest[0].flags & VS_BEAT_AFTER_GAP); /* the first beat after the NaN run */
    free(ref); free(rest);
    vs_qrs_destroy(q);
    vs_test_record_free(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_bound_at_360),
        cmocka_unit_test(test_resume_is_exact_at_any_point),
        cmocka_unit_test(test_bad_blobs_rejected_with_distinct_codes),
        cmocka_unit_test(test_golden_blob_keeps_loading),
        cmocka_unit_test(test_golden_v4_blob_keeps_loading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
