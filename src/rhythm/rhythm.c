/* rhythm.c — life cycle, parameters and names of vs_rhythm (per-beat logic in
 * rhythm_detect.c, portable state in rhythm_state.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rhythm_impl.h"
#include "../common/param_table.h"
#include "../common/units.h"

_Static_assert(sizeof(vs_rhythm_event) == 40, "vs_rhythm_event layout is part of the ABI");

/* The fields are r->param[id - 1] (rhythm_detect.c and the state blob index them so). */
#define ROW(id, lo, hi, dflt, integer) \
    {(id), (lo), (hi), (dflt), offsetof(struct vs_rhythm, param) + ((id) - 1) * sizeof(double), \
     (integer)}
static const vs_param_row k_params[] = {
    /* BRADY_BPM: common monitor default, below the 60 bpm of SBR */
    ROW(VS_RHYTHM_BRADY_BPM, 20.0, 80.0, 50.0, 0),
    ROW(VS_RHYTHM_TACHY_BPM, 90.0, 250.0, 120.0, 0),
    ROW(VS_RHYTHM_PAUSE_S, 1.5, 10.0, 2.5, 0),
    ROW(VS_RHYTHM_ASYSTOLE_S, 2.0, 20.0, 4.0, 0),
    ROW(VS_RHYTHM_AF_ON_FRACTION, 0.1, 1.0, 0.5, 0),
    ROW(VS_RHYTHM_AF_OFF_FRACTION, 0.0, 1.0, 0.15, 0),
    ROW(VS_RHYTHM_AF_DRR_RATIO, 0.02, 0.5, 0.12, 0),
    /* PREMATURE_RATIO: tuned on MIT-BIH DS1 (AF duration, best min(DSe, D+P) over 0.7-0.85);
     * at 0.85 a quarter of AF intervals counted as premature and gave no vote */
    ROW(VS_RHYTHM_PREMATURE_RATIO, 0.5, 1.0, 0.8, 0),
    ROW(VS_RHYTHM_AF_WINDOW, 8.0, 32.0, 32.0, 1),  /* votes */
    ROW(VS_RHYTHM_VT_RATE_BPM, 60.0, 250.0, 100.0, 0),
    ROW(VS_RHYTHM_VT_MIN_BEATS, 3.0, 20.0, 3.0, 1),
    ROW(VS_RHYTHM_BIGEMINY_CYCLES, 2.0, 8.0, 4.0, 1),
    ROW(VS_RHYTHM_LONG_RATIO, 1.2, 3.0, 2.0, 0),
    ROW(VS_RHYTHM_AF_MIN_RR_CORR, -1.0, 1.0, -0.2, 0),
    /* AF_MAX_ATRIAL: no effect any more (rhythm.h), kept for ids and blobs */
    ROW(VS_RHYTHM_AF_MAX_ATRIAL, 0.0, 1.0, 1.0, 0),
    ROW(VS_RHYTHM_AF_END_ATRIAL, 0.0, 1.0, 0.75, 0), /* clearly organised P waves end AF */
    ROW(VS_RHYTHM_VT_REALARM_S, 0.0, 3600.0, 30.0, 0),
    /* SIGNAL_LOST_S: long enough that a cable being moved is not an alarm, short enough that a
     * lead off is noticed while nothing else can be monitored */
    ROW(VS_RHYTHM_SIGNAL_LOST_S, 1.0, 600.0, 10.0, 0),
};
#undef ROW
_Static_assert(sizeof k_params / sizeof k_params[0] == VS_RHY_N_PARAMS, "one row per parameter");
static const vs_param_table k_table = VS_PARAM_TABLE(k_params);

int vs_rhythm_param_ok(vs_rhythm_param p, double v)
{
    const vs_param_row *row = vs_param_find(&k_table, p);
    return row && vs_param_ok(row, v);
}

VS_API size_t vs_rhythm_event_struct_size(void) { return sizeof(vs_rhythm_event); }
VS_API size_t vs_rhythm_max_events_per_beat(void) { return VS_RHY_MAX_EVENTS; }

VS_API size_t vs_rhythm_workspace_size(void) { return sizeof(struct vs_rhythm); }

void vs_rhythm_clear(struct vs_rhythm *r)
{
    double fs = r->fs_hz;
    uint32_t owns = r->owns_memory;
    double param[VS_RHY_N_PARAMS];
    memcpy(param, r->param, sizeof param);
    memset(r, 0, sizeof *r);
    r->fs_hz = fs;
    r->owns_memory = owns;
    memcpy(r->param, param, sizeof param);
    r->first_idx = r->prev_idx = -1;
    r->prem_hist = 3;
    r->last_vote_idx = r->last_irregular_idx = -1;
    r->af_onset = r->af_end = -1;
    r->run_start = -1;
    r->big_onset = r->trig_onset = r->rate_onset = -1;
    r->cur_onset = -1;
    r->last_vt_alarm_idx = -1;
    for (int i = 0; i < VS_RHY_SILENCES; i++) r->silence[i] = -1;
    r->lost_from = -1;
}

