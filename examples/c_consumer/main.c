/* main.c — a minimal program using an installed libvitalstream (see README.md here).
 *
 * Generates 60 s of synthetic ECG at 360 Hz (vs_synth), runs the streaming QRS detector over it
 * in 1-second chunks, and prints how many beats it found next to the ground truth.
 * Build with pkg-config:
 *   cc -std=c11 main.c $(pkg-config --cflags --libs vitalstream) -o c_consumer
 * or with CMake: find_package(vitalstream) and link vitalstream::vitalstream (CMakeLists.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <vitalstream/vitalstream.h>

#define FS_HZ 360.0

static int check(vs_status s, const char *what)
{
    if (s != VS_OK) fprintf(stderr, "c_consumer: %s: %s\n", what, vs_strerror(s));
    return s != VS_OK;
}

int main(void)
{
    printf("libvitalstream %s (headers %s)\n", vs_version_string(), VITALSTREAM_VERSION_STRING);
    if (vs_version_number() / 10000 != VITALSTREAM_VERSION_MAJOR) {
        fprintf(stderr, "c_consumer: library major version differs from the headers\n");
        return 1;
    }

    /* ---- a synthetic record with known beats ---- */
    vs_synth_config cfg;
    size_t n = 0, max_truth = 0, n_truth = 0;
    if (check(vs_synth_default_config(&cfg), "vs_synth_default_config")) return 1;
    cfg.fs_hz = FS_HZ;
    cfg.duration_s = 60.0;
    cfg.hr_bpm = 72.0;
    cfg.seed = 42;
    if (check(vs_synth_num_samples(&cfg, &n), "vs_synth_num_samples") ||
        check(vs_synth_max_beats(&cfg, &max_truth), "vs_synth_max_beats"))
        return 1;
    float *ecg = malloc(n * sizeof *ecg);
    vs_synth_beat *truth = malloc(max_truth * sizeof *truth);
    if (!ecg || !truth) return 1;
    if (check(vs_synth_generate(&cfg, ecg, n, truth, max_truth, &n_truth), "vs_synth_generate"))
        return 1;

    /* ---- stream it through the detector, one second at a time ---- */
    vs_qrs *q = NULL;
    if (check(vs_qrs_create(&q, FS_HZ), "vs_qrs_create")) return 1;
    const size_t chunk = (size_t)FS_HZ;
    size_t cap = vs_qrs_max_events(q, chunk);
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    if (!beats) return 1;
    size_t total = 0;
    double last_rr_ms = 0.0;
    for (size_t off = 0; off < n; off += chunk) {
        size_t len = n - off < chunk ? n - off : chunk, got = 0;
        if (check(vs_qrs_process(q, ecg + off, len, beats, cap, &got), "vs_qrs_process")) return 1;
        total += got;
        if (got) last_rr_ms = beats[got - 1].rr_ms;
    }
    printf("fs %.0f Hz, %zu samples (%.0f s): detected %zu beats, ground truth %zu, "
           "last RR %.0f ms\n", FS_HZ, n, n / FS_HZ, total, n_truth, last_rr_ms);

    vs_qrs_destroy(q);
    free(beats);
    free(truth);
    free(ecg);
    /* Detection quality is tested elsewhere (tests/, vitalstream eval); this program only
     * proves that an installed library can be found, linked and called. */
    return 0;
}
