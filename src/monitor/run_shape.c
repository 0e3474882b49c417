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
/* How far a fiducial point moves between deflections of one QRS: more than the classifier's
 * own template alignment (+-40 ms, classify.c: shifts within it are one deflection's jitter and
 * the coarse f waves' pull on it; 20 ms here made synthetic AF with coarse f waves at 128 Hz
 * lose intervals, test_af_coarse_f_waves), and at most the length of a wide (paced, bundle
 * branch block) complex, ~150 ms. Not tuned on MIT-BIH. */
#define FAR_MS 40.0
#define MOVE_MS 150.0
#define MOVED_MAX (WINDOW_MAX + 300)

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

/* Best Pearson correlation of the window of b (ya: len values, sums isy and syy) with the windows
 * of a that start s samples after xa[0] for s = 0 .. n_shift - 1 (xa holds len + n_shift - 1
 * values); -1 when no window of a varies. *best_s: the first shift with the best value.
 * The samples are integers (int16 microvolts) and a window holds at most WINDOW_MAX of them, so
 * every sum below (|sum of squares| < 195 * 2^30 < 2^38) is an exact integer: int64 sums give
 * the very doubles that summing the values as doubles in any order gives, and the sums over x
 * can slide from one shift to the next. */
static double best_corr(const int16_t *xa, int64_t n_shift, const int16_t *ya, int64_t len,
                        int64_t isy, double syy, int64_t *best_s)
{
    int64_t isx = 0;
    for (int64_t i = 0; i < len; i++) isx += xa[i];
    double sy = (double)isy, n = (double)len, vy = syy - sy * sy / n, best = -1.0;
    int64_t isxx = dot_i16(xa, xa, len);
    *best_s = 0;
    for (int64_t s = 0; s < n_shift; s++) {
        const int16_t *xs = xa + s;
        if (s > 0) { /* slide the x sums by one sample */
            int32_t out = xs[-1], in = xs[len - 1];
            isx += in - out;
            isxx += in * in - out * out;
        }
        int64_t isxy = dot_i16(xs, ya, len);
        double sx = (double)isx, sxx = (double)isxx, sxy = (double)isxy;
        double vx = sxx - sx * sx / n;
        if (vx <= 1e-9) continue;
        double r = (sxy - sx * sy / n) / sqrt(vx * vy);
        if (r > best) {
            best = r;
            *best_s = s;
        }
    }
    return best;
}

/* Largest |x[i]| for i in [from, from + n). */
static int32_t peak_abs(const int16_t *x, int64_t from, int64_t n)
{
    int32_t m = 0;
    for (int64_t i = from; i < from + n; i++) {
        int32_t v = x[i] < 0 ? -(int32_t)x[i] : x[i];
        if (v > m) m = v;
    }
    return m;
}

/* 1 when the QRS at r_next matches the one at r_prev (corr >= VS_RUN_SHAPE_MIN_CORR) at a lag
 * beyond +-FAR_MS, up to +-MOVE_MS (the earlier beat's shifted window ending before the later
 * beat's window begins), and the deflection that the later beat's fiducial point sits on
 * (largest |x| within SHIFT_MS of it) has a counterpart of at least half its size at that lag
 * in the earlier complex: one shape with the fiducial on another deflection, not a match of
 * the waves around the QRS (coarse f waves repeat at their own period). shift: SHIFT_MS in
 * samples; ya: the later beat's window (pre samples before its fiducial, len in all). */
static int fiducial_moved(const vs_classifier *c, int64_t r_prev, int64_t r_next, int64_t pre,
                          int64_t len, int64_t shift, const int16_t *ya, int64_t isy, double syy)
{
    int64_t move = vs_ms_to_samples(MOVE_MS, vs_classifier_fs_hz(c));
    int64_t b0 = r_next - pre, a0 = r_prev - pre, s;
    int64_t hi = b0 - a0 - len < move ? b0 - a0 - len : move;
    int16_t xa[MOVED_MAX];
    if (hi < -move || len + move + hi > MOVED_MAX || !copy_signal(c, a0 - move, len + move + hi, xa))
        return 0;
    /* lags -move .. -far - 1 (xa offsets 0 .. move - far - 1) and far + 1 .. hi */
    int64_t far = vs_ms_to_samples(FAR_MS, vs_classifier_fs_hz(c)), s_late;
    double best = best_corr(xa, move - far, ya, len, isy, syy, &s);
    double late = hi > far ? best_corr(xa + move + far + 1, hi - far, ya, len, isy, syy, &s_late)
                           : -1.0;
    if (late > best) {
        best = late;
        s = s_late + move + far + 1;
    }
    if (best < VS_RUN_SHAPE_MIN_CORR) return 0;
    /* xa[s + i] lines up with ya[i]; the windows reach SHIFT_MS around the fiducial (pre >= shift) */
    int32_t here = peak_abs(ya, pre - shift, 2 * shift + 1);
    return 2 * peak_abs(xa, s + pre - shift, 2 * shift + 1) >= here;
}

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
    int64_t isy = 0;
    for (int64_t i = 0; i < len; i++) isy += ya[i];
    double sy = (double)isy, syy = (double)dot_i16(ya, ya, len);
    if (syy - sy * sy / (double)len <= 1e-9) return VS_RUN_SHAPE_UNKNOWN;
    int64_t s_best;
    double best = best_corr(xa, 2 * shift + 1, ya, len, isy, syy, &s_best);
    if (best < VS_RUN_SHAPE_MIN_CORR &&
        fiducial_moved(c, r_prev, r_next, pre, len, shift, ya, isy, syy))
        return VS_RUN_SHAPE_MOVED;
    if (best > 1.0) best = 1.0;
    return vs_run_shape_quantise(best);
}
