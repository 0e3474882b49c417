/* state_tool.c — the C side of the Python state tests: runs a QRS detector or a monitor over a
 * raw little-endian float32 file, optionally starting from a state blob and saving the state at
 * the end, and prints one line per output:
 *   qrs:     "sample_idx decided_idx flags amplitude_bits rr_bits"
 *   monitor: "sample_idx end_idx decided_idx type code wfdb_code subtype flags severity
 *             value_bits amplitude_bits"
 *
 *   state_tool qrs|monitor FS_HZ SIGNAL.f32 [--load STATE] [--save STATE]
 * Exit 0 ok, 1 usage, 2 error (status printed on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/monitor.h"
#include "vitalstream/qrs.h"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            unsigned char *b2 = realloc(buf, cap *= 2);
            if (!b2) { free(buf); buf = NULL; }
            else buf = b2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static unsigned bits(float v)
{
    unsigned u;
    memcpy(&u, &v, 4);
    return u;
}

static vs_status write_file(const char *path, const unsigned char *blob, size_t n)
{
    FILE *f = fopen(path, "wb");
    vs_status st = (f && fwrite(blob, 1, n, f) == n) ? VS_OK : VS_E_IO;
    if (f) fclose(f);
    return st;
}

static vs_status run_qrs(double fs, const float *x, size_t n, const char *load, const char *save)
{
    vs_qrs *q = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st == VS_OK && load) {
        size_t len = 0;
        unsigned char *blob = slurp(load, &len);
        st = blob ? vs_qrs_state_load(q, blob, len) : VS_E_IO;
        free(blob);
    }
    size_t cap = q ? vs_qrs_max_events(q, n) : 1, got = 0;
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    if (st == VS_OK) st = vs_qrs_process(q, x, n, beats, cap, &got);
    for (size_t i = 0; st == VS_OK && i < got; i++)
        printf("%lld %lld %u %u %u\n", (long long)beats[i].sample_idx,
               (long long)beats[i].decided_idx, beats[i].flags, bits(beats[i].amplitude_mv),
               bits(beats[i].rr_ms));
    if (st == VS_OK && save) {
        size_t size = vs_qrs_state_size(q), written = 0;
        unsigned char *blob = malloc(size);
        st = vs_qrs_state_save(q, blob, size, &written);
        if (st == VS_OK) st = write_file(save, blob, written);
        free(blob);
    }
    free(beats);
    vs_qrs_destroy(q);
    return st;
}

static vs_status run_monitor(double fs, const float *x, size_t n, const char *load, const char *save)
{
    vs_monitor *m = NULL;
    vs_status st = vs_monitor_create(&m, fs);
    if (st == VS_OK && load) {
        size_t len = 0;
        unsigned char *blob = slurp(load, &len);
        st = blob ? vs_monitor_state_load(m, blob, len) : VS_E_IO;
        free(blob);
    }
    size_t cap = m ? vs_monitor_max_events(m, n) : 1, got = 0;
    vs_event *ev = malloc((cap ? cap : 1) * sizeof *ev);
    if (st == VS_OK) st = vs_monitor_process(m, x, n, ev, cap, &got);
    for (size_t i = 0; st == VS_OK && i < got; i++)
        printf("%lld %lld %lld %u %u %u %u %u %u %u %u\n", (long long)ev[i].sample_idx,
               (long long)ev[i].end_idx, (long long)ev[i].decided_idx, ev[i].type, ev[i].code,
               ev[i].wfdb_code, ev[i].subtype, ev[i].flags, ev[i].severity, bits(ev[i].value),
               bits(ev[i].amplitude_mv));
    if (st == VS_OK && save) {
        size_t size = vs_monitor_state_size(m), written = 0;
        unsigned char *blob = malloc(size);
        st = vs_monitor_state_save(m, blob, size, &written);
        if (st == VS_OK) st = write_file(save, blob, written);
        free(blob);
    }
    free(ev);
    vs_monitor_destroy(m);
    return st;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "qrs") && strcmp(argv[1], "monitor"))) {
        fprintf(stderr, "usage: state_tool qrs|monitor FS SIGNAL.f32 [--load S] [--save S]\n");
        return 1;
    }
    const char *load = NULL, *save = NULL;
    for (int i = 4; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--load")) load = argv[i + 1];
        else if (!strcmp(argv[i], "--save")) save = argv[i + 1];
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 1; }
    }
    double fs = strtod(argv[2], NULL);
    size_t nbytes = 0;
    unsigned char *raw = slurp(argv[3], &nbytes);
    if (!raw) { fprintf(stderr, "cannot read %s\n", argv[3]); return 2; }
    size_t n = nbytes / sizeof(float);
    float *x = malloc((n ? n : 1) * sizeof *x);
    memcpy(x, raw, n * sizeof *x); /* the test host is little-endian, as the file */
    free(raw);
    vs_status st = !strcmp(argv[1], "qrs") ? run_qrs(fs, x, n, load, save)
                                           : run_monitor(fs, x, n, load, save);
    free(x);
    if (st != VS_OK) { fprintf(stderr, "state_tool: %s\n", vs_strerror(st)); return 2; }
    return 0;
}
