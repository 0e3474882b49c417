/* hrv_spectrum.c — frequency-domain HRV: Lomb-Scargle on the uneven NN series and Welch on a
 * cubic-spline resampled series (definitions in include/vitalstream/hrv.h). Trigonometry uses
 * the project's deterministic sin/cos plus exact rotations, so the bits do not depend on libm. */
#include <math.h>

#include "hrv_impl.h"
#include "common/detmath.h"

#define F_VLF 0.0033
#define F_LF 0.04
#define F_HF 0.15
#define F_MAX 0.4

typedef struct band_acc {
    double vlf, lf, hf, lf_pk, hf_pk, lf_f, hf_f;
} band_acc;

static void band_add(band_acc *b, double f, double p, double df)
{
    if (f >= F_VLF && f < F_LF) {
        b->vlf += p * df;
    } else if (f >= F_LF && f < F_HF) {
        b->lf += p * df;
        if (p > b->lf_pk) {
            b->lf_pk = p;
            b->lf_f = f;
        }
    } else if (f >= F_HF && f < F_MAX) {
        b->hf += p * df;
        if (p > b->hf_pk) {
            b->hf_pk = p;
            b->hf_f = f;
        }
    }
}

static void band_store(const band_acc *b, vs_hrv_result *out)
{
    out->vlf_ms2 = b->vlf;
    out->lf_ms2 = b->lf;
    out->hf_ms2 = b->hf;
    out->lf_peak_hz = b->lf_pk > 0.0 ? b->lf_f : NAN;
    out->hf_peak_hz = b->hf_pk > 0.0 ? b->hf_f : NAN;
}

/* Classic Lomb-Scargle. For every sample the phasor e^{i 2 pi f t} is advanced from one grid
 * frequency to the next by an exact complex multiplication, so only 2 sin/cos per sample. The
 * offset tau comes from cos/sin(2 w tau) by half-angle formulas (no atan). */
void vs_hrv_lomb(const vs_hrv_scratch *s, size_t n, double df, vs_hrv_result *out)
{
    const double *y0 = s->nn, *t = s->t;
    double *c = s->a, *sn = s->b, *dc = s->c, *ds = s->d;
    double mean = 0.0;
    for (size_t k = 0; k < n; k++) mean += y0[k];
    mean /= (double)n;
    double t0 = t[0];
    for (size_t k = 0; k < n; k++) {
        vs_det_sincos(2.0 * VS_DET_PI * df * (t[k] - t0), &ds[k], &dc[k]);
        c[k] = dc[k]; /* start at f = df */
        sn[k] = ds[k];
    }
    double span = t[n - 1] - t0;
    double fs_eff = (double)(n - 1) / span;
    band_acc b = {0};
    size_t nf = (size_t)(F_MAX / df);
    for (size_t j = 1; j <= nf; j++) {
        double f = (double)j * df;
        double yc = 0, ys = 0, c2 = 0, s2 = 0;
        for (size_t k = 0; k < n; k++) {
            double y = y0[k] - mean;
            yc += y * c[k];
            ys += y * sn[k];
            c2 += c[k] * c[k] - sn[k] * sn[k];
            s2 += 2.0 * c[k] * sn[k];
            double nc = c[k] * dc[k] - sn[k] * ds[k];
            sn[k] = sn[k] * dc[k] + c[k] * ds[k];
            c[k] = nc;
        }
        double h = sqrt(c2 * c2 + s2 * s2);
        double cw, sw; /* cos and sin of w tau */
        if (h > 0.0) {
            double cos2 = c2 / h;
            cw = sqrt(0.5 * (1.0 + cos2));
            sw = sqrt(0.5 * (1.0 - cos2));
            if (s2 < 0.0) sw = -sw;
        } else {
            cw = 1.0;
            sw = 0.0;
        }
        double num_c = yc * cw + ys * sw, num_s = ys * cw - yc * sw;
        double den_c = 0.5 * (double)n + 0.5 * h, den_s = 0.5 * (double)n - 0.5 * h;
        double p = 0.0;
        if (den_c > 0.0) p += num_c * num_c / den_c;
        if (den_s > 1e-12 * (double)n) p += num_s * num_s / den_s;
        p *= 0.5;
        band_add(&b, f, 2.0 * p / fs_eff, df);
    }
    band_store(&b, out);
}

