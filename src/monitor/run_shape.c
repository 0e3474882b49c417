/* run_shape.c — is a ventricular run one shape? (see run_shape.h) */
#include <math.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "run_shape.h"
#include "common/units.h"

/* The classifier's template window (R - 83 ms .. R + 111 ms) and the shifts searched. */
#define PRE_MS 83.0
#define POST_MS 111.0
#define SHIFT_MS 20.0
/* Longest window at VS_FS_MAX_HZ (1000 Hz): 83 + 111 + 1 samples, and the shifted copy with
 * 2 x 20 more. */
#define WINDOW_MAX 195
#define SHIFTED_MAX (WINDOW_MAX + 40)

/* Copies the classifier's samples [first, first + len) to out; 0 if they are not all held and
 * present. */
static int copy_signal(const vs_classifier *c, int64_t first, int64_t len, int16_t *out)
{
    if (vs_classifier_signal(c, first, (size_t)len, out) != VS_OK) return 0;
    for (int64_t i = 0; i < len; i++)
        if (out[i] == VS_CLASSIFY_SIGNAL_MISSING) return 0;
    return 1;
}

/* Sum of x[i] y[i] over i < len, exact: the values come from copy_signal, never
 * VS_CLASSIFY_SIGNAL_MISSING = INT16_MIN, so a product is below 2^30 and a pair of them below
 * 2^31. */
static int64_t dot_i16(const int16_t *x, const int16_t *y, int64_t len)
{
    int64_t s = 0, i = 0;
#ifdef __wasm_simd128__
    /* LLVM vectorizes the plain loop with 64-bit lane multiplies (i64x2.mul), which engines
     * emulate with about ten x86 instructions each; i32x4.dot_i16x8_s is one pmaddwd. Integer
     * sums are exact in any order: the same result as the loop below. */
    v128_t lo = wasm_i64x2_splat(0), hi = lo;
    for (; i + 8 <= len; i += 8) {
        v128_t d = wasm_i32x4_dot_i16x8(wasm_v128_load(x + i), wasm_v128_load(y + i));
        lo = wasm_i64x2_add(lo, wasm_i64x2_extend_low_i32x4(d));
        hi = wasm_i64x2_add(hi, wasm_i64x2_extend_high_i32x4(d));
    }
    lo = wasm_i64x2_add(lo, hi);
    s = wasm_i64x2_extract_lane(lo, 0) + wasm_i64x2_extract_lane(lo, 1);
#endif
    for (; i < len; i++) s += (int32_t)x[i] * (int32_t)y[i];
    return s;
}

/* The samples are integers (int16 microvolts) and a window holds at most WINDOW_MAX of them, so
 * every sum below (|sum of squares| < 195 * 2^30 < 2^38) is an exact integer: int64 sums give
 * the very doubles that summing the values as doubles in any order gives, and the sums over x
 * can slide from one shift to the next. */
uint8_t vs_run_shape_match(const vs_classifier *c, int64_t r_prev, int64_t r_next)
{
    double fs_hz = vs_classifier_fs_hz(c);
    int64_t pre = vs_ms_to_samples(PRE_MS, fs_hz);
    int64_t len = pre + vs_ms_to_samples(POST_MS, fs_hz) + 1;
    int64_t shift = vs_ms_to_samples(SHIFT_MS, fs_hz);
    int64_t b0 = r_next - pre, a0 = r_prev - pre;
    int16_t ya[WINDOW_MAX], xa[SHIFTED_MAX];
    if (r_prev >= r_next || len > WINDOW_MAX || len + 2 * shift > SHIFTED_MAX ||
        !copy_signal(c, b0, len, ya) || !copy_signal(c, a0 - shift, len + 2 * shift, xa))
        return VS_RUN_SHAPE_UNKNOWN;
    int64_t isy = 0, isx = 0;
    for (int64_t i = 0; i < len; i++) {
        isy += ya[i];
        isx += xa[i];
    }
    double sy = (double)isy, syy = (double)dot_i16(ya, ya, len);
    double n = (double)len, vy = syy - sy * sy / n, best = -1.0;
    if (vy <= 1e-9) return VS_RUN_SHAPE_UNKNOWN;
    int64_t isxx = dot_i16(xa, xa, len);
    for (int64_t s = -shift; s <= shift; s++) {
        const int16_t *xs = xa + (s + shift);
        if (s > -shift) { /* slide the x sums by one sample */
            int32_t out = xs[-1], in = xs[len - 1];
            isx += in - out;
            isxx += in * in - out * out;
        }
        int64_t isxy = dot_i16(xs, ya, len);
        double sx = (double)isx, sxx = (double)isxx, sxy = (double)isxy;
        double vx = sxx - sx * sx / n;
        if (vx <= 1e-9) continue;
        double r = (sxy - sx * sy / n) / sqrt(vx * vy);
        if (r > best) best = r;
    }
    if (best > 1.0) best = 1.0;
    return vs_run_shape_quantise(best);
}

