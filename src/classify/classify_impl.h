/* classify_impl.h (private) — object layout of vs_classifier, the model interface shared with
 * tools/train_classifier, and the state payload write/read for nesting in vs_monitor. */
#ifndef VITALSTREAM_SRC_CLASSIFY_IMPL_H
#define VITALSTREAM_SRC_CLASSIFY_IMPL_H

#include <stdint.h>
#include "vitalstream/classify.h"
#include "../state/blob.h"

/* Signal ring: 1.35 s of high-passed ECG in int16 microvolts (INT16_MIN = missing). */
#define VS_CLS_RING_S 1.35
#define VS_CLS_RING_MAX 1351              /* at 1000 Hz */
/* Template window R - 83 ms .. R + 111 ms. */
#define VS_CLS_TMPL_MAX 196
#define VS_CLS_MISSING INT16_MIN /* = VS_CLASSIFY_SIGNAL_MISSING */
#define VS_CLS_RR_HIST 16
#define VS_CLS_LOCAL_HIST 8
/* Classes the model scores (Q is never predicted from features). */
#define VS_CLS_NCLASS 4
/* Model inputs (vs_classify_model_inputs). */
#define VS_CLS_NINPUT 19

struct vs_classifier {
    /* --- fixed by create --- */
    double fs_hz;
    uint32_t owns_memory;
    uint32_t ring_len, t_pre, t_post, t_len; /* samples */
    int32_t w_pre, w_post;        /* measurement window around R: 250 ms before, 160 ms after */
    int32_t shift_max;            /* template alignment search, +- samples */
    int32_t sub;                  /* alignment steps per sample (1 at >= 360 Hz; see classify.c) */
    double hp_a;                  /* first-order high-pass coefficient (0.5 Hz) */

    /* --- parameters --- */
    double s_bias, v_bias;

    /* --- signal --- */
    int64_t n;                    /* samples pushed */
    uint32_t primed;              /* high-pass started from the first finite sample */
    float hp_x, hp_y;             /* previous input and output of the high-pass */
    int16_t ring[VS_CLS_RING_MAX];/* sample i lives at ring[i % ring_len] */

    /* --- templates: [0] dominant beat, [1] candidate for the dominant role --- */
    int16_t tmpl[2][VS_CLS_TMPL_MAX];
    uint32_t has_tmpl[2];
    float hits[2];                /* decaying count of beats that matched each template */
    float tmpl_prem[2];           /* running pre-RR / local RR of the beats matching each */
    /* running values of dominant beats */
    float dom_width, dom_pp, dom_energy, dom_p, dom_pol;
    uint32_t has_dom;

    /* --- RR context --- */
    int64_t last_r;               /* previous beat's R (-1: none) */
    float rr_hist[VS_CLS_RR_HIST];
    uint32_t rr_count, rr_pos;
    float local_hist[VS_CLS_LOCAL_HIST];
    uint32_t local_count, local_pos;
    float long_rr;                /* ms, 0 = none yet */
    float dom_rr_hist[VS_CLS_RR_HIST]; /* RR intervals ending in beats matching template 0 */
    uint32_t dom_rr_count, dom_rr_pos;
    float dom_corr;               /* running template correlation of dominant beats */

    /* --- the beat waiting for its post-RR (vs_classifier_pending shows it) --- */
    uint32_t has_pending;
    vs_beat pend_beat;
    vs_beat_features pend_f;
    /* Offset (samples) that lines the pending beat up with the dominant template. Transient:
     * valid right after vs_classifier_push_beat (vs_monitor reads it there), not saved: 0 after
     * reset or state load. */
    int32_t pend_shift;
};

/* The trained model (classify_model.c, written by tools/train_classifier): gradient-boosted
 * trees, VS_CLS_NTREE rounds x VS_CLS_NCLASS classes, each a complete binary tree of depth
 * VS_CLS_DEPTH (node i has children 2i+1, 2i+2; go left when z[feat] <= thr). Class score =
 * base + sum of the leaves reached; softmax gives the posterior. */
#define VS_CLS_NTREE 20
#define VS_CLS_DEPTH 3
#define VS_CLS_NODES 7   /* 2^DEPTH - 1 */
#define VS_CLS_LEAVES 8  /* 2^DEPTH */
extern const uint8_t vs_classify_tree_feat[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_NODES];
extern const float vs_classify_tree_thr[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_NODES];
extern const float vs_classify_tree_leaf[VS_CLS_NTREE][VS_CLS_NCLASS][VS_CLS_LEAVES];
extern const double vs_classify_model_base[VS_CLS_NCLASS];

/* Model inputs from a feature vector (the exact transform used at run time and in training). */
void vs_classify_model_inputs(const vs_beat_features *f, double z[VS_CLS_NINPUT]);
/* Leaf index (0..VS_CLS_LEAVES-1) a tree sends z to. */
int vs_classify_tree_leaf_index(const uint8_t *feat, const float *thr, const double *z);
/* Class scores for inputs z; returns the best class (after the S/V biases) and its posterior
 * (softmax) in *confidence. */
int vs_classify_model_decide(const double z[VS_CLS_NINPUT], double s_bias, double v_bias,
                             float *confidence);

/* Private bit of pend_beat.flags (saved with it, cleared before the beat is output or shown). */
#define VS_CLS_BEAT_MATCHED 0x40000000u

void vs_classifier_clear(struct vs_classifier *c);

void vs_classifier_state_write(const struct vs_classifier *c, vs_blob_writer *w);
void vs_classifier_state_read(struct vs_classifier *t, vs_blob_reader *r);

#endif
