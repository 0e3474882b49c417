/* detmath.h (private) — deterministic trigonometry for filter design.
 *
 * libm's sin/cos/tan differ in the last bit between glibc, musl (Emscripten) and the C runtime a
 * Python extension happens to load, and any such bit would change filter coefficients. These
 * versions use only + - * / (IEEE-754 rounds them exactly, and the build uses -ffp-contract=off),
 * so every platform computes the same bits.
 *
 * Method: Cody-Waite reduction by pi/2 split into three parts (the first two with 33 significant
 * bits, so k * part is exact for |k| < 2^20), then the Taylor series of sin/cos on
 * |r| <= pi/4 evaluated in nested (Horner) form with exact integer divisors, truncated after the
 * r^21 / r^22 terms (truncation error < 1e-22). Accuracy: a few ulp (about 5e-16 relative) for
 * |x| <= 1e5; beyond that the reduction loses accuracy (never needed by the filter designs, whose
 * angles lie in [0, 2 pi]). Non-finite x, or |x| >= 1e15, gives NaN. */
#ifndef VITALSTREAM_SRC_FILTER_DETMATH_H
#define VITALSTREAM_SRC_FILTER_DETMATH_H

#define VS_DET_PI 3.14159265358979323846264338327950288

double vs_det_sin(double x);
double vs_det_cos(double x);
void vs_det_sincos(double x, double *s, double *c);
/* tan(x); near odd multiples of pi/2 it returns the correctly signed large value of the series
 * (no pole handling needed: x is a double and never exactly pi/2). */
double vs_det_tan(double x);

#endif
