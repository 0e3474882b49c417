/* hrv_impl.h (private) — HRV internals shared by hrv_core.c (NN selection and indices),
 * hrv_spectrum.c (Lomb-Scargle, Welch), hrv_window.c (rolling window and its portable state). */
#ifndef VITALSTREAM_SRC_HRV_IMPL_H
#define VITALSTREAM_SRC_HRV_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "vitalstream/hrv.h"
#include "../state/blob.h"

#define VS_HRV_WINDOW_MAX 448      /* intervals held by vs_hrv_window */
#define VS_HRV_FFT_MAX 2048        /* longest Welch segment / FFT */
#define VS_HRV_RR_MAX_SAMPLES 32767u
#define VS_HRV_FLAG_EXCLUDED 0x8000u

/* Scratch carved from one workspace block (see vs_hrv_workspace_size). */
typedef struct vs_hrv_scratch {
    double *nn, *t;          /* NN values (ms) and their times (s), n_nn used */
    double *a, *b, *c, *d;   /* n doubles each */
    uint8_t *adj;            /* adj[k]: NN k directly follows NN k-1 in the input */
    uint8_t *iflag;          /* per-interval excluded flag */
    double *re, *im, *psd;   /* VS_HRV_FFT_MAX, VS_HRV_FFT_MAX, VS_HRV_FFT_MAX/2 + 1 */
} vs_hrv_scratch;

/* Splits ws (vs_hrv_workspace_size(n) bytes) into arrays. */
void vs_hrv_scratch_init(vs_hrv_scratch *s, void *ws, size_t n);
/* The whole computation with per-interval flags already in s->iflag (NULL-free). */
vs_status vs_hrv_core(const double *rr_ms, size_t n, const vs_hrv_options *o, vs_hrv_scratch *s,
                      vs_hrv_result *out);
vs_status vs_hrv_check_options(const vs_hrv_options *o);

/* Band powers into out (vlf..hf_peak) from s->nn / s->t (n_nn points). Sets NaN when undefined. */
void vs_hrv_lomb(const vs_hrv_scratch *s, size_t n_nn, double df_hz, vs_hrv_result *out);
void vs_hrv_welch(vs_hrv_scratch *s, size_t n_nn, double fs_hz, double segment_s,
                  vs_hrv_result *out);

struct vs_hrv_window {
    double fs_hz;
    double window_s;
    int64_t last_r_idx;     /* -1: no beat yet */
    uint32_t last_normal;
    uint32_t head, count;   /* ring of intervals, oldest at head */
    int64_t sum_samples;    /* sum of the held intervals */
    uint16_t ring[VS_HRV_WINDOW_MAX];
    double *rr;             /* compute buffers inside the same memory block */
    void *ws;
    void *base;             /* the block as allocated (create) or given (init_static) */
    uint32_t owns_memory;
};

/* Payload only (no header), for nesting in a composite blob; read into a scratch copy, the caller
 * commits when vs_blob_close is OK. */
void vs_hrv_window_state_write(const struct vs_hrv_window *w, vs_blob_writer *wr);
void vs_hrv_window_state_read(struct vs_hrv_window *t, vs_blob_reader *r);

#endif
