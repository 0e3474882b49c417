/* detmath.h (private) — deterministic sin/cos/tan, exp and log: the library's one copy, used by
 * filter design, the HRV spectrum, the synthetic ECG generator and the classifier's features.
 *
 * libm's functions differ in the last bit between glibc, musl (Emscripten), mingw's msvcrt and
 * the C runtime a Python extension happens to load, and any such bit would change filter
 * coefficients, synthetic samples or classifier features. These versions use only + - * /
 * (IEEE-754 rounds them exactly, and the build uses -ffp-contract=off) plus the exact
 * frexp/ldexp/floor, so every platform computes the same bits.
 *
 * sin/cos/tan:
 * Method: Cody-Waite reduction by pi/2 split into three parts (the first two with 33 significant
 * bits, so k * part is exact for |k| < 2^20), then the Taylor series of sin/cos on
 * |r| <= pi/4 evaluated in nested (Horner) form with exact integer divisors, truncated after the
 * r^21 / r^22 terms (truncation error < 1e-22). Accuracy: a few ulp (about 5e-16 relative) for
 * |x| <= 1e5; beyond that the reduction loses accuracy (never needed by the filter designs, whose
 * angles lie in [0, 2 pi]). Non-finite x, or |x| >= 1e15, gives NaN. */
#ifndef VITALSTREAM_SRC_COMMON_DETMATH_H
#define VITALSTREAM_SRC_COMMON_DETMATH_H

#define VS_DET_PI 3.14159265358979323846264338327950288

double vs_det_sin(double x);
double vs_det_cos(double x);
void vs_det_sincos(double x, double *s, double *c);
/* tan(x); near odd multiples of pi/2 it returns the correctly signed large value of the series
 * (no pole handling needed: x is a double and never exactly pi/2). */
double vs_det_tan(double x);

/* exp(x): Cody-Waite reduction by ln 2 and a degree-13 Taylor polynomial; relative error a few
 * ulp. Returns 0 for x < -700 (never subnormal) and +inf for x > 700; NaN gives NaN. */
double vs_det_exp(double x);

/* log(x): x = m 2^e with m in [sqrt(1/2), sqrt 2) (frexp, exact), then
 * log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.172, by its odd series to s^25 in Horner form
 * (truncation < 1e-20 relative), plus e ln 2 with ln 2 split in two parts. Relative error a few
 * ulp. log(0) = -inf, log(+inf) = +inf, negative or NaN x gives NaN. */
double vs_det_log(double x);

#endif
