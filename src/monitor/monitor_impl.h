/* monitor_impl.h (private) — layout of vs_monitor. */
#ifndef VITALSTREAM_SRC_MONITOR_IMPL_H
#define VITALSTREAM_SRC_MONITOR_IMPL_H

#include "vitalstream/monitor.h"
#include "atrial.h"

/* Input is handled in blocks of at most this many samples, so that the block scratch below has a
 * fixed size (no malloc on the processing path). */
#define VS_MONITOR_BLOCK 4096
/* Block scratch capacities: with every parameter at its default, a whole VS_MONITOR_BLOCK fits
 * at any rate (the largest need is at VS_FS_MIN_HZ: 233 beats, 164 quality changes). Parameters
 * that raise the children's bounds (a shorter QRS refractory period) shorten the block instead
 * (vs_monitor_block_len); the events do not depend on the block length. */
#define VS_MONITOR_BEAT_CAP 256
#define VS_MONITOR_QUALITY_CAP 168
/* Most classified beats one classifier call can release, and rhythm events per beat. */
#define VS_MONITOR_CLS_OUT 4
#define VS_MONITOR_RHYTHM_OUT 16

struct vs_monitor {
    double fs_hz;
    int64_t n;        /* samples consumed */
    int finished;     /* vs_monitor_finish was called */
    uint32_t owns_memory; /* made by vs_monitor_create: destroy frees the block */
    /* children, carved from the same block (monitor_memory.c) */
    vs_qrs *qrs;
    vs_classifier *cls;
    vs_quality *qual;
    vs_rhythm *rhy;
    vs_hrv_window *hrv;
    vs_atrial atrial;  /* P-wave coherence for the AF decision (atrial.h) */
    uint8_t pend_shape; /* run_shape.h: match of the beat the classifier holds with its predecessor */
    void *load_scratch; /* vs_monitor_state_load's copy of the children (monitor_state.c) */
    /* block scratch (not part of the state) */
    vs_beat beats[VS_MONITOR_BEAT_CAP];
    vs_quality_event qual_events[VS_MONITOR_QUALITY_CAP];
};

/* Samples per internal block: VS_MONITOR_BLOCK, or less while the children's parameters make
 * their event bounds for a whole block exceed the scratch above (at least 1). */
size_t vs_monitor_block_len(const struct vs_monitor *m);

/* Bytes of the scratch copy vs_monitor_state_load needs (monitor_state.c), aligned for any
 * child. */
size_t vs_monitor_load_scratch_size(void);

/* Events are written in the order they become final. */
typedef struct vs_event_sink {
    vs_event *ev;
    size_t cap;
    size_t n;
    vs_status st;
} vs_event_sink;

vs_event *vs_monitor_sink_next(vs_event_sink *s);
void vs_monitor_emit_rhythm(vs_event_sink *s, const vs_rhythm_event *r, int64_t decided_idx);

/* Time-driven alarms (monitor_timer.c). The timer is evaluated at sample indices given by the
 * stream only: every deadline of vs_rhythm_next_deadline, every quality change and every beat,
 * never at the caller's chunk ends, so its events are chunk-invariant. */
/* Sample index at which the timer must next be evaluated (>= m->n: the next sample when a
 * deadline is overdue because the signal stands still; INT64_MAX: none). */
int64_t vs_monitor_timer_deadline(const struct vs_monitor *m);
/* Evaluates the timer after input sample now_idx. still_guard: a pause/asystole due while the
 * signal has stood still (identical or missing samples) for SATURATION_MS waits, since the
 * quality module needs two segments to call such a lead-off unreadable. */
void vs_monitor_timer_check(struct vs_monitor *m, int64_t now_idx, int still_guard,
                            vs_event_sink *s);
/* Samples up to and including the quality module's next possible level change (the end of its
 * current segment): feeding no further keeps a change and the timer deadlines it moves in
 * order. */
size_t vs_monitor_quality_horizon(const struct vs_monitor *m);
/* A quality level change (decided at q->decided_idx) switches the readable/unreadable stretch. */
void vs_monitor_timer_quality(struct vs_monitor *m, const vs_quality_event *q,
                              vs_event_sink *s);

#endif
