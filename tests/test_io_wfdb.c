/* test_io_wfdb.c — WFDB headers and signals: hand-made fixtures (tests/data/io_*), error
 * reporting, write/read round trip, and the MIT-BIH records when the database is present. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <math.h>

#include "test_support.h"
#include "vitalstream/io.h"

static char g_path[4096];
static const char *data_path(const char *name)
{
    return vs_test_data_path(name, g_path, sizeof g_path);
}

/* record path without extension under tests/data */
static const char *record_path(const char *name, char *buf, size_t cap)
{
    return vs_test_data_path(name, buf, cap);
}

static void test_header_lf_multisignal(void **state)
{
    (void)state;
    vs_wfdb_header h;
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_header(data_path("io_rec16.hea"), &h, &e), VS_OK);
    assert_int_equal(e.status, VS_OK);
    assert_string_equal(h.record_name, "io_rec16");
    assert_int_equal(h.n_signals, 3);
    assert_true(h.fs_hz == 500.0);
    assert_true(h.counter_freq_hz == 1000.0);
    assert_true(h.base_counter == 3.0);
    assert_int_equal(h.n_samples, 5);
    assert_string_equal(h.base_time, "12:30:00");
    assert_string_equal(h.base_date, "01/02/2020");
    const vs_wfdb_signal *s = h.signals;
    assert_string_equal(s[0].file_name, "io_rec16.dat");
    assert_int_equal(s[0].format, 16);
    assert_true(s[0].gain_adu_per_mv == 100.0);
    assert_int_equal(s[0].gain_given, 1);
    assert_true(s[0].baseline_adu == 5.0);
    assert_string_equal(s[0].units, "uV");
    assert_int_equal(s[0].initial_value, 10);
    assert_string_equal(s[0].description, "ECG lead I");
    /* gain 0 -> 200, baseline = adczero, units default, no description */
    assert_true(s[1].gain_adu_per_mv == 200.0);
    assert_int_equal(s[1].gain_given, 0);
    assert_int_equal(s[1].adc_resolution_bits, 12);
    assert_int_equal(s[1].adc_zero, 7);
    assert_true(s[1].baseline_adu == 7.0);
    assert_string_equal(s[1].units, "mV");
    assert_string_equal(s[1].description, "");
    assert_true(s[2].gain_adu_per_mv == 250.5);
    assert_true(s[2].baseline_adu == -3.0);
    assert_string_equal(s[2].description, "resp  belt"); /* inner blanks kept, ends trimmed */
    assert_string_equal(h.comments,
                        "hand-made test record: 3 signals in format 16\nsecond comment");
}

static void test_header_crlf_and_defaults(void **state)
{
    (void)state;
    vs_wfdb_header h;
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_header(data_path("io_rec212.hea"), &h, &e), VS_OK);
    assert_string_equal(h.record_name, "io_rec212");
    assert_int_equal(h.n_signals, 3);
    assert_true(h.fs_hz == 360.0);
    assert_int_equal(h.n_samples, 4);
    assert_string_equal(h.signals[0].description, "MLII"); /* no trailing \r */
    assert_true(h.signals[0].baseline_adu == 1024.0);
    assert_true(h.signals[1].baseline_adu == 10.0);
    assert_true(h.signals[1].gain_adu_per_mv == 400.0);
    assert_string_equal(h.signals[2].file_name, "io_rec212b.dat");
    assert_string_equal(h.comments, "69 M 1085 1629 x1\nnone");

    /* minimal header: only name and nsig; fs default 250 */
    const char *t = "rec 1\nrec.dat 16\n";
    assert_int_equal(vs_wfdb_parse_header(t, strlen(t), "mem.hea", &h, &e), VS_OK);
    assert_true(h.fs_hz == 250.0);
    assert_int_equal(h.n_samples, 0);
    assert_true(h.signals[0].gain_adu_per_mv == 200.0);
    assert_int_equal(h.signals[0].adc_resolution_bits, 16);
    assert_string_equal(h.signals[0].units, "mV");
    /* fmt with spf, skew, offset */
    t = "r 1 0 10\nr.dat 212x2:3+512 200/mV\n";
    assert_int_equal(vs_wfdb_parse_header(t, strlen(t), "mem.hea", &h, &e), VS_OK);
    assert_true(h.fs_hz == 250.0);
    assert_int_equal(h.signals[0].format, 212);
    assert_int_equal(h.signals[0].samples_per_frame, 2);
    assert_int_equal(h.signals[0].skew, 3);
    assert_int_equal(h.signals[0].byte_offset, 512);
    /* multi-segment headers parse (segment lines are not interpreted) */
    t = "multi/2 2 360 100\nseg1 50\nseg2 50\n";
    assert_int_equal(vs_wfdb_parse_header(t, strlen(t), "mem.hea", &h, &e), VS_OK);
    assert_int_equal(h.n_segments, 2);
}

