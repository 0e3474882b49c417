/* sort.h (private) — in-place ascending sorts without allocation, and the median of a sorted
 * array. The float sort is an insertion sort for the short histories (<= 64 values) of the
 * detector and the classifier; the double sort is a heap sort (O(n log n), no recursion) for HRV
 * windows of thousands of intervals. */
#ifndef VITALSTREAM_SRC_COMMON_SORT_H
#define VITALSTREAM_SRC_COMMON_SORT_H

#include <stddef.h>

void vs_sort_f32(float *v, size_t n);
void vs_sort_f64(double *v, size_t n);

/* Median of v[0..n-1] sorted ascending, n >= 1: the middle value, or the mean of the two middle
 * values for even n. */
float vs_median_sorted_f32(const float *v, size_t n);

#endif
