/* qrs_impl.h (private) — the detector's object layout, shared by qrs.c (life cycle, parameters),
 * qrs_detect.c (the per-sample decision logic) and qrs_state.c (portable state). */
#ifndef VITALSTREAM_SRC_QRS_IMPL_H
#define VITALSTREAM_SRC_QRS_IMPL_H

#include <stdint.h>
#include "vitalstream/qrs.h"
#include "../filter/filter_impl.h"

/* Longest moving-window integrator: 150 ms at 1000 Hz. */
#define VS_QRS_MWI_MAX 160
/* Candidates kept during the initial learning period (at most one per refractory period). */
#define VS_QRS_LEARN_MAX 9 /* MIT-BIH and the artefact tests need at most 8 per 2 s */
#define VS_QRS_RR_HISTORY 8
/* Segment maxima of |band-pass| kept for the impulsive-artefact reference (8 x 2 s). */
#define VS_QRS_AMP_HISTORY 8

/* Learning periods: blind (no levels yet: candidates wait for the levels), or in the shadow of
 * normal detection (re-learning after an artefact or a long silence). */
#define VS_QRS_LEARN_BLIND 1u
#define VS_QRS_LEARN_SHADOW 2u

/* One local maximum of the integrated energy, with what is needed to judge it later. */
typedef struct vs_qrs_candidate {
    int64_t peak_idx;   /* sample of the integrator maximum */
    int64_t r_idx;      /* R position on the ECG (delay-compensated) */
    float value;        /* integrator value at the peak */
    float slope;        /* largest |derivative| in the integrator window */
    float r_amp;        /* band-passed deflection at r_idx */
} vs_qrs_candidate;

struct vs_qrs {
    /* --- fixed by create (fs decides memory and derived constants) --- */
    double fs_hz;
    uint32_t owns_memory;
    uint32_t mwi_len;          /* samples in the integrator window */
    uint32_t bp_delay;         /* band-pass group delay + the R mark lead (qrs.c), samples */
    uint32_t learn_len;        /* samples of the learning period */
    uint32_t gap_len;          /* missing samples that make a gap: 250 ms (fixed by fs) */
    uint32_t flat_len;         /* identical samples that make a flat (lead-off, railed) run */
    uint32_t art_hold;         /* artefact lasts this long after its last evidence */
    uint32_t relearn_len;      /* no beat for this long (readable signal): learn again */
    uint32_t amp_seg_len;      /* samples per segment of the amplitude history */
    vs_biquad_coeffs bp_coeffs[VS_IIR_MAX_SECTIONS];
    uint32_t bp_sections;

    /* --- parameters (saved in the state) --- */
    double refractory_ms, searchback_rr, twave_ms, min_amplitude_mv;

    /* --- signal state --- */
    int64_t n;                 /* samples consumed */
    struct vs_iir bp;          /* QRS band-pass */
    uint32_t primed;           /* band-pass set to the first finite sample's steady state */
    float dhist[4];            /* last band-passed values for the 5-point derivative */
    float mwi_ring[VS_QRS_MWI_MAX];
    uint32_t mwi_pos;
    double mwi_sum;
    float m_prev, m_prev2;     /* integrator at n-1, n-2 */
    int32_t missing_run;       /* consecutive non-finite inputs */
    int64_t gap_end_idx;       /* first finite sample after the latest run of >= gap_len missing
                                  samples (-1: none); the next beat after it is VS_BEAT_AFTER_GAP */

    float bp_ring[VS_QRS_MWI_MAX + 2]; /* band-passed ECG over the integrator window */
    uint32_t bp_pos;

    /* --- decision state --- */
    vs_qrs_candidate pending;  /* the largest peak of the current refractory window */
    uint32_t has_pending;
    vs_qrs_candidate best_noise; /* largest rejected peak since the last beat (search-back) */
    uint32_t has_best_noise;
    float spk, npk;            /* running signal / noise peak levels */
    float last_slope;          /* slope of the last accepted QRS */
    int64_t last_r_idx;        /* last beat's R position (-1: none yet) */
    int64_t last_peak_idx;
    float rr_hist[VS_QRS_RR_HISTORY];
    uint32_t rr_count;
    float rr_mean;             /* samples */
    uint32_t learning;         /* 0, or VS_QRS_LEARN_* during a learning period */
    uint32_t n_learn;
    vs_qrs_candidate learn[VS_QRS_LEARN_MAX];

    /* --- artefact state (qrs_detect.c: "Artefacts") --- */
    int64_t learn_end_idx;     /* the current or latest learning period ends at this sample */
    int64_t art_last_idx;      /* latest sample with artefact evidence (-1: none) */
    uint32_t in_artefact;      /* 1 until art_hold samples after the latest evidence */
    uint32_t flat_run;         /* consecutive finite samples equal to flat_x */
    float flat_x;
    uint32_t seg_count;        /* samples in the current amplitude segment */
    float seg_peak;            /* largest |band-pass| in it */
    uint32_t seg_clean;        /* 1 while it holds no missing or flat input */
    uint32_t amp_count;        /* segments pushed into amp_hist (saturates) */
    uint32_t seg_rejects;      /* impulsive segments in a row (not pushed) */
    int64_t rebase_idx;        /* latest re-base of the history (-1: none) */
    float amp_hist[VS_QRS_AMP_HISTORY]; /* ring of segment maxima, slot amp_count % N */
};

/* Runs the detector over n samples; emits beats into out (capacity already checked). */
size_t vs_qrs_run(struct vs_qrs *q, const float *x, size_t n, vs_beat *out);
/* End of stream: decides an integrator maximum still rising at the last sample, the pending
 * candidate and a learning period under way (at most VS_QRS_LEARN_MAX + 2 beats); out has room
 * for vs_qrs_max_events(q, 0). */
size_t vs_qrs_flush(struct vs_qrs *q, vs_beat *out);
/* Clears all signal and decision state. */
void vs_qrs_clear(struct vs_qrs *q);
void vs_qrs_clear_artefact_state(struct vs_qrs *q);
/* Integrator input for band-pass value bp given the values 1, 3 and 4 samples before it: the
 * squared five-point derivative, scale = (float)(fs / 8). */
static inline float vs_qrs_energy(float scale, float bp, float bp1, float bp3, float bp4)
{
    float d = scale * (2.0f * bp + bp1 - bp3 - 2.0f * bp4);
    return d * d;
}
float vs_qrs_slope_energy(const struct vs_qrs *q, float bp, float bp1, float bp3, float bp4);

/* Payload fields only (no blob header), so that a composite (vs_monitor) can nest this object's
 * state in its own blob. read fills t, a scratch copy; the caller commits on vs_blob_close OK. */
void vs_qrs_state_write(const struct vs_qrs *q, vs_blob_writer *w);
void vs_qrs_state_read(struct vs_qrs *t, vs_blob_reader *r, unsigned format_version);

#endif
