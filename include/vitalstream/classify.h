/* classify.h — streaming AAMI beat classifier (N, S, V, F, Q).
 *
 * Feed it the same ECG samples (mV, NaN = missing) that go into vs_qrs, and every beat vs_qrs
 * emits, interleaved like this: push the samples up to and including beat->decided_idx, then
 * push the beat. Results then do not depend on chunking (state save/load included).
 *
 * Morphology is measured when a beat is pushed (against a running template of the patient's
 * dominant beat); the class is decided when the next beat arrives (its RR interval is a strong
 * feature), so vs_classifier_push_beat outputs the previous beat (at most one per call) and
 * vs_classifier_finish outputs the last one. The classifier keeps about 1.35 s of pre-filtered
 * signal; a beat whose window [R - 250 ms, R + 160 ms] is no longer (or not yet) in that ring,
 * or lies in missing signal, is classified from its RR features only (flag
 * VS_CLASSIFY_RR_ONLY; 0.13 % of the DS1 beats). The model is a small gradient-boosted tree
 * ensemble (20 rounds x 4 classes N S V F, depth 3; Q is never predicted) trained on the MIT-BIH
 * DS1 records only; retrain with
 *   build/tools/train_classifier --db /path/to/mitdb --out src/classify/classify_model.c
 * (tests/test_classify_train.c checks that this reproduces the committed model byte for byte).
 * Measured on DS2: bench/results/ds2_classes.md (scripts/eval_classes.sh). */
#ifndef VITALSTREAM_CLASSIFY_H
#define VITALSTREAM_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "qrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* AAMI beat classes. */
typedef enum vs_aami_class {
    VS_AAMI_N = 0, /* normal and bundle-branch-block beats, escape beats */
    VS_AAMI_S = 1, /* supraventricular ectopic beat (SVEB) */
    VS_AAMI_V = 2, /* ventricular ectopic beat (VEB) */
    VS_AAMI_F = 3, /* fusion of ventricular and normal */
    VS_AAMI_Q = 4  /* unclassifiable */
} vs_aami_class;

/* vs_beat_features.flags */
#define VS_CLASSIFY_RR_ONLY 0x1u      /* no usable signal window: morphology features neutral */
#define VS_CLASSIFY_NO_PRE_RR 0x2u    /* first beat (or after a gap): pre-RR unknown */
#define VS_CLASSIFY_NO_POST_RR 0x4u   /* last beat of the stream: post-RR unknown */
#define VS_CLASSIFY_DOMINANT 0x8u     /* the beat matched the dominant template (and updated it) */

/* vs_classified_beat.beat.flags bit (beside the VS_BEAT_* bits of qrs.h) set by the classifier:
 * the beat is classed V, but its shape repeats nowhere — it matches neither the dominant
 * template nor the previous odd beat, and the next beat does not match it — as with detections
 * and distorted beats in noise. It keeps its class; vs_monitor counts it in no VT run. */
#define VS_BEAT_ODD_SHAPE 0x10u
/* Set by the classifier too: the beat is classed V although it has the dominant beats' shape
 * (correlation with the dominant template at the matching level) — its timing made it V, as a
 * false detection just before a normal beat does. vs_monitor starts no VT run with it. */
#define VS_BEAT_USUAL_SHAPE 0x40u

/* Features of one beat, as the model sees them (before its own transforms). Ratios are 1 for a
 * beat just like the patient's recent dominant beats. Neutral values replace unknown ones. */
