/* test_filter_iir.c — vs_iir object: processing, missing samples, chunking, state blobs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/filter.h"
#include "vitalstream/state.h"
#include "filter/filter_impl.h"

#define LEN 5000

static float g_x[LEN];

static void make_signal(float *x, size_t n)
{
    uint32_t s = 12345u;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        double noise = ((double)(s >> 8) / 16777216.0 - 0.5) * 0.2;
        x[i] = (float)(sin(0.05 * (double)i) + 0.3 * sin(0.9 * (double)i) + noise + 1.5);
    }
}

static vs_iir *make_bp(vs_biquad_coeffs *sec, size_t *n)
{
    vs_iir *f = NULL;
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 3, 360.0, 5.0, 15.0, sec, 8, n),
                     VS_OK);
    assert_int_equal(vs_iir_create(&f, sec, *n), VS_OK);
    return f;
}

static void test_create_errors(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[9];
    size_t n;
    vs_iir *f = NULL;
    assert_int_equal(vs_butterworth_design(VS_FILTER_LOWPASS, 4, 250.0, 20.0, 0.0, sec, 8, &n),
                     VS_OK);
    sec[8] = sec[0];
    assert_int_equal(vs_iir_max_sections(), VS_IIR_MAX_SECTIONS);
    assert_int_equal(vs_iir_create(NULL, sec, n), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_create(&f, NULL, n), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_create(&f, sec, 0), VS_E_INVALID_ARG);
    assert_int_equal(vs_iir_create(&f, sec, 9), VS_E_INVALID_ARG);
    vs_biquad_coeffs bad = sec[0];
    bad.a1 = NAN;
    assert_int_equal(vs_iir_create(&f, &bad, 1), VS_E_INVALID_ARG);
    bad = sec[0];
    bad.a2 = 1.0; /* pole on the unit circle */
    assert_int_equal(vs_iir_create(&f, &bad, 1), VS_E_UNSTABLE_FILTER);
    bad.a2 = 0.5;
    bad.a1 = -1.6;
    assert_int_equal(vs_iir_create(&f, &bad, 1), VS_E_UNSTABLE_FILTER);
    assert_null(f);

    _Alignas(16) unsigned char mem[sizeof(struct vs_iir) + 16];
    assert_int_equal(vs_iir_workspace_size(), sizeof(struct vs_iir));
    assert_int_equal(vs_iir_init_static(&f, mem, vs_iir_workspace_size() - 1, sec, n),
                     VS_E_NO_MEMORY);
    assert_int_equal(vs_iir_init_static(&f, NULL, sizeof mem, sec, n), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_init_static(NULL, mem, sizeof mem, sec, n), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_init_static(&f, mem + 1, sizeof mem - 1, sec, n), VS_E_INVALID_ARG);
    assert_int_equal(vs_iir_init_static(&f, mem, sizeof mem, sec, n), VS_OK);
    assert_ptr_equal(f, (void *)mem);
    float x = 1.0f;
    assert_int_equal(vs_iir_process(NULL, &x, &x, 1), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_process(f, NULL, &x, 1), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_process(f, &x, NULL, 1), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_process(f, NULL, NULL, 0), VS_OK);
    vs_iir_destroy(f); /* static: no-op */
    vs_iir_destroy(NULL);
    vs_iir_reset(NULL);
}

/* The static and the heap object, and in-place vs separate buffers, agree bit for bit; the
 * embedded step agrees with the public process; reset restores the fresh behaviour. */
