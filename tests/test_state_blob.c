/* test_state_blob.c — the header checks every module's state_load shares (src/state/blob.c):
 * the length must match exactly, and the checksum is verified before any header field is
 * believed, so damage anywhere after the magic reports VS_E_STATE_BAD_CHECKSUM. Uses a real
 * vs_qrs blob after 20 s of synthetic ECG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/state.h"

typedef struct fixture {
    vs_qrs *q;
    uint8_t *blob;
    size_t len;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.fs_hz = 360;
    cfg.duration_s = 20;
    cfg.seed = 17;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    assert_int_equal(vs_qrs_create(&f->q, 360), VS_OK);
    size_t cap = vs_qrs_max_events(f->q, rec.n);
    vs_beat *beats = malloc(cap * sizeof *beats);
    size_t nb = 0;
    assert_int_equal(vs_qrs_process(f->q, rec.x, rec.n, beats, cap, &nb), VS_OK);
    assert_true(nb > 10);
    free(beats);
    vs_test_record_free(&rec);
    size_t size = vs_qrs_state_size(f->q);
    f->blob = malloc(size + 8);
    assert_int_equal(vs_qrs_state_save(f->q, f->blob, size, &f->len), VS_OK);
    assert_int_equal(f->len, size);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vs_qrs_destroy(f->q);
    free(f->blob);
    free(f);
    return 0;
}

/* Loads into a fresh detector (so a wrongly accepted blob is seen) and into inspect. */
static vs_status load(const uint8_t *b, size_t len)
{
    vs_qrs *q;
    assert_int_equal(vs_qrs_create(&q, 360), VS_OK);
    vs_status st = vs_qrs_state_load(q, b, len);
    vs_state_info info;
    vs_status si = vs_state_inspect(b, len, &info);
    /* inspect checks the same header; it cannot know the wanted module or the field ranges */
    if (st == VS_OK || st == VS_E_STATE_CORRUPT || st == VS_E_STATE_WRONG_MODULE)
        assert_true(si == VS_OK || si == st);
    else
        assert_int_equal(si, st);
    vs_qrs_destroy(q);
    return st;
}

static void test_good_blob_loads(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f->blob, f->len), VS_OK);
}

static void test_every_bit_flip_is_a_checksum_error(void **state)
{
    fixture *f = *state;
    uint8_t *b = malloc(f->len);
    size_t magic = 0, checksum = 0;
    for (size_t i = 0; i < f->len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, f->blob, f->len);
            b[i] ^= (uint8_t)(1u << bit);
            vs_status st = load(b, f->len);
            if (i < 4) {
                assert_int_equal(st, VS_E_STATE_BAD_MAGIC);
                magic++;
            } else {
                if (st != VS_E_STATE_BAD_CHECKSUM) print_error("byte %zu bit %d: %d\n", i, bit, st);
                assert_int_equal(st, VS_E_STATE_BAD_CHECKSUM);
                checksum++;
            }
        }
    }
    assert_int_equal(magic, 32);
    assert_int_equal(checksum, 8 * (f->len - 4));
    free(b);
}

static void test_length_must_match_exactly(void **state)
{
    fixture *f = *state;
    /* every prefix is truncated */
    for (size_t cut = 0; cut < f->len; cut++) assert_int_equal(load(f->blob, cut), VS_E_STATE_TRUNCATED);
    /* one or more trailing bytes after an intact blob */
    uint8_t *b = calloc(f->len + 8, 1);
    memcpy(b, f->blob, f->len);
    for (size_t extra = 1; extra <= 8; extra++)
        assert_int_equal(load(b, f->len + extra), VS_E_STATE_CORRUPT);
    /* trailing bytes that the length field and checksum include: the payload reader sees them */
    vs_test_state_reseal(b, f->len + 1);
    assert_int_equal(load(b, f->len + 1), VS_E_STATE_CORRUPT);
    free(b);
}

static void test_header_fields_behind_the_checksum(void **state)
{
    fixture *f = *state;
    uint8_t *b = malloc(f->len);
    memcpy(b, f->blob, f->len);
    b[4] = VS_STATE_FORMAT_VERSION + 1;
    vs_test_state_reseal(b, f->len);
    assert_int_equal(load(b, f->len), VS_E_STATE_NEWER_VERSION);
    memcpy(b, f->blob, f->len);
    b[4] = 0;
    b[5] = 0;
    vs_test_state_reseal(b, f->len);
    assert_int_equal(load(b, f->len), VS_E_STATE_CORRUPT);
    memcpy(b, f->blob, f->len);
    b[6] = VS_MODULE_RHYTHM;
    vs_test_state_reseal(b, f->len);
    assert_int_equal(load(b, f->len), VS_E_STATE_WRONG_MODULE);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_blob_loads),
        cmocka_unit_test(test_every_bit_flip_is_a_checksum_error),
        cmocka_unit_test(test_length_must_match_exactly),
        cmocka_unit_test(test_header_fields_behind_the_checksum),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
