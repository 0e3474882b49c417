/* monitor_memory.c — where a vs_monitor lives: one block holding the monitor, its children and
 * all its scratch (the way ZSTD_initStaticCCtx carves a compression context), and the object's
 * life cycle (create/init_static, destroy, reset, accessors). monitor.c is the pipeline that
 * runs in it.
 *
 * Block layout, every part at an offset that is a multiple of MON_ALIGN from the start:
 *   struct vs_monitor (with its block scratch: beats and quality changes of one block)
 *   vs_qrs | vs_classifier | vs_quality | vs_rhythm | vs_hrv_window (each its own workspace size)
 *   the scratch copy of the children for vs_monitor_state_load
 * The children are made with their own init_static, so they are exactly what their create
 * would make; vs_monitor_create is vs_monitor_init_static on one malloc'd block. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_impl.h"
#include "common/units.h"

/* The caller's block must be aligned for double, the strictest need of any part. */
#define MON_MEM_ALIGN 8u
#define MON_ALIGN 16u

typedef struct mon_layout {
    size_t qrs, cls, qual, rhy, hrv, scratch, total; /* offsets of the parts, and the size */
} mon_layout;

static size_t round_up(size_t x) { return (x + MON_ALIGN - 1) / MON_ALIGN * MON_ALIGN; }

/* 0 when fs_hz is out of range (every child's workspace size is then 0). */
static int plan(double fs_hz, mon_layout *l)
{
    if (!vs_fs_in_range(fs_hz)) return 0;
    const size_t part[5] = {vs_qrs_workspace_size(fs_hz), vs_classifier_workspace_size(fs_hz),
                            vs_quality_workspace_size(fs_hz), vs_rhythm_workspace_size(),
                            vs_hrv_window_workspace_size(fs_hz)};
    size_t *const at[5] = {&l->qrs, &l->cls, &l->qual, &l->rhy, &l->hrv};
    size_t off = round_up(sizeof(struct vs_monitor));
    for (int i = 0; i < 5; i++) {
        if (part[i] == 0) return 0;
        *at[i] = off;
        off += round_up(part[i]);
    }
    l->scratch = off;
    l->total = off + round_up(vs_monitor_load_scratch_size());
    return 1;
}

VS_API size_t vs_monitor_workspace_size(double fs_hz)
{
    mon_layout l;
    return plan(fs_hz, &l) ? l.total : 0;
}

VS_API vs_status vs_monitor_init_static(vs_monitor **out, void *mem, size_t mem_size,
                                        double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    if (!mem) return VS_E_NULL_ARG;
    mon_layout l;
    if (!plan(fs_hz, &l)) return VS_E_FS_OUT_OF_RANGE;
    if ((uintptr_t)mem % MON_MEM_ALIGN != 0) return VS_E_INVALID_ARG;
    if (mem_size < l.total) return VS_E_NO_MEMORY;
    char *base = mem;
    struct vs_monitor *m = mem;
    memset(m, 0, sizeof *m);
    m->fs_hz = fs_hz;
    vs_status st = vs_qrs_init_static(&m->qrs, base + l.qrs, l.cls - l.qrs, fs_hz);
    if (st == VS_OK) st = vs_classifier_init_static(&m->cls, base + l.cls, l.qual - l.cls, fs_hz);
    if (st == VS_OK) st = vs_quality_init_static(&m->qual, base + l.qual, l.rhy - l.qual, fs_hz);
    if (st == VS_OK) st = vs_rhythm_init_static(&m->rhy, base + l.rhy, l.hrv - l.rhy, fs_hz);
    if (st == VS_OK)
        st = vs_hrv_window_init_static(&m->hrv, base + l.hrv, l.scratch - l.hrv, fs_hz);
    if (st != VS_OK) return st;
    m->load_scratch = base + l.scratch;
    *out = m;
    return VS_OK;
}

VS_API vs_status vs_monitor_create(vs_monitor **out, double fs_hz)
{
    if (!out) return VS_E_NULL_ARG;
    *out = NULL;
    size_t size = vs_monitor_workspace_size(fs_hz);
    if (size == 0) return VS_E_FS_OUT_OF_RANGE;
    void *mem = malloc(size);
    if (!mem) return VS_E_NO_MEMORY;
    vs_status st = vs_monitor_init_static(out, mem, size, fs_hz);
    if (st != VS_OK) {
        free(mem);
        return st;
    }
    (*out)->owns_memory = 1;
    return VS_OK;
}

/* The children live in the monitor's block: nothing of theirs to free. */
VS_API void vs_monitor_destroy(vs_monitor *m)
{
    if (m && m->owns_memory) free(m);
}

VS_API void vs_monitor_reset(vs_monitor *m)
{
    if (!m) return;
    vs_qrs_reset(m->qrs);
    vs_classifier_reset(m->cls);
    vs_quality_reset(m->qual);
    vs_rhythm_reset(m->rhy);
    vs_hrv_window_reset(m->hrv);
    vs_atrial_clear(&m->atrial);
    m->pend_shape = 0; /* unknown (run_shape.h) */
    m->n = 0;
    m->finished = 0;
}

size_t vs_monitor_block_len(const struct vs_monitor *m)
{
    size_t len = VS_MONITOR_BLOCK;
    while (len > 1 && (vs_qrs_max_events(m->qrs, len) > VS_MONITOR_BEAT_CAP ||
                       vs_quality_max_events(m->qual, len) > VS_MONITOR_QUALITY_CAP))
        len /= 2;
    return len;
}

VS_API double vs_monitor_fs_hz(const vs_monitor *m) { return m ? m->fs_hz : 0.0; }
VS_API int64_t vs_monitor_samples_seen(const vs_monitor *m) { return m ? m->n : 0; }
VS_API vs_qrs *vs_monitor_qrs(vs_monitor *m) { return m ? m->qrs : NULL; }
VS_API vs_classifier *vs_monitor_classifier(vs_monitor *m) { return m ? m->cls : NULL; }
VS_API vs_quality *vs_monitor_quality(vs_monitor *m) { return m ? m->qual : NULL; }
VS_API vs_rhythm *vs_monitor_rhythm(vs_monitor *m) { return m ? m->rhy : NULL; }
VS_API vs_hrv_window *vs_monitor_hrv_window(vs_monitor *m) { return m ? m->hrv : NULL; }
