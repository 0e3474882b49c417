/* simd.h (private) — the few 128-bit vector operations the block loops use, written once for
 * SSE2 (every x86-64) and for WASM SIMD128: four floats (f32x4) or two doubles (f64x2). Every
 * arithmetic operation is lane-wise IEEE (no fused multiply-add, no reassociation), and min/max,
 * comparisons and bit operations are exact, so a caller's vector path gives the bits of its
 * scalar code. VS_SIMD is defined when a vector path exists; without it callers keep their scalar
 * code. */
#ifndef VITALSTREAM_SRC_COMMON_SIMD_H
#define VITALSTREAM_SRC_COMMON_SIMD_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define VS_SIMD 1
#define VS_SIMD_PICK(sse2, wasm) sse2
typedef __m128 f32x4;
typedef __m128d f64x2;
typedef __m128i i32x4;
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define VS_SIMD 1
#define VS_SIMD_PICK(sse2, wasm) wasm
typedef v128_t f32x4;
typedef v128_t f64x2;
typedef v128_t i32x4;
#endif

#ifdef VS_SIMD
/* Lane-wise binary operations, name(a, b). */
#define VS_SIMD_BINARY(type, name, sse2, wasm)                                                    \
    static inline type name(type a, type b) { return VS_SIMD_PICK(sse2, wasm)(a, b); }
VS_SIMD_BINARY(f32x4, f32x4_and, _mm_and_ps, wasm_v128_and)
VS_SIMD_BINARY(f32x4, f32x4_or, _mm_or_ps, wasm_v128_or)
VS_SIMD_BINARY(f32x4, f32x4_gt, _mm_cmpgt_ps, wasm_f32x4_gt)
VS_SIMD_BINARY(f32x4, f32x4_ge, _mm_cmpge_ps, wasm_f32x4_ge)
VS_SIMD_BINARY(f32x4, f32x4_eq, _mm_cmpeq_ps, wasm_f32x4_eq)
VS_SIMD_BINARY(f64x2, f64x2_add, _mm_add_pd, wasm_f64x2_add)
VS_SIMD_BINARY(f64x2, f64x2_sub, _mm_sub_pd, wasm_f64x2_sub)
VS_SIMD_BINARY(f64x2, f64x2_mul, _mm_mul_pd, wasm_f64x2_mul)
VS_SIMD_BINARY(f64x2, f64x2_div, _mm_div_pd, wasm_f64x2_div)
VS_SIMD_BINARY(f64x2, f64x2_le, _mm_cmple_pd, wasm_f64x2_le)
VS_SIMD_BINARY(f64x2, f64x2_or, _mm_or_pd, wasm_v128_or)
VS_SIMD_BINARY(i32x4, i32x4_add, _mm_add_epi32, wasm_i32x4_add)
VS_SIMD_BINARY(i32x4, i32x4_sub, _mm_sub_epi32, wasm_i32x4_sub)
VS_SIMD_BINARY(i32x4, i32x4_and, _mm_and_si128, wasm_v128_and)
#undef VS_SIMD_BINARY
/* Unaligned loads and stores of a vector's lanes, and a value in every lane. */
#define VS_SIMD_MEMORY(type, elem, load, store, splat, sse2_load, sse2_store, sse2_splat,        \
                       wasm_splat)                                                            \
    static inline type load(const elem *p)                                                    \
    {                                                                                         \
        return VS_SIMD_PICK(sse2_load, wasm_v128_load)(p);                                    \
    }                                                                                         \
    static inline void store(elem *p, type a) { VS_SIMD_PICK(sse2_store, wasm_v128_store)(p, a); } \
    static inline type splat(elem v) { return VS_SIMD_PICK(sse2_splat, wasm_splat)(v); }
VS_SIMD_MEMORY(f32x4, float, f32x4_load, f32x4_store, f32x4_splat, _mm_loadu_ps, _mm_storeu_ps,
               _mm_set1_ps, wasm_f32x4_splat)