typedef struct bad_case {
    const char *text;
    vs_status status;
    long line;
    const char *needle;
} bad_case;

static void test_header_errors_name_line(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", VS_E_PARSE, 0, "empty"},
        {"# only a comment\n\n", VS_E_PARSE, 2, "no record line"},
        {"rec\n", VS_E_PARSE, 1, "number of signals"},
        {"rec two 360\n", VS_E_PARSE, 1, "number of signals"},
        {"rec 1 abc\nrec.dat 16\n", VS_E_PARSE, 1, "sampling frequency"},
        {"rec 1 360 -5\nrec.dat 16\n", VS_E_PARSE, 1, "number of samples"},
        {"rec 2 360 10\nrec.dat 16\n", VS_E_PARSE, 2, "declares 2 signals but has 1"},
        {"rec 1 360\r\n# c\r\nrec.dat 16 abc 12\r\n", VS_E_PARSE, 3, "gain is not a number"},
        {"rec 1 360\nrec.dat 16 200(12 12\n", VS_E_PARSE, 2, "baseline"},
        {"rec 1 360\nrec.dat 16 200 12 zero\n", VS_E_PARSE, 2, "ADC zero"},
        {"rec 1 360\nrec.dat 16 200 12 0 1.5\n", VS_E_PARSE, 2, "initial value"},
        {"rec 1 360\nrec.dat\n", VS_E_PARSE, 2, "no format"},
        {"rec 1 360\nrec.dat 16q\n", VS_E_PARSE, 2, "format"},
        {"rec 1 360\nrec.dat 16\nextra line\n", VS_E_PARSE, 3, "unexpected line"},
        {"rec 33 360\n", VS_E_UNSUPPORTED_FORMAT, 1, "33 signals"},
        {"rec 1 360 10 0:0:0 1/1/2000 junk\nrec.dat 16\n", VS_E_PARSE, 1, "unexpected field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vs_wfdb_header h;
        vs_io_error e;
        vs_status st = vs_wfdb_parse_header(cases[i].text, strlen(cases[i].text), "bad.hea", &h, &e);
        if (st != cases[i].status || e.line != cases[i].line ||
            !strstr(e.message, cases[i].needle) || strncmp(e.message, "bad.hea", 7))
            fail_msg("case %zu: status %d line %ld message '%s'", i, st, e.line, e.message);
        assert_int_equal(e.status, cases[i].status);
        assert_string_equal(e.file, "bad.hea");
    }
    /* a NUL byte inside the text */
    const char t[] = "rec 1 360\nrec.dat\0 16\n";
    vs_wfdb_header h;
    vs_io_error e;
    assert_int_equal(vs_wfdb_parse_header(t, sizeof t - 1, "nul.hea", &h, &e), VS_E_PARSE);
    assert_int_equal(e.line, 2);
}

static void test_header_error_from_file(void **state)
{
    (void)state;
    vs_wfdb_header h;
    vs_io_error e;
    const char *p = data_path("io_badgain.hea");
    assert_int_equal(vs_wfdb_read_header(p, &h, &e), VS_E_PARSE);
    assert_int_equal(e.line, 4);
    assert_string_equal(e.file, p);
    char want[4200];
    snprintf(want, sizeof want, "%s:4: gain is not a number: '2x0'", p);
    assert_string_equal(e.message, want);
    /* missing file */
    assert_int_equal(vs_wfdb_read_header(data_path("io_nonexistent.hea"), &h, &e), VS_E_IO);
    assert_non_null(strstr(e.message, "io_nonexistent.hea"));
}

