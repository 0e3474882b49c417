/* monitor.h — vs_monitor: the whole real-time pipeline in one object.
 *
 *   samples ─┬─> QRS detector ──> beat classifier (AAMI N/S/V/F/Q) ──> rhythm + alarms
 *            ├─> beat classifier's morphology ring          │
 *            └─> signal quality ─────────(gates beats)───────┴──> rolling HRV window
 *
 * One call feeds n samples and returns plain vs_event structs: classified beats, rhythm episode
 * onsets, alarms (pause, couplet, VT, brady/tachycardia, ...) and signal-quality changes.
 * The monitor owns its children (vs_qrs, vs_classifier, vs_quality, vs_rhythm, vs_hrv_window);
 * reset, destroy and state save/load pass down to all of them, and the whole pipeline is saved in
 * ONE portable blob (module VS_MODULE_MONITOR; see state.h) so that a stateless worker can resume
 * a patient's stream anywhere: save -> destroy -> create -> load between chunks of any size gives
 * exactly the events of an uninterrupted run.
 *
 * Signal quality gates the rest: beats decided while the signal is unreadable are not reported
 * (the segment is reported as a VS_EVENT_QUALITY event instead), and beats decided while it is
 * noisy carry VS_BEAT_NOISY and never start AF or VT episodes.
 *
 * Alarms (VS_EVENT_ALARM, code: vs_rhythm_type) are physiological (codes < VS_RHYTHM_TECH_FIRST:
 * pause, asystole, couplet, VT) or technical (codes >= VS_RHYTHM_TECH_FIRST, flag
 * VS_ALARM_TECHNICAL: VS_RHYTHM_TECH_SIGNAL_LOST "signal lost / leads off"), as IEC 60601-1-8
 * and 60601-2-27 separate them. Pause and asystole are also time-driven: raised the moment
 * readable signal has had no detected beat for VS_RHYTHM_PAUSE_S / VS_RHYTHM_ASYSTOLE_S (rhythm
 * parameters, 2.5 s / 4 s), with end_idx -1 (the condition goes on until the next beat, which
 * raises it again only if worse); the technical alarm VS_RHYTHM_SIGNAL_LOST_S (10 s) after the
 * quality level became unreadable (lead off = exact constant, flat, railed, missing) without a
 * beat in readable signal since (an artefact burst with short readable gaps is one episode), and
 * a VS_EVENT_ALARM_END with the same code once the signal has been readable for
 * VS_RHYTHM_PAUSE_S and shows a beat, or for VS_RHYTHM_ASYSTOLE_S. Unreadable signal
 * stops the pause/asystole timer; it restarts when the signal is readable again. A deadline that
 * falls while the input stands still (identical or missing samples for the quality module's
 * SATURATION_MS) waits for that to end, so a lead-off is reported as such, not as a pause.
 * Every decision is taken at a sample index of the stream (decided_idx), never at the caller's
 * chunk boundaries: events stay chunk-invariant. */
#ifndef VITALSTREAM_MONITOR_H
#define VITALSTREAM_MONITOR_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "qrs.h"
#include "classify.h"
#include "quality.h"
#include "rhythm.h"
#include "hrv.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vs_event_type {
    VS_EVENT_BEAT = 1,    /* code: vs_aami_class; sample_idx: R position; value: RR ms */
    VS_EVENT_RHYTHM = 2,  /* code: vs_rhythm_type; sample_idx: episode onset; end_idx: offset */
    VS_EVENT_ALARM = 3,   /* code: vs_rhythm_type of the alarm; sample_idx..end_idx */
    VS_EVENT_QUALITY = 4, /* code: vs_quality_level from sample_idx on; flags: reasons */
    VS_EVENT_ALARM_END = 5 /* an alarm raised open (end_idx -1) is over: code as raised,
                              sample_idx its onset, end_idx its last sample (technical alarms) */
} vs_event_type;

/* vs_event.flags of VS_EVENT_ALARM / VS_EVENT_ALARM_END */
#define VS_ALARM_TECHNICAL 0x1u /* a technical alarm (equipment/signal), not a physiological one */

typedef struct vs_event {
    int64_t sample_idx;   /* beat R position, or onset of the episode/alarm/quality level */
    int64_t end_idx;      /* offset of an episode or alarm (-1 while open); beats: sample_idx */
    int64_t decided_idx;  /* input sample index at which the event became final */
    uint32_t type;        /* vs_event_type */
    uint32_t code;        /* see vs_event_type */
    uint32_t wfdb_code;   /* annotation code to write (VS_ANN_*: beat label, RHYTHM, NOISE);
                             beats: the classifier's N/A/V/F/Q, or VS_ANN_NESC ('j') for a
                             junctional escape beat (class S: late, no P wave, outside AF) */
    uint32_t subtype;     /* WFDB subtype (NOISE: 0 clean, 1 noisy, 0x30 unreadable) */
    uint32_t flags;       /* beats: VS_BEAT_*; quality: reason bits; alarms: VS_ALARM_* */
    uint32_t severity;    /* rhythm/alarm severity (rhythm.h); 0 for beats */
    float value;          /* beats: RR ms; rhythm/alarm: heart rate bpm, beat count or ms
                             (pause/asystole: time without a beat; signal lost: its duration) */
    float amplitude_mv;   /* beats: R amplitude */
} vs_event;

