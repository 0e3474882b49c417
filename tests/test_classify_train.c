/* test_classify_train.c — retrains the beat classifier on MIT-BIH DS1 with the real trainer
 * (tools/train_classifier.c, compiled in here) and checks that the model it writes is byte for
 * byte the committed src/classify/classify_model.c: same data => same weights. Skips (77)
 * without MIT-BIH. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_support.h"

#define main train_classifier_main
#include "../tools/train_classifier.c"
#undef main

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void test_retrain_reproduces_model(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    char committed[4200], out[4200];
    snprintf(committed, sizeof committed, "%s/../../src/classify/classify_model.c",
             VS_TEST_DATA_DIR);
    snprintf(out, sizeof out, "classify_model_retrained.c");
    char *argv[] = {"train_classifier", "--db", (char *)db, "--out", out, NULL};
    assert_int_equal(train_classifier_main(5, argv), 0);
    size_t la = 0, lb = 0;
    char *a = slurp(committed, &la), *b = slurp(out, &lb);
    assert_non_null(a);
    assert_non_null(b);
    if (la != lb || memcmp(a, b, la) != 0)
        fail_msg("retrained model %s differs from %s: rerun tools/train_classifier and commit",
                 out, committed);
    remove(out);
    free(a);
    free(b);
}

int main(void)
{
    const char *db = vs_test_mitdb_dir();
    if (!db) {
        fprintf(stderr, "test_classify_train: MIT-BIH not found, skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retrain_reproduces_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
