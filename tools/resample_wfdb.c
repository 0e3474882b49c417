/* resample_wfdb.c — writes a copy of a WFDB record at another sampling rate (every signal,
 * format 16) with its annotations moved to the new sample times, so that the evaluators can be
 * run on MIT-BIH at 128, 250 or 500 Hz as if it had been recorded there.
 *
 *   build/tools/resample_wfdb IN_RECORD OUT_RECORD FS_HZ [ANN_EXT ...]
 *
 * IN_RECORD / OUT_RECORD are record paths without extension (OUT_RECORD's folder must exist).
 * Resampling is band-limited interpolation: a Hann-windowed sinc whose cutoff is 0.45 of the
 * lower of the two rates (so going down also removes what would alias), 16 zero crossings of
 * the lower rate on each side. An output sample whose nearest input sample is WFDB's invalid
 * code stays invalid. Annotation k at input sample i goes to round(i * FS_HZ / fs_in). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/io.h"

#define ZERO_CROSSINGS 16
#define CUTOFF_OF_LOWER_RATE 0.45
#define INVALID_16 (-32768)
#define PI 3.14159265358979323846

static int invalid_code(int format) { return format == 212 ? -2048 : INVALID_16; }

/* One output sample at input time t (in input samples) of signal s. */
static int32_t interpolate(const int32_t *adc, int64_t n, int n_sig, int s, int invalid,
                           double t, double cutoff, double half_width) {
    int64_t nearest = (int64_t)floor(t + 0.5);
    if (nearest >= n) nearest = n - 1;
    if (adc[nearest * n_sig + s] == invalid) return INVALID_16;
    int64_t lo = (int64_t)ceil(t - half_width), hi = (int64_t)floor(t + half_width);
    if (lo < 0) lo = 0;
    if (hi > n - 1) hi = n - 1;
    double acc = 0.0, wsum = 0.0;
    for (int64_t i = lo; i <= hi; i++) {
        int32_t v = adc[i * n_sig + s];
        if (v == invalid) continue;
        double d = (double)i - t;
        double x = 2.0 * cutoff * d;
        double sinc = fabs(x) < 1e-12 ? 1.0 : sin(PI * x) / (PI * x);
        double w = 0.5 + 0.5 * cos(PI * d / half_width);
        acc += v * sinc * w;
        wsum += sinc * w;
    }
    /* normalised by the kernel's sum so a constant stays exactly constant at the edges too */
    double y = wsum != 0.0 ? acc / wsum : adc[nearest * n_sig + s];
    y = floor(y + 0.5);
    if (y > 32767.0) y = 32767.0;
    if (y < -32767.0) y = -32767.0;
    return (int32_t)y;
}

static int resample_annotations(const char *in, const char *out, const char *ext, double ratio) {
    char path[1024];
    vs_annotation_list list = {0};
    vs_io_error err;
    snprintf(path, sizeof path, "%s.%s", in, ext);
    if (vs_annot_read(path, &list, &err) != VS_OK) {
        fprintf(stderr, "resample_wfdb: %s\n", err.message);
        return 2;
    }
    for (size_t k = 0; k < list.count; k++)
        list.items[k].sample_idx = (int64_t)floor((double)list.items[k].sample_idx * ratio + 0.5);
    snprintf(path, sizeof path, "%s.%s", out, ext);
    vs_status st = vs_annot_write(path, &list, &err);
    vs_annot_list_free(&list);
    if (st != VS_OK) {
        fprintf(stderr, "resample_wfdb: %s\n", err.message);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: resample_wfdb IN_RECORD OUT_RECORD FS_HZ [ANN_EXT ...]\n");
        return 1;
    }
    double fs_out = atof(argv[3]);
    if (!(fs_out >= 50.0 && fs_out <= 10000.0)) {
        fprintf(stderr, "resample_wfdb: FS_HZ must be 50..10000\n");
        return 1;
    }
    static vs_wfdb_header hdr;
    int32_t *adc = NULL;
    int64_t n = 0;
    vs_io_error err;
    if (vs_wfdb_read_adc(argv[1], &hdr, &adc, &n, &err) != VS_OK) {
        fprintf(stderr, "resample_wfdb: %s\n", err.message);
        return 2;
    }
    double fs_in = hdr.fs_hz, ratio = fs_out / fs_in;
    double lower = fs_in < fs_out ? fs_in : fs_out;
    double cutoff = CUTOFF_OF_LOWER_RATE * lower / fs_in; /* cycles per input sample */
    double half_width = ZERO_CROSSINGS * fs_in / lower;   /* in input samples */
    int n_sig = hdr.n_signals;
    int64_t m = (int64_t)floor((double)n * ratio);
    int32_t *y = malloc((size_t)(m > 0 ? m : 1) * (size_t)n_sig * sizeof *y);
    if (!y || n == 0) {
        fprintf(stderr, "resample_wfdb: %s\n", n == 0 ? "empty record" : "out of memory");
        vs_io_free(adc);
        free(y);
        return 2;
    }
    for (int s = 0; s < n_sig; s++) {
        int inv = invalid_code(hdr.signals[s].format);
        for (int64_t j = 0; j < m; j++)
            y[j * n_sig + s] = interpolate(adc, n, n_sig, s, inv, (double)j / ratio, cutoff,
                                           half_width);
        hdr.signals[s].format = 16;
        hdr.signals[s].file_name[0] = '\0';
        hdr.signals[s].byte_offset = 0;
        if (hdr.signals[s].adc_resolution_bits > 16) hdr.signals[s].adc_resolution_bits = 16;
    }
    vs_io_free(adc);
    const char *base = strrchr(argv[2], '/');
    snprintf(hdr.record_name, sizeof hdr.record_name, "%s", base ? base + 1 : argv[2]);
    hdr.fs_hz = fs_out;
    hdr.counter_freq_hz = 0.0;
    hdr.base_counter = 0.0;
    hdr.n_samples = m;
    int rc = 0;
    if (vs_wfdb_write_record(argv[2], &hdr, y, m, &err) != VS_OK) {
        fprintf(stderr, "resample_wfdb: %s\n", err.message);
        rc = 2;
    }
    free(y);
    for (int a = 4; rc == 0 && a < argc; a++) rc = resample_annotations(argv[1], argv[2], argv[a], ratio);
    return rc;
}