static void test_process_variants(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    vs_iir *a = make_bp(sec, &n);
    _Alignas(16) unsigned char mem[sizeof(struct vs_iir)];
    vs_iir *b = NULL;
    assert_int_equal(vs_iir_init_static(&b, mem, sizeof mem, sec, n), VS_OK);
    static float ya[LEN], yb[LEN];
    memcpy(yb, g_x, sizeof yb);
    assert_int_equal(vs_iir_process(a, g_x, ya, LEN), VS_OK);
    assert_int_equal(vs_iir_process(b, yb, yb, LEN), VS_OK); /* in place */
    assert_memory_equal(ya, yb, sizeof ya);
    struct vs_iir e;
    vs_iir_setup(&e, sec, n);
    for (size_t i = 0; i < LEN; i++) assert_true((float)vs_iir_step(&e, g_x[i]) == ya[i]);
    vs_iir_reset(a);
    assert_int_equal(vs_iir_process(a, g_x, yb, LEN), VS_OK);
    assert_memory_equal(ya, yb, sizeof ya);
    /* it really filters: the DC offset of 1.5 is gone after the transient */
    double mean = 0;
    for (size_t i = LEN - 1000; i < LEN; i++) mean += ya[i];
    assert_true(fabs(mean / 1000.0) < 0.02);
    vs_iir_destroy(a);
}

static void test_chunking(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    vs_iir *a = make_bp(sec, &n), *b = NULL;
    assert_int_equal(vs_iir_create(&b, sec, n), VS_OK);
    static float ya[LEN], yb[LEN];
    assert_int_equal(vs_iir_process(a, g_x, ya, LEN), VS_OK);
    size_t pos = 0, k = 0;
    const size_t chunks[] = {1, 7, 0, 64, 3, 500, 1, 2};
    while (pos < LEN) {
        size_t c = chunks[k++ % 8];
        if (c > LEN - pos) c = LEN - pos;
        assert_int_equal(vs_iir_process(b, g_x + pos, yb + pos, c), VS_OK);
        pos += c;
    }
    assert_memory_equal(ya, yb, sizeof ya);
    vs_iir_destroy(a);
    vs_iir_destroy(b);
}

static void test_missing_samples(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    vs_iir *a = make_bp(sec, &n), *b = NULL;
    assert_int_equal(vs_iir_create(&b, sec, n), VS_OK);
    static float xin[LEN], xref[LEN], ya[LEN], yb[LEN];
    memcpy(xin, g_x, sizeof xin);
    const float bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 100; i < LEN; i += 97) xin[i] = bad[i % 3];
    for (size_t i = 2000; i < 2050; i++) xin[i] = NAN; /* a gap */
    xin[0] = NAN;                                       /* before any finite sample: 0 */
    float last = 0.0f;
    for (size_t i = 0; i < LEN; i++) {
        if (isfinite(xin[i])) last = xin[i];
        xref[i] = last;
    }
    assert_int_equal(vs_iir_process(a, xin, ya, LEN), VS_OK);
    assert_int_equal(vs_iir_process(b, xref, yb, LEN), VS_OK);
    assert_memory_equal(ya, yb, sizeof ya);
    for (size_t i = 0; i < LEN; i++) assert_true(isfinite(ya[i]));
    vs_iir_destroy(a);
    vs_iir_destroy(b);
}

/* ---- state blobs ---- */

static void refresh_crc(uint8_t *blob, size_t len)
{
    (void)len;
    uint32_t payload = (uint32_t)blob[16] | (uint32_t)blob[17] << 8 | (uint32_t)blob[18] << 16 |
                       (uint32_t)blob[19] << 24;
    uint8_t *tmp = malloc(20 + payload);
    memcpy(tmp, blob, 20);
    memcpy(tmp + 20, blob + 24, payload);
    uint32_t crc = vs_crc32(tmp, 20 + payload);
    free(tmp);
    for (int i = 0; i < 4; i++) blob[20 + i] = (uint8_t)(crc >> (8 * i));
}

