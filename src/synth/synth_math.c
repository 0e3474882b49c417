/* synth_math.c — PRNG and deterministic exp/sin of the synthetic ECG generator (see header). */
#include <math.h>
#include "synth_math.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void vsi_synth_rng_seed(vsi_synth_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed;
    uint64_t mix = splitmix64(&x);
    x = mix ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1; /* all-zero state is fixed */
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t vsi_synth_rng_next(vsi_synth_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double vsi_synth_uniform(vsi_synth_rng *r)
{
    return (double)(vsi_synth_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); /* 2^-53 */
}

double vsi_synth_gauss(vsi_synth_rng *r)
{
    double sum = 0.0;
    for (int i = 0; i < 12; i++) sum += vsi_synth_uniform(r);
    return sum - 6.0;
}

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^11 (trailing zero bits). */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LOG2_E 1.44269504088896338700e+00

double vsi_synth_exp(double x)
{
    if (x != x) return x;
    if (x < -700.0) return 0.0;
    if (x > 700.0) return HUGE_VAL;
    double k = floor(x * LOG2_E + 0.5);
    double r = (x - k * LN2_HI) - k * LN2_LO; /* |r| <= ~0.347 */
    /* Taylor series to r^13 in Horner form with exact integer divisors (truncation < 1e-18). */
    double p = 1.0 + r / 13.0;
    p = 1.0 + r / 12.0 * p;
    p = 1.0 + r / 11.0 * p;
    p = 1.0 + r / 10.0 * p;
    p = 1.0 + r / 9.0 * p;
    p = 1.0 + r / 8.0 * p;
    p = 1.0 + r / 7.0 * p;
    p = 1.0 + r / 6.0 * p;
    p = 1.0 + r / 5.0 * p;
    p = 1.0 + r / 4.0 * p;
    p = 1.0 + r / 3.0 * p;
    p = 1.0 + r / 2.0 * p;
    p = 1.0 + r * p;
    return ldexp(p, (int)k);
}

/* pi/2 in two parts: the first with 33 significant bits (k * PIO2_HI exact for |k| < 2^20). */
#define PIO2_HI 1.57079632673412561417e+00
#define PIO2_LO 6.07710050650619224932e-11
#define TWO_OVER_PI 6.36619772367581382433e-01

static double sin_kernel(double r) /* |r| <= pi/4 */
{
    double r2 = r * r;
    double p = 1.0 - r2 / (18.0 * 19.0);
    p = 1.0 - r2 / (16.0 * 17.0) * p;
    p = 1.0 - r2 / (14.0 * 15.0) * p;
    p = 1.0 - r2 / (12.0 * 13.0) * p;
    p = 1.0 - r2 / (10.0 * 11.0) * p;
    p = 1.0 - r2 / (8.0 * 9.0) * p;
    p = 1.0 - r2 / (6.0 * 7.0) * p;
    p = 1.0 - r2 / (4.0 * 5.0) * p;
    p = 1.0 - r2 / (2.0 * 3.0) * p;
    return r * p;
}

static double cos_kernel(double r) /* |r| <= pi/4 */
{
    double r2 = r * r;
    double p = 1.0 - r2 / (19.0 * 20.0);
    p = 1.0 - r2 / (17.0 * 18.0) * p;
    p = 1.0 - r2 / (15.0 * 16.0) * p;
    p = 1.0 - r2 / (13.0 * 14.0) * p;
    p = 1.0 - r2 / (11.0 * 12.0) * p;
    p = 1.0 - r2 / (9.0 * 10.0) * p;
    p = 1.0 - r2 / (7.0 * 8.0) * p;
    p = 1.0 - r2 / (5.0 * 6.0) * p;
    p = 1.0 - r2 / (3.0 * 4.0) * p;
    p = 1.0 - r2 / (1.0 * 2.0) * p;
    return p;
}

double vsi_synth_sin(double x)
{
    if (!(x - x == 0.0)) return x - x; /* NaN for NaN and +-inf */
    double k = floor(x * TWO_OVER_PI + 0.5);
    double r = (x - k * PIO2_HI) - k * PIO2_LO;
    long q = (long)(k - 4.0 * floor(k / 4.0)); /* k mod 4 in 0..3 */
    switch (q) {
    case 0: return sin_kernel(r);
    case 1: return cos_kernel(r);
    case 2: return -sin_kernel(r);
    default: return -cos_kernel(r);
    }
}

double vsi_synth_sin_cycles(double cycles)
{
    double frac = cycles - floor(cycles);
    return vsi_synth_sin(frac * VSI_SYNTH_TWO_PI);
}
