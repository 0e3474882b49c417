/* rhythm_impl.h (private) — layout of vs_rhythm, shared by rhythm.c (life cycle, parameters),
 * rhythm_detect.c (per-beat logic), rhythm_timer.c (time-driven alarms) and rhythm_state.c
 * (portable state). Kept small: the state blob must stay within 500 bytes (and the monitor's,
 * which nests it, within 4096 at 360 Hz). */
#ifndef VITALSTREAM_SRC_RHYTHM_IMPL_H
#define VITALSTREAM_SRC_RHYTHM_IMPL_H

#include <stdint.h>
#include "vitalstream/rhythm.h"
#include "../state/blob.h"

#define VS_RHY_N_PARAMS 18
#define VS_RHY_N_PARAMS_V2 16 /* parameters in blobs of format version <= 2 */
#define VS_RHY_N_PARAMS_V3 17 /* ... and of format version 3 */
#define VS_RHY_RR_RING 9      /* clean RR intervals: median (premature test) and rate */
#define VS_RHY_BEAT_RING 24   /* beat-to-beat deltas for back-dating onsets */
#define VS_RHY_VOTE_RING 32   /* AF votes (bits) and their spacing */
#define VS_RHY_AF_FAST_VOTES 16 /* newest votes that can start AF when RR is clearly irregular */
#define VS_RHY_AF_MIN_VOTES 8   /* fewest votes for any AF decision */
#define VS_RHY_RATE_BEATS 8   /* intervals in the brady/tachy rate */
#define VS_RHY_MAX_EVENTS VS_RHYTHM_MAX_EVENTS_PER_BEAT
#define VS_RHY_SILENCES 2     /* silences remembered for the beat that ends them (rhythm.h) */

/* timer_flags bits */
#define VS_RHY_LEVEL_MASK 0x3u /* level raised by time for silence[0]: 0, 1 pause, 2 asystole */
#define VS_RHY_LOST 0x4u       /* the signal is unreadable since signal_since */
#define VS_RHY_LOST_ALARM 0x8u /* the technical alarm is raised for the episode at lost_from */
#define VS_RHY_LEVEL1_SHIFT 4  /* bits 4-5: level raised for silence[1] */
#define VS_RHY_TIMER_BITS 0x3Fu

/* af_active: AF_OFF, AF_ON, or AF_ENDING: ended at af_end, final at the next vote unless AF
 * would start again there. */
enum { AF_OFF = 0, AF_ON = 1, AF_ENDING = 2 };

struct vs_rhythm {
    /* --- fixed by create --- */
    double fs_hz;
    uint32_t owns_memory;

    /* --- parameters, indexed by vs_rhythm_param - 1 (saved) --- */
    double param[VS_RHY_N_PARAMS];
    double atrial;           /* atrial coherence given with the current beat (NaN: unknown); transient, not state */

    /* --- beat history --- */
    int64_t n_beats;         /* beats pushed */
    int64_t first_idx;       /* first beat (-1: none) */
    int64_t prev_idx;        /* previous beat (-1: none) */
    int32_t prev_rr;         /* samples; 0 when unknown */
    uint8_t prev_class, prev_quality;
    uint8_t prev_usable;     /* previous interval was N-N and clean */
    uint8_t prem_hist;       /* bit0: previous interval premature/unknown, bit1: the one before */
    int32_t rr_ring[VS_RHY_RR_RING];
    uint32_t rr_pos, rr_count;
    uint16_t beat_delta[VS_RHY_BEAT_RING]; /* samples between consecutive beats (clamped) */
    uint32_t beat_pos, beat_count;
    uint32_t v_hist, n_hist; /* bit0 = newest beat: clean V / clean N */
    uint32_t hist_count;     /* valid bits (<= 32) */

    /* --- AF --- */
    uint32_t vote_bits;      /* bit0 = newest vote, 1 = irregular */
    uint32_t n_votes;        /* valid votes (<= 32) */
    uint16_t vote_delta[VS_RHY_VOTE_RING]; /* samples between consecutive votes (clamped) */
    uint32_t vote_pos;
    int64_t last_vote_idx, last_irregular_idx;
    uint8_t af_active;       /* see AF_ENDING */
    int64_t af_onset, af_end;

    /* --- ventricular runs --- */
    int64_t last_vt_alarm_idx; /* beat that raised the last VT alarm (-1: none) */
    uint32_t run_len;        /* consecutive clean V beats ending at the previous beat */
    int64_t run_start;
    int64_t run_rr_sum;      /* samples between the run's V beats */
    uint8_t vt_active;

    /* --- patterns and rate --- */
    uint8_t big_active, trig_active;
    int64_t big_onset, trig_onset;
    uint8_t rate_state;      /* 0 normal, 1 brady, 2 tachy */
    int64_t rate_onset;

    /* --- current rhythm --- */
    int32_t cur_type;        /* vs_rhythm_type (0: unknown yet) */
    int64_t cur_onset;

    /* --- time-driven alarms (vs_rhythm_advance) --- */
    int64_t signal_since;    /* first sample of the current readable / unreadable stretch */
    /* starts of silences that time raised an alarm for, newest first (-1: none); each is >=
     * prev_idx until the beat that ends it is pushed */
    int64_t silence[VS_RHY_SILENCES];
    uint8_t timer_flags;     /* VS_RHY_* bits above */
    int64_t lost_from;       /* start of the episode without usable signal (-1: none) */
};

void vs_rhythm_clear(struct vs_rhythm *r);
/* 1 when the newest beats (bit0 of v_hist = the previous beat) end exactly two clean V beats. */
int vs_rhythm_couplet_pending(const struct vs_rhythm *r);
/* Appends one event to out (the caller checked the capacity). */
void vs_rhythm_emit(vs_rhythm_event *out, size_t *n, int kind, int type, int severity,
                    int64_t onset, int64_t offset, int64_t emitted, double value);
/* The highest level (0 none, 1 pause, 2 asystole) time raised for silences in the interval
 * [prev_idx, sample_idx) of the beat being pushed; forgets the silences that interval ends. */
unsigned vs_rhythm_silence_consumed(struct vs_rhythm *r, int64_t sample_idx);
int vs_rhythm_param_ok(vs_rhythm_param p, double v);
/* 1 when the newest beat intervals (up to 24; those longer than long_limit samples, if > 0, and
 * those touching a ventricular beat left out) are clearly irregular from RR alone: their
 * coefficient of sample entropy is high and they follow no pattern (rhythm_af.c). With
 * check_flutter, 2 instead of 1 when they also lie near multiples of one flutter cycle
 * (variable block), which must not start AF. */
int vs_rhythm_af_rr_clear(const struct vs_rhythm *r, double long_limit, int check_flutter);

/* 1 when, among the newest beat intervals, the pairs of consecutive intervals whose three beats
 * are all clean N (ectopy left out by the classifier's labels, not by prematurity), none longer
 * than long_limit samples, number at least 12 and |dRR| > limit samples in at least fraction of
 * them (rhythm_af.c). */
int vs_rhythm_af_n_pairs_irregular(const struct vs_rhythm *r, double long_limit, double limit,
                                   double fraction);

/* Payload only (no blob header), so vs_monitor can nest it; read fills a scratch copy, the
 * caller commits when vs_blob_close says OK. */
void vs_rhythm_state_write(const struct vs_rhythm *r, vs_blob_writer *w);
void vs_rhythm_state_read(struct vs_rhythm *t, vs_blob_reader *rd, unsigned format_version);

#endif
