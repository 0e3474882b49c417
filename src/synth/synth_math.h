/* synth_math.h (private) — the generator's PRNG and deterministic exp/sin.
 *
 * libm's exp/sin may differ in the last bit between glibc, musl (Emscripten) and other C
 * runtimes; any such bit would change synthetic samples. These versions use only + - * /
 * (IEEE-754 rounds them exactly; the build uses -ffp-contract=off) plus ldexp/floor, which are
 * exact, so every platform computes the same bits.
 *
 * PRNG: xoshiro256** (Blackman and Vigna), state seeded by splitmix64 from (seed, stream id);
 * independent streams keep e.g. beat timing unchanged when only the noise settings change. */
#ifndef VITALSTREAM_SRC_SYNTH_MATH_H
#define VITALSTREAM_SRC_SYNTH_MATH_H

#include <stdint.h>

#define VSI_SYNTH_TWO_PI 6.28318530717958647692528676655900577

typedef struct vsi_synth_rng {
    uint64_t s[4];
} vsi_synth_rng;

void vsi_synth_rng_seed(vsi_synth_rng *r, uint64_t seed, uint64_t stream);
uint64_t vsi_synth_rng_next(vsi_synth_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double vsi_synth_uniform(vsi_synth_rng *r);
/* Approximately standard normal: sum of 12 uniforms minus 6 (Irwin-Hall; mean 0, variance 1,
 * bounded by +-6). Needs no log/sqrt, hence bit-exact everywhere. */
double vsi_synth_gauss(vsi_synth_rng *r);

/* exp(x): Cody-Waite reduction by ln 2 and a degree-13 Taylor polynomial; relative error a few
 * ulp. Returns 0 for x < -700 (never subnormal) and +inf for x > 700; NaN gives NaN. */
double vsi_synth_exp(double x);
/* sin(x) for |x| < 1e6 (a few ulp); the generator only passes [0, 2 pi). */
double vsi_synth_sin(double x);
/* sin(2 pi (cycles)), reducing cycles to [0, 1) first so phase accumulators never lose
 * accuracy: sin_cycles(f * t + phase0). */
double vsi_synth_sin_cycles(double cycles);

#endif