typedef struct vs_beat_features {
    float pre_rr_ms;      /* R(k) - R(k-1) */
    float post_rr_ms;     /* R(k+1) - R(k) */
    float local_rr_ms;    /* mean pre-RR of the last 8 dominant-looking beats */
    float long_rr_ms;     /* slow running mean of all RR intervals */
    float rr_irregularity;/* mean |successive RR difference| / mean RR over the last 16 RR */
    float dom_irregularity;/* spread of the shorter half of the last 16 RR intervals ending in
                              dominant-shaped beats, (r[3n/8] - r[n/8]) / r[n/4] sorted: low in
                              sinus rhythm even with ectopy, pauses or bigeminy, high in AF */
    float template_corr;  /* correlation with the dominant-beat template (best of small shifts) */
    float corr_deficit;   /* (1 - corr) / (1 - running corr of dominant beats): noise-adapted */
    float qrs_width_ms;   /* 10 %..90 % span of the cumulative |slope| around R */
    float width_ratio;    /* width / running width of dominant beats */
    float amp_ratio;      /* QRS peak-to-peak / running value of dominant beats */
    float energy_ratio;   /* RMS over R +- 60 ms / running value of dominant beats */
    float p_ratio;        /* spread of the PR window (R-250..R-120 ms) / running dominant value */
    float polarity;       /* (max + min) / (max - min) of the QRS relative to its baseline */
    float polarity_diff;  /* polarity - running polarity of dominant beats */
    float template_diff;  /* RMS(beat - template) / RMS(template) at the best alignment */
    uint32_t flags;       /* VS_CLASSIFY_* */
    float rr_irregularity_med; /* median |successive RR difference| / median RR over the last 16
                              RR: unlike rr_irregularity, isolated pauses barely move it */
} vs_beat_features;

typedef struct vs_classified_beat {
    vs_beat beat;         /* the beat as the QRS detector gave it */
    int32_t aami_class;   /* vs_aami_class */
    int32_t wfdb_code;    /* annotation code to write: N 1, S 8 (A), V 5, F 6, Q 13 */
    float confidence;     /* posterior probability of the chosen class under the model, 0..1 */
    float reserved_f;     /* 0 */
    vs_beat_features features;
} vs_classified_beat;

VS_API size_t vs_beat_features_struct_size(void);     /* 72 */
VS_API size_t vs_classified_beat_struct_size(void);   /* 120 */

typedef struct vs_classifier vs_classifier;

/* Tunables (vs_classifier_set_param). */
typedef enum vs_classifier_param {
    /* Added to the S score before the decision (log-odds units, default 0): > 0 finds more
     * SVEB at the cost of more false ones. */
    VS_CLASSIFY_S_BIAS = 1,
    /* The same for V. */
    VS_CLASSIFY_V_BIAS = 2
} vs_classifier_param;

VS_API size_t vs_classifier_workspace_size(double fs_hz);
VS_API vs_status vs_classifier_create(vs_classifier **out, double fs_hz);
VS_API vs_status vs_classifier_init_static(vs_classifier **out, void *mem, size_t mem_size,
                                           double fs_hz);
VS_API void vs_classifier_destroy(vs_classifier *c); /* NULL ok */
VS_API void vs_classifier_reset(vs_classifier *c);   /* forget the signal, keep parameters */

VS_API vs_status vs_classifier_set_param(vs_classifier *c, vs_classifier_param p, double value);
VS_API vs_status vs_classifier_get_param(const vs_classifier *c, vs_classifier_param p,
                                         double *value);
VS_API vs_status vs_classifier_param_bounds(vs_classifier_param p, double *min, double *max,
                                            double *dflt);

VS_API double vs_classifier_fs_hz(const vs_classifier *c);
VS_API int64_t vs_classifier_samples_seen(const vs_classifier *c);

/* Appends n samples (mV; non-finite = missing) to the classifier's signal ring. */
VS_API vs_status vs_classifier_push_samples(vs_classifier *c, const float *x, size_t n);

/* Pushes one beat (beats in increasing sample_idx order; sample_idx < samples seen). Writes the
 * previous beat's result, if any, to out (capacity >= 1 required: VS_E_BUFFER_TOO_SMALL
 * otherwise, nothing consumed). *n_out is 0 or 1. VS_E_INVALID_ARG for a beat out of order or
 * beyond the samples pushed (object unchanged). */
VS_API vs_status vs_classifier_push_beat(vs_classifier *c, const vs_beat *b,
                                         vs_classified_beat *out, size_t capacity,
                                         size_t *n_out);

/* Outputs the pending beat (post-RR unknown), if any; *n_out is 0 or 1. The stream may go on
 * afterwards (the next beat then has no output of its predecessor). */
VS_API vs_status vs_classifier_finish(vs_classifier *c, vs_classified_beat *out,
                                      size_t capacity, size_t *n_out);

