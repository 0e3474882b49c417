/* baseline.c — causal baseline-wander removal by two cascaded moving medians on a decimated
 * stream.
 *
 * Pipeline (per input sample, O(1) work plus O(W) once per block of D samples):
 *  1. Decimate by D = round(fs / 50) (so the medians run at fd = fs / D, about 40..67 Hz) by
 *     taking the mean of each block of D samples; block k is centred at kD + (D - 1)/2.
 *  2. Moving median over W1 = 2 round(0.1 fd) + 1 decimated samples (~200 ms: removes the QRS),
 *     then over W2 = 2 round(0.3 fd) + 1 (~600 ms: removes P and T waves). A median of the last W
 *     values estimates the value (W - 1)/2 samples back, so estimate b_k describes decimated
 *     index k - M with M = (W1 - 1)/2 + (W2 - 1)/2.
 *  3. The baseline at full rate is linearly interpolated between the two latest estimates, and
 *     subtracted from the input delayed by L = (M + 2) D - floor(D / 2) - (D mod 2) samples:
 *     with that delay the interpolation point always lies between the two estimates completed
 *     before the current block, b_{k-2} (centre c_{k-2}) and b_{k-1}, at fraction
 *     u = (2j + 2(M + 2)D - 2L - (D - 1)) / (2D) in [0, 1] for phase j of block k. At 250 Hz: D = 5, W1 = 11, W2 = 31, L = 107 samples (428 ms); at 360 Hz
 *     L = 150 (417 ms); at 500 Hz L = 215 (430 ms); at 1000 Hz L = 430 (430 ms).
 * The first input primes every buffer with its value (so a DC offset is removed from the start
 * instead of ramping in). Non-finite inputs are replaced by the last finite input (0 before any,
 * so a leading NaN primes with 0 exactly as a leading 0 would).
 * Each median keeps its window in arrival order (ring) and sorted (insertion), W <= 41. */
#include "filter_impl.h"
#include "common/units.h"

#include <stdlib.h>
#include <string.h>

typedef struct median {
    uint32_t w, pos;
    double *ring;   /* arrival order */
    double *sorted; /* ascending */
} median;

struct vs_baseline {
    uint32_t owns_memory;
    uint32_t primed;
    uint32_t decim;   /* D */
    uint32_t phase;   /* j: samples already in the current block, 0..D-1 */
    uint32_t delay;   /* L */
    uint32_t dpos;    /* next slot of the delay line */
    int32_t u_base;   /* 2 (M + 2) D - 2 L - (D - 1): numerator of 2 D u at phase 0 */
    uint32_t reserved;
    double hold, acc;
    double prev, cur; /* the two latest baseline estimates b_{k-2}, b_{k-1} */
    double *dline;    /* L doubles: dline[dpos] is x[n - L] */
    median m1, m2;
};

typedef struct geometry {
    uint32_t decim, w1, w2, delay;
    int32_t u_base;
} geometry;

static int geometry_for(double fs_hz, geometry *g)
{
    if (!vs_fs_in_range(fs_hz)) return 0;
    uint32_t d = (uint32_t)(fs_hz / 50.0 + 0.5);
    if (d < 1) d = 1;
    double fd = fs_hz / (double)d;
    g->decim = d;
    g->w1 = 2u * (uint32_t)(0.1 * fd + 0.5) + 1u;
    g->w2 = 2u * (uint32_t)(0.3 * fd + 0.5) + 1u;
    uint32_t m = (g->w1 - 1u) / 2u + (g->w2 - 1u) / 2u;
    g->delay = (m + 2u) * d - d / 2u - (d & 1u);
    g->u_base = (int32_t)(2u * (m + 2u) * d) - (int32_t)(2u * g->delay) - (int32_t)(d - 1u);
    return 1;
}

static size_t round_up(size_t n)
{
    size_t a = _Alignof(double);
    return (n + a - 1) / a * a;
}

static size_t size_for(const geometry *g)
{
    return round_up(sizeof(struct vs_baseline)) +
           ((size_t)g->delay + 2u * g->w1 + 2u * g->w2) * sizeof(double);
}

static void median_fill(median *m, double v)
{
    for (uint32_t i = 0; i < m->w; i++) m->ring[i] = m->sorted[i] = v;
    m->pos = 0;
}

