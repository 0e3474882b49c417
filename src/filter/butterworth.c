/* butterworth.c — Butterworth and notch design by the bilinear transform, and |H| evaluation.
 *
 * Design outline (analog frequencies are pre-warped: W = tan(pi f / fs), and the bilinear map is
 * s = (1 - z^-1) / (1 + z^-1), i.e. z = (1 + s) / (1 - s)):
 *  1. Normalised prototype poles p_k = -sin(a_k) + j cos(a_k), a_k = pi (2k + 1) / (2N); the
 *     upper-half-plane ones (k < N/2) stand for their conjugate pairs, and for odd N p = -1.
 *  2. Frequency transform of each prototype pole: low-pass s = W p; high-pass s = W / p;
 *     band-pass roots of s^2 - p B s + W0^2 = 0; band-stop roots of s^2 - (B / p) s + W0^2 = 0,
 *     with W0^2 = W1 W2 and B = W2 - W1.
 *  3. Each conjugate pair (or pair of real poles, or single real pole) maps to one section's
 *     denominator; the zeros are fixed by the kind (LP: z = -1, HP: z = +1, BP: z = +1 and -1,
 *     BS: z = e^{+-j w0}); each section is scaled to gain +1 at DC (LP, BS), Nyquist (HP) or
 *     magnitude 1 at the centre w0 (BP), which gives the whole cascade the Butterworth gain.
 *  4. Sections are sorted by pole radius (lowest Q first) for good dynamic range.
 * Only + - * / and sqrt are used (trigonometry comes from detmath.c), so coefficients are
 * bit-identical across platforms. */
#include "filter_impl.h"
#include "common/detmath.h"
#include "common/units.h"

#include <math.h>

typedef struct { double re, im; } cplx;

