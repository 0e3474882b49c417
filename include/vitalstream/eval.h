/* eval.h — ANSI/AAMI EC57 beat-by-beat comparison of a test annotation list against a
 * reference, scoring exactly as PhysioNet's `bxb` does (match window, learning period, VF and
 * shutdown handling, AAMI beat classes), plus the aggregate figures of `sumstats`.
 *
 * The evaluator works on annotation arrays in memory (no I/O). Both arrays must be sorted by
 * sample_idx (non-decreasing), as in a WFDB annotation file; any annotation may be present
 * (non-beat annotations are skipped or interpreted exactly as bxb does).
 *
 * Percentages are in [0, 100]; a figure whose denominator is zero is undefined and reported as
 * -1 (bxb prints "-"). */
#ifndef VITALSTREAM_EVAL_H
#define VITALSTREAM_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "annotation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows (reference) and columns (test) of the confusion matrix, as in `bxb -S`.
 * N S V F Q are the AAMI classes of beats; O is "no beat there" (a reference row O means an
 * extra test beat, a test column o a missed reference beat); X is "in shutdown" (unreadable
 * signal marked by the other annotator). Cells [O|X][o|x] are always 0. */
typedef enum vs_ec57_class {
    VS_EC57_N = 0, VS_EC57_S = 1, VS_EC57_V = 2, VS_EC57_F = 3, VS_EC57_Q = 4,
    VS_EC57_O = 5, VS_EC57_X = 6
} vs_ec57_class;

#define VS_EC57_NCLASS 7

typedef struct vs_ec57_options {
    double match_window_s;  /* 0.15; in samples: (int64_t)(s * fs + 0.5) like WFDB strtim */
    double start_s;         /* 300 (5 min learning period); scoring starts at this time */
    double end_s;           /* < 0 (default): end of record = record_length_samples, or the end
                               of the reference annotations if that is 0.
                               == 0: stop at the end of either list (bxb -t 0).
                               > 0: stop at this time. */
    int64_t record_length_samples; /* what bxb takes from the .hea header; 0 = unknown */
} vs_ec57_options;

typedef struct vs_ec57_result {
    int64_t tp;            /* reference beats matched by a test beat (QRS TP) */
    int64_t fn;            /* reference beats without a matching test beat (QRS FN) */
    int64_t fp;            /* test beats without a matching reference beat (QRS FP) */
    int64_t matrix[VS_EC57_NCLASS][VS_EC57_NCLASS]; /* [reference row][test column] */
    int64_t rr_error_count;      /* pairs with valid reference and test RR intervals */
    double rr_error_sum_sq;      /* sum of squared RR differences, samples^2 */
    int64_t match_window_samples;/* the window, start and end actually used, in samples */
    int64_t start_sample;
    int64_t end_sample;          /* -1: end of reference annotations, 0: end of either */
    double fs_hz;
} vs_ec57_result;

/* Per-record figures, as printed by bxb (-S / -L). Percent, -1 when undefined. */
typedef struct vs_ec57_stats {
    double qrs_se;     /* TP / (TP + FN) */
    double qrs_ppv;    /* TP / (TP + FP) */
    double veb_se;     /* Vv / (Vn+Vs+Vv+Vf+Vq+Vo+Vx) */
    double veb_ppv;    /* Vv / (Vv + Nv+Sv+Ov+Xv) */
    double veb_fpr;    /* (Nv+Sv+Ov+Xv) / (all cells outside row V and column v, + those) */
    double sveb_se;    /* Ss / (Sn+Ss+Sv+Sf+Sq+So+Sx) */
    double sveb_ppv;   /* Ss / (Ss + Ns+Vs+Fs+Os+Xs) (per record, as bxb) */
    double rms_rr_error_ms; /* sqrt(mean squared RR error) in ms, -1 when no pair */
} vs_ec57_stats;

/* Gross (pooled counts) and average (mean of the per-record figures that are defined),
 * as `sumstats` computes them from bxb line-format reports. */
typedef struct vs_ec57_summary {
    size_t n_records;
    vs_ec57_result gross;        /* element-wise sum of the records' counts */
    double sum_frac[8];          /* internal: sums of per-record fractions (see .c) */
    int64_t n_frac[8];           /* internal: number of records where each was defined */
} vs_ec57_summary;

VS_API void vs_ec57_default_options(vs_ec57_options *opt);

/* Compares test against ref (both sorted by sample_idx, sample_idx >= 0). fs_hz > 0.
 * opt NULL = defaults. Errors: VS_E_NULL_ARG (NULL pointer with a non-zero count, or NULL
 * result), VS_E_INVALID_ARG (unsorted or negative times, bad fs or options, end < start).
 * On error *result is zeroed. */
VS_API vs_status vs_ec57_compare(const vs_annotation *ref, size_t n_ref,
                                 const vs_annotation *test, size_t n_test, double fs_hz,
                                 const vs_ec57_options *opt, vs_ec57_result *result);

/* The class bxb gives an annotation code: VS_EC57_N..Q for beats, VS_EC57_O otherwise.
 * (bxb: N L R B -> N; A a J S j e n -> S; V r E -> V; F -> F; Q / f and LEARN -> Q.) */