VS_API vs_status vs_rhythm_init_static(vs_rhythm **out, void *mem, size_t mem_size, double fs_hz)
{
    if (!out || !mem) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    if (mem_size < sizeof(struct vs_rhythm)) return VS_E_NO_MEMORY;
    struct vs_rhythm *r = (struct vs_rhythm *)mem;
    memset(r, 0, sizeof *r);
    r->fs_hz = fs_hz;
    vs_param_set_defaults(&k_table, r);
    vs_rhythm_clear(r);
    *out = r;
    return VS_OK;
}

VS_API vs_status vs_rhythm_create(vs_rhythm **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    if (!vs_fs_in_range(fs_hz)) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(sizeof(struct vs_rhythm));
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_rhythm_init_static(out, mem, sizeof(struct vs_rhythm), fs_hz);
    if (st != VS_OK) {
        free(mem);
        *out = NULL;
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

VS_API void vs_rhythm_destroy(vs_rhythm *r)
{
    if (r && r->owns_memory) free(r);
}

VS_API void vs_rhythm_reset(vs_rhythm *r)
{
    if (r) vs_rhythm_clear(r);
}

VS_API vs_status vs_rhythm_param_bounds(vs_rhythm_param p, double *min, double *max,
                                        double *dflt)
{
    return vs_param_bounds(&k_table, p, min, max, dflt);
}

VS_API vs_status vs_rhythm_set_param(vs_rhythm *r, vs_rhythm_param p, double value)
{
    return vs_param_set(&k_table, r, p, value);
}

VS_API vs_status vs_rhythm_get_param(const vs_rhythm *r, vs_rhythm_param p, double *value)
{
    return vs_param_get(&k_table, r, p, value);
}

VS_API vs_status vs_rhythm_current(const vs_rhythm *r, int *type, int64_t *onset_idx)
{
    if (!r) return VS_E_NULL_ARG;
    if (type) *type = r->cur_type;
    if (onset_idx) *onset_idx = r->cur_type ? r->cur_onset : -1;
    return VS_OK;
}

VS_API int64_t vs_rhythm_beats_seen(const vs_rhythm *r) { return r ? r->n_beats : 0; }
VS_API int64_t vs_rhythm_last_beat(const vs_rhythm *r) { return r ? r->prev_idx : -1; }

VS_API int vs_rhythm_signal_stretch(const vs_rhythm *r, int64_t *since)
{
    if (since) *since = r ? r->signal_since : 0;
    return r && (r->timer_flags & VS_RHY_LOST) ? 1 : 0;
}
VS_API double vs_rhythm_fs_hz(const vs_rhythm *r) { return r ? r->fs_hz : 0.0; }

VS_API const char *vs_rhythm_aux_string(int type)
{
    switch (type) {
    case VS_RHYTHM_SINUS: return "(N";
    case VS_RHYTHM_AFIB: return "(AFIB";
    case VS_RHYTHM_VT: return "(VT";
    case VS_RHYTHM_BIGEMINY: return "(B";
    case VS_RHYTHM_TRIGEMINY: return "(T";
    case VS_RHYTHM_BRADY: return "(SBR";
    case VS_RHYTHM_TACHY: return "(SVTA";
    default: return "";
    }
}

VS_API const char *vs_rhythm_type_name(int type)
{
    switch (type) {
    case VS_RHYTHM_SINUS: return "sinus";
    case VS_RHYTHM_AFIB: return "atrial fibrillation";
    case VS_RHYTHM_VT: return "ventricular tachycardia";
    case VS_RHYTHM_BIGEMINY: return "ventricular bigeminy";
    case VS_RHYTHM_TRIGEMINY: return "ventricular trigeminy";
    case VS_RHYTHM_BRADY: return "bradycardia";
    case VS_RHYTHM_TACHY: return "tachycardia";
    case VS_RHYTHM_ALARM_PAUSE: return "pause";
    case VS_RHYTHM_ALARM_ASYSTOLE: return "asystole";
    case VS_RHYTHM_ALARM_COUPLET: return "couplet";
    case VS_RHYTHM_ALARM_VT: return "VT alarm";
    case VS_RHYTHM_TECH_SIGNAL_LOST: return "signal lost / leads off";
    default: return "unknown";
    }
}