/* Natural cubic spline through (x[k], y[k]); second derivatives into m, scratch u. */
static void spline_setup(const double *x, const double *y, size_t n, double *m, double *u)
{
    m[0] = u[0] = 0.0;
    for (size_t i = 1; i + 1 < n; i++) {
        double sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
        double p = sig * m[i - 1] + 2.0;
        m[i] = (sig - 1.0) / p;
        double d = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
        u[i] = (6.0 * d / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
    }
    m[n - 1] = 0.0;
    for (size_t i = n - 1; i-- > 0;) m[i] = m[i] * m[i + 1] + u[i];
}

static double spline_eval(const double *x, const double *y, const double *m, size_t k, double t)
{
    double h = x[k + 1] - x[k];
    double a = (x[k + 1] - t) / h, b = (t - x[k]) / h;
    return a * y[k] + b * y[k + 1] + ((a * a * a - a) * m[k] + (b * b * b - b) * m[k + 1]) * h * h / 6.0;
}

/* In-place radix-2 FFT, n a power of two; twiddles from the deterministic sin/cos. */
static void fft(double *re, double *im, size_t n)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        size_t half = len / 2;
        for (size_t k = 0; k < half; k++) {
            double wr, wi;
            vs_det_sincos(-2.0 * VS_DET_PI * (double)k / (double)len, &wi, &wr);
            for (size_t i = k; i < n; i += len) {
                size_t j2 = i + half;
                double xr = re[j2] * wr - im[j2] * wi, xi = re[j2] * wi + im[j2] * wr;
                re[j2] = re[i] - xr;
                im[j2] = im[i] - xi;
                re[i] += xr;
                im[i] += xi;
            }
        }
    }
}

void vs_hrv_welch(vs_hrv_scratch *s, size_t n, double fs, double segment_s, vs_hrv_result *out)
{
    const double *x = s->t, *y = s->nn;
    double *m = s->b;
    spline_setup(x, y, n, m, s->c);
    double span = x[n - 1] - x[0];
    size_t ns = (size_t)(span * fs) + 1; /* resampled points */
    size_t len = (size_t)(segment_s * fs + 0.5);
    if (len > ns) len = ns;
    size_t nfft = 1;
    while (nfft < len) nfft <<= 1;
    size_t hop = len / 2 > 0 ? len / 2 : 1;
    size_t nseg = 1 + (ns - len) / hop;
    size_t nbin = nfft / 2 + 1;
    double *psd = s->psd;
    for (size_t k = 0; k < nbin; k++) psd[k] = 0.0;
    double wss = 0.0;
    for (size_t i = 0; i < len; i++) {
        double w = 0.5 - 0.5 * vs_det_cos(2.0 * VS_DET_PI * (double)i / (double)len);
        wss += w * w;
    }
    size_t kk = 0;
    for (size_t g = 0; g < nseg; g++) {
        size_t start = g * hop;
        /* interpolate, then remove the least-squares line */
        double sxm = ((double)len - 1.0) / 2.0, sy = 0.0, sxy = 0.0, sxx = 0.0;
        while (kk > 0 && x[kk] > x[0] + (double)start / fs) kk--;
        for (size_t i = 0; i < len; i++) {
            double t = x[0] + (double)(start + i) / fs;
            while (kk + 2 < n && x[kk + 1] < t) kk++;
            double v = spline_eval(x, y, m, kk, t);
            s->re[i] = v;
            sy += v;
        }
        sy /= (double)len;
        for (size_t i = 0; i < len; i++) {
            double dx = (double)i - sxm;
            sxy += dx * (s->re[i] - sy);
            sxx += dx * dx;
        }
        double slope = sxx > 0.0 ? sxy / sxx : 0.0;
        for (size_t i = 0; i < nfft; i++) {
            if (i < len) {
                double w = 0.5 - 0.5 * vs_det_cos(2.0 * VS_DET_PI * (double)i / (double)len);
                s->re[i] = (s->re[i] - sy - slope * ((double)i - sxm)) * w;
            } else {
                s->re[i] = 0.0;
            }
            s->im[i] = 0.0;
        }
        fft(s->re, s->im, nfft);
        for (size_t k = 0; k < nbin; k++) {
            double p = (s->re[k] * s->re[k] + s->im[k] * s->im[k]) / (fs * wss);
            if (k > 0 && k < nfft / 2) p *= 2.0;
            psd[k] += p;
        }
    }
    band_acc b = {0};
    double df = fs / (double)nfft;
    for (size_t k = 1; k < nbin; k++) band_add(&b, (double)k * df, psd[k] / (double)nseg, df);
    band_store(&b, out);
}
