/* detmath.c — deterministic sin/cos/tan, exp and log from basic IEEE arithmetic (see detmath.h). */
#include "detmath.h"

#include <math.h> /* NAN, HUGE_VAL and the exact floor/frexp/ldexp only */

/* pi/2 = P1 + P2 + P3 to about 1e-37; P1 and P2 have 33 significant bits. */
static const double k_pio2_1 = 0x1.921fb544p+0;
static const double k_pio2_2 = 0x1.0b4611a6p-34;
static const double k_pio2_3 = 0x1.3198a2e037073p-69;
static const double k_2_over_pi = 0x1.45f306dc9c883p-1;

/* sin(r) and cos(r) for |r| <= pi/4 (a little beyond is harmless). */
static double sin_kernel(double r)
{
    double r2 = r * r;
    double t = 1.0;
    /* sin r = r (1 - r^2/(2*3) (1 - r^2/(4*5) (1 - ... (1 - r^2/(20*21))))) */
    for (int n = 20; n >= 2; n -= 2) t = 1.0 - r2 / (double)(n * (n + 1)) * t;
    return r * t;
}

static double cos_kernel(double r)
{
    double r2 = r * r;
    double t = 1.0;
    /* cos r = 1 - r^2/(1*2) (1 - r^2/(3*4) (1 - ... (1 - r^2/(21*22)))) */
    for (int n = 21; n >= 1; n -= 2) t = 1.0 - r2 / (double)(n * (n + 1)) * t;
    return t;
}

/* x = k pi/2 + r with |r| <= ~pi/4; returns k mod 4. */
static int reduce(double x, double *r)
{
    double fk = x * k_2_over_pi;
    /* round half away from zero through an integer conversion: no rounding-mode dependence */
    long long k = (long long)(fk >= 0.0 ? fk + 0.5 : fk - 0.5);
    double dk = (double)k;
    *r = ((x - dk * k_pio2_1) - dk * k_pio2_2) - dk * k_pio2_3;
    return (int)(k & 3);
}

static int usable(double x)
{
    return x == x && x - x == 0.0 && x < 1e15 && x > -1e15; /* finite, and k fits */
}

void vs_det_sincos(double x, double *s, double *c)
{
    if (!usable(x)) {
        *s = NAN;
        *c = NAN;
        return;
    }
    double r;
    int q = reduce(x, &r);
    double sr = sin_kernel(r), cr = cos_kernel(r);
    switch (q) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
    }
}

double vs_det_sin(double x)
{
    double s, c;
    vs_det_sincos(x, &s, &c);
    return s;
}

double vs_det_cos(double x)
{
    double s, c;
    vs_det_sincos(x, &s, &c);
    return c;
}

double vs_det_tan(double x)
{
    double s, c;
    vs_det_sincos(x, &s, &c);
    return s / c;
}

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^11 (trailing zero bits). */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LOG2_E 1.44269504088896338700e+00

double vs_det_exp(double x)
{
    if (x != x) return x;
    if (x < -700.0) return 0.0;
    if (x > 700.0) return HUGE_VAL;
    double k = floor(x * LOG2_E + 0.5);
    double r = (x - k * LN2_HI) - k * LN2_LO; /* |r| <= ~0.347 */
    /* Taylor series to r^13 in Horner form with exact integer divisors (truncation < 1e-18). */
    double p = 1.0 + r / 13.0;
    for (int n = 12; n >= 1; n--) p = 1.0 + r / (double)n * p;
    return ldexp(p, (int)k);
}

#define SQRT_HALF 7.07106781186547524401e-01

double vs_det_log(double x)
{
    if (x != x || x < 0.0) return NAN;
    if (x == 0.0) return -HUGE_VAL;
    if (x - x != 0.0) return x; /* +inf */
    int e;
    double m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1); exact, subnormals included */
    if (m < SQRT_HALF) {
        m *= 2.0;
        e--;
    }
    double s = (m - 1.0) / (m + 1.0); /* m - 1 is exact here (Sterbenz) */
    double s2 = s * s;
    /* atanh s = s (1 + s^2/3 + s^4/5 + ... + s^24/25) */
    double p = 1.0 / 25.0;
    for (int n = 23; n >= 1; n -= 2) p = 1.0 / (double)n + s2 * p;
    double de = (double)e;
    return de * LN2_HI + (2.0 * s * p + de * LN2_LO);
}