VS_SIMD_MEMORY(f64x2, double, f64x2_load, f64x2_store, f64x2_splat, _mm_loadu_pd, _mm_storeu_pd,
               _mm_set1_pd, wasm_f64x2_splat)
#undef VS_SIMD_MEMORY

/* four int32, all v */
static inline i32x4 i32x4_splat(int32_t v)
{
    return VS_SIMD_PICK(_mm_set1_epi32, wasm_i32x4_splat)(v);
}
/* a >> bits, lane-wise, arithmetic (the sign fills in: floor(a / 2^bits)) */
#define i32x4_shr(a, bits) VS_SIMD_PICK(_mm_srai_epi32, wasm_i32x4_shr)(a, bits)
/* eight int16 from p, as int32: lanes 0-3 (lo) and 4-7 (hi), sign-extended */
static inline void i32x4_load_i16x8(const int16_t *p, i32x4 *lo, i32x4 *hi)
{
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    *lo = _mm_srai_epi32(_mm_unpacklo_epi16(v, v), 16);
    *hi = _mm_srai_epi32(_mm_unpackhi_epi16(v, v), 16);
#else
    const v128_t v = wasm_v128_load(p);
    *lo = wasm_i32x4_extend_low_i16x8(v);
    *hi = wasm_i32x4_extend_high_i16x8(v);
#endif
}
/* eight int16 to p from two vectors of int32 (saturated to the int16 range) */
static inline void i32x4_store_i16x8(int16_t *p, i32x4 lo, i32x4 hi)
{
    VS_SIMD_PICK(_mm_storeu_si128((__m128i *)(void *)p, _mm_packs_epi32(lo, hi)),
                 wasm_v128_store(p, wasm_i16x8_narrow_i32x4(lo, hi)));
}
/* correctly rounded square root, lane-wise (IEEE, as the scalar sqrt) */
static inline f64x2 f64x2_sqrt(f64x2 a) { return VS_SIMD_PICK(_mm_sqrt_pd, wasm_f64x2_sqrt)(a); }
/* mask ? 0 : a, lane-wise (mask: a comparison's result) */
static inline f64x2 f64x2_zero_where(f64x2 mask, f64x2 a)
{
    return VS_SIMD_PICK(_mm_andnot_pd(mask, a), wasm_v128_andnot(a, mask));
}
/* a < b ? b : a, lane-wise (of finite lanes: the maximum) */
static inline f32x4 f32x4_max(f32x4 a, f32x4 b)
{
    return VS_SIMD_PICK(_mm_max_ps(b, a), wasm_f32x4_pmax(a, b));
}
/* the largest lane of finite lanes (any order: max is exact), without a trip through memory */
static inline float f32x4_max_lane(f32x4 a)
{
#if defined(__SSE2__)
    a = _mm_max_ps(a, _mm_movehl_ps(a, a));
    a = _mm_max_ps(a, _mm_shuffle_ps(a, a, 1));
    return _mm_cvtss_f32(a);
#else
    a = wasm_f32x4_pmax(a, wasm_i32x4_shuffle(a, a, 2, 3, 0, 1));
    a = wasm_f32x4_pmax(a, wasm_i32x4_shuffle(a, a, 1, 0, 3, 2));
    return wasm_f32x4_extract_lane(a, 0);
#endif
}
/* every lane the bit pattern v */
static inline f32x4 f32x4_bits(uint32_t v)
{
    return VS_SIMD_PICK(_mm_castsi128_ps(_mm_set1_epi32((int)v)), wasm_i32x4_splat((int32_t)v));
}
/* bit l set where lane l is all ones (a comparison's true) */
static inline uint32_t f32x4_mask(f32x4 a)
{
    return (uint32_t)VS_SIMD_PICK(_mm_movemask_ps(a), wasm_i32x4_bitmask(a));
}
/* (lo, hi) */
static inline f64x2 f64x2_make(double lo, double hi)
{
    return VS_SIMD_PICK(_mm_set_pd(hi, lo), wasm_f64x2_make(lo, hi));
}
static inline double f64x2_lo(f64x2 a)
{
    return VS_SIMD_PICK(_mm_cvtsd_f64(a), wasm_f64x2_extract_lane(a, 0));
}
static inline double f64x2_hi(f64x2 a)
{
    return VS_SIMD_PICK(_mm_cvtsd_f64(_mm_unpackhi_pd(a, a)), wasm_f64x2_extract_lane(a, 1));
}
/* (a.lo, hi) */
static inline f64x2 f64x2_with_hi(f64x2 a, double hi)
{
    return VS_SIMD_PICK(_mm_unpacklo_pd(a, _mm_set_sd(hi)), wasm_f64x2_replace_lane(a, 1, hi));
}
/* (float)a.lo, (float)a.hi, (float)b.lo, (float)b.hi */
static inline f32x4 f32x4_from_f64x2(f64x2 a, f64x2 b)
{
#if defined(__SSE2__)
    return _mm_movelh_ps(_mm_cvtpd_ps(a), _mm_cvtpd_ps(b));
#else
    return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(a), wasm_f32x4_demote_f64x2_zero(b),
                              0, 1, 4, 5);
