/* load_signal.c — vs_cli_load_signal: one channel of a WFDB record or one column of a CSV file,
 * in physical units. Errors are printed as "vitalstream: FILE[:LINE]: problem" (exit 2). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/io.h"

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[n - k + i]) != tolower((unsigned char)suffix[i])) return 0;
    return 1;
}

int vs_cli_load_signal(const char *record, int channel, const char *column_name, double csv_fs_hz,
                       float **signal, int64_t *n, double *fs_hz)
{
    *signal = NULL;
    *n = 0;
    if (!record || !*record) {
        fprintf(stderr, "vitalstream: no record given\n");
        return VS_EXIT_USAGE;
    }
    vs_io_error err;
    vs_status st;
    if (ends_with_ci(record, ".csv")) {
        if (!(csv_fs_hz > 0)) {
            fprintf(stderr, "vitalstream: %s: a CSV file has no sampling rate; give it with --fs HZ\n",
                    record);
            return VS_EXIT_USAGE;
        }
        st = vs_csv_read_column(record, column_name, channel < 0 ? VS_CSV_COLUMN_AUTO : channel,
                                signal, n, &err);
        if (st == VS_OK) *fs_hz = csv_fs_hz;
    } else {
        if (csv_fs_hz > 0 || column_name) {
            fprintf(stderr, "vitalstream: %s: %s is for .csv files (a WFDB record's header gives "
                            "its signals and rate)\n", record, column_name ? "--column" : "--fs");
            return VS_EXIT_USAGE;
        }
        if (channel < 0) channel = 0;
        /* accept "100", "100.hea" and "100.dat" for the record "100" */
        char base[4096];
        size_t len = strlen(record);
        if (len >= sizeof base) {
            fprintf(stderr, "vitalstream: %s: path is too long\n", record);
            return VS_EXIT_INPUT;
        }
        memcpy(base, record, len + 1);
        if (ends_with_ci(base, ".hea") || ends_with_ci(base, ".dat")) base[len - 4] = '\0';
        st = vs_wfdb_read_signal(base, channel, signal, n, fs_hz, &err);
    }
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s\n", err.message[0] ? err.message : vs_strerror(st));
        return VS_EXIT_INPUT;
    }
    if (*n == 0) {
        fprintf(stderr, "vitalstream: %s: no samples\n", record);
        vs_io_free(*signal);
        *signal = NULL;
        return VS_EXIT_INPUT;
    }
    return VS_EXIT_OK;
}
