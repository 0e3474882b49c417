/* qrs.h — streaming QRS detector.
 *
 * Causal, one pass, constant work per sample. Input is one ECG lead in millivolts (thresholds
 * adapt to the gain; only the artefact bounds are absolute: band-passed values above 10 mV are
 * artefacts, inputs beyond +-10 V are clamped), at a fixed fs in [100, 1000] Hz. Non-finite
 * samples are treated as missing.
 * Artefacts never deafen it for good: missing input (>= 250 ms), an exact constant (>= 1.5 s,
 * lead off) and impulsive values (band-pass beyond 8x the typical QRS or 10 mV) freeze its
 * learning until 0.5 s after them, then it learns its levels again; 2 s of readable signal
 * without a beat make it re-learn too, unless its levels already see the QRS or the signal holds
 * none (pause, asystole). The first beat after an artefact carries VS_BEAT_AFTER_GAP. A beat is reported once its decision is final; the reported sample_idx is the R
 * position on the ECG waveform itself (largest deflection of the QRS), which lines up with
 * reference annotations. Decision latency: at most vs_qrs_max_latency_samples() after the R
 * position (search-back included). The same input gives the same beats whatever the chunking,
 * including with state_save -> destroy -> create -> state_load between chunks. */
#ifndef VITALSTREAM_QRS_H
#define VITALSTREAM_QRS_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Beat flags */
#define VS_BEAT_SEARCHBACK 0x1u  /* found by search-back with the lowered threshold */
#define VS_BEAT_AFTER_GAP 0x2u   /* first beat after missing/flat/impulsive input (its rr_ms
                                    spans the gap and is not an RR interval) */
#define VS_BEAT_NOISY 0x4u       /* set by vs_monitor: decided while the signal was noisy */
#define VS_BEAT_UNREADABLE 0x8u  /* set by vs_monitor: decided while the signal was unreadable */

typedef struct vs_beat {
    int64_t sample_idx;   /* R position, 0-based index into the stream */
    int64_t decided_idx;  /* index of the input sample at which the beat was emitted */
    float amplitude_mv;   /* signed R deflection relative to the local baseline (input units) */
    float rr_ms;          /* interval to the previous beat, 0 for the first beat */
    uint32_t flags;       /* VS_BEAT_* */
    uint32_t reserved;    /* 0 */
} vs_beat;

VS_API size_t vs_beat_struct_size(void); /* sizeof(vs_beat) == 32, for bindings */

typedef struct vs_qrs vs_qrs;

/* Tunables (vs_qrs_set_param). Bounds from vs_qrs_param_bounds. */
typedef enum vs_qrs_param {
    VS_QRS_REFRACTORY_MS = 1,     /* no second beat within this time (default 200) */
    VS_QRS_SEARCHBACK_RR = 2,     /* search back after this many mean RR (default 1.66) */
    VS_QRS_TWAVE_WINDOW_MS = 3,   /* T-wave check for candidates this soon after a beat (360) */
    VS_QRS_MIN_AMPLITUDE_MV = 4   /* ignore deflections below this (default 0.05) */
} vs_qrs_param;

VS_API size_t vs_qrs_workspace_size(double fs_hz);
VS_API vs_status vs_qrs_create(vs_qrs **out, double fs_hz);
VS_API vs_status vs_qrs_init_static(vs_qrs **out, void *mem, size_t mem_size, double fs_hz);
VS_API void vs_qrs_destroy(vs_qrs *q); /* NULL ok; no-op for init_static objects */
VS_API void vs_qrs_reset(vs_qrs *q);   /* forget the signal, keep parameters */

VS_API vs_status vs_qrs_set_param(vs_qrs *q, vs_qrs_param p, double value);
VS_API vs_status vs_qrs_get_param(const vs_qrs *q, vs_qrs_param p, double *value);
VS_API vs_status vs_qrs_param_bounds(vs_qrs_param p, double *min, double *max, double *dflt);

VS_API double vs_qrs_fs_hz(const vs_qrs *q);
VS_API int64_t vs_qrs_samples_seen(const vs_qrs *q);
VS_API size_t vs_qrs_max_latency_samples(const vs_qrs *q);

/* Most beats one call with n samples can emit: size the beats buffer with it. */
VS_API size_t vs_qrs_max_events(const vs_qrs *q, size_t n);

/* Feeds n samples; writes up to capacity beats. capacity < vs_qrs_max_events(q, n) is
 * VS_E_BUFFER_TOO_SMALL before any input is consumed. */
VS_API vs_status vs_qrs_process(vs_qrs *q, const float *x, size_t n, vs_beat *beats,
                                size_t capacity, size_t *n_beats);

/* End of stream: decides what still waits for more signal — the last candidate (otherwise
 * reported only once its refractory period has passed, so a beat in the last few hundred ms of
 * a recording was never reported) and a learning period under way (a stream shorter than 2 s) —
 * as if the signal ended in silence. capacity >= vs_qrs_max_events(q, 0). Input fed after it
 * continues the stream with those decisions made; calling it again without new input emits
 * nothing. */
VS_API vs_status vs_qrs_finish(vs_qrs *q, vs_beat *beats, size_t capacity, size_t *n_beats);

/* Portable state (format in state.h; module VS_MODULE_QRS). */
VS_API size_t vs_qrs_state_size(const vs_qrs *q);
VS_API vs_status vs_qrs_state_save(const vs_qrs *q, uint8_t *buf, size_t capacity,
                                   size_t *written);
VS_API vs_status vs_qrs_state_load(vs_qrs *q, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_QRS_H */
