/* rhythm.h — rhythm and anomaly detection from beats, and time-driven alarms.
 *
 * Input: one call per beat, in time order, with the beat's sample index, its AAMI class
 * (0 N, 1 S, 2 V, 3 F, 4 Q) and its signal quality (0 good, 1 noisy, 2 unreadable). Beats may
 * arrive late (a classifier needs the next RR); nothing depends on wall-clock time, so the
 * output depends only on the beat sequence and the vs_rhythm_advance calls (chunk-independent
 * when those are, see "Time" below), and state save -> destroy ->
 * create -> load between any two beats gives exactly the events of an uninterrupted run.
 *
 * Output: vs_rhythm_event records. Rhythm episodes (sinus, AF, VT, bigeminy, trigeminy,
 * bradycardia, tachycardia) partition the stream: exactly one rhythm is current at a time; a
 * change emits VS_RHYTHM_KIND_EPISODE_END for the old one (onset..offset) and
 * VS_RHYTHM_KIND_EPISODE_START for the new one (onset, offset -1). An onset may be back-dated
 * to the beat where the evidence began (never before the previous rhythm's onset).
 * Alarms (VS_RHYTHM_KIND_ALARM) are single events: pause, asystole, couplet, and a critical
 * alarm when a VT episode starts. These are physiological alarms (IEC 60601-1-8): codes 16-31.
 * Technical alarms (equipment or signal conditions, not the patient) have codes 32 and up: so
 * far VS_RHYTHM_TECH_SIGNAL_LOST, which also ends (VS_RHYTHM_KIND_ALARM_END) so a UI can clear it.
 *
 * Time: beats alone cannot tell that the heart has stopped. vs_rhythm_advance tells the detector
 * how far the input has got (a sample index, never wall-clock time) and whether the signal is
 * readable; every decision is a function of these sample indices, so the output stays
 * chunk-independent when the caller advances at points that do not depend on its chunking
 * (vs_monitor advances at every deadline vs_rhythm_next_deadline gives and at every change of
 * signal quality).
 *
 * Detectors (all thresholds are parameters, see vs_rhythm_param):
 *   bradycardia / tachycardia: mean rate of the last 8 clean intervals between non-V beats
 *     below / above the limit, back-dated 8 beats, left with 5 bpm hysteresis;
 *   pause / asystole: an RR interval >= PAUSE_S (warning) / ASYSTOLE_S (critical), reported
 *     at the beat that ends it; not when either beat is unreadable, and after a stretch of
 *     unreadable signal only the readable part of the interval counts. Also time-driven, through
 *     vs_rhythm_advance: the moment readable signal has had no beat for PAUSE_S, then for
 *     ASYSTOLE_S, the alarm is raised there and then (offset -1: the condition goes on), and the
 *     beat that ends that interval does not raise it again (only a worse one);
 *   signal lost / leads off (technical alarm, vs_rhythm_advance): SIGNAL_LOST_S after the signal
 *     became unreadable, unless it showed a beat in readable signal meanwhile (short readable
 *     gaps in an artefact burst do not restart the clock); VS_RHYTHM_KIND_ALARM_END once the
 *     readable signal shows two beats, or has been readable for ASYSTOLE_S;
 *   atrial fibrillation: RR irregularity after removing ectopy. Intervals touching a beat
 *     classed V, F or Q, or a beat of quality > 0, give no vote. S labels are treated like N
 *     (in AF every conducted beat can look premature to a classifier); instead, premature
 *     intervals (shorter than PREMATURE_RATIO x the median of the last 9 intervals) give no
 *     vote and neither does the interval after one (the compensatory pause), so that ectopy
 *     with an N label does not look irregular; likewise intervals longer than LONG_RATIO x
 *     median (pauses, blocked beats, missed detections). Each remaining pair of consecutive
 *     intervals votes irregular when |dRR| > AF_DRR_RATIO x median. AF starts only from RR
 *     that is clearly irregular: over the newest 24 intervals (those touching V beats or longer
 *     than LONG_RATIO x median left out), the coefficient of sample entropy (COSEn, Lake &
 *     Moorman 2011) is high and no pattern links intervals 1-6 beats apart (Ljung-Box test at
 *     1 %: respiratory sinus arrhythmia, bigeminy, rate trends), and the irregular votes reach
 *     AF_ON_FRACTION of the last AF_WINDOW votes (32: about 40-90 beats) or of the newest 16
 *     (so AF is found from the first beats of a recording), or, where the votes are too thin
 *     (a paroxysm of about 30 s: AF has many short intervals, each withholding three votes),
 *     |dRR| > AF_DRR_RATIO x median in AF_ON_FRACTION of at least 12 pairs of consecutive
 *     intervals between clean N beats (ectopy left out by the beat labels, not by prematurity)
 *     while the atrial activity is measured and not organised (coherence <= AF_END_ATRIAL). AF
 *     ends when the fraction falls to AF_OFF_FRACTION and RR is no longer clearly irregular.
 *     AF must also not look like alternation:
 *     it starts only while the lag-1 autocorrelation of the last 24 intervals (pauses left out)
 *     is >= AF_MIN_RR_CORR. Onset and end are back-dated to the change point of the vote window
 *     (the split that best separates irregular from regular votes), to the first beat when
 *     every vote since then is as irregular. Atrial activity only refines: it never vetoes
 *     clearly irregular RR; it ends AF (coherence > AF_END_ATRIAL) once RR is no longer
 *     clearly irregular;
 *   ventricular tachycardia: >= VT_MIN_BEATS consecutive V beats with mean rate >= VT_RATE_BPM;
 *   couplet: exactly 2 consecutive V beats (alarm when the run ends);
 *   bigeminy / trigeminy: BIGEMINY_CYCLES cycles of N V / N N V.
 * Noisy or unreadable beats never produce AF or VT: they give no AF vote and break V runs.
 *
 * Tachycardia is labelled "(SVTA" (supraventricular tachyarrhythmia), the only MIT-BIH rhythm
 * code for a narrow-complex rapid rhythm; the detector uses rate only and cannot tell sinus
 * tachycardia from SVT. "(ST" is avoided because it is the prefix of ST-segment episode
 * annotations ("(ST0", "(ST1") read by epicmp. */
