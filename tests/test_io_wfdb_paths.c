/* test_io_wfdb_paths.c — a WFDB header cannot make the readers open a file outside the record's
 * folder: signal file names that are absolute or contain ".." are refused (nothing is opened)
 * unless the caller passes VS_WFDB_ALLOW_ANY_SIGNAL_PATH to the _ex readers. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "vitalstream/io.h"

static char g_dir[256]; /* DIR with DIR/rec/ (headers) and DIR/outside.dat */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* DIR/rec/NAME.hea naming signal file `file` (format 16, 4 samples). */
static void write_header(const char *name, const char *file, char *record, size_t cap)
{
    char text[600], path[512];
    snprintf(text, sizeof text, "%s 1 360 4\n%s 16 200 16 0 0 0 0 ECG\n", name, file);
    snprintf(record, cap, "%s/rec/%s", g_dir, name);
    snprintf(path, sizeof path, "%s.hea", record);
    write_file(path, text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "%s/vs_wfdb_paths.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(g_dir)) return -1;
    char path[512];
    snprintf(path, sizeof path, "%s/rec", g_dir);
    if (mkdir(path, 0700) != 0) return -1;
    const int16_t adc[4] = {200, -200, 400, 0}; /* 1, -1, 2, 0 mV (little-endian host) */
    snprintf(path, sizeof path, "%s/outside.dat", g_dir);
    write_file(path, adc, sizeof adc);
    snprintf(path, sizeof path, "%s/rec/inside.dat", g_dir);
    write_file(path, adc, sizeof adc);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"rec/inside.dat", "rec/up.hea", "rec/abs.hea", "rec/dots.hea",
                           "rec/ok.hea", "rec/bs.hea", "outside.dat", "rec", ""};
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", g_dir, names[i]);
        if (remove(path) != 0) { /* already gone or never written */ }
    }
    return 0;
}

static void expect_refused(const char *record, const char *file_name)
{
    float *y = NULL;
    int64_t n = -1;
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_signal(record, 0, &y, &n, NULL, &e), VS_E_UNSUPPORTED_FORMAT);
    assert_null(y);
    assert_int_equal(n, 0);
    if (!strstr(e.message, file_name)) print_error("message '%s'\n", e.message);
    assert_non_null(strstr(e.message, file_name));
    assert_non_null(strstr(e.message, "refused"));
    vs_wfdb_header h;
    int32_t *adc = NULL;
    assert_int_equal(vs_wfdb_read_adc(record, &h, &adc, &n, &e), VS_E_UNSUPPORTED_FORMAT);
    assert_null(adc);
    assert_int_equal(vs_wfdb_read_adc_ex(record, 0, &h, &adc, &n, &e), VS_E_UNSUPPORTED_FORMAT);
    assert_int_equal(vs_wfdb_read_signal_ex(record, 0, 0, &y, &n, NULL, &e),
                     VS_E_UNSUPPORTED_FORMAT);
}

static void expect_read(const char *record, unsigned flags)
{
    float *y = NULL;
    int64_t n = 0;
    vs_io_error e;
    vs_status st = vs_wfdb_read_signal_ex(record, 0, flags, &y, &n, NULL, &e);
    if (st) print_error("%s\n", e.message);
    assert_int_equal(st, VS_OK);
    assert_int_equal(n, 4);
    assert_true(y[0] == 1.0f && y[1] == -1.0f && y[2] == 2.0f && y[3] == 0.0f);
    vs_io_free(y);
    vs_wfdb_header h;
    int32_t *adc = NULL;
    assert_int_equal(vs_wfdb_read_adc_ex(record, flags, &h, &adc, &n, &e), VS_OK);
    assert_int_equal(adc[2], 400);
    vs_io_free(adc);
}

static void test_dotdot_refused_unless_allowed(void **state)
{
    (void)state;
    char rec[512];
    write_header("up", "../outside.dat", rec, sizeof rec);
    expect_refused(rec, "../outside.dat");
    expect_read(rec, VS_WFDB_ALLOW_ANY_SIGNAL_PATH);
    write_header("dots", "in..side.dat", rec, sizeof rec);
    expect_refused(rec, "in..side.dat");
    write_header("bs", "\\outside.dat", rec, sizeof rec);
    expect_refused(rec, "\\outside.dat");
}

static void test_absolute_refused_unless_allowed(void **state)
{
    (void)state;
    char rec[512], file[400];
    snprintf(file, sizeof file, "%s/outside.dat", g_dir);
    write_header("abs", file, rec, sizeof rec);
    expect_refused(rec, file);
    expect_read(rec, VS_WFDB_ALLOW_ANY_SIGNAL_PATH);
}

static void test_plain_names_read(void **state)
{
    (void)state;
    char rec[512];
    write_header("ok", "inside.dat", rec, sizeof rec);
    expect_read(rec, 0);
    float *y = NULL;
    int64_t n = 0;
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, NULL, NULL), VS_OK);
    vs_io_free(y);
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_signal_ex(rec, 0, 2u, &y, &n, NULL, &e), VS_E_INVALID_ARG);
    assert_non_null(strstr(e.message, "flags"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dotdot_refused_unless_allowed),
        cmocka_unit_test(test_absolute_refused_unless_allowed),
        cmocka_unit_test(test_plain_names_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
