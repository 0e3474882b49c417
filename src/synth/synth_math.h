/* synth_math.h (private) — the generator's PRNG and phase-accumulator sine.
 *
 * Deterministic exp/sin come from common/detmath.h (libm's may differ in the last bit between C
 * runtimes, and any such bit would change synthetic samples).
 *
 * PRNG: xoshiro256** (Blackman and Vigna), state seeded by splitmix64 from (seed, stream id);
 * independent streams keep e.g. beat timing unchanged when only the noise settings change. */
#ifndef VITALSTREAM_SRC_SYNTH_MATH_H
#define VITALSTREAM_SRC_SYNTH_MATH_H

#include <stdint.h>

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

/* sin(2 pi (cycles)), reducing cycles to [0, 1) first so phase accumulators never lose
 * accuracy: sin_cycles(f * t + phase0). */
double vsi_synth_sin_cycles(double cycles);

#endif
