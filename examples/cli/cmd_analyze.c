/* cmd_analyze.c — `vitalstream analyze`: a readable summary of one record: beats, heart rate
 * (min/mean/max over 10-beat windows) and the 10 s segments that look unreadable or noisy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/qrs.h"

#define SEGMENT_S 10.0
#define HR_WINDOW_BEATS 10

static void analyze_usage(FILE *f)
{
    fprintf(f, "usage: vitalstream analyze RECORD [-c CHANNEL] [--fs HZ] [--column NAME]\n"
               "  RECORD is a WFDB record path without extension, or a .csv file (needs --fs)\n");
}

static void hms(double s, char *buf, size_t cap)
{
    long t = (long)s;
    snprintf(buf, cap, "%02ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
}

/* Peak-to-peak of x over [0, n), ignoring non-finite samples (0 if none). */
static float peak_to_peak(const float *x, size_t n)
{
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    return hi >= lo ? hi - lo : 0.0f;
}

/* Why a segment cannot be trusted, or NULL. Simple heuristics until the signal-quality module
 * lands: missing samples, flat line (lead off / railed ADC), or a second whose peak-to-peak is
 * several times the record's typical one (motion artefact, electrode pop). */
static const char *segment_problem(const float *x, size_t n, size_t second, float typical_p2p)
{
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) missing += !isfinite(x[i]);
    if (missing * 20 > n) return "missing samples";
    if (peak_to_peak(x, n) < 0.05f) return "flat line";
    for (size_t s = 0; s + second <= n; s += second)
        if (peak_to_peak(x + s, second) > 3.0f * typical_p2p) return "artefact";
    return NULL;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int vs_cli_analyze(int argc, char **argv)
{
    const char *record = NULL, *column = NULL;
    int channel = 0;
    double csv_fs = 0;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { analyze_usage(stdout); return VS_EXIT_OK; }
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
            channel = (int)strtol(argv[++i], &end, 10);
            if (*end || channel < 0) { fprintf(stderr, "vitalstream: bad channel '%s'\n", argv[i]); return VS_EXIT_USAGE; }
        } else if (!strcmp(argv[i], "--fs") && i + 1 < argc) {
            csv_fs = strtod(argv[++i], &end);
            if (*end || !(csv_fs > 0)) { fprintf(stderr, "vitalstream: bad --fs '%s'\n", argv[i]); return VS_EXIT_USAGE; }
        } else if (!strcmp(argv[i], "--column") && i + 1 < argc) column = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) { fprintf(stderr, "vitalstream: unknown option '%s'\n", argv[i]); analyze_usage(stderr); return VS_EXIT_USAGE; }
        else if (!record) record = argv[i];
        else { fprintf(stderr, "vitalstream: unexpected argument '%s'\n", argv[i]); return VS_EXIT_USAGE; }
    }
    if (!record) { analyze_usage(stderr); return VS_EXIT_USAGE; }

    float *x = NULL;
    int64_t n = 0;
    double fs = 0;
    int rc = vs_cli_load_signal(record, channel, column, csv_fs, &x, &n, &fs);
    if (rc != 0) return rc;

    vs_qrs *q = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: cannot analyze at %g Hz: %s\n", record, fs, vs_strerror(st));
        free(x);
        return VS_EXIT_INPUT;
    }
    size_t cap = vs_qrs_max_events(q, (size_t)n), nb = 0;
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    if (!beats) { fprintf(stderr, "vitalstream: out of memory\n"); free(x); free(beats); vs_qrs_destroy(q); return VS_EXIT_INPUT; }
    st = vs_qrs_process(q, x, (size_t)n, beats, cap, &nb);
    vs_qrs_destroy(q);

    double dur = (double)n / fs;
    printf("Record:      %s (channel %d, %g Hz, %.1f s)\n", record, channel, fs, dur);
    printf("Beats:       %zu\n", nb);

    /* Heart rate over windows of 10 beats: robust to one missed or extra beat. */
    double hr_min = INFINITY, hr_max = 0, hr_sum = 0;
    size_t hr_n = 0;
    for (size_t i = HR_WINDOW_BEATS; i < nb; i++) {
        double span = (double)(beats[i].sample_idx - beats[i - HR_WINDOW_BEATS].sample_idx) / fs;
        if (span <= 0) continue;
        double hr = 60.0 * HR_WINDOW_BEATS / span;
        if (hr < hr_min) hr_min = hr;
        if (hr > hr_max) hr_max = hr;
        hr_sum += hr;
        hr_n++;
    }
    if (hr_n)
        printf("Heart rate:  min %.0f  mean %.0f  max %.0f bpm (10-beat windows)\n", hr_min,
               hr_sum / (double)hr_n, hr_max);
    else
        printf("Heart rate:  not enough beats\n");

    /* Typical peak-to-peak of one second of this record (median over all seconds). */
    size_t second = (size_t)fs, n_sec = (size_t)n / (second ? second : 1);
    float *p2p = malloc((n_sec ? n_sec : 1) * sizeof *p2p);
    for (size_t i = 0; p2p && i < n_sec; i++) p2p[i] = peak_to_peak(x + i * second, second);
    if (p2p) qsort(p2p, n_sec, sizeof *p2p, cmp_float);
    float typical = (p2p && n_sec) ? p2p[n_sec / 2] : 0.0f;
    free(p2p);
    size_t seg = (size_t)(SEGMENT_S * fs), n_seg = 0, n_bad = 0;
    char lines[4096] = "";
    for (size_t s0 = 0; s0 < (size_t)n; s0 += seg) {
        size_t len = (size_t)n - s0 < seg ? (size_t)n - s0 : seg;
        n_seg++;
        const char *why = segment_problem(x + s0, len, second, typical);
        if (!why) continue;
        n_bad++;
        char a[32], b[32], line[128];
        hms((double)s0 / fs, a, sizeof a);
        hms((double)(s0 + len) / fs, b, sizeof b);
        snprintf(line, sizeof line, "  %s-%s  %s\n", a, b, why);
        if (strlen(lines) + strlen(line) < sizeof lines - 16) strcat(lines, line);
    }
    printf("Noisy:       %zu of %zu segments of %.0f s\n%s", n_bad, n_seg, SEGMENT_S, lines);
    free(beats);
    free(x);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: %s\n", record, vs_strerror(st));
        return VS_EXIT_INPUT;
    }
    return VS_EXIT_OK;
}
