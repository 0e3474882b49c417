/* atrial.h (private) — atrial-activity coherence for the AF decision of vs_monitor.
 *
 * For each beat whose QRS matched the dominant template, the PR-interval waveform
 * (R - 250 ms .. R - 90 ms, in VS_ATRIAL_BINS bins of the classifier's high-passed signal ring)
 * is folded into a running average. Organised P waves are time-locked to the QRS and add up
 * coherently; fibrillatory waves are not and cancel. coherence = peak-to-peak of the running
 * average / running mean of the per-beat peak-to-peak: about 0.7-0.9 with P waves, about 0.3 in
 * AF (measured on MIT-BIH reference beats while designing it).
 *
 * The same PR window's spread (peak-to-peak of pairs of bins) feeds an upper-quartile tracker
 * over dominant beats (p_level). It served a junctional-escape rule ("late dominant beat without
 * a P wave is 'j'") whose settings had been chosen on DS2 record 222; re-derived on DS1 only
 * (late 1.05-1.3 x the slow mean RR, P absent below 0.2-0.45 x the usual spread), no setting beat
 * the rule switched off (DS1 S F1 73.2 off, 73.0 at best on), so it was removed (issue 15).
 * p_level is still tracked and saved so that format-3 blobs keep their meaning; the next state
 * format may drop it (4 bytes).
 *
 * Size of the atrial waves: a running mean (over about VS_ATRIAL_WAVE_BEATS dominant beats) of the
 * PR-window spread over the R amplitude, each beat's ratio capped at 1 so that an artefact does not
 * swamp it. Fibrillatory waves are usually small beside the QRS; at VS_ATRIAL_LARGE_WAVES or more
 * the monitor reports the coherence as 1 (organised atrial activity) to vs_rhythm, which uses it
 * only as a refinement: it ends AF once the RR intervals are no longer clearly irregular, and
 * never vetoes clearly irregular RR (issue 15: coarse f waves beside a small QRS exceed the
 * threshold). The 0.2 was first chosen on all 48 MIT-BIH records; re-derived on DS1 only: the
 * largest running wave size over the AF beats of DS1 (201, 203) is 0.187 (p99 0.177), measured
 * with a temporary probe in vs_atrial_update. */
#ifndef VITALSTREAM_SRC_MONITOR_ATRIAL_H
#define VITALSTREAM_SRC_MONITOR_ATRIAL_H

#include <stdint.h>
#include "vitalstream/classify.h"
#include "state/blob.h"

#define VS_ATRIAL_BINS 16
#define VS_ATRIAL_MIN_BEATS 8  /* coherence is unknown (NaN) before this many beats */
#define VS_ATRIAL_P_MIN_BEATS 32 /* atrial wave size is judged only after this many beats */
#define VS_ATRIAL_P_STEP 0.01f   /* level tracker: relative step down per beat (3x up) */
#define VS_ATRIAL_WAVE_BEATS 32  /* time constant (beats) of the atrial wave size */
#define VS_ATRIAL_LARGE_WAVES 0.2f /* atrial wave size (PR spread / R amplitude): organised above */

typedef struct vs_atrial {
    float avg[VS_ATRIAL_BINS]; /* running average PR waveform, microvolts */
    float mean_pp;             /* running mean of the per-beat peak-to-peak */
    uint32_t count;            /* beats folded in (saturates) */
    float p_level;             /* usual PR-window spread (upper quartile), microvolts; 0: none */
    uint32_t p_count;          /* beats the tracker has seen (saturates) */
    float pend_spread;         /* PR spread of the beat awaiting classification; < 0: unknown */
    int64_t pend_r;            /* that beat's R sample index; -1: none */
    float wave_size;           /* running mean of PR spread / R amplitude (capped at 1 per beat) */
} vs_atrial;

void vs_atrial_clear(vs_atrial *a);
/* Call right after vs_classifier_push_beat: folds in the beat the classifier just measured when
 * it looked dominant (vs_classifier_pending, its PR window from vs_classifier_signal). Returns the
 * current coherence (NaN while unknown). */
double vs_atrial_update(vs_atrial *a, const vs_classifier *c);
double vs_atrial_coherence(const vs_atrial *a);
/* 1 when the atrial waves are too large for fibrillation (see above). */
int vs_atrial_large_waves(const vs_atrial *a);
void vs_atrial_state_write(const vs_atrial *a, vs_blob_writer *w);
/* version: the blob's format version (before 3 the P-wave fields were not saved). */
void vs_atrial_state_read(vs_atrial *a, vs_blob_reader *r, unsigned version);

#endif