static double median_push(median *m, double v)
{
    double old = m->ring[m->pos];
    m->ring[m->pos] = v;
    if (++m->pos == m->w) m->pos = 0;
    uint32_t i = 0;
    while (i < m->w - 1u && m->sorted[i] != old) i++; /* old is present: found before the end */
    if (v > old) {
        while (i + 1u < m->w && m->sorted[i + 1u] < v) {
            m->sorted[i] = m->sorted[i + 1u];
            i++;
        }
    } else {
        while (i > 0 && m->sorted[i - 1u] > v) {
            m->sorted[i] = m->sorted[i - 1u];
            i--;
        }
    }
    m->sorted[i] = v;
    return m->sorted[m->w / 2u];
}

static void prime(struct vs_baseline *b, double v)
{
    for (uint32_t i = 0; i < b->delay; i++) b->dline[i] = v;
    median_fill(&b->m1, v);
    median_fill(&b->m2, v);
    b->prev = b->cur = v;
    b->acc = v * (double)b->phase;
    b->hold = v;
    b->primed = 1;
}

static void clear(struct vs_baseline *b)
{
    b->primed = 0;
    b->phase = 0;
    b->dpos = 0;
    prime(b, 0.0);
    b->primed = 0;
}

VS_API size_t vs_baseline_workspace_size(double fs_hz)
{
    geometry g;
    if (!geometry_for(fs_hz, &g)) return 0;
    return size_for(&g);
}

VS_API vs_status vs_baseline_init_static(vs_baseline **out, void *mem, size_t mem_size,
                                         double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    geometry g;
    if (!geometry_for(fs_hz, &g)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < size_for(&g)) return VS_E_NO_MEMORY;
    if ((uintptr_t)mem % _Alignof(struct vs_baseline) != 0) return VS_E_INVALID_ARG;
    struct vs_baseline *b = (struct vs_baseline *)mem;
    memset(b, 0, sizeof *b);
    b->decim = g.decim;
    b->delay = g.delay;
    b->u_base = g.u_base;
    double *p = (double *)((unsigned char *)mem + round_up(sizeof *b));
    b->dline = p;
    p += g.delay;
    b->m1.w = g.w1;
    b->m1.ring = p;
    p += g.w1;
    b->m1.sorted = p;
    p += g.w1;
    b->m2.w = g.w2;
    b->m2.ring = p;
    p += g.w2;
    b->m2.sorted = p;
    clear(b);
    *out = b;
    return VS_OK;
}

VS_API vs_status vs_baseline_create(vs_baseline **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    size_t need = vs_baseline_workspace_size(fs_hz);
    if (need == 0) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(need);
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_baseline_init_static(out, mem, need, fs_hz);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_baseline_destroy(vs_baseline *b)
{
    if (b && b->owns_memory) free(b);
}

VS_API void vs_baseline_reset(vs_baseline *b)
{
    if (b) clear(b);
}

VS_API size_t vs_baseline_delay_samples(const vs_baseline *b)
{
    return b ? b->delay : 0;
}

static double baseline_step(struct vs_baseline *b, double x)
{
    if (!isfinite(x)) x = b->hold; /* 0 before any finite input */
    b->hold = x;
    if (!b->primed) prime(b, x);
    /* output: x[n - L] minus the interpolated baseline at n - L */
    double xd = b->dline[b->dpos];
    b->dline[b->dpos] = x;
    if (++b->dpos == b->delay) b->dpos = 0;
    double u = (double)(b->u_base + 2 * (int32_t)b->phase) / (double)(2u * b->decim);
    double y = xd - (b->prev + u * (b->cur - b->prev));
    /* decimation and medians */
    b->acc += x;
    if (++b->phase == b->decim) {
        double mean = b->acc / (double)b->decim;
        b->acc = 0.0;
        b->phase = 0;
        double est = median_push(&b->m2, median_push(&b->m1, mean));
        b->prev = b->cur;
        b->cur = est;
    }
    return y;
}

VS_API vs_status vs_baseline_process(vs_baseline *b, const float *in, float *out, size_t n)
{
    if (!b) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!in || !out) return VS_E_NULL_ARG;
    for (size_t i = 0; i < n; i++) out[i] = (float)baseline_step(b, (double)in[i]);
    return VS_OK;
}
