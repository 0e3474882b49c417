/* atrial.h (private) — atrial-activity coherence for the AF decision of vs_monitor.
 *
 * For each beat whose QRS matched the dominant template, the PR-interval waveform
 * (R - 250 ms .. R - 90 ms, in VS_ATRIAL_BINS bins of the classifier's high-passed signal ring)
 * is folded into a running average. Organised P waves are time-locked to the QRS and add up
 * coherently; fibrillatory waves are not and cancel. coherence = peak-to-peak of the running
 * average / running mean of the per-beat peak-to-peak: about 0.7-0.9 with P waves, about 0.3 in
 * AF (measured on MIT-BIH reference beats while designing it). */
#ifndef VITALSTREAM_SRC_MONITOR_ATRIAL_H
#define VITALSTREAM_SRC_MONITOR_ATRIAL_H

#include <stdint.h>
#include "classify/classify_impl.h"
#include "state/blob.h"

#define VS_ATRIAL_BINS 16
#define VS_ATRIAL_MIN_BEATS 8  /* coherence is unknown (NaN) before this many beats */

typedef struct vs_atrial {
    float avg[VS_ATRIAL_BINS]; /* running average PR waveform, microvolts */
    float mean_pp;             /* running mean of the per-beat peak-to-peak */
    uint32_t count;            /* beats folded in (saturates) */
} vs_atrial;

void vs_atrial_clear(vs_atrial *a);
/* Call right after vs_classifier_push_beat: folds in the beat the classifier just measured when
 * it looked dominant. Returns the current coherence (NaN while unknown). */
double vs_atrial_update(vs_atrial *a, const struct vs_classifier *c);
double vs_atrial_coherence(const vs_atrial *a);
void vs_atrial_state_write(const vs_atrial *a, vs_blob_writer *w);
void vs_atrial_state_read(vs_atrial *a, vs_blob_reader *r);

#endif
