/* synth_math.c — PRNG and phase-accumulator sine of the synthetic ECG generator (see header). */
#include <math.h>
#include "synth_math.h"
#include "common/detmath.h"

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

double vsi_synth_sin_cycles(double cycles)
{
    double frac = cycles - floor(cycles);
    return vs_det_sin(frac * (2.0 * VS_DET_PI));
}