static cplx c_make(double re, double im) { cplx z = {re, im}; return z; }
static cplx c_add(cplx a, cplx b) { return c_make(a.re + b.re, a.im + b.im); }
static cplx c_sub(cplx a, cplx b) { return c_make(a.re - b.re, a.im - b.im); }
static cplx c_mul(cplx a, cplx b)
{
    return c_make(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
static cplx c_scale(cplx a, double k) { return c_make(a.re * k, a.im * k); }
static cplx c_div(cplx a, cplx b)
{
    double m = b.re * b.re + b.im * b.im;
    return c_make((a.re * b.re + a.im * b.im) / m, (a.im * b.re - a.re * b.im) / m);
}
/* Principal square root, free of cancellation. */
static cplx c_sqrt(cplx a)
{
    if (a.re == 0.0 && a.im == 0.0) return c_make(0.0, 0.0);
    double mag = sqrt(a.re * a.re + a.im * a.im);
    if (a.re >= 0.0) {
        double t = sqrt(0.5 * (mag + a.re));
        return c_make(t, a.im / (2.0 * t));
    }
    double t = sqrt(0.5 * (mag - a.re));
    return c_make(fabs(a.im) / (2.0 * t), a.im >= 0.0 ? t : -t);
}

/* Roots of s^2 - q s + w0sq = 0 (w0sq > 0), computed without cancellation. */
static void quad_roots(cplx q, double w0sq, cplx *r1, cplx *r2)
{
    cplx d = c_sqrt(c_sub(c_mul(q, q), c_make(4.0 * w0sq, 0.0)));
    /* choose the sign so that |q +- d| is the larger */
    if (q.re * d.re + q.im * d.im < 0.0) d = c_scale(d, -1.0);
    *r1 = c_scale(c_add(q, d), 0.5);
    *r2 = c_div(c_make(w0sq, 0.0), *r1);
}

/* Denominator of a section holding pole s and its conjugate. */
static void den_conj_pair(cplx s, vs_biquad_coeffs *c)
{
    /* z = (1 + s) / (1 - s):  Re z = (1 - |s|^2) / m, |z|^2 = |1 + s|^2 / m, m = |1 - s|^2 */
    double m = (1.0 - s.re) * (1.0 - s.re) + s.im * s.im;
    double ss = s.re * s.re + s.im * s.im;
    c->a1 = -2.0 * (1.0 - ss) / m;
    c->a2 = ((1.0 + s.re) * (1.0 + s.re) + s.im * s.im) / m;
}

/* Denominator of a section holding two real poles s1, s2 (s2 may be absent: first order). */
static void den_real(double s1, const double *s2, vs_biquad_coeffs *c)
{
    double z1 = (1.0 + s1) / (1.0 - s1);
    if (!s2) {
        c->a1 = -z1;
        c->a2 = 0.0;
        return;
    }
    double z2 = (1.0 + *s2) / (1.0 - *s2);
    c->a1 = -(z1 + z2);
    c->a2 = z1 * z2;
}

/* A section from two analog poles that are either a conjugate pair or both real. */
static void den_from_roots(cplx r1, cplx r2, vs_biquad_coeffs *c)
{
    if (r1.im != 0.0 || r2.im != 0.0) {
        den_conj_pair(r1.im >= 0.0 ? r1 : r2, c);
    } else {
        den_real(r1.re, &r2.re, c);
    }
}

int vs_biquad_is_stable(const vs_biquad_coeffs *c)
{
    if (!isfinite(c->b0) || !isfinite(c->b1) || !isfinite(c->b2) || !isfinite(c->a1) ||
        !isfinite(c->a2))
        return 0;
    /* stability triangle: |a2| < 1 and |a1| < 1 + a2 */
    return c->a2 < 1.0 && c->a2 > -1.0 && fabs(c->a1) < 1.0 + c->a2;
}

/* Complex value of one section at z = e^{jw}, given cos w, sin w. */
static double section_mag2(const vs_biquad_coeffs *c, double cw, double sw)
{
    double c2 = 2.0 * cw * cw - 1.0, s2 = 2.0 * sw * cw; /* cos 2w, sin 2w */
    /* z^-1 = cw - j sw, z^-2 = c2 - j s2 */
    double nr = c->b0 + c->b1 * cw + c->b2 * c2, ni = -(c->b1 * sw + c->b2 * s2);
    double dr = 1.0 + c->a1 * cw + c->a2 * c2, di = -(c->a1 * sw + c->a2 * s2);
    return (nr * nr + ni * ni) / (dr * dr + di * di);
}

static void sort_sections(vs_biquad_coeffs *s, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        vs_biquad_coeffs t = s[i];
        size_t j = i;
        while (j > 0 && s[j - 1].a2 > t.a2) {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = t;
    }
}

VS_API vs_status vs_butterworth_design(vs_filter_kind kind, unsigned order, double fs_hz,
                                       double f1_hz, double f2_hz, vs_biquad_coeffs *sections,
                                       size_t capacity, size_t *n_sections)
{
    if (!sections || !n_sections) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (order < 1 || order > 8) return VS_E_INVALID_ARG;
    int band = (kind == VS_FILTER_BANDPASS || kind == VS_FILTER_BANDSTOP);
    if (!band && kind != VS_FILTER_LOWPASS && kind != VS_FILTER_HIGHPASS) return VS_E_INVALID_ARG;
    double nyq = 0.5 * fs_hz;
    if (!(f1_hz > 0.0 && f1_hz < nyq)) return VS_E_INVALID_ARG;
    if (band && !(f2_hz > f1_hz && f2_hz < nyq)) return VS_E_INVALID_ARG;
    size_t need = band ? order : (order + 1) / 2;
    if (capacity < need) {
        *n_sections = need;
        return VS_E_BUFFER_TOO_SMALL;
    }

    vs_biquad_coeffs out[VS_IIR_MAX_SECTIONS];
    size_t n = 0;
    double w1 = vs_det_tan(VS_DET_PI * f1_hz / fs_hz);
    double w2 = band ? vs_det_tan(VS_DET_PI * f2_hz / fs_hz) : 0.0;
    double w0sq = w1 * w2, bw = w2 - w1;
    /* centre frequency of the digital band: tan(w0/2) = W0 */
    double cw0 = (1.0 - w0sq) / (1.0 + w0sq), sw0 = 2.0 * sqrt(w0sq) / (1.0 + w0sq);

    for (unsigned k = 0; k < (order + 1) / 2; k++) {
        cplx p;
        int real_pole = (2 * k + 1 == order);
        if (real_pole) {
            p = c_make(-1.0, 0.0);
        } else {
            double s, c;
            vs_det_sincos(VS_DET_PI * (double)(2 * k + 1) / (double)(2 * order), &s, &c);
            p = c_make(-s, c);
        }
        switch (kind) {
        case VS_FILTER_LOWPASS:
        case VS_FILTER_HIGHPASS: {
            /* HP: W / p = W conj(p) because |p| = 1 */
            cplx s = kind == VS_FILTER_LOWPASS ? c_scale(p, w1) : c_make(w1 * p.re, -w1 * p.im);
            vs_biquad_coeffs *c = &out[n++];
            if (real_pole) den_real(s.re, NULL, c);
            else den_conj_pair(s, c);
            double sg = kind == VS_FILTER_LOWPASS ? 1.0 : -1.0;
            c->b0 = 1.0;
            c->b1 = real_pole ? sg : 2.0 * sg;
            c->b2 = real_pole ? 0.0 : 1.0;
            break;
        }
        default: {
            cplx q = kind == VS_FILTER_BANDPASS ? c_scale(p, bw)
                                                : c_make(bw * p.re, -bw * p.im); /* B / p */
            cplx r1, r2;
            quad_roots(q, w0sq, &r1, &r2);
            if (real_pole) {
                if (r1.im != 0.0) r2 = c_make(r1.re, -r1.im); /* exact conjugates */
                den_from_roots(r1, r2, &out[n++]);
            } else {
                den_from_roots(r1, c_make(r1.re, -r1.im), &out[n++]);
                den_from_roots(r2, c_make(r2.re, -r2.im), &out[n++]);
            }
            break;
        }
        }
    }
    for (size_t i = 0; i < n; i++) {
        vs_biquad_coeffs *c = &out[i];
        double g;
        if (kind == VS_FILTER_BANDPASS) {
            c->b0 = 1.0;
            c->b1 = 0.0;
            c->b2 = -1.0;
            g = sqrt(section_mag2(c, cw0, sw0));
        } else if (kind == VS_FILTER_BANDSTOP) {
            c->b0 = 1.0;
            c->b1 = -2.0 * cw0;
            c->b2 = 1.0;
            g = (c->b0 + c->b1 + c->b2) / (1.0 + c->a1 + c->a2);
        } else if (kind == VS_FILTER_LOWPASS) {
            g = (c->b0 + c->b1 + c->b2) / (1.0 + c->a1 + c->a2);
        } else {
            g = (c->b0 - c->b1 + c->b2) / (1.0 - c->a1 + c->a2);
        }
        c->b0 /= g;
        c->b1 /= g;
        c->b2 /= g;
        if (c->b1 == 0.0) c->b1 = 0.0; /* no -0.0 in the coefficients */
        if (!(g > 0.0) || !vs_biquad_is_stable(c)) return VS_E_UNSTABLE_FILTER;
    }
    sort_sections(out, n);
    for (size_t i = 0; i < n; i++) sections[i] = out[i];
    *n_sections = n;
    return VS_OK;
}

VS_API vs_status vs_notch_design(double fs_hz, double f0_hz, double q, vs_biquad_coeffs *section)
{
    if (!section) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (!(f0_hz > 0.0 && f0_hz < 0.5 * fs_hz)) return VS_E_INVALID_ARG;
    if (!(q > 0.0 && q <= 1e6)) return VS_E_INVALID_ARG;
    /* -3 dB bandwidth f0/q, pre-warped: beta = tan(pi bw / fs). Zeros at e^{+-j w0} on the unit
     * circle, poles at radius sqrt((1 - beta) / (1 + beta)) on the same angle. */
    double bw = f0_hz / q;
    if (!(bw < 0.5 * fs_hz)) return VS_E_INVALID_ARG;
    double beta = vs_det_tan(VS_DET_PI * bw / fs_hz);
    double g = 1.0 / (1.0 + beta);
    double cw = vs_det_cos(2.0 * VS_DET_PI * f0_hz / fs_hz);
    vs_biquad_coeffs c;
    c.b0 = g;
    c.b1 = -2.0 * g * cw;
    c.b2 = g;
    c.a1 = -2.0 * g * cw;
    c.a2 = 2.0 * g - 1.0;
    if (c.b1 == 0.0) c.b1 = c.a1 = 0.0;
    if (!vs_biquad_is_stable(&c)) return VS_E_UNSTABLE_FILTER;
    *section = c;
    return VS_OK;
}

VS_API vs_status vs_biquad_magnitude(const vs_biquad_coeffs *sections, size_t n_sections,
                                     double fs_hz, double f_hz, double *magnitude)
{
    if (!magnitude || (!sections && n_sections > 0)) return VS_E_NULL_ARG;
    if (!(fs_hz > 0.0) || !isfinite(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (!isfinite(f_hz)) return VS_E_INVALID_ARG;
    double sw, cw;
    vs_det_sincos(2.0 * VS_DET_PI * f_hz / fs_hz, &sw, &cw);
    double m = 1.0;
    for (size_t i = 0; i < n_sections; i++) m *= sqrt(section_mag2(&sections[i], cw, sw));
    *magnitude = m;
    return VS_OK;
}
