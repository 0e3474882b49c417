/* param_table.h (private) — the tunable-parameter mechanics shared by vs_qrs, vs_quality,
 * vs_classifier and vs_rhythm. Each module keeps its own table of rows (its numbers, its
 * documented bounds) and its public set/get/bounds functions; those are thin calls into here so
 * that the error discipline is written once:
 *   bounds: unknown id -> VS_E_UNKNOWN_PARAM; NULL outputs are skipped.
 *   set:    NULL object -> VS_E_NULL_ARG, unknown id -> VS_E_UNKNOWN_PARAM, a value outside
 *           [min, max] (NaN included) or not whole for an integer row -> VS_E_PARAM_OUT_OF_RANGE.
 *   get:    NULL object or output -> VS_E_NULL_ARG, unknown id -> VS_E_UNKNOWN_PARAM. */
#ifndef VITALSTREAM_SRC_COMMON_PARAM_TABLE_H
#define VITALSTREAM_SRC_COMMON_PARAM_TABLE_H

#include <stddef.h>
#include "vitalstream/common.h"

typedef struct vs_param_row {
    int id;                 /* the module's vs_<module>_param value */
    double min, max, dflt;
    size_t offset;          /* offsetof() the double field in the module's struct */
    int integer;            /* 1: only whole numbers are accepted */
} vs_param_row;

typedef struct vs_param_table {
    const vs_param_row *rows;
    size_t n;
} vs_param_table;

/* A row for a plain double field of a module struct. */
#define VS_PARAM_ROW(id, lo, hi, dflt, type, field) \
    {(id), (lo), (hi), (dflt), offsetof(type, field), 0}
/* A table over a static array of rows. */
#define VS_PARAM_TABLE(rows) {(rows), sizeof(rows) / sizeof((rows)[0])}

const vs_param_row *vs_param_find(const vs_param_table *t, int id);
/* In [min, max] (NaN is not) and whole if the row says so. */
int vs_param_ok(const vs_param_row *row, double value);
void vs_param_set_defaults(const vs_param_table *t, void *obj);
vs_status vs_param_bounds(const vs_param_table *t, int id, double *min, double *max, double *dflt);
vs_status vs_param_set(const vs_param_table *t, void *obj, int id, double value);
vs_status vs_param_get(const vs_param_table *t, const void *obj, int id, double *value);

#endif