static void test_state_roundtrip(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    vs_iir *a = make_bp(sec, &n), *b = NULL;
    assert_int_equal(vs_iir_create(&b, sec, n), VS_OK);
    static float ya[LEN], yb[LEN];
    assert_int_equal(vs_iir_process(a, g_x, ya, 1234), VS_OK);
    size_t size = vs_iir_state_size(a);
    assert_int_equal(size, VS_STATE_HEADER_SIZE + 4 + n * 5 * 8 + 8 + n * 16);
    uint8_t blob[1024], blob2[1024];
    size_t written = 0;
    assert_int_equal(vs_iir_state_save(a, blob, sizeof blob, &written), VS_OK);
    assert_int_equal(written, size);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(blob, written, &info), VS_OK);
    assert_int_equal(info.module_id, VS_MODULE_IIR);
    assert_true(info.fs_hz == 0.0);
    assert_int_equal(info.payload_size, size - VS_STATE_HEADER_SIZE);
    assert_int_equal(vs_iir_state_load(b, blob, written), VS_OK);
    /* the loaded object saves the same bytes and continues bit-identically */
    size_t w2;
    assert_int_equal(vs_iir_state_save(b, blob2, sizeof blob2, &w2), VS_OK);
    assert_int_equal(w2, written);
    assert_memory_equal(blob, blob2, written);
    assert_int_equal(vs_iir_process(a, g_x + 1234, ya + 1234, LEN - 1234), VS_OK);
    assert_int_equal(vs_iir_process(b, g_x + 1234, yb + 1234, LEN - 1234), VS_OK);
    assert_memory_equal(ya + 1234, yb + 1234, (LEN - 1234) * sizeof(float));
    /* capacity */
    assert_int_equal(vs_iir_state_save(a, blob, size - 1, &written), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(written, size);
    assert_int_equal(vs_iir_state_save(NULL, blob, sizeof blob, &written), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_state_save(a, NULL, sizeof blob, &written), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_state_save(a, blob, sizeof blob, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_state_load(NULL, blob, size), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_state_load(a, NULL, size), VS_E_NULL_ARG);
    assert_int_equal(vs_iir_state_size(NULL), 0);
    vs_iir_destroy(a);
    vs_iir_destroy(b);
}

static void expect_reject(vs_iir *f, const uint8_t *blob, size_t len, vs_status want)
{
    struct vs_iir before = *f;
    assert_int_equal(vs_iir_state_load(f, blob, len), want);
    assert_memory_equal(&before, f, sizeof before);
}

static void test_state_rejects(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    vs_iir *a = make_bp(sec, &n), *b = NULL;
    assert_int_equal(vs_iir_create(&b, sec, n), VS_OK);
    static float y[LEN];
    assert_int_equal(vs_iir_process(a, g_x, y, 777), VS_OK);
    assert_int_equal(vs_iir_process(b, g_x, y, 100), VS_OK); /* b has a different history */
    uint8_t blob[1024], t[1100];
    size_t len;
    assert_int_equal(vs_iir_state_save(a, blob, sizeof blob, &len), VS_OK);

    expect_reject(b, blob, 10, VS_E_STATE_TRUNCATED);
    expect_reject(b, blob, len - 1, VS_E_STATE_TRUNCATED);
    memcpy(t, blob, len);
    t[0] = 'X';
    expect_reject(b, t, len, VS_E_STATE_BAD_MAGIC);
    memcpy(t, blob, len);
    t[4] = VS_STATE_FORMAT_VERSION + 1;
    refresh_crc(t, len); /* a real newer blob: the checksum is checked first */
    expect_reject(b, t, len, VS_E_STATE_NEWER_VERSION);
    memcpy(t, blob, len);
    t[len - 3] ^= 0x10; /* a bit flip in the payload */
    expect_reject(b, t, len, VS_E_STATE_BAD_CHECKSUM);
    memcpy(t, blob, len);
    t[6] = VS_MODULE_QRS;
    expect_reject(b, t, len, VS_E_STATE_BAD_CHECKSUM); /* the CRC covers the header */
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_WRONG_MODULE);
    /* header fs must be 0.0 for the stand-alone IIR */
    memcpy(t, blob, len);
    double fs = 360.0;
    memcpy(t + 8, &fs, 8); /* little-endian host assumed by this test only */
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_MISMATCH);
    /* coefficients of another design */
    vs_biquad_coeffs other[8];
    size_t n2;
    vs_iir *c = NULL;
    assert_int_equal(vs_butterworth_design(VS_FILTER_BANDPASS, 3, 360.0, 5.0, 16.0, other, 8,
                                           &n2), VS_OK);
    assert_int_equal(vs_iir_create(&c, other, n2), VS_OK);
    expect_reject(c, blob, len, VS_E_STATE_MISMATCH);
    vs_iir_destroy(c);
    /* another section count */
    assert_int_equal(vs_iir_create(&c, sec, n - 1), VS_OK);
    expect_reject(c, blob, len, VS_E_STATE_MISMATCH);
    vs_iir_destroy(c);
    /* one coefficient differs by one ulp */
    memcpy(t, blob, len);
    t[VS_STATE_HEADER_SIZE + 4] ^= 1;
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_MISMATCH);
    /* section count out of range */
    memcpy(t, blob, len);
    t[VS_STATE_HEADER_SIZE] = 9;
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_CORRUPT);
    memcpy(t, blob, len);
    t[VS_STATE_HEADER_SIZE] = 0;
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_CORRUPT);
    /* non-finite delay element */
    memcpy(t, blob, len);
    double inf = INFINITY;
    memcpy(t + len - 8, &inf, 8);
    refresh_crc(t, len);
    expect_reject(b, t, len, VS_E_STATE_CORRUPT);
    /* payload one byte longer than the fields */
    memcpy(t, blob, len);
    t[len] = 0;
    t[16] = (uint8_t)(t[16] + 1);
    refresh_crc(t, len + 1);
    expect_reject(b, t, len + 1, VS_E_STATE_CORRUPT);
    /* payload one field shorter (declared length consistent) */
    memcpy(t, blob, len);
    t[16] = (uint8_t)(t[16] - 8);
    refresh_crc(t, len - 8);
    expect_reject(b, t, len - 8, VS_E_STATE_CORRUPT);

    /* after all those failures b still works and still accepts the good blob */
    assert_int_equal(vs_iir_state_load(b, blob, len), VS_OK);
    static float ya[LEN], yb[LEN];
    assert_int_equal(vs_iir_process(a, g_x + 777, ya, 1000), VS_OK);
    assert_int_equal(vs_iir_process(b, g_x + 777, yb, 1000), VS_OK);
    assert_memory_equal(ya, yb, 1000 * sizeof(float));
    vs_iir_destroy(a);
    vs_iir_destroy(b);
}