/* Convenience for whole signals or blocks: appends the next n samples of the stream and pushes
 * the n_beats beats (increasing sample_idx, each with decided_idx < samples seen + n, as vs_qrs
 * gives them for these samples), interleaved exactly as described above. Writes up to n_beats
 * results (capacity >= n_beats, else VS_E_BUFFER_TOO_SMALL with nothing consumed). On
 * VS_E_INVALID_ARG (a beat out of order or not yet decided) the samples and beats before the
 * bad beat have been consumed. */
VS_API vs_status vs_classifier_process(vs_classifier *c, const float *x, size_t n,
                                       const vs_beat *beats, size_t n_beats,
                                       vs_classified_beat *out, size_t capacity, size_t *n_out);

/* ---- what the classifier holds (read-only; for stages built on it, like vs_monitor) ---- */

/* vs_classifier_signal's value for a missing (non-finite) input sample. */
#define VS_CLASSIFY_SIGNAL_MISSING (-32768)

/* Copies the classifier's conditioned signal for samples [first, first + n) to out: the input
 * through a first-order 0.5 Hz high-pass, in int16 microvolts (clipped to +-32767, rounded half
 * to even), VS_CLASSIFY_SIGNAL_MISSING where the input was missing. It is the signal the
 * templates and features are measured on. The classifier keeps the last lround(1.35 * fs_hz)
 * samples pushed (486 at 360 Hz). VS_E_INSUFFICIENT_DATA, nothing written, when any of the
 * samples is not held: first < 0, first + n > vs_classifier_samples_seen (not pushed yet), or
 * first older than the ring (samples seen - first > its length). VS_E_NULL_ARG for c NULL, or
 * out NULL with n > 0. */
VS_API vs_status vs_classifier_signal(const vs_classifier *c, int64_t first, size_t n,
                                      int16_t *out);

/* The beat the classifier holds back, waiting for the next one to give its post-RR: the one
 * pushed last, unless vs_classifier_finish has output it since. Returns 1 and writes what the
 * non-NULL pointers ask for: the beat as pushed; its features as measured when it was pushed
 * (post_rr_ms 0, flags without VS_CLASSIFY_NO_POST_RR: the post-RR is not known yet); and
 * align_samples, the offset that lines its QRS up with the dominant template (the beat's sample
 * sample_idx + align_samples matches the template's R; best correlation over +-40 ms, rounded to
 * whole samples; 0 without a template or signal window). align_samples is not part of the state:
 * it reads 0 after vs_classifier_state_load or reset until the next beat is pushed. Returns 0,
 * writing nothing, when no beat is held or c is NULL. */
VS_API int vs_classifier_pending(const vs_classifier *c, vs_beat *beat,
                                 vs_beat_features *features, int32_t *align_samples);

/* The class a beat classified as aami_class keeps while the rhythm is atrial fibrillation
 * (in_af non-zero): S becomes N, everything else stays. An SVEB is an early beat from an atrial
 * focus; in AF there is no sinus rhythm for a beat to be early against, every conducted beat
 * comes at an irregular interval, and the AAMI/MIT-BIH references label those beats N. RR-based
 * features cannot tell them from SVEBs, so without this rule a monitor reports a stream of false
 * SVEBs throughout AF. vs_monitor applies it to the beats it reports while AF is under way. */
VS_API int vs_aami_class_in_af(int aami_class, int in_af);
/* WFDB annotation code for an AAMI class (13 = Q for anything unknown). */
VS_API int vs_aami_class_wfdb_code(int aami_class);
/* "N", "S", "V", "F", "Q" ("?" otherwise). */
VS_API const char *vs_aami_class_name(int aami_class);

/* Portable state (format in state.h; module VS_MODULE_CLASSIFY). At most 1800 bytes at 360 Hz. */
VS_API size_t vs_classifier_state_size(const vs_classifier *c);
VS_API vs_status vs_classifier_state_save(const vs_classifier *c, uint8_t *buf, size_t capacity,
                                          size_t *written);
VS_API vs_status vs_classifier_state_load(vs_classifier *c, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_CLASSIFY_H */