#ifndef VITALSTREAM_RHYTHM_H
#define VITALSTREAM_RHYTHM_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vs_rhythm_type {
    VS_RHYTHM_UNKNOWN = 0,      /* before enough beats (no aux string) */
    VS_RHYTHM_SINUS = 1,        /* "(N" */
    VS_RHYTHM_AFIB = 2,         /* "(AFIB" */
    VS_RHYTHM_VT = 3,           /* "(VT" */
    VS_RHYTHM_BIGEMINY = 4,     /* "(B" */
    VS_RHYTHM_TRIGEMINY = 5,    /* "(T" */
    VS_RHYTHM_BRADY = 6,        /* "(SBR" */
    VS_RHYTHM_TACHY = 7,        /* "(SVTA" */
    /* alarm types */
    VS_RHYTHM_ALARM_PAUSE = 16,     /* value: RR in ms */
    VS_RHYTHM_ALARM_ASYSTOLE = 17,  /* value: RR in ms */
    VS_RHYTHM_ALARM_COUPLET = 18,   /* value: 2 */
    VS_RHYTHM_ALARM_VT = 19,        /* value: beats in the run when called (>= VT_MIN_BEATS) */
    /* technical alarm types (>= VS_RHYTHM_TECH_FIRST) */
    VS_RHYTHM_TECH_SIGNAL_LOST = 32 /* "signal lost / leads off": the signal unreadable (lead off,
                                       flat, railed, missing) for SIGNAL_LOST_S; onset: start of
                                       the unreadable stretch; value: its length so far, ms */
} vs_rhythm_type;

/* Alarm codes >= this are technical alarms, below it physiological ones. */
#define VS_RHYTHM_TECH_FIRST 32

typedef enum vs_rhythm_kind {
    VS_RHYTHM_KIND_EPISODE_START = 1,
    VS_RHYTHM_KIND_EPISODE_END = 2,
    VS_RHYTHM_KIND_ALARM = 3,
    VS_RHYTHM_KIND_ALARM_END = 4   /* an alarm condition that was raised open (offset -1) is over:
                                      onset as raised, offset its last sample (technical alarms) */
} vs_rhythm_kind;

