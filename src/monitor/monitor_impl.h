/* monitor_impl.h (private) — layout of vs_monitor. */
#ifndef VITALSTREAM_SRC_MONITOR_IMPL_H
#define VITALSTREAM_SRC_MONITOR_IMPL_H

#include "vitalstream/monitor.h"
#include "atrial.h"

/* Input is handled in blocks of this many samples so that scratch buffers have a fixed size. */
#define VS_MONITOR_BLOCK 4096
/* Most classified beats one classifier call can release, and rhythm events per beat. */
#define VS_MONITOR_CLS_OUT 4
#define VS_MONITOR_RHYTHM_OUT 16

struct vs_monitor {
    double fs_hz;
    int64_t n;        /* samples consumed */
    int finished;     /* vs_monitor_finish was called */
    vs_qrs *qrs;
    vs_classifier *cls;
    vs_quality *qual;
    vs_rhythm *rhy;
    vs_hrv_window *hrv;
    vs_atrial atrial;  /* P-wave coherence for the AF decision (atrial.h) */
    /* scratch, sized at create for one block (not part of the state) */
    vs_beat *beats;
    size_t beat_cap;
    vs_quality_event *qual_events;
    size_t qual_cap;
};

#endif
