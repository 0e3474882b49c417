/* main.c — a minimal program using an installed libvitalstream core (see README.md here).
 *
 * Builds 60 s of a simple ECG-like test signal at 360 Hz (Gaussian R waves and T waves at known
 * positions), runs the streaming QRS detector over it in 1-second chunks, and prints how many
 * beats it found next to the number it was given. synth_eval_check.c does the same with the
 * realistic generator of vitalstream_synth and scores it with vitalstream_eval.
 * Build with pkg-config:
 *   cc -std=c11 main.c $(pkg-config --cflags --libs vitalstream) -lm -o c_consumer
 * or with CMake: find_package(vitalstream) and link vitalstream::vitalstream (CMakeLists.txt). */
#include <math.h>
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

    /* ---- a test signal with known beats: RR 0.75..0.95 s, R 1.2 mV, T 0.3 mV ---- */
    const size_t n = (size_t)(60.0 * FS_HZ);
    float *ecg = calloc(n, sizeof *ecg);
    if (!ecg) return 1;
    size_t n_truth = 0;
    for (double r_s = 0.5; r_s * FS_HZ < (double)n - 0.5 * FS_HZ; n_truth++) {
        for (size_t i = 0; i < n; i++) {
            double t = (double)i / FS_HZ - r_s;
            if (t < -0.1 || t > 0.5) continue;
            ecg[i] += (float)(1.2 * exp(-0.5 * (t / 0.012) * (t / 0.012)) +
                              0.3 * exp(-0.5 * ((t - 0.28) / 0.045) * ((t - 0.28) / 0.045)));
        }
        r_s += 0.75 + 0.05 * (double)(n_truth % 5);
    }

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
    free(ecg);
    /* Detection quality is tested elsewhere (tests/, vitalstream eval); this program only
     * proves that an installed library can be found, linked and called. */
    return 0;
}