typedef enum vs_rhythm_severity {
    VS_RHYTHM_INFO = 0, VS_RHYTHM_WARNING = 1, VS_RHYTHM_CRITICAL = 2
} vs_rhythm_severity;

/* 40 bytes, no padding (vs_rhythm_event_struct_size). */
typedef struct vs_rhythm_event {
    int64_t onset_idx;   /* first sample of the episode / alarm interval */
    int64_t offset_idx;  /* last sample (end of episode), -1 while an episode is open */
    int64_t emitted_idx; /* sample index of the beat whose arrival produced the event, or the
                            now_idx of the vs_rhythm_advance call that decided it */
    int32_t kind;        /* vs_rhythm_kind */
    int32_t type;        /* vs_rhythm_type */
    int32_t severity;    /* vs_rhythm_severity */
    float value;         /* episode: mean heart rate (bpm) over the decision; alarm: see type */
} vs_rhythm_event;

VS_API size_t vs_rhythm_event_struct_size(void);

typedef enum vs_rhythm_param {
    VS_RHYTHM_BRADY_BPM = 1,        /* 50 [20, 80] */
    VS_RHYTHM_TACHY_BPM = 2,        /* 120 [90, 250] */
    VS_RHYTHM_PAUSE_S = 3,          /* 2.5 [1.5, 10] s without a beat: pause (warning) */
    VS_RHYTHM_ASYSTOLE_S = 4,       /* 4.0 [2, 20] s without a beat: asystole (critical); must be
                                       >= PAUSE_S to matter */
    VS_RHYTHM_AF_ON_FRACTION = 5,   /* 0.5 [0.1, 1] */
    VS_RHYTHM_AF_OFF_FRACTION = 6,  /* 0.15 [0, 1], kept below AF_ON_FRACTION */
    VS_RHYTHM_AF_DRR_RATIO = 7,     /* 0.12 [0.02, 0.5] */
    VS_RHYTHM_PREMATURE_RATIO = 8,  /* 0.8 [0.5, 1] */
    VS_RHYTHM_AF_WINDOW = 9,        /* 32 [8, 32] votes */
    VS_RHYTHM_VT_RATE_BPM = 10,     /* 100 [60, 250] */
    VS_RHYTHM_VT_MIN_BEATS = 11,    /* 3 [3, 20] */
    VS_RHYTHM_BIGEMINY_CYCLES = 12, /* 4 [2, 8] cycles of N V (or N N V for trigeminy) */
    VS_RHYTHM_LONG_RATIO = 13,      /* 2.0 [1.2, 3] x median: longer intervals (pauses, missed
                                       beats) give no AF vote, nor does the one after */
    VS_RHYTHM_AF_MIN_RR_CORR = 14,  /* -0.2 [-1, 1]: AF starts only if the lag-1
                                       autocorrelation of the last 24 RR is at least this */
    VS_RHYTHM_AF_MAX_ATRIAL = 15,   /* 1 [0, 1]: no effect since AF needs clearly irregular RR to
                                       start, which atrial activity never vetoes (issue 15); kept
                                       so that parameter ids and state blobs stay valid */
    VS_RHYTHM_AF_END_ATRIAL = 16,   /* 0.75 [0, 1]: AF ends when the atrial coherence rises
                                       above this (P waves are back) while RR is not clearly
                                       irregular; 1 = off */
    VS_RHYTHM_VT_REALARM_S = 17,    /* 30 [0, 3600]: a VT run starting less than this long after
                                       the last VT alarm is reported as a (VT episode but raises
                                       no new alarm (one alarm, not a burst, for ventricular
                                       flutter or runs of VT seconds apart); 0 = every run */
    VS_RHYTHM_SIGNAL_LOST_S = 18    /* 10 [1, 600]: unreadable signal this long raises the
                                       technical alarm VS_RHYTHM_TECH_SIGNAL_LOST */
} vs_rhythm_param;

typedef struct vs_rhythm vs_rhythm;

VS_API size_t vs_rhythm_workspace_size(void);
/* fs_hz in [VS_FS_MIN_HZ, VS_FS_MAX_HZ]; sample indices are in samples at that rate. */
VS_API vs_status vs_rhythm_create(vs_rhythm **out, double fs_hz);
VS_API vs_status vs_rhythm_init_static(vs_rhythm **out, void *mem, size_t mem_size,
                                       double fs_hz);
