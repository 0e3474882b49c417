/* test_io_csv.c — CSV column reader (libcsv): MIT-BIH style quoted headers, numeric-only files,
 * column selection by name or index, and malformed inputs naming file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "test_support.h"
#include "vitalstream/io.h"

static char g_path[4096];
static const char *data_path(const char *name)
{
    return vs_test_data_path(name, g_path, sizeof g_path);
}

static void test_quoted_header_by_name(void **state)
{
    (void)state;
    float *y = NULL;
    int64_t n = 0;
    vs_io_error e;
    /* 'MLII' matches MLII, 'MLII' and "MLII" */
    const char *names[] = {"MLII", "'MLII'", "\"MLII\""};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(vs_csv_read_column(data_path("io_quoted.csv"), names[k], 0, &y, &n, &e),
                         VS_OK);
        assert_int_equal(n, 5);
        assert_true(y[0] == -0.145f);
        assert_true(y[1] == -0.145f); /* double-quoted cell */
        assert_true(y[3] == -0.15f);
        assert_true(y[4] == 15.0f); /* " 1.5e1 " */
        vs_io_free(y);
    }
    assert_int_equal(vs_csv_read_column(data_path("io_quoted.csv"), "V5", 0, &y, &n, &e), VS_OK);
    assert_true(y[2] == -0.07f);
    vs_io_free(y);
    assert_int_equal(vs_csv_read_column(data_path("io_quoted.csv"), NULL, 2, &y, &n, &e), VS_OK);
    assert_int_equal(n, 5);
    assert_true(y[4] == 0.0f);
    vs_io_free(y);
    assert_int_equal(vs_csv_read_column(data_path("io_quoted.csv"), "sample #", 0, &y, &n, &e),
                     VS_OK);
    assert_true(y[4] == 4.0f);
    vs_io_free(y);
    /* fields double-quoted around single-quoted names */
    assert_int_equal(vs_csv_read_column(data_path("io_dquoted.csv"), "MLII", 0, &y, &n, &e),
                     VS_OK);
    assert_int_equal(n, 3);
    assert_true(y[0] == 995.0f && y[2] == 996.0f);
    vs_io_free(y);
}

static void test_numeric_only(void **state)
{
    (void)state;
    float *y;
    int64_t n;
    vs_io_error e;
    assert_int_equal(vs_csv_read_column(data_path("io_numeric.csv"), NULL, 1, &y, &n, &e), VS_OK);
    assert_int_equal(n, 4);
    assert_true(y[0] == 2.5f);
    assert_true(y[1] == -3.0f);
    assert_true(y[2] == 0.4f);
    assert_true(y[3] == 7.0f); /* last line without newline */
    vs_io_free(y);
    assert_int_equal(vs_csv_read_column(data_path("io_numeric.csv"), NULL, 2, &y, &n, &e),
                     VS_E_NOT_FOUND);
    assert_null(y);
    assert_int_equal(vs_csv_read_column(data_path("io_numeric.csv"), "MLII", 0, &y, &n, &e),
                     VS_E_NOT_FOUND);
    assert_non_null(strstr(e.message, "MLII"));
    assert_int_equal(vs_csv_read_column(data_path("io_numeric.csv"), NULL, -2, &y, &n, &e),
                     VS_E_INVALID_ARG);
}

static void expect_error(const char *file, const char *col, int idx, vs_status st, long line,
                         const char *needle)
{
    float *y = (float *)&y;
    int64_t n = 7;
    vs_io_error e;
    const char *p = data_path(file);
    vs_status got = vs_csv_read_column(p, col, idx, &y, &n, &e);
    if (got != st || e.line != line || !strstr(e.message, needle) || !strstr(e.message, file))
        fail_msg("%s: status %d line %ld message '%s'", file, got, e.line, e.message);
    assert_int_equal(e.status, st);
    assert_null(y);
    assert_int_equal(n, 0);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("io_badcell.csv", "MLII", 0, VS_E_PARSE, 4, "'abc' in column 1 is not a number");
    expect_error("io_ragged.csv", NULL, 0, VS_E_PARSE, 3, "ragged row: 2 fields, expected 3");
    expect_error("io_empty.csv", NULL, 0, VS_E_PARSE, 0, "empty");
    expect_error("io_headeronly.csv", "MLII", 0, VS_E_PARSE, 2, "no data rows");
    expect_error("io_badquote.csv", NULL, 1, VS_E_PARSE, 3, "quot");
    expect_error("io_quoted.csv", "V9", 0, VS_E_NOT_FOUND, 1, "no column named 'V9'");
    expect_error("io_nonexistent.csv", NULL, 0, VS_E_IO, 0, "cannot open");
}

static void test_in_memory(void **state)
{
    (void)state;
    float *y;
    int64_t n;
    vs_io_error e;
    const char *t = "time,ecg\r\n0,1\r\n1,\"2\"\r\n2,3\r\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", "ecg", 0, &y, &n, &e), VS_OK);
    assert_int_equal(n, 3);
    assert_true(y[0] == 1.0f && y[1] == 2.0f && y[2] == 3.0f);
    vs_io_free(y);
    /* a third non-numeric row is data, not header */
    t = "a,b\nunits,units\nx,y\n1,2\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 1, &y, &n, &e), VS_E_PARSE);
    assert_int_equal(e.line, 3);
    /* empty cell */
    t = "1,2\n3,\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 1, &y, &n, &e), VS_E_PARSE);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.message, "empty cell"));
    /* non-finite and locale-dependent spellings are not numbers */
    t = "1\nnan\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 0, &y, &n, &e), VS_E_PARSE);
    t = "1\n1,5\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 0, &y, &n, &e), VS_E_PARSE);
    /* unterminated quote at the end */
    t = "1\n\"2\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 0, &y, &n, &e), VS_E_PARSE);
    /* blank-only text */
    t = "\n\r\n";
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "m.csv", NULL, 0, &y, &n, &e), VS_E_PARSE);
}

