/* test_qrs_chunks.c — chunk invariance: any chunking, with save -> destroy -> create -> load
 * between every pair of chunks, gives beats identical in every field to one-shot processing.
 * On synthetic records (noise, PVCs, AF, NaN runs) at several rates, and on MIT-BIH records
 * 100, 105 and 203 (skipped with a message when the database is absent). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/io.h"

static const long k_chunks[] = {1, 2, 7, 64, 360, 1000, 65536, -500 /* random sizes */};

static void check_invariance(const float *x, size_t n, double fs_hz, const char *what)
{
    size_t n_ref;
    vs_beat *ref = vs_test_detect(x, n, fs_hz, 0, 0, &n_ref);
    assert_true(n_ref > 0);
    for (size_t c = 0; c < sizeof k_chunks / sizeof k_chunks[0]; c++) {
        size_t nb;
        vs_beat *b = vs_test_detect(x, n, fs_hz, k_chunks[c], 1, &nb);
        if (nb != n_ref || memcmp(b, ref, nb * sizeof *b) != 0)
            fprintf(stderr, "%s: chunk %ld differs (%zu vs %zu beats)\n", what, k_chunks[c], nb,
                    n_ref);
        assert_int_equal(nb, n_ref);
        assert_memory_equal(b, ref, nb * sizeof *b);
        free(b);
    }
    free(ref);
}

static void test_synthetic_records(void **state)
{
    (void)state;
    const double rates[] = {128, 360, 1000};
    for (size_t i = 0; i < 3; i++) {
        vs_synth_config cfg;
        assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
        cfg.fs_hz = rates[i];
        cfg.duration_s = 120;
        cfg.seed = 77 + i;
        cfg.noise_mv = 0.05;
        cfg.motion_per_min = 2;
        cfg.pvc_per_min = 6;
        cfg.af_start_s = 40;
        cfg.af_duration_s = 40;
        vs_test_record rec;
        vs_test_synth(&cfg, &rec);
        for (size_t k = (size_t)(90 * rec.fs_hz); k < (size_t)(93 * rec.fs_hz); k++)
            rec.x[k] = NAN;
        check_invariance(rec.x, rec.n, rec.fs_hz, "synthetic");
        vs_test_record_free(&rec);
    }
}

static void test_mitdb_records(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *records[] = {"100", "105", "203"};
    for (size_t i = 0; i < 3; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, records[i], &n, &fs);
        assert_true(fs == 360.0 && n == 650000);
        check_invariance(x, (size_t)n, fs, records[i]);
        vs_io_free(x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic_records),
        cmocka_unit_test(test_mitdb_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