static void test_read_format16(void **state)
{
    (void)state;
    char rec[4096];
    record_path("io_rec16", rec, sizeof rec);
    vs_wfdb_header h;
    int32_t *adc = NULL;
    int64_t n = 0;
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_adc(rec, &h, &adc, &n, &e), VS_OK);
    assert_int_equal(n, 5);
    static const int32_t want[15] = {10, 7, -3, 20, 8, 0, -30, 9, 1000,
                                     32767, 10, -1000, -32768, 11, 2};
    for (int i = 0; i < 15; i++) assert_int_equal(adc[i], want[i]);
    vs_io_free(adc);
    float *y = NULL;
    double fs = 0;
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, &fs, &e), VS_OK);
    assert_int_equal(n, 5);
    assert_true(fs == 500.0);
    assert_true(y[0] == (float)((10 - 5) / 100.0));
    assert_true(y[3] == (float)((32767 - 5) / 100.0)); /* the top code is a real value */
    assert_true(isnan(y[4])); /* -32768 is WFDB's invalid sample in format 16 */
    for (int i = 0; i < 4; i++) assert_true(isfinite(y[i]));
    vs_io_free(y);
    assert_int_equal(vs_wfdb_read_signal(rec, 2, &y, &n, &fs, &e), VS_OK);
    assert_true(y[2] == (float)((1000 + 3) / 250.5));
    vs_io_free(y);
    assert_int_equal(vs_wfdb_read_signal(rec, 3, &y, &n, &fs, &e), VS_E_NOT_FOUND);
    assert_null(y);
    assert_int_equal(vs_wfdb_read_signal(rec, -1, &y, &n, &fs, &e), VS_E_NOT_FOUND);
}

static void test_read_format212_groups(void **state)
{
    (void)state;
    char rec[4096];
    record_path("io_rec212", rec, sizeof rec);
    vs_wfdb_header h;
    int32_t *adc = NULL;
    int64_t n = 0;
    vs_io_error e;
    assert_int_equal(vs_wfdb_read_adc(rec, &h, &adc, &n, &e), VS_OK);
    assert_int_equal(n, 4);
    static const int32_t want[12] = {0, 100, 5, -1, -100, 6, 2047, 1, 7, -2048, -2, 8};
    for (int i = 0; i < 12; i++) assert_int_equal(adc[i], want[i]);
    /* checksums and initial values of the header agree with the data */
    for (int s = 0; s < 3; s++) {
        int sum = 0;
        for (int i = 0; i < 4; i++) sum += adc[i * 3 + s];
        assert_int_equal((int16_t)sum, h.signals[s].checksum);
        assert_int_equal(adc[s], h.signals[s].initial_value);
    }
    vs_io_free(adc);
    float *y;
    assert_int_equal(vs_wfdb_read_signal(rec, 1, &y, &n, NULL, &e), VS_OK);
    assert_true(y[1] == (float)((-100 - 10) / 400.0));
    vs_io_free(y);
    /* -2048 is WFDB's invalid sample in format 212; 2047 is a real value */
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, NULL, &e), VS_OK);
    assert_true(isnan(y[3]));
    assert_true(isfinite(y[0]) && isfinite(y[1]) && isfinite(y[2]));
    assert_true(y[2] == (float)((2047 - h.signals[0].baseline_adu) / h.signals[0].gain_adu_per_mv));
    vs_io_free(y);
}

static void test_unsupported_and_truncated(void **state)
{
    (void)state;
    char rec[4096];
    float *y = (float *)&y;
    int64_t n = 99;
    double fs;
    vs_io_error e;
    record_path("io_fmt310", rec, sizeof rec);
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, &fs, &e), VS_E_UNSUPPORTED_FORMAT);
    assert_null(y);
    assert_int_equal(n, 0);
    assert_non_null(strstr(e.message, "format 310 is not supported (212 and 16 are)"));
    assert_non_null(strstr(e.message, "io_fmt310.hea"));

    record_path("io_trunc", rec, sizeof rec);
    assert_int_equal(vs_wfdb_read_signal(rec, 1, &y, &n, &fs, &e), VS_E_TRUNCATED_FILE);
    assert_int_equal(e.status, VS_E_TRUNCATED_FILE);
    assert_non_null(strstr(e.message, "io_trunc.dat"));
    assert_non_null(strstr(e.message, "truncated"));
    assert_non_null(strstr(e.message, "30 bytes"));
    vs_wfdb_header h;
    int32_t *adc;
    assert_int_equal(vs_wfdb_read_adc(rec, &h, &adc, &n, &e), VS_E_TRUNCATED_FILE);
    assert_null(adc);

    record_path("io_missing_record", rec, sizeof rec);
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, &fs, &e), VS_E_IO);
    assert_non_null(strstr(e.message, "io_missing_record.hea"));
}

static char *make_tmpdir(void)
{
    static char dir[256];
    const char *base = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/vs_io_wfdb_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(dir);
}

