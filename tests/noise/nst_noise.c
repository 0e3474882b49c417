/* nst_noise.c — synthetic NST noise records, nst's SNR calibration and protocol (nst_noise.h).
 *
 * The three generators follow the descriptions of the MIT-BIH Noise Stress Test Database's
 * records (Moody, Muldrow & Mark, "A noise stress test for arrhythmia detectors", Computers in
 * Cardiology 11:381-384, 1984, and the nst(1) manual): bw is mostly low-frequency wander from
 * motion of the subject or leads; ma is muscle noise whose spectrum overlaps the ECG's and
 * extends to higher frequencies; em is electrode motion artefact — intermittent mechanical
 * forces on the electrodes — with significant wander and muscle noise as well, and the one that
 * "can closely mimic characteristics of the ECG". Each is a sum of components built from
 * seeded Gaussian noise through the project's Butterworth filters, with slowly varying
 * envelopes and bursts so that the amplitude statistics are heavy-tailed and non-stationary, not
 * stationary Gaussian: a detector tuned to one smooth generator would not survive them. */
#include "nst_noise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/filter.h"

#define PI 3.14159265358979323846

static const char *const k_names[VS_NOISE_KINDS] = {"bw", "em", "ma"};

const char *vs_noise_kind_name(int kind)
{
    return kind >= 0 && kind < VS_NOISE_KINDS ? k_names[kind] : "?";
}

int vs_noise_kind_parse(const char *s)
{
    for (int k = 0; k < VS_NOISE_KINDS; k++)
        if (s && strcmp(s, k_names[k]) == 0) return k;
    return -1;
}

