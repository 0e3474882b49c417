/* native_bench.c — native side of the WASM benchmark (bench/wasm/bench.mjs): throughput of the
 * QRS detector (KIND qrs) or the whole monitor pipeline (KIND monitor) on a synthetic ECG, fed
 * in calls of CHUNK samples, exactly as bench_core.mjs does through the npm package, so the
 * numbers are comparable.
 *
 *   native_bench KIND SECONDS CHUNK REPS
 *       -> one JSON line {"samples":..,"events":..,"best_s":..,"msps":..}
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vitalstream/monitor.h"
#include "vitalstream/qrs.h"
#include "vitalstream/synth.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One timed run over x with a fresh object; returns seconds, *events the events emitted. */
static double run_once(int monitor, const float *x, size_t n, double fs, size_t chunk, size_t *events)
{
    vs_qrs *q = NULL;
    vs_monitor *m = NULL;
    vs_status st = monitor ? vs_monitor_create(&m, fs) : vs_qrs_create(&q, fs);
    if (st != VS_OK) return -1;
    size_t cap = monitor ? vs_monitor_max_events(m, chunk) : vs_qrs_max_events(q, chunk);
    void *ev = malloc(cap * (monitor ? sizeof(vs_event) : sizeof(vs_beat)));
    if (!ev) return -1;
    size_t total = 0;
    double t0 = now_s();
    for (size_t pos = 0; pos < n && st == VS_OK; pos += chunk) {
        size_t len = n - pos < chunk ? n - pos : chunk, got = 0;
        st = monitor ? vs_monitor_process(m, x + pos, len, ev, cap, &got)
                     : vs_qrs_process(q, x + pos, len, ev, cap, &got);
        total += got;
    }
    double dt = now_s() - t0;
    free(ev);
    vs_qrs_destroy(q);
    vs_monitor_destroy(m);
    *events = total;
    return st == VS_OK ? dt : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) { fprintf(stderr, "usage: native_bench qrs|monitor SECONDS CHUNK REPS\n"); return 2; }
    int monitor = !strcmp(argv[1], "monitor");
    vs_synth_config c;
    vs_synth_default_config(&c);
    c.duration_s = atof(argv[2]);
    c.seed = 2024;
    c.noise_mv = 0.02;
    c.pvc_per_min = 2;
    size_t chunk = strtoul(argv[3], NULL, 10), n = 0;
    int reps = atoi(argv[4]);
    if (vs_synth_num_samples(&c, &n) != VS_OK || !chunk || reps < 1) return 2;
    float *x = malloc(n * sizeof *x);
    if (!x || vs_synth_generate(&c, x, n, NULL, 0, NULL) != VS_OK) return 1;
    double best = 1e30;
    size_t events = 0;
    for (int r = 0; r < reps; r++) {
        double dt = run_once(monitor, x, n, c.fs_hz, chunk, &events);
        if (dt < 0) { fprintf(stderr, "native_bench: processing failed\n"); return 1; }
        if (dt < best) best = dt;
    }
    printf("{\"samples\":%zu,\"events\":%zu,\"best_s\":%.6f,\"msps\":%.3f}\n", n, events, best,
           (double)n / best / 1e6);
    free(x);
    return 0;
}