VS_API size_t vs_event_struct_size(void); /* sizeof(vs_event) == 56, for bindings */

typedef struct vs_monitor vs_monitor;

/* Two ways to allocate, as for every other object (STYLE.md):
 *  - vs_monitor_create / vs_monitor_destroy: one malloc'd block (create is init_static on it).
 *  - caller memory, like ZSTD_initStaticCCtx: vs_monitor_workspace_size(fs_hz) bytes (about
 *    100 KiB: 0 for fs outside [VS_FS_MIN_HZ, VS_FS_MAX_HZ]) aligned to 8 bytes (malloc, cffi's
 *    ffi.new and the wasm heap all are), given to vs_monitor_init_static. The monitor, its
 *    children (QRS detector, classifier, quality, rhythm, HRV window), its block scratch and the
 *    scratch copy of vs_monitor_state_load are all carved from that one block: the library never
 *    calls malloc for such a monitor, and nothing is to be freed (vs_monitor_destroy is a no-op
 *    on it; the caller releases the block when done). Errors: VS_E_NULL_ARG (out or mem NULL),
 *    VS_E_FS_OUT_OF_RANGE, VS_E_INVALID_ARG (mem not aligned to 8 bytes), VS_E_NO_MEMORY
 *    (mem_size below vs_monitor_workspace_size); *out is NULL on error. The block must stay in
 *    place while the monitor is used (it is not relocatable: use the state blob to move a
 *    monitor). Both kinds produce the same events and state blobs byte for byte. */
VS_API size_t vs_monitor_workspace_size(double fs_hz);
VS_API vs_status vs_monitor_init_static(vs_monitor **out, void *mem, size_t mem_size,
                                        double fs_hz);
VS_API vs_status vs_monitor_create(vs_monitor **out, double fs_hz);
VS_API void vs_monitor_destroy(vs_monitor *m); /* NULL ok; no-op for init_static monitors */
VS_API void vs_monitor_reset(vs_monitor *m);   /* forget the signal, keep every parameter */

VS_API double vs_monitor_fs_hz(const vs_monitor *m);
VS_API int64_t vs_monitor_samples_seen(const vs_monitor *m);

/* The children, for their own set_param/get_param (owned by the monitor: do not destroy). */
VS_API vs_qrs *vs_monitor_qrs(vs_monitor *m);
VS_API vs_classifier *vs_monitor_classifier(vs_monitor *m);
VS_API vs_quality *vs_monitor_quality(vs_monitor *m);
VS_API vs_rhythm *vs_monitor_rhythm(vs_monitor *m);
VS_API vs_hrv_window *vs_monitor_hrv_window(vs_monitor *m);

/* Most events one call with n samples can emit (and vs_monitor_finish: n = 0). */
VS_API size_t vs_monitor_max_events(const vs_monitor *m, size_t n);

/* Feeds n samples (mV; NaN/Inf = missing); writes up to capacity events in the order they became
 * final. capacity < vs_monitor_max_events(m, n) is VS_E_BUFFER_TOO_SMALL before any input is
 * consumed. */
VS_API vs_status vs_monitor_process(vs_monitor *m, const float *x, size_t n, vs_event *events,
                                    size_t capacity, size_t *n_events);

/* End of stream: reports the beat still waiting for its successor and closes open episodes.
 * The monitor can go on afterwards only after vs_monitor_reset. */
VS_API vs_status vs_monitor_finish(vs_monitor *m, vs_event *events, size_t capacity,
                                   size_t *n_events);

/* HRV over the rolling window (normal beats of good quality only; default last 300 s). */
VS_API vs_status vs_monitor_hrv(const vs_monitor *m, const vs_hrv_options *opt,
                                vs_hrv_result *out);

/* Portable state of the whole pipeline (module VS_MODULE_MONITOR). */
VS_API size_t vs_monitor_state_size(const vs_monitor *m);
VS_API size_t vs_monitor_state_size_max(double fs_hz); /* worst case over any stream */
VS_API vs_status vs_monitor_state_save(const vs_monitor *m, uint8_t *buf, size_t capacity,
                                       size_t *written);
VS_API vs_status vs_monitor_state_load(vs_monitor *m, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_MONITOR_H */
