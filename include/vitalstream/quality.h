/* quality.h — streaming signal quality of one ECG lead: good / noisy / unreadable.
 *
 * The input is cut into consecutive segments of VS_QUALITY_SEGMENT_MS (default 1 s). At the end
 * of every segment its raw level is judged from running accumulators (no sample buffers):
 *   unreadable  FLAT       range of the finite samples in the segment below FLAT_RANGE_MV
 *                          (lead off, disconnected amplifier)
 *               SATURATED  the signal stuck at one value that is the segment's extreme (railed
 *                          ADC, clipping) for at least SATURATION_MS without a break
 *               MISSING    a run of non-finite samples (NaN, +-Inf) of at least MISSING_MS
 *                          touches the segment, or the segment has no finite sample
 *   noisy       HF_NOISE   power above ~40 Hz (muscle artefact, mains pick-up) exceeds HF_RATIO
 *                          times the power in the QRS band (5-15 Hz), over the last two segments
 *               BASELINE   peak-to-peak excursion of the signal below 0.7 Hz over the last two
 *                          segments exceeds BASELINE_RATIO times the QRS-band peak amplitude
 *   good        otherwise.
 * Defaults were chosen on MIT-BIH channel 0 (bench/results/mitdb_quality.md): about 0.5 % of
 * the time not annotated noisy is flagged, unreadable almost never. Features that would call
 * ventricular flutter/fibrillation "noise" (low kurtosis, no QRS-like spikes) are deliberately
 * not used: noisy suppresses exactly the rhythm alarms such episodes need.
 * The level in force changes only after HOLD_SEGMENTS consecutive segments all differ from it in
 * the same direction (all worse or all better); it then moves to the level among them closest to
 * the current one, so it never flickers on a single segment. Each change is reported as one
 * event whose sample_idx is the first sample of the first of those segments (the onset of the
 * new level, in the past) and whose decided_idx is the sample at which it was decided.
 *
 * Input in millivolts (FLAT_RANGE_MV is absolute; the other features are ratios and work at
 * any gain). Causal, constant work per sample, no sample buffers (state blob 294 bytes). The
 * same events whatever the chunking, also with state_save -> destroy -> create -> state_load
 * between chunks. The level at the start is good. */
#ifndef VITALSTREAM_QUALITY_H
#define VITALSTREAM_QUALITY_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vs_quality_level {
    VS_QUALITY_GOOD = 0,       /* beats and rhythm calls are trustworthy */
    VS_QUALITY_NOISY = 1,      /* beats usable; rhythm calls (AF, VT, ...) should be suppressed */
    VS_QUALITY_UNREADABLE = 2  /* no beat or rhythm call should be made */
} vs_quality_level;

/* Reason bits of an event (why the raw level of the deciding segments was not good). */
#define VS_QUALITY_FLAT 0x1u
#define VS_QUALITY_SATURATED 0x2u
#define VS_QUALITY_HF_NOISE 0x4u
#define VS_QUALITY_BASELINE 0x8u
#define VS_QUALITY_MISSING 0x10u

/* One change of level. 32 bytes, no padding (vs_quality_event_struct_size). */
typedef struct vs_quality_event {
    int64_t sample_idx;   /* onset: first sample of the new level */
    int64_t decided_idx;  /* input sample at whose end the change was decided (>= sample_idx) */
    int32_t level;        /* vs_quality_level now in force */
    uint32_t reasons;     /* VS_QUALITY_* bits seen in the deciding segments (0 for good) */
    float score;          /* largest feature / threshold ratio of the deciding segments (>= 1
                           * means a threshold was crossed) */
    uint32_t reserved;    /* 0 */
} vs_quality_event;

VS_API size_t vs_quality_event_struct_size(void); /* 32 */

typedef struct vs_quality vs_quality;

/* Tunables (vs_quality_set_param). Bounds and defaults from vs_quality_param_bounds. */
typedef enum vs_quality_param {
    VS_QUALITY_SEGMENT_MS = 1,      /* segment length [250, 10000] ms, default 1000 */
    VS_QUALITY_HOLD_SEGMENTS = 2,   /* segments needed to change level [1, 10], default 2
                                     * (rounded to the nearest integer) */
    VS_QUALITY_FLAT_RANGE_MV = 3,   /* flat below this range [0, 1] mV, default 0.02 */
    VS_QUALITY_SATURATION_MS = 4,   /* stuck at an extreme this long [20, 5000] ms, default 300 */
    VS_QUALITY_MISSING_MS = 5,      /* missing run this long [1, 10000] ms, default 300 */
    VS_QUALITY_HF_RATIO = 6,        /* HF / QRS-band power [0.01, 100], default 0.3 */
    VS_QUALITY_BASELINE_RATIO = 7   /* baseline p-p / QRS amplitude [0.1, 100], default 1.5 */
} vs_quality_param;

VS_API size_t vs_quality_workspace_size(double fs_hz);
VS_API vs_status vs_quality_create(vs_quality **out, double fs_hz);
VS_API vs_status vs_quality_init_static(vs_quality **out, void *mem, size_t mem_size,
                                        double fs_hz);
VS_API void vs_quality_destroy(vs_quality *q); /* NULL ok; no-op for init_static objects */
VS_API void vs_quality_reset(vs_quality *q);   /* forget the signal (level good), keep params */

/* Parameters may be changed at any time; they apply from the next sample (a shorter segment
 * length ends the current segment at the next sample). */
VS_API vs_status vs_quality_set_param(vs_quality *q, vs_quality_param p, double value);
VS_API vs_status vs_quality_get_param(const vs_quality *q, vs_quality_param p, double *value);
VS_API vs_status vs_quality_param_bounds(vs_quality_param p, double *min, double *max,
                                         double *dflt);

VS_API double vs_quality_fs_hz(const vs_quality *q);
VS_API int64_t vs_quality_samples_seen(const vs_quality *q);

/* Level in force after the last processed sample (VS_QUALITY_GOOD for NULL). */
VS_API vs_quality_level vs_quality_current(const vs_quality *q);
/* How long the input has stood still at the last processed sample: the current run of missing
 * (non-finite) samples, else of identical finite ones (a lead-off or railed input grows it by one
 * per sample); 0 for NULL. */
VS_API int64_t vs_quality_still_samples(const vs_quality *q);
/* Samples still to come before the analysis segment under way closes (>= 1): the level cannot
 * change earlier, so a caller may feed up to this many samples without missing a change; 0 for
 * NULL. */
VS_API size_t vs_quality_segment_remaining(const vs_quality *q);

/* Most events one call with n samples can emit: n / (samples in the shortest allowed segment,
 * 250 ms) + 1, so it does not depend on the parameters. */
VS_API size_t vs_quality_max_events(const vs_quality *q, size_t n);

/* Feeds n samples; writes the level changes into out. capacity < vs_quality_max_events(q, n)
 * is VS_E_BUFFER_TOO_SMALL before any input is consumed. */
VS_API vs_status vs_quality_process(vs_quality *q, const float *x, size_t n,
                                    vs_quality_event *out, size_t capacity, size_t *n_out);

/* Portable state (format in state.h; module VS_MODULE_QUALITY). */
VS_API size_t vs_quality_state_size(const vs_quality *q);
VS_API vs_status vs_quality_state_save(const vs_quality *q, uint8_t *buf, size_t capacity,
                                       size_t *written);
VS_API vs_status vs_quality_state_load(vs_quality *q, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_QUALITY_H */
