/* qrs_time.c — C side of the Python binding overhead benchmark (bench/python/overhead.py):
 * whole-record QRS detection through the C API, timed per repetition.
 *
 *   qrs_time FS_HZ SIGNAL.f32 REPS    prints one line per repetition:
 *                                     "wall_seconds cpu_seconds n_beats"
 * (cpu = this thread's CPU time, which other processes on a shared machine do not inflate).
 * Each repetition does what QRSDetector(fs).process(x) does: create, size and allocate the beat
 * buffer, process the whole record, free. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vitalstream/qrs.h"

static double now_s(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: qrs_time FS SIGNAL.f32 REPS\n"); return 1; }
    double fs = strtod(argv[1], NULL);
    int reps = atoi(argv[3]);
    FILE *f = fopen(argv[2], "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", argv[2]); return 2; }
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f) / sizeof(float);
    fseek(f, 0, SEEK_SET);
    float *x = malloc(n * sizeof *x);
    if (!x || fread(x, sizeof *x, n, f) != n) { fprintf(stderr, "read failed\n"); return 2; }
    fclose(f);
    for (int r = 0; r < reps; r++) {
        double t0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
        vs_qrs *q = NULL;
        if (vs_qrs_create(&q, fs) != VS_OK) return 2;
        size_t cap = vs_qrs_max_events(q, n), got = 0;
        vs_beat *beats = malloc(cap * sizeof *beats);
        vs_status st = vs_qrs_process(q, x, n, beats, cap, &got);
        free(beats);
        vs_qrs_destroy(q);
        double c1 = now_s(CLOCK_THREAD_CPUTIME_ID), t1 = now_s(CLOCK_MONOTONIC);
        if (st != VS_OK) return 2;
        printf("%.9f %.9f %zu\n", t1 - t0, c1 - c0, got);
    }
    free(x);
    return 0;
}