static void roundtrip(int format, int nsig, int64_t nframes)
{
    char *dir = make_tmpdir();
    assert_non_null(dir);
    char rec[512];
    snprintf(rec, sizeof rec, "%s/rt%d", dir, format);
    vs_wfdb_header h;
    memset(&h, 0, sizeof h);
    h.n_signals = nsig;
    h.fs_hz = 360.0;
    snprintf(h.base_time, sizeof h.base_time, "10:11:12");
    snprintf(h.comments, sizeof h.comments, "first comment\nsecond: 69 M");
    for (int s = 0; s < nsig; s++) {
        vs_wfdb_signal *g = &h.signals[s];
        g->format = format;
        g->samples_per_frame = 1;
        g->gain_adu_per_mv = s == 0 ? 200.0 : 0.1 * (s + 1);
        g->baseline_adu = 1024 - s;
        g->adc_resolution_bits = format == 212 ? 12 : 16;
        g->adc_zero = 1024;
        snprintf(g->units, sizeof g->units, "%s", s == 1 ? "uV" : "mV");
        snprintf(g->description, sizeof g->description, "signal %d of %d", s, nsig);
    }
    /* last signal in its own file */
    if (nsig > 1) snprintf(h.signals[nsig - 1].file_name, 128, "rt%d_last.dat", format);
    int32_t lim = format == 212 ? 2047 : 32767;
    int32_t *adc = malloc((size_t)(nframes * nsig + 1) * sizeof *adc);
    uint32_t x = 12345;
    for (int64_t i = 0; i < nframes * nsig; i++) {
        x = x * 1103515245u + 12345u;
        adc[i] = (int32_t)((x >> 8) % (uint32_t)(2 * lim + 2)) - lim - 1;
    }
    if (nframes * nsig > 0) adc[0] = -lim - 1;
    if (nframes * nsig > 1) adc[1] = lim;
    vs_io_error e;
    assert_int_equal(vs_wfdb_write_record(rec, &h, adc, nframes, &e), VS_OK);
    vs_wfdb_header r;
    int32_t *back;
    int64_t n;
    assert_int_equal(vs_wfdb_read_adc(rec, &r, &back, &n, &e), VS_OK);
    assert_int_equal(n, nframes);
    assert_memory_equal(back, adc, (size_t)(nframes * nsig) * sizeof *adc);
    assert_int_equal(r.n_signals, nsig);
    assert_true(r.fs_hz == h.fs_hz);
    assert_int_equal(r.n_samples, nframes);
    assert_string_equal(r.base_time, "10:11:12");
    assert_string_equal(r.comments, h.comments);
    for (int s = 0; s < nsig; s++) {
        assert_int_equal(r.signals[s].format, format);
        assert_true(r.signals[s].gain_adu_per_mv == h.signals[s].gain_adu_per_mv);
        assert_true(r.signals[s].baseline_adu == h.signals[s].baseline_adu);
        assert_int_equal(r.signals[s].adc_zero, 1024);
        assert_string_equal(r.signals[s].units, h.signals[s].units);
        assert_string_equal(r.signals[s].description, h.signals[s].description);
        int sum = 0;
        for (int64_t i = 0; i < nframes; i++) sum += adc[i * nsig + s];
        assert_int_equal(r.signals[s].checksum, (int16_t)sum);
        assert_int_equal(r.signals[s].initial_value, nframes ? adc[s] : 1024);
    }
    /* physical values */
    float *y;
    assert_int_equal(vs_wfdb_read_signal(rec, nsig - 1, &y, &n, NULL, &e), VS_OK);
    for (int64_t i = 0; i < nframes; i++) {
        int32_t v = adc[i * nsig + nsig - 1];
        if (v == -lim - 1)
            assert_true(isnan(y[i])); /* WFDB's invalid sample */
        else
            assert_true(y[i] == (float)((v - h.signals[nsig - 1].baseline_adu) /
                                        h.signals[nsig - 1].gain_adu_per_mv));
    }
    vs_io_free(y);
    vs_io_free(back);
    free(adc);
    char p[600];
    snprintf(p, sizeof p, "%s.hea", rec); remove(p);
    snprintf(p, sizeof p, "%s.dat", rec); remove(p);
    snprintf(p, sizeof p, "%s/rt%d_last.dat", dir, format); remove(p);
    rmdir(dir);
}

static void test_write_roundtrip(void **state)
{
    (void)state;
    roundtrip(16, 3, 1001);
    roundtrip(212, 3, 1001); /* 2 signals in one 212 file, odd number of values in the other */
    roundtrip(212, 1, 7);
    roundtrip(212, 4, 0);
}