/* Embedded signal-state helpers used by composite objects. */
static void test_signal_state_helpers(void **state)
{
    (void)state;
    vs_biquad_coeffs sec[8];
    size_t n;
    assert_int_equal(vs_butterworth_design(VS_FILTER_HIGHPASS, 2, 250.0, 1.0, 0.0, sec, 8, &n),
                     VS_OK);
    struct vs_iir f, g;
    vs_iir_setup(&f, sec, n);
    vs_iir_setup(&g, sec, n);
    for (int i = 0; i < 300; i++) vs_iir_step(&f, g_x[i]);
    uint8_t blob[512];
    vs_blob_writer w;
    vs_blob_begin(&w, blob, sizeof blob, VS_MODULE_QRS, 250.0);
    vs_iir_write_signal_state(&f, &w);
    size_t len;
    assert_int_equal(vs_blob_end(&w, &len), VS_OK);
    vs_blob_reader r;
    assert_int_equal(vs_blob_open(&r, blob, len, VS_MODULE_QRS, 250.0, NULL), VS_OK);
    vs_iir_read_signal_state(&g, &r);
    assert_int_equal(vs_blob_close(&r), VS_OK);
    assert_memory_equal(&f, &g, sizeof f);
    /* a truncated signal state leaves the object alone */
    struct vs_iir h;
    vs_iir_setup(&h, sec, n);
    struct vs_iir before = h;
    assert_int_equal(vs_blob_open(&r, blob, len, VS_MODULE_QRS, 250.0, NULL), VS_OK);
    r.len -= 8;
    vs_iir_read_signal_state(&h, &r);
    assert_int_equal(vs_blob_close(&r), VS_E_STATE_CORRUPT);
    assert_memory_equal(&before, &h, sizeof h);
}

int main(void)
{
    make_signal(g_x, LEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_process_variants),
        cmocka_unit_test(test_chunking),
        cmocka_unit_test(test_missing_samples),
        cmocka_unit_test(test_state_roundtrip),
        cmocka_unit_test(test_state_rejects),
        cmocka_unit_test(test_signal_state_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
