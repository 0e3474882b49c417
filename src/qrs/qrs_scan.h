/* qrs_scan.h (private) — vector scans of the detector (qrs_detect.c):
 *  - over the integrator window at every integrator maximum that is not dropped unmeasured (a
 *    few per beat; scalar, a fifth of the detector's time): the largest |x| and the largest x,
 *    and the first position of a given |x|;
 *  - over a block, the samples the decision walk must look at (vs_scan_hot_mask), and the
 *    largest |x| of the stretches between them.
 * Maxima of finite floats do not depend on the order in which they are taken, comparisons are
 * exact, and searches return the first match, so the vector paths (SSE2 natively, SIMD128 in
 * WASM, common/simd.h) give exactly the scalar results. */
#ifndef VITALSTREAM_SRC_QRS_QRS_SCAN_H
#define VITALSTREAM_SRC_QRS_QRS_SCAN_H

#include <math.h>
#include <stdint.h>

#include "common/simd.h"

/* max(0, x[0], ..., x[n-1]) for finite x, of |x| when absolute is set. */
static inline float vs_scan_max(const float *x, uint32_t n, int absolute)
{
    float m = 0.0f;
    uint32_t j = 0;
#ifdef VS_SIMD
    const f32x4 keep = f32x4_bits(absolute ? 0x7fffffffu : 0xffffffffu); /* the sign bit or not */
    f32x4 m0 = f32x4_splat(0.0f), m1 = m0;
    for (; j + 8 <= n; j += 8) {
        m0 = f32x4_max(m0, f32x4_and(f32x4_load(x + j), keep));
        m1 = f32x4_max(m1, f32x4_and(f32x4_load(x + j + 4), keep));
    }
    m = f32x4_max_lane(f32x4_max(m0, m1)); /* lanes from 0: m stays >= 0 */
#endif
    for (; j < n; j++) {
        float a = absolute ? fabsf(x[j]) : x[j];
        m = a > m ? a : m;
    }
    return m;
}

/* The first j < n with |x[j]| == v, or n when there is none. */
static inline uint32_t vs_scan_find_abs(const float *x, uint32_t n, float v)
{
    uint32_t j = 0;
#ifdef VS_SIMD
    const f32x4 abs_mask = f32x4_bits(0x7fffffffu), vv = f32x4_splat(v);
    for (; j + 4 <= n; j += 4) {
        uint32_t hit = f32x4_mask(f32x4_eq(f32x4_and(f32x4_load(x + j), abs_mask), vv));
        if (hit) return j + (uint32_t)__builtin_ctz(hit);
    }
#endif
    for (; j < n; j++)
        if (fabsf(x[j]) == v) return j;
    return n;
}

/* Bit i (word i / 64) of hot is set where the decision walk of qrs_detect.c must look at
 * sample i of a block whatever its decision state: an integrator maximum at i - 1
 * (m[i + 1] > m[i] && m[i + 1] >= m[i + 2]; m holds the two integrator values before the block
 * first), |bp[i]| > lim (artefact evidence), or flags[i] != 0 (flags NULL: all 0). Bits from
 * len on are 0; len <= 64 * words. */
static inline void vs_scan_hot_mask(const float *m, const float *bp, const uint8_t *flags,
                                    uint32_t len, float lim, uint64_t *hot, uint32_t words)
{
    for (uint32_t w = 0; w < words; w++) hot[w] = 0;
    uint32_t i = 0;
#ifdef VS_SIMD
    const f32x4 abs_mask = f32x4_bits(0x7fffffffu), vlim = f32x4_splat(lim);
    for (; i + 4 <= len; i += 4) {
        f32x4 m2 = f32x4_load(m + i), m1 = f32x4_load(m + i + 1), m0 = f32x4_load(m + i + 2);
        f32x4 peak = f32x4_and(f32x4_gt(m1, m2), f32x4_ge(m1, m0));
        f32x4 big = f32x4_gt(f32x4_and(f32x4_load(bp + i), abs_mask), vlim);
        hot[i >> 6] |= (uint64_t)f32x4_mask(f32x4_or(peak, big)) << (i & 63u);
    }
#endif
    for (; i < len; i++) {
        int h = (m[i + 1] > m[i] && m[i + 1] >= m[i + 2]) || fabsf(bp[i]) > lim;
        hot[i >> 6] |= (uint64_t)h << (i & 63u);
    }
    if (flags)
        for (i = 0; i < len; i++) hot[i >> 6] |= (uint64_t)(flags[i] != 0) << (i & 63u);
}

/* The first i in [from, len) with bit i of hot set, or len. */
static inline uint32_t vs_scan_next_hot(const uint64_t *hot, uint32_t from, uint32_t len)
{
    uint32_t w = from >> 6;
    uint64_t bits = hot[w] & (~(uint64_t)0 << (from & 63u));
    while (!bits) {
        if (++w << 6 >= len) return len;
        bits = hot[w];
    }
    uint32_t i = (w << 6) + (uint32_t)__builtin_ctzll(bits);
    return i < len ? i : len;
}

#endif