static void test_write_rejects(void **state)
{
    (void)state;
    char *dir = make_tmpdir();
    char rec[512];
    snprintf(rec, sizeof rec, "%s/bad", dir);
    vs_wfdb_header h;
    memset(&h, 0, sizeof h);
    h.n_signals = 1;
    h.fs_hz = 250;
    h.signals[0].format = 212;
    h.signals[0].gain_adu_per_mv = 200;
    int32_t adc[2] = {0, 2048};
    vs_io_error e;
    assert_int_equal(vs_wfdb_write_record(rec, &h, adc, 2, &e), VS_E_INVALID_ARG);
    assert_non_null(strstr(e.message, "does not fit format 212"));
    h.signals[0].format = 310;
    assert_int_equal(vs_wfdb_write_record(rec, &h, adc, 1, &e), VS_E_UNSUPPORTED_FORMAT);
    h.signals[0].format = 16;
    h.fs_hz = 0;
    assert_int_equal(vs_wfdb_write_record(rec, &h, adc, 2, &e), VS_E_INVALID_ARG);
    rmdir(dir);
}

/* ---- MIT-BIH ---- */

static void test_mitdb_record_100(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) {
        skip();
        return;
    }
    char rec[4200];
    snprintf(rec, sizeof rec, "%s/100", db);
    vs_wfdb_header h;
    int32_t *adc;
    int64_t n;
    vs_io_error e;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(vs_wfdb_read_adc(rec, &h, &adc, &n, &e), VS_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("read_adc(100): %.2f ms\n", ms);
    assert_string_equal(h.record_name, "100");
    assert_int_equal(h.n_signals, 2);
    assert_true(h.fs_hz == 360.0);
    assert_int_equal(h.n_samples, 650000);
    assert_int_equal(n, 650000);
    assert_string_equal(h.signals[0].file_name, "100.dat");
    assert_int_equal(h.signals[0].format, 212);
    assert_true(h.signals[0].gain_adu_per_mv == 200.0);
    assert_int_equal(h.signals[0].adc_resolution_bits, 11);
    assert_int_equal(h.signals[0].adc_zero, 1024);
    assert_int_equal(h.signals[0].initial_value, 995);
    assert_int_equal(h.signals[0].checksum, -22131);
    assert_string_equal(h.signals[0].description, "MLII");
    assert_string_equal(h.signals[1].description, "V5");
    assert_int_equal(h.signals[1].initial_value, 1011);
    assert_string_equal(h.signals[0].units, "mV");
    assert_non_null(strstr(h.comments, "69 M 1085 1629 x1"));
    assert_int_equal(adc[0], 995);
    assert_int_equal(adc[1], 1011);
    vs_io_free(adc);

    float *y;
    double fs;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &n, &fs, &e), VS_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("read_signal(100, 0): %.2f ms\n", ms);
    assert_int_equal(n, 650000);
    assert_true(fs == 360.0);
    assert_true(y[0] == (float)((995 - 1024) / 200.0)); /* -0.145 mV */
    vs_io_free(y);
}

static void test_mitdb_all_records(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) {
        skip();
        return;
    }
    static const int recs[48] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112,
                                 113, 114, 115, 116, 117, 118, 119, 121, 122, 123, 124, 200,
                                 201, 202, 203, 205, 207, 208, 209, 210, 212, 213, 214, 215,
                                 217, 219, 220, 221, 222, 223, 228, 230, 231, 232, 233, 234};
    for (int r = 0; r < 48; r++) {
        char rec[4200];
        snprintf(rec, sizeof rec, "%s/%d", db, recs[r]);
        vs_wfdb_header h;
        int32_t *adc;
        int64_t n;
        vs_io_error e;
        if (vs_wfdb_read_adc(rec, &h, &adc, &n, &e) != VS_OK) fail_msg("%s", e.message);
        assert_int_equal(n, 650000);
        assert_int_equal(h.n_signals, 2);
        for (int s = 0; s < 2; s++) {
            assert_int_equal(adc[s], h.signals[s].initial_value);
            int32_t sum = 0;
            for (int64_t i = 0; i < n; i++) sum += adc[2 * i + s];
            assert_int_equal((int16_t)sum, h.signals[s].checksum);
        }
        vs_io_free(adc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_lf_multisignal),
        cmocka_unit_test(test_header_crlf_and_defaults),
        cmocka_unit_test(test_header_errors_name_line),
        cmocka_unit_test(test_header_error_from_file),
        cmocka_unit_test(test_read_format16),
        cmocka_unit_test(test_read_format212_groups),
        cmocka_unit_test(test_unsupported_and_truncated),
        cmocka_unit_test(test_write_roundtrip),
        cmocka_unit_test(test_write_rejects),
        cmocka_unit_test(test_mitdb_record_100),
        cmocka_unit_test(test_mitdb_all_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
