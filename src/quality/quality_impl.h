/* quality_impl.h (private) — layout of vs_quality, shared by quality.c (life cycle, parameters,
 * per-sample logic) and quality_state.c (portable state), and the payload write/read a composite
 * (vs_monitor) uses to nest this object's state in its own blob. */
#ifndef VITALSTREAM_SRC_QUALITY_IMPL_H
#define VITALSTREAM_SRC_QUALITY_IMPL_H

#include <stdint.h>
#include "vitalstream/quality.h"
#include "../filter/filter_impl.h"

/* Summary of one segment that the next decision still needs (features use two segments). */
typedef struct vs_quality_seg {
    double e_hf;      /* sum of squared high-pass output */
    double e_qrs;     /* sum of squared QRS band-pass output */
    float qrs_peak;   /* largest |QRS band-pass output| */
    float lp_min, lp_max; /* extremes of the low-passed (baseline) signal */
} vs_quality_seg;

/* What every sample updates about the raw input: extremes and runs of the current segment, and
 * runs of missing samples. */
typedef struct vs_quality_track {
    uint32_t n_finite;
    float x_min, x_max;      /* finite samples; valid when n_finite > 0 */
    float prev_x;            /* last finite sample (valid when run > 0) */
    uint32_t run;            /* consecutive identical finite samples ending at prev_x */
    uint32_t hi_best, lo_best; /* longest identical run sitting on x_max / x_min */
    uint32_t missing_run;    /* consecutive non-finite samples (may span segments) */
    uint32_t max_missing;    /* longest missing run touching the current segment */
} vs_quality_track;

struct vs_quality {
    /* --- fixed by create --- */
    double fs_hz;
    uint32_t owns_memory;
    /* --- parameters (saved) and what is derived from them (recomputed, not saved) --- */
    double segment_ms, hold_segments, flat_range_mv, saturation_ms, missing_ms, hf_ratio,
        baseline_ratio;
    uint32_t seg_len, sat_len, missing_len, hold_n;

    /* --- signal state --- */
    int64_t n;               /* samples consumed */
    uint32_t primed;         /* filters set to the first finite sample's steady state */
    struct vs_iir hp, bp, lp; /* > ~40 Hz, 5-15 Hz, < 0.7 Hz */
    /* current segment */
    uint32_t seg_count;      /* samples in it so far (its first sample is n - seg_count) */
    vs_quality_track trk;     /* the input's extremes and runs (see vs_quality_track) */
    vs_quality_seg cur, prev;
    uint32_t has_prev;
    /* --- level and hysteresis --- */
    uint32_t level;          /* vs_quality_level in force */
    uint32_t streak_n;       /* consecutive segments differing from level in one direction */
    int32_t streak_dir;      /* +1 worse, -1 better */
    uint32_t streak_level;   /* the level among them closest to `level` */
    int64_t streak_onset;    /* first sample of the first of them */
    uint32_t streak_reasons;
    float streak_score;
};

/* Recomputes the sample counts derived from the parameters. */
void vs_quality_derive(struct vs_quality *q);
/* Clears signal, segment and level state (parameters kept). */
void vs_quality_clear(struct vs_quality *q);

/* Payload only (no blob header). read fills t, a scratch copy of the live object; the caller
 * commits it only when vs_blob_close reports VS_OK. */
void vs_quality_state_write(const struct vs_quality *q, vs_blob_writer *w);
void vs_quality_state_read(struct vs_quality *t, vs_blob_reader *r);

#endif