#endif
}
/* (a.lo, b.hi) */
static inline f64x2 f64x2_lo_hi(f64x2 a, f64x2 b)
{
    return VS_SIMD_PICK(_mm_move_sd(b, a), wasm_i64x2_shuffle(a, b, 0, 3));
}

/* (a.hi, b.hi) */
static inline f64x2 f64x2_hi_hi(f64x2 a, f64x2 b)
{
    return VS_SIMD_PICK(_mm_unpackhi_pd(a, b), wasm_i64x2_shuffle(a, b, 1, 3));
}
/* (|a.lo|, a.hi) */
static inline f64x2 f64x2_abs_lo(f64x2 a)
{
#if defined(__SSE2__)
    return _mm_and_pd(a, _mm_castsi128_pd(_mm_set_epi64x(-1, INT64_MAX)));
#else
    return wasm_v128_and(a, wasm_i64x2_make(INT64_MAX, -1));
#endif
}
/* v > acc ? v : acc and v < acc ? v : acc, lane-wise: C's "if (v > acc) acc = v" and
 * "if (v < acc) acc = v" (a NaN v leaves acc, a NaN acc stays) */
static inline f64x2 f64x2_keep_max(f64x2 acc, f64x2 v)
{
    return VS_SIMD_PICK(_mm_max_pd(v, acc), wasm_f64x2_pmax(acc, v));
}
static inline f64x2 f64x2_keep_min(f64x2 acc, f64x2 v)
{
    return VS_SIMD_PICK(_mm_min_pd(v, acc), wasm_f64x2_pmin(acc, v));
}

/* Two biquads side by side, one per lane (filter_impl.h: vs_biquad_pair). */
typedef struct f64x2_biquad {
    f64x2 b0, b1, b2, a1, a2;
} f64x2_biquad;
/* One sample through both (transposed direct form II, delay elements z0 and z1): each lane the
 * scalar biquad's operations in their order, out = b0 in + z0, z0 = b1 in - a1 out + z1,
 * z1 = b2 in - a2 out. */
static inline f64x2 f64x2_biquad_step(const f64x2_biquad *c, f64x2 in, f64x2 *z0, f64x2 *z1)
{
    const f64x2 out = f64x2_add(f64x2_mul(c->b0, in), *z0);
    *z0 = f64x2_add(f64x2_sub(f64x2_mul(c->b1, in), f64x2_mul(c->a1, out)), *z1);
    *z1 = f64x2_sub(f64x2_mul(c->b2, in), f64x2_mul(c->a2, out));
    return out;
}
#endif

#endif
