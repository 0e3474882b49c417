/* sort.c — the shared sorts (see sort.h). */
#include "sort.h"

void vs_sort_f32(float *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        float x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Moves x[i] down the max-heap x[0..n-1] until both children are smaller. */
static void sift(double *x, size_t i, size_t n)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && x[l] > x[m]) m = l;
        if (r < n && x[r] > x[m]) m = r;
        if (m == i) return;
        double t = x[i];
        x[i] = x[m];
        x[m] = t;
        i = m;
    }
}

void vs_sort_f64(double *v, size_t n)
{
    if (n < 2) return;
    for (size_t i = n / 2; i-- > 0;) sift(v, i, n);
    for (size_t e = n - 1; e > 0; e--) {
        double t = v[0];
        v[0] = v[e];
        v[e] = t;
        sift(v, 0, e);
    }
}

float vs_median_sorted_f32(const float *v, size_t n)
{
    return n % 2 ? v[n / 2] : 0.5f * (v[n / 2 - 1] + v[n / 2]);
}
