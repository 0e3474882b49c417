/* qrs_state_tool.c — the C side of the Python state tests: runs the QRS detector over a raw
 * little-endian float32 file, optionally starting from a state blob and saving the state at the
 * end, and prints one line per beat: "sample_idx decided_idx flags amplitude_bits rr_bits".
 *
 *   qrs_state_tool FS_HZ SIGNAL.f32 [--load STATE] [--save STATE]
 * Exit 0 ok, 1 usage, 2 error (status printed on stderr). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: qrs_state_tool FS SIGNAL.f32 [--load S] [--save S]\n"); return 1; }
    const char *load = NULL, *save = NULL;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--load")) load = argv[i + 1];
        else if (!strcmp(argv[i], "--save")) save = argv[i + 1];
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 1; }
    }
    double fs = strtod(argv[1], NULL);
    size_t nbytes = 0;
    unsigned char *raw = slurp(argv[2], &nbytes);
    if (!raw) { fprintf(stderr, "cannot read %s\n", argv[2]); return 2; }
    size_t n = nbytes / sizeof(float);
    float *x = malloc((n ? n : 1) * sizeof *x);
    memcpy(x, raw, n * sizeof *x); /* the test host is little-endian, as the file */
    free(raw);

    vs_qrs *q = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st == VS_OK && load) {
        size_t len = 0;
        unsigned char *blob = slurp(load, &len);
        st = blob ? vs_qrs_state_load(q, blob, len) : VS_E_IO;
        free(blob);
    }
    size_t cap = vs_qrs_max_events(q, n), got = 0;
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    if (st == VS_OK) st = vs_qrs_process(q, x, n, beats, cap, &got);
    for (size_t i = 0; st == VS_OK && i < got; i++) {
        unsigned a, r;
        memcpy(&a, &beats[i].amplitude_mv, 4);
        memcpy(&r, &beats[i].rr_ms, 4);
        printf("%lld %lld %u %u %u\n", (long long)beats[i].sample_idx,
               (long long)beats[i].decided_idx, beats[i].flags, a, r);
    }
    if (st == VS_OK && save) {
        size_t size = vs_qrs_state_size(q), written = 0;
        unsigned char *blob = malloc(size);
        st = vs_qrs_state_save(q, blob, size, &written);
        FILE *f = st == VS_OK ? fopen(save, "wb") : NULL;
        if (st == VS_OK && (!f || fwrite(blob, 1, written, f) != written)) st = VS_E_IO;
        if (f) fclose(f);
        free(blob);
    }
    free(beats);
    free(x);
    vs_qrs_destroy(q);
    if (st != VS_OK) { fprintf(stderr, "qrs_state_tool: %s\n", vs_strerror(st)); return 2; }
    return 0;
}