VS_API int vs_ec57_code_class(int code);
/* 1 if bxb treats the code as a beat (WFDB isqrs: codes 1-13, 25, 30, 31, 34, 35, 38, 41). */
VS_API int vs_ec57_is_beat(int code);

/* 100 * num / den, or -1 if den <= 0. */
VS_API double vs_ec57_percent(int64_t num, int64_t den);

VS_API vs_status vs_ec57_result_stats(const vs_ec57_result *r, vs_ec57_stats *stats);

VS_API void vs_ec57_summary_init(vs_ec57_summary *s);
VS_API vs_status vs_ec57_summary_add(vs_ec57_summary *s, const vs_ec57_result *r);
/* gross and/or average may be NULL. Gross: figures of the pooled counts; rms_rr_error_ms pooled
 * over all pairs. Average: mean of the per-record figures over the records where each is defined
 * (as sumstats; its SVEB +P leaves out the Fs and Qs cells, so the gross and average SVEB +P
 * do too). */
VS_API vs_status vs_ec57_summary_stats(const vs_ec57_summary *s, vs_ec57_stats *gross,
                                       vs_ec57_stats *average);

/* sizeof(vs_ec57_result), for bindings that check the layout. */
VS_API size_t vs_ec57_result_struct_size(void);

/* ---- Episode-by-episode comparison (AF), as PhysioNet's `epicmp -A` (src/eval/episodes.c) ----
 * An AF episode of an annotation list starts at a RHYTHM annotation (code 28) whose aux text
 * begins with "(AFIB" and ends at the next RHYTHM annotation whose aux does not (so "(AFL"
 * atrial flutter is non-AF). An episode still open at the end of the list ends at the later of
 * the last annotation and the end of scoring. Scoring runs from start_s (default 300 s: the
 * learning period is not scored; episodes overlapping it are clipped) to the end (record
 * length). Sensitivity pass: every reference episode is matched (episode TP) if any test AF
 * overlaps it, and the overlap time adds to ref_overlap; positive predictivity pass: the same
 * with the roles swapped. Duration Se = ref_overlap / ref_duration, duration +P =
 * test_overlap / test_duration. */
typedef struct vs_epi_options {
    double start_s;       /* 300; start of scoring */
    double end_s;         /* < 0 (default): record_length_samples, or no limit if that is 0;
                             == 0: no limit (end of the lists); > 0: stop at this time */
    double min_length_s;  /* 0; episodes shorter than this are left out (epicmp -i) */
    int32_t ignore_short_in_overlap; /* 0; 1: also leave them out of overlaps (epicmp -I) */
    int32_t exclude_afl;  /* 0 (EC57, EC38:2007); 1: reference "(AFL" time is excluded from
                             test episodes in the +P pass (epicmp -x, EC38:1998) */
    int64_t record_length_samples; /* from the .hea header; 0 = unknown */
} vs_epi_options;

typedef struct vs_epi_result {
    int64_t ref_matched;    /* reference episodes overlapped by test AF (TPs) */
    int64_t ref_missed;     /* reference episodes without any (FN) */
    int64_t test_matched;   /* test episodes overlapping reference AF (TPp) */
    int64_t test_false;     /* test episodes without any (FP) */
    int64_t ref_duration;   /* samples of reference AF scored */
    int64_t ref_overlap;    /* samples of it covered by test AF */
    int64_t test_duration;  /* samples of test AF scored */
    int64_t test_overlap;   /* samples of it covered by reference AF */
    int64_t start_sample;   /* the interval actually scored (end 0: no limit) */
    int64_t end_sample;
    double fs_hz;
} vs_epi_result;

/* Percent in [0, 100], -1 when the denominator is 0 (epicmp prints "-"). */
typedef struct vs_epi_stats {
    double episode_se, episode_ppv, duration_se, duration_ppv;
} vs_epi_stats;

typedef struct vs_epi_summary {
    size_t n_records;
    vs_epi_result gross;   /* element-wise sums of the records' counts and durations */
} vs_epi_summary;

VS_API void vs_epi_default_options(vs_epi_options *opt);
/* Both lists sorted by sample_idx (>= 0). opt NULL = defaults. Errors: VS_E_NULL_ARG,
 * VS_E_INVALID_ARG (unsorted, fs <= 0, bad options, end before start); *result zeroed then. */
VS_API vs_status vs_epi_compare_af(const vs_annotation *ref, size_t n_ref,
                                   const vs_annotation *test, size_t n_test, double fs_hz,
                                   const vs_epi_options *opt, vs_epi_result *result);
VS_API vs_status vs_epi_result_stats(const vs_epi_result *r, vs_epi_stats *stats);
VS_API void vs_epi_summary_init(vs_epi_summary *s);
VS_API vs_status vs_epi_summary_add(vs_epi_summary *s, const vs_epi_result *r);
/* Gross figures: ratios of the pooled counts and durations. */
VS_API vs_status vs_epi_summary_stats(const vs_epi_summary *s, vs_epi_stats *gross);
VS_API size_t vs_epi_result_struct_size(void);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_EVAL_H */
