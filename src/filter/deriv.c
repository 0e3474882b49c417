/* deriv.c — five-point derivative y[n] = fs/8 (2x[n] + x[n-1] - x[n-3] - 2x[n-4]).
 * Exact derivative of a ramp (slope in input units per second) after 4 samples of history;
 * history before the first sample is 0. Group delay 2 samples. */
#include "filter_impl.h"
#include "common/units.h"

#include <stdlib.h>
#include <string.h>

void vs_deriv_setup(struct vs_deriv *d, double fs_hz)
{
    memset(d, 0, sizeof *d);
    d->scale = fs_hz / 8.0;
}

void vs_deriv_clear(struct vs_deriv *d)
{
    d->hold = 0.0;
    memset(d->x, 0, sizeof d->x);
}

VS_API size_t vs_deriv_workspace_size(void) { return sizeof(struct vs_deriv); }

VS_API vs_status vs_deriv_init_static(vs_deriv **out, void *mem, size_t mem_size, double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < sizeof(struct vs_deriv)) return VS_E_NO_MEMORY;
    if ((uintptr_t)mem % _Alignof(struct vs_deriv) != 0) return VS_E_INVALID_ARG;
    struct vs_deriv *d = (struct vs_deriv *)mem;
    vs_deriv_setup(d, fs_hz);
    *out = d;
    return VS_OK;
}

VS_API vs_status vs_deriv_create(vs_deriv **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(sizeof(struct vs_deriv));
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_deriv_init_static(out, mem, sizeof(struct vs_deriv), fs_hz);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_deriv_destroy(vs_deriv *d)
{
    if (d && d->owns_memory) free(d);
}

VS_API void vs_deriv_reset(vs_deriv *d)
{
    if (d) vs_deriv_clear(d);
}

VS_API vs_status vs_deriv_process(vs_deriv *d, const float *in, float *out, size_t n)
{
    if (!d) return VS_E_NULL_ARG;
    if (n == 0) return VS_OK;
    if (!in || !out) return VS_E_NULL_ARG;
    for (size_t i = 0; i < n; i++) out[i] = (float)vs_deriv_step(d, (double)in[i]);
    return VS_OK;
}