/* VS_CSV_COLUMN_AUTO on text t: expects n values, the first two given. */
static void expect_auto(const char *t, int64_t want_n, float y0, float y1)
{
    float *y = NULL;
    int64_t n = 0;
    vs_io_error e;
    vs_status st = vs_csv_parse_column(t, strlen(t), "a.csv", NULL, VS_CSV_COLUMN_AUTO, &y, &n, &e);
    if (st != VS_OK) print_error("%s\n", e.message);
    assert_int_equal(st, VS_OK);
    assert_int_equal(n, want_n);
    assert_true(y[0] == y0);
    assert_true(y[1] == y1);
    vs_io_free(y);
}

static void expect_auto_error(const char *t, vs_status want, long line, const char *text)
{
    float *y = NULL;
    int64_t n = 0;
    vs_io_error e;
    assert_int_equal(vs_csv_parse_column(t, strlen(t), "a.csv", NULL, VS_CSV_COLUMN_AUTO, &y, &n, &e),
                     want);
    assert_null(y);
    assert_int_equal(e.line, line);
    if (!strstr(e.message, text)) print_error("'%s' lacks '%s'\n", e.message, text);
    assert_non_null(strstr(e.message, text));
}

static void test_auto_column(void **state)
{
    (void)state;
    /* PhysioNet: 'sample #' and a units row; rdsamp -c -v -p: clock times and a units row */
    expect_auto("'sample #','MLII','V5'\n'(samples)','(mV)','(mV)'\n0,-0.145,-0.065\n1,-0.15,0\n",
                2, -0.145f, -0.15f);
    expect_auto("'Elapsed time','MLII','V5'\n'hh:mm:ss.mmm','mV','mV'\n'0:00.000',-0.145,-0.065\n"
                "'0:00.003',-0.15,-0.065\n", 2, -0.145f, -0.15f);
    /* clock times without a header; a time column in seconds named 'Time (s)' */
    expect_auto("0:00.000,1.5\n0:00.004,2.5\n", 2, 1.5f, 2.5f);
    expect_auto("Time (s),ecg\n0.000,7\n0.004,8\n", 2, 7.0f, 8.0f);
    /* limb lead I first in a 12-lead export is a signal, not an index */
    expect_auto("I,II,III\n0.1,0.2,0.1\n0.2,0.3,0.1\n", 2, 0.1f, 0.2f);
    /* a named first column is the signal, whatever its values */
    expect_auto("MLII,V5\n0,9\n1,9\n2,9\n", 3, 0.0f, 1.0f);
    /* no header: a counter over the 8 held rows is skipped, any other first column is kept */
    expect_auto("0,5\n1,6\n2,4\n3,5\n4,5\n5,5\n6,5\n7,5\n8,5\n9,5\n", 10, 5.0f, 6.0f);
    expect_auto("0.5,5\n1,6\n2,4\n3,5\n4,5\n5,5\n6,5\n7,5\n8,5\n", 9, 0.5f, 1.0f);
    /* time in seconds printed to the millisecond at 360 Hz: steps 0.003 and 0.002 */
    expect_auto("0.000,7\n0.003,8\n0.006,7\n0.008,8\n0.011,7\n0.014,8\n0.017,7\n0.019,8\n", 8, 7.0f, 8.0f);
    /* integer ADC values rising by 1 and 2 are a signal, not a counter */
    expect_auto("995,7\n996,8\n998,7\n999,8\n1000,7\n1002,8\n1003,7\n1005,8\n", 8, 995.0f, 996.0f);
    /* a signal with steps that differ by more than its print resolution is kept */
    expect_auto("0.100,7\n0.105,8\n0.115,7\n0.120,8\n", 4, 0.1f, 0.105f);
    expect_auto("0.25\n0.5\n0.75\n1\n", 4, 0.25f, 0.5f); /* one column: always that one */
    /* fewer rows than the look-ahead: decided at the end */
    expect_auto("t,ecg\n0,3\n1,4\n", 2, 3.0f, 4.0f);
    /* doubt: no numeric column after the time column -> the columns are listed */
    expect_auto_error("'sample #','note'\n0,abc\n", VS_E_NOT_FOUND, 2,
                      "columns 'sample #', 'note'");
    expect_auto_error("0,a\n1,b\n2,c\n", VS_E_NOT_FOUND, 1, "2 unnamed columns");
    expect_auto_error("'sample #'\n0\n1\n", VS_E_NOT_FOUND, 2, "columns 'sample #'");
    /* rows without any number are headers (at most 2), so an all-text file has no data rows */
    expect_auto_error("0:00.000,abc\n0:00.004,def\n", VS_E_PARSE, 3, "no data rows");
    /* a later non-number in the chosen column names cell and line, held rows included */
    expect_auto_error("time,ecg\n0,1\n1,abc\n", VS_E_PARSE, 3, "'abc' in column 1");
    expect_auto_error("time,ecg\n0,1\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,x9\n", VS_E_PARSE, 10,
                      "'x9' in column 1");
    expect_auto_error("time,ecg\nunits,mV\nmore,text\n0,1\n", VS_E_PARSE, 3, "no number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoted_header_by_name),
        cmocka_unit_test(test_numeric_only),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_in_memory),
        cmocka_unit_test(test_auto_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