VS_API void vs_rhythm_destroy(vs_rhythm *r); /* NULL ok; no-op for init_static objects */
VS_API void vs_rhythm_reset(vs_rhythm *r);   /* forget the beats, keep parameters */

VS_API vs_status vs_rhythm_set_param(vs_rhythm *r, vs_rhythm_param p, double value);
VS_API vs_status vs_rhythm_get_param(const vs_rhythm *r, vs_rhythm_param p, double *value);
VS_API vs_status vs_rhythm_param_bounds(vs_rhythm_param p, double *min, double *max,
                                        double *dflt);

/* Most events one vs_rhythm_push_beat (or vs_rhythm_finish) call can emit: the constant, for
 * buffers sized at compile time, and the same number from the library that runs. */
#define VS_RHYTHM_MAX_EVENTS_PER_BEAT 6
VS_API size_t vs_rhythm_max_events_per_beat(void);

/* One beat. sample_idx must be >= 0 and greater than the previous beat's (else
 * VS_E_INVALID_ARG, nothing changed); aami_class 0..4, quality 0..2. cap below
 * vs_rhythm_max_events_per_beat() is VS_E_BUFFER_TOO_SMALL before anything changes. */
VS_API vs_status vs_rhythm_push_beat(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                     int quality, vs_rhythm_event *out, size_t cap,
                                     size_t *n_out);
/* Same, with the atrial coherence of the signal at this beat, in [0, 1] (NaN = unknown, as in
 * vs_rhythm_push_beat): the peak-to-peak of the running average of the PR-interval waveform of
 * normal-looking beats over the running mean of their own peak-to-peak. Organised P waves add
 * up coherently (about 0.7-0.9); fibrillatory waves cancel (about 0.3). vs_monitor measures it
 * (and passes 1 while the atrial waves are large for fibrillation). It only refines the RR
 * decision: it ends AF once RR is no longer clearly irregular, and never vetoes clearly
 * irregular RR. */
VS_API vs_status vs_rhythm_push_beat_atrial(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                            int quality, double atrial_coherence,
                                            vs_rhythm_event *out, size_t cap, size_t *n_out);
/* Shape evidence of a beat (vs_rhythm_push_beat_shaped): ventricular runs repeat one QRS shape,
 * detections and distorted beats in noise do not; and an interval between two beats of
 * different origin (a paced and a conducted beat, a fusion) is no AF evidence, since the
 * fiducial points of the two shapes are not comparable. vs_monitor gives it from the
 * classifier's flags and its own beat-to-beat QRS match (for beats not classed V, NEW only when
 * the two QRS are unrelated or opposite, correlation below 0, or alike only 40-150 ms apart:
 * the detector's fiducial point moved to another deflection of the complex). */
#define VS_RHYTHM_SHAPE_ODD 0x1u   /* its shape repeats nowhere: counts in no run (as class Q) */
#define VS_RHYTHM_SHAPE_USUAL 0x2u /* the dominant beats' shape (its timing made it V, as after a
                                      false detection): it does not complete a VT run */
#define VS_RHYTHM_SHAPE_NEW 0x4u   /* its QRS is unlike the previous beat's: a V beat starts a new
                                      ventricular run before VT (couplets still count it); for any
                                      class, the interval to the previous beat casts no AF vote */
/* vs_rhythm_push_beat_atrial with shape evidence (VS_RHYTHM_SHAPE_* bits, 0 = none; other bits
 * are VS_E_INVALID_ARG); ODD and USUAL matter only for beats classed V, NEW also for AF votes.
 * Inside a running VT only an odd shape breaks the run. */
VS_API vs_status vs_rhythm_push_beat_shaped(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                            int quality, double atrial_coherence, uint32_t shape,
                                            vs_rhythm_event *out, size_t cap, size_t *n_out);
