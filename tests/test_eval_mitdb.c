/* test_eval_mitdb.c — EC57 comparator on the 48 MIT-BIH reference annotation files.
 *
 * The .atr files are decoded by a small MIT-format reader in this file (independent of
 * vitalstream_io, so this test checks the evaluator alone). Checks:
 *   - each record against itself: every scored beat is a TP, no FN/FP; the 48 records give the
 *     91,285 reference beats that bxb scores with EC57 defaults (docs/EVALUATION.md);
 *   - against a copy shifted by +0.10 s (inside the 0.15 s window): still all TP;
 *   - shifted by +0.20 s (outside): nearly everything becomes FN + FP (under 1 % overall stays
 *     TP, by pairing with the neighbouring beat in fast rhythms), and TP + FN stays equal to
 *     the number of scored beats.
 * Skipped (exit 77) when the database is not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_support.h"
#include "vitalstream/eval.h"

static const char *g_dir;
static const char *const k_records[] = {
    "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "111", "112",
    "113", "114", "115", "116", "117", "118", "119", "121", "122", "123", "124", "200",
    "201", "202", "203", "205", "207", "208", "209", "210", "212", "213", "214", "215",
    "217", "219", "220", "221", "222", "223", "228", "230", "231", "232", "233", "234" };
#define N_RECORDS (sizeof k_records / sizeof k_records[0])

/* Minimal MIT annotation-format decoder: 16-bit LE words, code = w >> 10, data = w & 1023. */
static vs_annotation *read_atr(const char *path, size_t *n_out) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)len + 2);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    size_t cap = (size_t)len / 2 + 1, n = 0;
    vs_annotation *a = calloc(cap, sizeof *a);
    int64_t t = 0;
    long i = 0;
    while (a && i + 1 < len) {
        unsigned w = (unsigned)buf[i] | ((unsigned)buf[i + 1] << 8);
        i += 2;
        unsigned code = w >> 10, data = w & 1023u;
        if (code == 0 && data == 0) break;
        if (code == 59) { /* SKIP: 32-bit interval, high word first */
            if (i + 3 >= len) break;
            uint32_t hi = (uint32_t)buf[i] | ((uint32_t)buf[i + 1] << 8);
            uint32_t lo = (uint32_t)buf[i + 2] | ((uint32_t)buf[i + 3] << 8);
            t += (int32_t)((hi << 16) | lo);
            i += 4;
        } else if (code == 60 || code == 62) {
            /* NUM / CHN: not needed here */
        } else if (code == 61) {
            if (n) a[n - 1].subtype = (int8_t)(data & 0xFF);
        } else if (code == 63) {
            i += (long)((data + 1) & ~1u);
        } else {
            t += data;
            memset(&a[n], 0, sizeof a[n]);
            a[n].sample_idx = t;
            a[n].code = (int16_t)code;
            n++;
        }
    }
    free(buf);
    *n_out = n;
    return a;
}

static vs_annotation *load(const char *rec, size_t *n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.atr", g_dir, rec);
    vs_annotation *a = read_atr(path, n);
    if (!a) fail_msg("cannot read %s", path);
    return a;
}

static vs_ec57_options mitdb_options(void) {
    vs_ec57_options o;
    vs_ec57_default_options(&o);
    o.record_length_samples = 650000; /* bxb's default end: the record length from the .hea */
    return o;
}

static void test_self(void **state) {
    (void)state;
    vs_ec57_options o = mitdb_options();
    vs_ec57_summary sum;
    vs_ec57_summary_init(&sum);
    for (size_t k = 0; k < N_RECORDS; k++) {
        size_t n;
        vs_annotation *a = load(k_records[k], &n);
        vs_ec57_result r;
        assert_int_equal(vs_ec57_compare(a, n, a, n, 360.0, &o, &r), VS_OK);
        if (r.fn || r.fp) fail_msg("record %s: self-comparison FN %lld FP %lld", k_records[k],
                                   (long long)r.fn, (long long)r.fp);
        assert_true(r.tp > 1000);
        /* the diagonal holds everything */
        int64_t diag = 0;
        for (int c = 0; c < VS_EC57_O; c++) diag += r.matrix[c][c];
        assert_int_equal(diag, r.tp);
        assert_int_equal(vs_ec57_summary_add(&sum, &r), VS_OK);
        free(a);
    }
    assert_int_equal(sum.n_records, 48);
    print_message("self-comparison: %lld beats scored\n", (long long)sum.gross.tp);
    assert_int_equal(sum.gross.tp, 91285);
    vs_ec57_stats g, av;
    assert_int_equal(vs_ec57_summary_stats(&sum, &g, &av), VS_OK);
    assert_true(g.qrs_se == 100.0 && g.qrs_ppv == 100.0 && av.qrs_se == 100.0);
    assert_true(g.veb_se == 100.0 && g.sveb_se == 100.0 && g.sveb_ppv == 100.0);
    assert_true(g.rms_rr_error_ms == 0.0);
}

static vs_annotation *shifted(const vs_annotation *a, size_t n, int64_t dt) {
    vs_annotation *b = malloc(n * sizeof *b + 1);
    assert_non_null(b);
    memcpy(b, a, n * sizeof *b);
    for (size_t i = 0; i < n; i++) b[i].sample_idx += dt;
    return b;
}

static void test_shifted(void **state) {
    (void)state;
    vs_ec57_options o = mitdb_options();
    int64_t tp_in = 0, tp_out = 0, total = 0;
    for (size_t k = 0; k < N_RECORDS; k++) {
        size_t n;
        vs_annotation *a = load(k_records[k], &n);
        vs_ec57_result self, in, out;
        assert_int_equal(vs_ec57_compare(a, n, a, n, 360.0, &o, &self), VS_OK);
        vs_annotation *b = shifted(a, n, 36); /* +0.10 s */
        assert_int_equal(vs_ec57_compare(a, n, b, n, 360.0, &o, &in), VS_OK);
        free(b);
        b = shifted(a, n, 72); /* +0.20 s */
        assert_int_equal(vs_ec57_compare(a, n, b, n, 360.0, &o, &out), VS_OK);
        free(b);
        if (in.tp != self.tp || in.fn || in.fp)
            fail_msg("record %s +0.1 s: TP %lld FN %lld FP %lld (self TP %lld)", k_records[k],
                     (long long)in.tp, (long long)in.fn, (long long)in.fp,
                     (long long)self.tp);
        /* +0.2 s: every reference beat is TP or FN, and (no beat crosses the record end or
         * the start) every shifted test beat is TP or FP */
        assert_int_equal(out.tp + out.fn, self.tp);
        assert_true(out.tp + out.fp >= self.tp - 2 && out.tp + out.fp <= self.tp + 2);
        /* only beats closer than 0.35 s to the next one can pair with it (fast rhythms: 203
         * reaches 6.6 %) */
        assert_true(out.tp * 10 < self.tp);
        tp_in += in.tp;
        tp_out += out.tp;
        total += self.tp;
        free(a);
    }
    print_message("shift +0.1 s: TP %lld of %lld; shift +0.2 s: TP %lld\n", (long long)tp_in,
                  (long long)total, (long long)tp_out);
    assert_int_equal(tp_in, 91285);
    assert_true(tp_out * 100 < total);
}

int main(void) {
    g_dir = vs_test_mitdb_dir();
    if (!g_dir) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self),
        cmocka_unit_test(test_shifted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
