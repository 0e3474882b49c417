/* param_table.c — find/defaults/bounds/set/get over a module's parameter table (see
 * param_table.h for the error discipline). */
#include <math.h>

#include "param_table.h"

static double *slot(void *obj, const vs_param_row *row)
{
    return (double *)((char *)obj + row->offset);
}

const vs_param_row *vs_param_find(const vs_param_table *t, int id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->rows[i].id == id) return &t->rows[i];
    return NULL;
}

int vs_param_ok(const vs_param_row *row, double value)
{
    /* Written so that NaN fails the range test. */
    if (!(value >= row->min && value <= row->max)) return 0;
    return !row->integer || value == floor(value);
}

void vs_param_set_defaults(const vs_param_table *t, void *obj)
{
    for (size_t i = 0; i < t->n; i++) *slot(obj, &t->rows[i]) = t->rows[i].dflt;
}

vs_status vs_param_bounds(const vs_param_table *t, int id, double *min, double *max, double *dflt)
{
    const vs_param_row *row = vs_param_find(t, id);
    if (!row) return VS_E_UNKNOWN_PARAM;
    if (min) *min = row->min;
    if (max) *max = row->max;
    if (dflt) *dflt = row->dflt;
    return VS_OK;
}

vs_status vs_param_set(const vs_param_table *t, void *obj, int id, double value)
{
    if (!obj) return VS_E_NULL_ARG;
    const vs_param_row *row = vs_param_find(t, id);
    if (!row) return VS_E_UNKNOWN_PARAM;
    if (!vs_param_ok(row, value)) return VS_E_PARAM_OUT_OF_RANGE;
    *slot(obj, row) = value;
    return VS_OK;
}

vs_status vs_param_get(const vs_param_table *t, const void *obj, int id, double *value)
{
    if (!obj || !value) return VS_E_NULL_ARG;
    const vs_param_row *row = vs_param_find(t, id);
    if (!row) return VS_E_UNKNOWN_PARAM;
    *value = *(const double *)((const char *)obj + row->offset);
    return VS_OK;
}