/* ---- random numbers (splitmix64; Box-Muller) ---------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(rng *r) /* (0, 1) */
{
    return ((double)(next_u64(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double gauss(rng *r)
{
    return sqrt(-2.0 * log(uniform(r))) * cos(2.0 * PI * uniform(r));
}

static double log_normal(rng *r, double median, double sigma)
{
    return median * exp(sigma * gauss(r));
}

/* ---- buffer helpers ------------------------------------------------------------------------- */

static void fill_gauss(rng *r, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) y[i] = (float)gauss(r);
}

/* Filters y in place (Butterworth; the upper edge is capped below Nyquist). */
static int filter(float *y, size_t n, double fs, vs_filter_kind kind, unsigned order, double f1,
                  double f2)
{
    double cap = 0.45 * fs;
    if (f1 > cap) f1 = cap;
    if (f2 > cap) f2 = cap;
    if (kind == VS_FILTER_BANDPASS && f2 <= f1 * 1.05) kind = VS_FILTER_HIGHPASS;
    vs_biquad_coeffs c[VS_IIR_MAX_SECTIONS];
    size_t ns = 0;
    if (vs_butterworth_design(kind, order, fs, f1, f2, c, VS_IIR_MAX_SECTIONS, &ns) != VS_OK)
        return -1;
    vs_iir *f = NULL;
    if (vs_iir_create(&f, c, ns) != VS_OK) return -1;
    vs_status st = vs_iir_process(f, y, y, n);
    vs_iir_destroy(f);
    return st == VS_OK ? 0 : -1;
}

/* Scales y to unit RMS (about zero). */
static void unit_rms(float *y, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += (double)y[i] * y[i];
    double rms = n ? sqrt(s / (double)n) : 0.0;
    if (rms > 0.0)
        for (size_t i = 0; i < n; i++) y[i] = (float)(y[i] / rms);
}

static void add_scaled(float *acc, const float *y, size_t n, double w)
{
    for (size_t i = 0; i < n; i++) acc[i] += (float)(w * y[i]);
}

/* Unit-RMS Gaussian noise low-passed at f_hz (a slowly varying modulation signal). */
static int slow_gauss(rng *r, float *y, size_t n, double fs, double f_hz)
{
    fill_gauss(r, y, n);
    if (filter(y, n, fs, VS_FILTER_LOWPASS, 2, f_hz, 0.0)) return -1;
    unit_rms(y, n);
    return 0;
}

/* ---- components ----------------------------------------------------------------------------- */

/* Baseline wander: drifting respiration (0.12-0.5 Hz, varying depth), a 1/f^2-like drift below
 * corner_hz, and occasional slow body-movement humps of 1-4 s. */
static int wander(rng *r, float *y, size_t n, double fs, double corner_hz, float *tmp)
{
    if (slow_gauss(r, y, n, fs, corner_hz)) return -1;
    if (slow_gauss(r, tmp, n, fs, 0.02)) return -1; /* respiratory rate drift */
    double phase = uniform(r) * 2.0 * PI;
    for (size_t i = 0; i < n; i++) {
        double f = 0.25 + 0.08 * tmp[i];
        if (f < 0.12) f = 0.12;
        if (f > 0.5) f = 0.5;
        phase += 2.0 * PI * f / fs;
        tmp[i] = (float)sin(phase);
    }
    float *depth = malloc(n * sizeof *depth);
    if (!depth) return -1;
    if (slow_gauss(r, depth, n, fs, 0.05)) { free(depth); return -1; }
    for (size_t i = 0; i < n; i++) y[i] += (float)(0.8 * (1.0 + 0.4 * depth[i]) * tmp[i]);
    free(depth);
    /* body movement humps: Poisson, one per 15 s on average */
    double t = -log(uniform(r)) * 15.0 * fs;
    while (t < (double)n) {
        double dur = (1.0 + 3.0 * uniform(r)) * fs, amp = 2.0 * gauss(r);
        for (size_t k = 0; k < (size_t)dur && (size_t)t + k < n; k++)
            y[(size_t)t + k] += (float)(amp * 0.5 * (1.0 - cos(2.0 * PI * (double)k / dur)));
        t += -log(uniform(r)) * 15.0 * fs;
    }
    unit_rms(y, n);
    return 0;
}

/* Muscle artefact: Gaussian noise over 5-100 Hz (the band MIT-BIH recorders passed) with more
 * weight above 15 Hz, amplitude-modulated by a log-normal envelope and contraction bursts
 * (0.5-3 s, x2-4, one per ~8 s): heavy tails and a non-stationary level, as EMG. */
static int muscle(rng *r, float *y, size_t n, double fs, float *tmp)
{
    fill_gauss(r, y, n);
    if (filter(y, n, fs, VS_FILTER_BANDPASS, 2, 15.0, 100.0)) return -1;
    unit_rms(y, n);
    fill_gauss(r, tmp, n);
    if (filter(tmp, n, fs, VS_FILTER_BANDPASS, 2, 5.0, 30.0)) return -1;
    unit_rms(tmp, n);
    add_scaled(y, tmp, n, 0.6);
    if (slow_gauss(r, tmp, n, fs, 0.5)) return -1;
    for (size_t i = 0; i < n; i++) tmp[i] = (float)exp(0.6 * tmp[i]);
    double t = -log(uniform(r)) * 8.0 * fs;
    while (t < (double)n) {
        double dur = (0.5 + 2.5 * uniform(r)) * fs, g = 1.0 + 3.0 * uniform(r);
        for (size_t k = 0; k < (size_t)dur && (size_t)t + k < n; k++)
            tmp[(size_t)t + k] *= (float)(1.0 + (g - 1.0) * sin(PI * (double)k / dur));
        t += -log(uniform(r)) * 8.0 * fs;
    }
    for (size_t i = 0; i < n; i++) y[i] *= tmp[i];
    unit_rms(y, n);
    return 0;
}

/* Electrode-motion transients: a two-state (quiet / active) Poisson process of events, each an
 * electrode-potential step that relaxes (rise 5-30 ms, decay 0.1-0.6 s) or a QRS-like mono- or
 * biphasic deflection (Gaussian or its derivative, sigma 8-40 ms), log-normal amplitudes with
 * random sign. */
static void transients(rng *r, float *y, size_t n, double fs)
{
    memset(y, 0, n * sizeof *y);
    int active = 0;
    double t = 0.0, switch_at = (5.0 + 15.0 * uniform(r)) * fs;
    for (;;) {
        double rate = active ? 2.5 : 0.25; /* events per second */
        t += -log(uniform(r)) / rate * fs;
        while (t >= switch_at) {
            active = !active;
            switch_at += (active ? 3.0 + 12.0 * uniform(r) : 5.0 + 20.0 * uniform(r)) * fs;
        }
        if (t >= (double)n) break;
        double amp = log_normal(r, 1.0, 0.6) * (uniform(r) < 0.5 ? -1.0 : 1.0);
        size_t t0 = (size_t)t;
        if (uniform(r) < 0.45) {
            double rise = (0.005 + 0.025 * uniform(r)) * fs, decay = (0.1 + 0.5 * uniform(r)) * fs;
            size_t len = (size_t)(6.0 * decay);
            for (size_t k = 0; k < len && t0 + k < n; k++)
                y[t0 + k] += (float)(amp * (1.0 - exp(-(double)k / rise)) * exp(-(double)k / decay));
        } else {
            double sigma = (0.008 + 0.032 * uniform(r)) * fs;
            int biphasic = uniform(r) < 0.5;
            size_t half = (size_t)(4.0 * sigma);
            for (size_t k = 0; k < 2 * half && t0 + k < n; k++) {
                double u = ((double)k - (double)half) / sigma;
                double v = biphasic ? -u * exp(0.5 - 0.5 * u * u) : exp(-0.5 * u * u);
                y[t0 + k] += (float)(amp * v);
            }
        }
    }
    unit_rms(y, n);
}

int vs_noise_generate(int kind, uint64_t seed, double fs_hz, float *out, size_t n)
{
    if (!out || kind < 0 || kind >= VS_NOISE_KINDS || !(fs_hz >= 100.0 && fs_hz <= 1000.0))
        return -1;
    if (n == 0) return 0;
    rng r = {seed * 0x2545F4914F6CDD1Dull + (uint64_t)kind * 0x9E3779B97F4A7C15ull + 1u};
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    int rc = (a && b) ? 0 : -1;
    if (rc == 0) {
        switch (kind) {
        case VS_NOISE_BW:
            rc = wander(&r, out, n, fs_hz, 0.3, a);
            break;
        case VS_NOISE_MA:
            rc = muscle(&r, out, n, fs_hz, a);
            break;
        default: /* VS_NOISE_EM: transients on wander (to ~1.5 Hz) and some muscle noise */
            transients(&r, out, n, fs_hz);
            rc = wander(&r, a, n, fs_hz, 1.5, b);
            if (rc == 0) add_scaled(out, a, n, 0.7);
            if (rc == 0) rc = muscle(&r, a, n, fs_hz, b);
            if (rc == 0) add_scaled(out, a, n, 0.35);
            break;
        }
    }
    free(a);
    free(b);
    return rc;
}

/* ---- nst's calibration ------------------------------------------------------------------------ */

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Mean after dropping the largest and smallest 5 % (v is sorted in place). */
static double trimmed_mean(double *v, size_t m)
{
    if (m == 0) return 0.0;
    qsort(v, m, sizeof *v, cmp_double);
    size_t cut = m / 20, lo = cut, hi = m - cut;
    double s = 0.0;
    for (size_t i = lo; i < hi; i++) s += v[i];
    return s / (double)(hi - lo);
}

double vs_nst_signal_power(const float *x, size_t n, double fs_hz, const int64_t *beats,
                           size_t n_beats)
{
    double v[300];
    size_t m = 0;
    int64_t w = (int64_t)lround(0.05 * fs_hz);
    for (size_t i = 0; i < n_beats && m < 300; i++) {
        int64_t a = beats[i] - w, b = beats[i] + w;
        if (a < 0 || b >= (int64_t)n) continue;
        float lo = x[a], hi = x[a];
        for (int64_t k = a; k <= b; k++) {
            if (x[k] < lo) lo = x[k];
            if (x[k] > hi) hi = x[k];
        }
        v[m++] = (double)hi - lo;
    }
    double pp = trimmed_mean(v, m);
    return pp * pp / 8.0;
}

double vs_nst_noise_power(const float *noise, size_t n, double fs_hz)
{
    size_t chunk = (size_t)lround(fs_hz);
    double v[300];
    size_t m = 0;
    for (size_t c = 0; c < 300 && (c + 1) * chunk <= n; c++) {
        const float *p = noise + c * chunk;
        double mean = 0.0, ss = 0.0;
        for (size_t k = 0; k < chunk; k++) mean += p[k];
        mean /= (double)chunk;
        for (size_t k = 0; k < chunk; k++) ss += (p[k] - mean) * (p[k] - mean);
        v[m++] = sqrt(ss / (double)chunk);
    }
    double rms = trimmed_mean(v, m);
    return rms * rms;
}

double vs_nst_gain(double signal_power, double noise_power, double snr_db)
{
    if (!(noise_power > 0.0) || !(signal_power > 0.0)) return 0.0;
    return sqrt(signal_power / (noise_power * pow(10.0, snr_db / 10.0)));
}

int vs_nst_is_noisy(int64_t i, double fs_hz)
{
    int64_t start = (int64_t)lround(300.0 * fs_hz), period = (int64_t)lround(120.0 * fs_hz);
    return i >= start && ((i - start) / period) % 2 == 0;
}

void vs_nst_mix(const float *clean, const float *noise, size_t n, double fs_hz, double gain,
                float *out)
{
    double offset = 0.0, g = 0.0;
    for (size_t i = 0; i < n; i++) {
        double want = vs_nst_is_noisy((int64_t)i, fs_hz) ? gain : 0.0;
        if (want != g) { /* keep g * noise + offset continuous across the switch */
            offset += (g - want) * noise[i];
            g = want;
        }
        out[i] = (float)(clean[i] + g * noise[i] + offset);
    }
}
