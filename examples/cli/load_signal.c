/* load_signal.c — vs_cli_load_signal: one channel of a WFDB record or one column of a CSV file,
 * in physical units. Errors are printed as "vitalstream: FILE[:LINE]: problem" (exit 2). */
#include <ctype.h>
#include <math.h>
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

/* WFDB's default gain (ADC units per mV) when a header gives none; rdsamp without -p prints
 * ADC units, so a CSV column of them is read at this gain unless --gain says otherwise. */
#define VS_CLI_DEFAULT_ADC_GAIN 200.0
/* No ECG in mV spans more than this (QRS complexes reach a few mV); integer samples spanning
 * more are ADC units. */
#define VS_CLI_MV_SPAN_MAX 20.0

/* 1 when every finite sample is an integer and together they span more than any ECG in mV. */
static int looks_like_adc_units(const float *x, int64_t n)
{
    float lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (x[i] != floorf(x[i])) return 0;
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    return hi - lo > VS_CLI_MV_SPAN_MAX;
}

/* The detectors take mV (their artefact limits are physical); ADC units are scaled here. */
static void csv_to_mv(const char *record, double gain, float *x, int64_t n)
{
    if (gain == 0.0) {
        if (!looks_like_adc_units(x, n)) return;
        gain = VS_CLI_DEFAULT_ADC_GAIN;
        fprintf(stderr, "vitalstream: %s: the column holds integers only, spanning more than %g: "
                        "read as ADC units at %g per mV (WFDB's default gain; --gain sets it, "
                        "--gain 1 keeps the values as mV)\n", record, VS_CLI_MV_SPAN_MAX, gain);
    }
    if (gain == 1.0) return;
    for (int64_t i = 0; i < n; i++) x[i] = (float)((double)x[i] / gain);
}

int vs_cli_load_signal(const char *record, int channel, const char *column_name, double csv_fs_hz,
                       float **signal, int64_t *n, double *fs_hz)
{
    return vs_cli_load_signal_gain(record, channel, column_name, csv_fs_hz, 0.0, signal, n, fs_hz);
}

int vs_cli_load_signal_gain(const char *record, int channel, const char *column_name,
                            double csv_fs_hz, double csv_gain, float **signal, int64_t *n,
                            double *fs_hz)
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
        if (st == VS_OK) {
            *fs_hz = csv_fs_hz;
            csv_to_mv(record, csv_gain, *signal, *n);
        }
    } else {
        if (csv_fs_hz > 0 || column_name || csv_gain > 0) {
            fprintf(stderr, "vitalstream: %s: %s is for .csv files (a WFDB record's header gives "
                            "its signals, gains and rate)\n", record,
                    column_name ? "--column" : csv_gain > 0 ? "--gain" : "--fs");
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
