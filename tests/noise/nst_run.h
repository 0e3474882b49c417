/* nst_run.h — one noise-stress trial: build the noisy record, run vs_monitor over it, score its
 * beats against the reference (EC57, the project's comparator) and count its rhythm calls,
 * alarms and quality verdicts. Shared by the noise_stress tool and test_noise_stress. */
#ifndef VS_NST_RUN_H
#define VS_NST_RUN_H
#include <stddef.h>
#include <stdint.h>
#include "vitalstream/annotation.h"
#include "vitalstream/eval.h"

/* A clean MIT-BIH record: channel 0 and its reference annotations. */
typedef struct vs_nst_record {
    char name[32];
    float *x;
    size_t n;
    double fs_hz;
    vs_annotation *ref;
    size_t n_ref;
    int has_ref_vt;        /* the reference has a "(VT" rhythm episode */
    int64_t *vrun;         /* reference ventricular intervals [vrun[2k], vrun[2k+1]]: "(VT" and
                            * "(VFL" episodes and runs of >= 3 V beats, widened by 1 s */
    size_t n_vrun;
    double signal_power;   /* nst's S (vs_nst_signal_power over the normal beats) */
} vs_nst_record;

/* What the monitor did on one (noisy or clean) record. */
typedef struct vs_nst_outcome {
    vs_ec57_result qrs;      /* beats vs reference, EC57 defaults (from 5:00) */
    int vt_episodes;         /* "(VT" episodes started */
    int vt_false;            /* finished "(VT" episodes overlapping no reference ventricular
                              * interval (vs_nst_record.vrun) */
    int vt_ref_hit;          /* reference ventricular intervals overlapped by a finished "(VT"
                              * episode (of vs_nst_record.n_vrun / 2) */
    int vt_ref_n;            /* reference ventricular intervals */
    int af_episodes;         /* "(AFIB" episodes started */
    int alarms;              /* every alarm event */
    int critical_alarms;
    double noisy_in_s;       /* seconds reported noisy or unreadable inside the noise bursts */
    double noisy_out_s;      /* ... outside them */
    double burst_s;          /* seconds of noise bursts (protocol), and of the rest */
    double clean_s;
} vs_nst_outcome;

/* Loads db/name (channel 0 + .atr). Returns 0, or -1 with a message on stderr. */
int vs_nst_record_load(const char *db, const char *name, vs_nst_record *rec);
void vs_nst_record_free(vs_nst_record *rec);

/* Noisy copy of rec (malloc'ed, n samples): noise of `kind` (seed) at snr_db in the protocol's
 * bursts. NULL on failure. */
float *vs_nst_make_noisy(const vs_nst_record *rec, int kind, uint64_t seed, double snr_db);

/* Runs a fresh vs_monitor over x (n samples of rec's record) and fills *out. Returns 0 or -1. */
int vs_nst_run_monitor(const vs_nst_record *rec, const float *x, vs_nst_outcome *out);

/* Scores a list of beat sample indices (sorted or not) against rec's reference. Returns 0/-1. */
int vs_nst_score_beats(const vs_nst_record *rec, const int64_t *beats, size_t n_beats,
                       vs_ec57_result *out);
#endif