/* Time-driven alarms: the input has reached sample now_idx.
 *   last_beat_idx   R position of the newest beat detected so far, also one not yet pushed
 *                   (vs_monitor's classifier holds a beat until the next one arrives); -1 or
 *                   anything older than the last pushed beat means the last pushed beat.
 *   signal_lost     0: the signal is readable, 1: it is not (lead off, flat, railed, missing).
 *   signal_since    first sample of the current readable (or unreadable) stretch; 0 at the start.
 * While readable, "no beat since" counts from max(last beat, signal_since): reaching PAUSE_S
 * raises VS_RHYTHM_ALARM_PAUSE, reaching ASYSTOLE_S VS_RHYTHM_ALARM_ASYSTOLE (onset: that
 * start, offset -1, value: the time without a beat in ms; each once per silence, only the higher
 * one if both are due at once). An episode without usable signal starts at the first unreadable
 * sample and ends when two beats with R >= signal_since are known (one pushed, a newer one
 * given as last_beat_idx), or it has been readable for ASYSTOLE_S; SIGNAL_LOST_S into it: VS_RHYTHM_TECH_SIGNAL_LOST (onset: the
 * episode's start, once), and at its end VS_RHYTHM_KIND_ALARM_END. The beat that
 * ends an interval in which time raised pause or asystole (pushed later) raises only what is
 * worse (asystole for a 4.2 s interval whose pause time raised, if the beat came before the
 * asystole deadline was checked) — never the same alarm twice (the last two silences are
 * remembered, enough for one beat held back).
 * now_idx must be >= 0 and >= the last beat pushed; signal_since <= now_idx (else
 * VS_E_INVALID_ARG, nothing changed). cap as for vs_rhythm_push_beat. */
VS_API vs_status vs_rhythm_advance(vs_rhythm *r, int64_t now_idx, int64_t last_beat_idx,
                                   int signal_lost, int64_t signal_since, vs_rhythm_event *out,
                                   size_t cap, size_t *n_out);
/* The first sample index at which vs_rhythm_advance with these arguments would raise something
 * (>= the returned value, nothing earlier); INT64_MAX when nothing is pending. Ending the
 * technical alarm is not a deadline: it happens at the call that reports the signal readable. */
VS_API int64_t vs_rhythm_next_deadline(const vs_rhythm *r, int64_t last_beat_idx,
                                       int signal_lost, int64_t signal_since);
/* End of stream at end_idx (>= last beat): closes the open episode (EPISODE_END with offset
 * end_idx) and reports a pending couplet. The object then behaves as after reset. */
VS_API vs_status vs_rhythm_finish(vs_rhythm *r, int64_t end_idx, vs_rhythm_event *out,
                                  size_t cap, size_t *n_out);

/* Current rhythm (vs_rhythm_type), its onset (-1 when none) and the beats seen. */
VS_API vs_status vs_rhythm_current(const vs_rhythm *r, int *type, int64_t *onset_idx);
VS_API int64_t vs_rhythm_beats_seen(const vs_rhythm *r);
/* R position of the last beat pushed (-1: none yet, or NULL). */
VS_API int64_t vs_rhythm_last_beat(const vs_rhythm *r);
/* The readable or unreadable stretch of the last vs_rhythm_advance call: 1 while the signal is
 * lost, 0 while readable (and for NULL); *since (if not NULL) = its first sample (0 at the
 * start). A caller that tracks signal quality passes these back unchanged until it changes. */
VS_API int vs_rhythm_signal_stretch(const vs_rhythm *r, int64_t *since);
VS_API double vs_rhythm_fs_hz(const vs_rhythm *r);

/* MIT-BIH aux text of a rhythm type ("(N", "(AFIB", "(VT", "(B", "(T", "(SBR", "(SVTA");
 * "" for other values. Static, never NULL. */
VS_API const char *vs_rhythm_aux_string(int type);
/* Short English name of any vs_rhythm_type ("sinus", "pause", ...); "unknown" otherwise. */
VS_API const char *vs_rhythm_type_name(int type);

/* Portable state (format in state.h; module VS_MODULE_RHYTHM). At most 500 bytes. */
VS_API size_t vs_rhythm_state_size(const vs_rhythm *r);
VS_API vs_status vs_rhythm_state_save(const vs_rhythm *r, uint8_t *buf, size_t capacity,
                                      size_t *written);
VS_API vs_status vs_rhythm_state_load(vs_rhythm *r, const uint8_t *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_RHYTHM_H */
