/* test_classify.c — vs_classifier: misuse, features and classes on synthetic beats, portable
 * state (size bound, exact resume, corrupt blobs), chunk invariance (synthetic and MIT-BIH). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/classify.h"
#include "vitalstream/io.h"
#include "vitalstream/state.h"
#include "state/blob.h"

/* ---- helpers ------------------------------------------------------------------------------ */
static vs_classifier *reload_cls(vs_classifier *c, double fs)
{
    size_t size = vs_classifier_state_size(c), written = 0;
    uint8_t *blob = malloc(size);
    assert_non_null(blob);
    assert_int_equal(vs_classifier_state_save(c, blob, size, &written), VS_OK);
    assert_int_equal(written, size);
    vs_classifier_destroy(c);
    vs_classifier *fresh = NULL;
    assert_int_equal(vs_classifier_create(&fresh, fs), VS_OK);
    assert_int_equal(vs_classifier_state_load(fresh, blob, written), VS_OK);
    free(blob);
    return fresh;
}

/* QRS + classifier over x as the monitor runs them: per chunk, the detector's beats of that
 * chunk go to vs_classifier_process with the same samples. chunk 0 = one call, > 0 fixed,
 * < 0 random in [1, -chunk]; roundtrip: save/destroy/create/load both between chunks. */
static vs_classified_beat *run_pipeline(const float *x, size_t n, double fs, long chunk,
                                        int roundtrip, size_t *n_out)
{
    vs_qrs *q = NULL;
    vs_classifier *c = NULL;
    assert_int_equal(vs_qrs_create(&q, fs), VS_OK);
    assert_int_equal(vs_classifier_create(&c, fs), VS_OK);
    size_t total_cap = vs_qrs_max_events(q, n) + 16, count = 0;
    vs_classified_beat *all = malloc(total_cap * sizeof *all);
    assert_non_null(all);
    uint64_t seed = 99;
    size_t pos = 0;
    while (pos < n) {
        size_t len = vs_test_chunk_len(chunk, n - pos, &seed);
        size_t cap = vs_qrs_max_events(q, len), nb = 0, nc = 0;
        vs_beat *beats = malloc(cap * sizeof *beats);
        assert_non_null(beats);
        assert_int_equal(vs_qrs_process(q, x + pos, len, beats, cap, &nb), VS_OK);
        assert_true(count + nb <= total_cap);
        assert_int_equal(vs_classifier_process(c, x + pos, len, beats, nb, all + count,
                                               total_cap - count, &nc),
                         VS_OK);
        count += nc;
        free(beats);
        pos += len;
        if (roundtrip && pos < n) {
            q = vs_test_qrs_reload(q, fs);
            c = reload_cls(c, fs);
        }
    }
    size_t nf = 0;
    assert_int_equal(vs_classifier_finish(c, all + count, total_cap - count, &nf), VS_OK);
    count += nf;
    vs_classifier_destroy(c);
    vs_qrs_destroy(q);
    *n_out = count;
    return all;
}

static void check_invariance(const float *x, size_t n, double fs, const char *what, int with_1)
{
    size_t n_ref = 0;
    vs_classified_beat *ref = run_pipeline(x, n, fs, 0, 0, &n_ref);
    assert_true(n_ref > 10);
    const long chunks[] = {1, 7, 360, 65536, -1000};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        if (chunks[i] == 1 && !with_1) continue;
        size_t m = 0;
        vs_classified_beat *got = run_pipeline(x, n, fs, chunks[i], 1, &m);
        if (m != n_ref || memcmp(got, ref, m * sizeof *got) != 0)
            fail_msg("%s: chunk %ld gives different classified beats (%zu vs %zu)", what,
                     chunks[i], m, n_ref);
        free(got);
    }
    free(ref);
}

/* ---- misuse --------------------------------------------------------------------------------- */
static void test_misuse(void **state)
{
    (void)state;
    vs_classifier *c = NULL;
    assert_int_equal(vs_classifier_create(NULL, 360.0), VS_E_NULL_ARG);
    assert_int_equal(vs_classifier_create(&c, 50.0), VS_E_FS_OUT_OF_RANGE);
    assert_null(c);
    assert_int_equal(vs_classifier_create(&c, NAN), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_classifier_workspace_size(2000.0), 0);
    uint8_t small[16];
    assert_int_equal(vs_classifier_init_static(&c, small, sizeof small, 360.0), VS_E_NO_MEMORY);
    vs_classifier_destroy(NULL);
    vs_classifier_reset(NULL);
    assert_int_equal(vs_classifier_create(&c, 360.0), VS_OK);

    double lo, hi, d, v;
    assert_int_equal(vs_classifier_param_bounds(VS_CLASSIFY_S_BIAS, &lo, &hi, &d), VS_OK);
    assert_true(lo < d && d < hi);
    assert_int_equal(vs_classifier_param_bounds((vs_classifier_param)99, &lo, &hi, &d),
                     VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_classifier_set_param(c, VS_CLASSIFY_V_BIAS, hi + 1), VS_E_PARAM_OUT_OF_RANGE);
    assert_int_equal(vs_classifier_set_param(c, VS_CLASSIFY_V_BIAS, NAN), VS_E_PARAM_OUT_OF_RANGE);
    assert_int_equal(vs_classifier_set_param(c, VS_CLASSIFY_V_BIAS, 0.5), VS_OK);
    assert_int_equal(vs_classifier_get_param(c, VS_CLASSIFY_V_BIAS, &v), VS_OK);
    assert_true(v == 0.5);
    assert_int_equal(vs_classifier_get_param(c, VS_CLASSIFY_V_BIAS, NULL), VS_E_NULL_ARG);

    float x[720];
    for (int i = 0; i < 720; i++) x[i] = 0.0f;
    assert_int_equal(vs_classifier_push_samples(c, NULL, 3), VS_E_NULL_ARG);
    assert_int_equal(vs_classifier_push_samples(c, x, 720), VS_OK);
    assert_int_equal(vs_classifier_samples_seen(c), 720);
    vs_beat b;
    memset(&b, 0, sizeof b);
    b.sample_idx = 400;
    b.decided_idx = 500;
    vs_classified_beat out[2];
    size_t n = 9;
    assert_int_equal(vs_classifier_push_beat(c, &b, out, 0, &n), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 0);
    assert_int_equal(vs_classifier_push_beat(c, NULL, out, 1, &n), VS_E_NULL_ARG);
    b.sample_idx = 720; /* not pushed yet */
    assert_int_equal(vs_classifier_push_beat(c, &b, out, 1, &n), VS_E_INVALID_ARG);
    b.sample_idx = 400;
    assert_int_equal(vs_classifier_push_beat(c, &b, out, 1, &n), VS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(vs_classifier_push_beat(c, &b, out, 1, &n), VS_E_INVALID_ARG); /* order */
    assert_int_equal(vs_classifier_finish(c, out, 1, &n), VS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].beat.sample_idx, 400);
    assert_true(out[0].features.flags & VS_CLASSIFY_NO_PRE_RR);
    assert_true(out[0].features.flags & VS_CLASSIFY_NO_POST_RR);
    assert_int_equal(out[0].wfdb_code, vs_aami_class_wfdb_code(out[0].aami_class));
    assert_int_equal(vs_classifier_finish(c, out, 1, &n), VS_OK);
    assert_int_equal(n, 0);
    /* process: capacity below the beat count consumes nothing */
    b.sample_idx = 600;
    b.decided_idx = 700;
    assert_int_equal(vs_classifier_process(c, x, 10, &b, 1, out, 0, &n), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_classifier_samples_seen(c), 720);
    b.decided_idx = 800; /* beyond the samples given */
    assert_int_equal(vs_classifier_process(c, x, 10, &b, 1, out, 1, &n), VS_E_INVALID_ARG);

    assert_int_equal(vs_aami_class_wfdb_code(VS_AAMI_N), 1);
    assert_int_equal(vs_aami_class_wfdb_code(VS_AAMI_S), 8);
    assert_int_equal(vs_aami_class_wfdb_code(VS_AAMI_V), 5);
    assert_int_equal(vs_aami_class_wfdb_code(VS_AAMI_F), 6);
    assert_int_equal(vs_aami_class_wfdb_code(VS_AAMI_Q), 13);
    /* in AF an S beat is reported N; nothing else changes, and outside AF nothing does */
    for (int k = VS_AAMI_N; k <= VS_AAMI_Q; k++) {
        assert_int_equal(vs_aami_class_in_af(k, 0), k);
        assert_int_equal(vs_aami_class_in_af(k, 1), k == VS_AAMI_S ? VS_AAMI_N : k);
    }
    assert_string_equal(vs_aami_class_name(VS_AAMI_V), "V");
    assert_string_equal(vs_aami_class_name(17), "?");
    assert_int_equal(vs_classified_beat_struct_size(), sizeof(vs_classified_beat));
    assert_int_equal(vs_beat_features_struct_size(), 72);
    vs_classifier_destroy(c);
}

/* Default synthetic ECG with the given length, rate and seed. */
static vs_synth_config synth_config(double duration_s, double hr_bpm, uint64_t seed)
{
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.duration_s = duration_s;
    cfg.hr_bpm = hr_bpm;
    cfg.seed = seed;
    return cfg;
}

/* ---- synthetic beats: features and classes --------------------------------------------------- */
static void test_synthetic_pvcs(void **state)
{
    (void)state;
    vs_synth_config cfg = synth_config(300.0, 72.0, 5);
    cfg.pvc_per_min = 6.0;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    size_t n = 0;
    vs_classified_beat *cb = run_pipeline(rec.x, rec.n, rec.fs_hz, 0, 0, &n);
    int64_t win = (int64_t)(0.15 * rec.fs_hz);
    size_t j = 0;
    size_t n_norm = 0, n_norm_ok = 0, n_pvc = 0, n_pvc_v = 0;
    double corr_n = 0, corr_v = 0, wr_n = 0, wr_v = 0, prem_v = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = cb[i].beat.sample_idx;
        while (j < rec.n_truth && rec.truth[j].sample_idx < t - win) j++;
        if (j >= rec.n_truth || rec.truth[j].sample_idx > t + win) continue;
        if (t < (int64_t)(20 * rec.fs_hz)) continue; /* let the template settle */
        const vs_beat_features *f = &cb[i].features;
        assert_true(f->qrs_width_ms > 0.0f && f->qrs_width_ms < 300.0f);
        if (rec.truth[j].label == VS_ANN_PVC) {
            n_pvc++;
            n_pvc_v += cb[i].aami_class == VS_AAMI_V;
            corr_v += f->template_corr;
            wr_v += f->width_ratio;
            prem_v += f->pre_rr_ms / f->local_rr_ms;
        } else {
            n_norm++;
            n_norm_ok += cb[i].aami_class == VS_AAMI_N;
            corr_n += f->template_corr;
            wr_n += f->width_ratio;
        }
    }
    assert_true(n_pvc >= 15 && n_norm >= 200);
    corr_n /= n_norm;
    corr_v /= n_pvc;
    wr_n /= n_norm;
    wr_v /= n_pvc;
    prem_v /= n_pvc;
    print_message("synthetic: %zu N (%zu as N, corr %.3f, width ratio %.2f), %zu PVC (%zu as V, "
                  "corr %.3f, width ratio %.2f, pre-RR/local %.2f)\n",
                  n_norm, n_norm_ok, corr_n, wr_n, n_pvc, n_pvc_v, corr_v, wr_v, prem_v);
    /* features: normal beats look like the template, PVCs are premature and unlike it */
    assert_true(corr_n > 0.95);
    assert_true(wr_n > 0.8 && wr_n < 1.25);
    assert_true(corr_v < corr_n - 0.1);
    assert_true(prem_v < 0.9);
    /* classes */
    assert_true(n_norm_ok >= 0.95 * n_norm);
    assert_true(n_pvc_v >= 0.8 * n_pvc);
    free(cb);
    vs_test_record_free(&rec);
}

/* A regular rhythm with one clearly premature normal-shaped beat every 10: classified S (or at
 * least not N) far more often than the regular beats. */
static void test_synthetic_premature(void **state)
{
    (void)state;
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.duration_s = 200.0;
    cfg.hrv_std_ms = 5.0;
    cfg.hr_bpm = 60.0;
    cfg.seed = 11;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    /* Build a new signal: copy beats, but every 10th beat is moved 35 % earlier by cutting
     * samples out of the preceding diastole (the beat shape itself is kept). */
    float *y = malloc(rec.n * sizeof *y);
    assert_non_null(y);
    size_t out_n = 0, src = 0, k = 0;
    int64_t *prem_idx = malloc(rec.n_truth * sizeof *prem_idx);
    size_t n_prem = 0;
    for (size_t b = 1; b + 1 < rec.n_truth; b++) {
        size_t r_prev = (size_t)rec.truth[b - 1].sample_idx, r = (size_t)rec.truth[b].sample_idx;
        size_t cut_from = r_prev + (size_t)(0.45 * rec.fs_hz); /* after the T wave */
        size_t cut = 0;
        if (++k % 10 == 0 && r > cut_from + (size_t)(0.3 * rec.fs_hz))
            cut = (size_t)(0.35 * (double)(r - r_prev));
        while (src < cut_from) y[out_n++] = rec.x[src++];
        src += cut;
        if (cut) prem_idx[n_prem++] = (int64_t)(out_n + (r - src));
        while (src < r) y[out_n++] = rec.x[src++];
    }
    size_t n = 0;
    vs_classified_beat *cb = run_pipeline(y, out_n, rec.fs_hz, 0, 0, &n);
    size_t prem_s = 0, prem_seen = 0, reg = 0, reg_s = 0, p = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = cb[i].beat.sample_idx;
        if (t < (int64_t)(30 * rec.fs_hz)) continue;
        while (p < n_prem && prem_idx[p] < t - 30) p++;
        int is_prem = p < n_prem && llabs(prem_idx[p] - t) <= 30;
        if (is_prem) {
            prem_seen++;
            prem_s += cb[i].aami_class == VS_AAMI_S;
            assert_true(cb[i].features.pre_rr_ms < 0.8f * cb[i].features.local_rr_ms);
            assert_true(cb[i].features.template_corr > 0.9f);
        } else {
            reg++;
            reg_s += cb[i].aami_class == VS_AAMI_S;
        }
    }
    print_message("premature: %zu of %zu premature beats S, %zu of %zu regular beats S\n",
                  prem_s, prem_seen, reg_s, reg);
    assert_true(prem_seen >= 10);
    assert_true(prem_s >= prem_seen / 2);
    assert_true(reg_s * 20 <= reg);
    free(cb);
    free(prem_idx);
    free(y);
    vs_test_record_free(&rec);
}

/* 120 s of synthetic rhythm at 70 bpm: sinus, or AF throughout. */
static void irregularity_record(vs_test_record *rec, int af)
{
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.duration_s = 120.0;
    cfg.hrv_std_ms = 10.0;
    cfg.hr_bpm = 70.0;
    cfg.seed = 21;
    if (af) {
        cfg.af_start_s = 0.0;
        cfg.af_duration_s = cfg.duration_s;
    }
    vs_test_synth(&cfg, rec);
}

/* The detector's R mark may sit on the R or on the S peak of the same beat shape (about 30 ms
 * apart, seen on MIT-BIH). With every other beat marked 30 ms late, normal beats must still
 * correlate with the dominant template and stay class N. */
static void test_fiducial_jitter_keeps_normal_beats(void **state)
{
    (void)state;
    vs_test_record rec;
    irregularity_record(&rec, 0);
    vs_qrs *q = NULL;
    vs_classifier *c = NULL;
    assert_int_equal(vs_qrs_create(&q, rec.fs_hz), VS_OK);
    assert_int_equal(vs_classifier_create(&c, rec.fs_hz), VS_OK);
    size_t cap = vs_qrs_max_events(q, rec.n), nb = 0, nc = 0, nf = 0;
    vs_beat *beats = malloc(cap * sizeof *beats);
    vs_classified_beat *cb = malloc((cap + 1) * sizeof *cb);
    assert_non_null(beats);
    assert_non_null(cb);
    assert_int_equal(vs_qrs_process(q, rec.x, rec.n, beats, cap, &nb), VS_OK);
    int64_t late = (int64_t)(0.030 * rec.fs_hz + 0.5);
    for (size_t i = 1; i < nb; i += 2) {
        beats[i].sample_idx += late;
        if (beats[i].decided_idx < beats[i].sample_idx) beats[i].decided_idx = beats[i].sample_idx;
    }
    assert_int_equal(vs_classifier_process(c, rec.x, rec.n, beats, nb, cb, cap, &nc), VS_OK);
    assert_int_equal(vs_classifier_finish(c, cb + nc, 1, &nf), VS_OK);
    nc += nf;
    size_t used = 0, low_corr = 0, not_n = 0;
    for (size_t i = 20; i < nc; i++, used++) {
        low_corr += cb[i].features.template_corr < 0.9f;
        not_n += cb[i].aami_class != VS_AAMI_N;
    }
    print_message("jitter: %zu beats, %zu with template corr < 0.9, %zu not N\n", used, low_corr,
                  not_n);
    assert_true(used > 100);
    assert_true(low_corr * 50 <= used);
    assert_true(not_n * 50 <= used);
    free(cb);
    free(beats);
    vs_classifier_destroy(c);
    vs_qrs_destroy(q);
    vs_test_record_free(&rec);
}

typedef struct irregularity_means {
    double mean, median, short_half;
} irregularity_means;

/* Means of the three RR irregularity features over the beats after the first 20 of the sinus
 * record with 1.2 s of flat diastole inserted after every `every`-th beat (every = 0: no
 * pauses, and the AF record instead). */
static irregularity_means irregularity_of(size_t every)
{
    vs_test_record rec;
    irregularity_record(&rec, every == 0);
    size_t pause = (size_t)(1.2 * rec.fs_hz);
    size_t cap = rec.n + (every ? rec.n_truth / every * pause : 0) + 1, n = 0, src = 0;
    float *y = malloc(cap * sizeof *y);
    assert_non_null(y);
    for (size_t b = 1; every && b < rec.n_truth; b++) {
        size_t from = (size_t)rec.truth[b - 1].sample_idx + (size_t)(0.5 * rec.fs_hz);
        if (b % every || from >= rec.n) continue;
        while (src < from) y[n++] = rec.x[src++];
        for (size_t i = 0; i < pause; i++) y[n++] = rec.x[from];
    }
    while (src < rec.n) y[n++] = rec.x[src++];
    size_t nb = 0, used = 0;
    vs_classified_beat *cb = run_pipeline(y, n, rec.fs_hz, 0, 0, &nb);
    irregularity_means m = {0, 0, 0};
    for (size_t i = 20; i < nb; i++, used++) {
        m.mean += cb[i].features.rr_irregularity;
        m.median += cb[i].features.rr_irregularity_med;
        m.short_half += cb[i].features.dom_irregularity;
    }
    assert_true(used > 50);
    m.mean /= (double)used;
    m.median /= (double)used;
    m.short_half /= (double)used;
    free(cb);
    free(y);
    vs_test_record_free(&rec);
    return m;
}

/* The median RR irregularity ignores isolated pauses (sinus rhythm where every 8th RR is
 * stretched by 1.2 s of flat diastole) but is high in atrial fibrillation, while the mean-based
 * rr_irregularity rises in both: the pause must not make the rhythm look like AF. */
static void test_irregularity_pauses_vs_af(void **state)
{
    (void)state;
    irregularity_means p = irregularity_of(8), af = irregularity_of(0);
    print_message("irregularity: pauses mean %.3f median %.3f; AF median %.3f\n", p.mean,
                  p.median, af.median);
    assert_true(p.median < 0.06);
    assert_true(p.mean > 2.0 * p.median);
    assert_true(af.median > 2.0 * p.median);
}

/* When every other RR holds a pause (runs of short cycles between long ones, as atrial beats
 * between sinus pauses), the median irregularity is high too, but the spread of the shorter
 * half of the intervals (dom_irregularity) stays low; in AF it is high. */
static void test_short_half_spread_alternating_vs_af(void **state)
{
    (void)state;
    irregularity_means alt = irregularity_of(2), af = irregularity_of(0);
    print_message("alternating: median %.3f short-half %.3f; AF short-half %.3f\n", alt.median,
                  alt.short_half, af.short_half);
    assert_true(alt.median > 0.3);
    assert_true(alt.short_half < 0.06);
    assert_true(af.short_half > 3.0 * alt.short_half);
}

/* ---- state --------------------------------------------------------------------------------- */
static vs_classifier *fed_classifier(vs_test_record *rec, size_t upto)
{
    vs_classifier *c = NULL;
    assert_int_equal(vs_classifier_create(&c, rec->fs_hz), VS_OK);
    size_t nb = 0;
    vs_beat *beats = vs_test_detect(rec->x, upto, rec->fs_hz, 0, 0, &nb);
    vs_classified_beat *out = malloc((nb + 1) * sizeof *out);
    size_t no = 0;
    assert_int_equal(vs_classifier_process(c, rec->x, upto, beats, nb, out, nb + 1, &no), VS_OK);
    free(out);
    free(beats);
    return c;
}

static void test_state(void **state)
{
    (void)state;
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.duration_s = 60.0;
    cfg.pvc_per_min = 4.0;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    vs_classifier *c = fed_classifier(&rec, rec.n);
    size_t size = vs_classifier_state_size(c), w = 0;
    print_message("classifier state: %zu bytes at 360 Hz\n", size);
    assert_true(size <= 1800);
    uint8_t *blob = malloc(size), *blob2 = malloc(size), *bad = malloc(size);
    assert_int_equal(vs_classifier_state_save(c, blob, size - 1, &w), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_classifier_state_save(c, blob, size, &w), VS_OK);
    assert_int_equal(w, size);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(blob, size, &info), VS_OK);
    assert_int_equal(info.module_id, VS_MODULE_CLASSIFY);

    /* a fresh object loaded from it saves the same bytes */
    vs_classifier *d = NULL;
    assert_int_equal(vs_classifier_create(&d, 360.0), VS_OK);
    size_t empty_size = vs_classifier_state_size(d);
    assert_int_equal(vs_classifier_state_load(d, blob, size), VS_OK);
    assert_int_equal(vs_classifier_state_save(d, blob2, size, &w), VS_OK);
    assert_memory_equal(blob, blob2, size);

    /* corrupt blobs: distinct codes, object unchanged */
    vs_classifier *e = NULL;
    assert_int_equal(vs_classifier_create(&e, 360.0), VS_OK);
    uint8_t *before = malloc(empty_size), *after = malloc(empty_size);
    assert_int_equal(vs_classifier_state_save(e, before, empty_size, &w), VS_OK);
#define EXPECT_REJECT(len, code)                                                          \
    do {                                                                                  \
        assert_int_equal(vs_classifier_state_load(e, bad, (len)), (code));                \
        assert_int_equal(vs_classifier_state_save(e, after, empty_size, &w), VS_OK);      \
        assert_memory_equal(before, after, empty_size);                                   \
    } while (0)
    memcpy(bad, blob, size);
    EXPECT_REJECT(10, VS_E_STATE_TRUNCATED);
    EXPECT_REJECT(size - 1, VS_E_STATE_TRUNCATED);
    bad[0] = 'X';
    EXPECT_REJECT(size, VS_E_STATE_BAD_MAGIC);
    memcpy(bad, blob, size);
    bad[4] = 0x7F;
    vs_test_state_reseal(bad, size); /* a real newer blob: the checksum is checked first */
    EXPECT_REJECT(size, VS_E_STATE_NEWER_VERSION);
    memcpy(bad, blob, size);
    bad[100] ^= 0x40;
    EXPECT_REJECT(size, VS_E_STATE_BAD_CHECKSUM);
    /* wrong module / fs / field range: rebuild a valid CRC with the blob writer */
    {
        vs_blob_writer bw;
        size_t got = 0;
        vs_blob_begin(&bw, bad, size, VS_MODULE_QRS, 360.0);
        for (size_t i = 24; i < size; i++) vs_blob_u8(&bw, blob[i]);
        assert_int_equal(vs_blob_end(&bw, &got), VS_OK);
        EXPECT_REJECT(size, VS_E_STATE_WRONG_MODULE);
        vs_blob_begin(&bw, bad, size, VS_MODULE_CLASSIFY, 250.0);
        for (size_t i = 24; i < size; i++) vs_blob_u8(&bw, blob[i]);
        assert_int_equal(vs_blob_end(&bw, &got), VS_OK);
        EXPECT_REJECT(size, VS_E_STATE_MISMATCH);
        /* s_bias (first payload field) = 1e9: out of its bounds */
        vs_blob_begin(&bw, bad, size, VS_MODULE_CLASSIFY, 360.0);
        vs_blob_f64(&bw, 1e9);
        for (size_t i = 32; i < size; i++) vs_blob_u8(&bw, blob[i]);
        assert_int_equal(vs_blob_end(&bw, &got), VS_OK);
        EXPECT_REJECT(size, VS_E_STATE_CORRUPT);
        /* primed flag = 7 */
        vs_blob_begin(&bw, bad, size, VS_MODULE_CLASSIFY, 360.0);
        for (size_t i = 24; i < size; i++) vs_blob_u8(&bw, i == 48 ? 7 : blob[i]);
        assert_int_equal(vs_blob_end(&bw, &got), VS_OK);
        EXPECT_REJECT(size, VS_E_STATE_CORRUPT);
        /* payload one byte short (declared length consistent) */
        vs_blob_begin(&bw, bad, size, VS_MODULE_CLASSIFY, 360.0);
        for (size_t i = 24; i + 1 < size; i++) vs_blob_u8(&bw, blob[i]);
        assert_int_equal(vs_blob_end(&bw, &got), VS_OK);
        EXPECT_REJECT(got, VS_E_STATE_CORRUPT);
    }
#undef EXPECT_REJECT
    assert_int_equal(vs_classifier_state_load(e, NULL, 3), VS_E_NULL_ARG);
    free(before);
    free(after);
    free(blob);
    free(blob2);
    free(bad);
    vs_classifier_destroy(c);
    vs_classifier_destroy(d);
    vs_classifier_destroy(e);
    vs_test_record_free(&rec);
}

/* ---- chunk invariance --------------------------------------------------------------------------- */
static void test_chunks_synthetic(void **state)
{
    (void)state;
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.duration_s = 90.0;
    cfg.pvc_per_min = 8.0;
    cfg.af_start_s = 40.0;
    cfg.af_duration_s = 20.0;
    cfg.seed = 3;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    for (size_t k = (size_t)(70 * rec.fs_hz); k < (size_t)(71.5 * rec.fs_hz); k++)
        rec.x[k] = NAN; /* a gap */
    check_invariance(rec.x, rec.n, rec.fs_hz, "synthetic", 1);
    vs_test_record_free(&rec);
    cfg.fs_hz = 1000.0;
    cfg.duration_s = 40.0;
    vs_test_synth(&cfg, &rec);
    check_invariance(rec.x, rec.n, rec.fs_hz, "synthetic 1000 Hz", 0);
    vs_test_record_free(&rec);
}

static void test_chunks_mitdb(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *records[] = {"119", "208", "232"};
    for (size_t i = 0; i < 3; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, records[i], &n, &fs);
        /* chunk size 1 on the first 3 minutes only (a state round trip per sample) */
        check_invariance(x, (size_t)(180 * fs), fs, records[i], 1);
        check_invariance(x, (size_t)n, fs, records[i], 0);
        vs_io_free(x);
    }
}

/* The template match must not depend on where the samples fall: at 128 Hz (7.8 ms per sample)
 * normal beats are as close to their template as at 360 Hz. Matching on the sample grid alone
 * left them half a sample off (template difference ~1.7x, correlation ~0.02 lower on MIT-BIH
 * resampled to 128 Hz), which the model, trained at 360 Hz, read as ectopy. */
static double mean_template_diff_of_normals(double fs_hz, double *corr)
{
    vs_synth_config cfg = synth_config(120.0, 75.0, 11);
    cfg.fs_hz = fs_hz;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    size_t n = 0;
    vs_classified_beat *cb = run_pipeline(rec.x, rec.n, rec.fs_hz, 0, 0, &n);
    double sum = 0.0, sum_c = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (cb[i].beat.sample_idx < (int64_t)(20 * fs_hz)) continue; /* template settled */
        sum += cb[i].features.template_diff;
        sum_c += cb[i].features.template_corr;
        used++;
    }
    assert_true(used > 100);
    free(cb);
    vs_test_record_free(&rec);
    *corr = sum_c / (double)used;
    return sum / (double)used;
}

static void test_template_match_independent_of_rate(void **state)
{
    (void)state;
    double c360, c250, c128;
    double d360 = mean_template_diff_of_normals(360.0, &c360);
    double d250 = mean_template_diff_of_normals(250.0, &c250);
    double d128 = mean_template_diff_of_normals(128.0, &c128);
    print_message("template difference of normal beats: 360 Hz %.4f (corr %.4f), 250 Hz %.4f "
                  "(%.4f), 128 Hz %.4f (%.4f)\n", d360, c360, d250, c250, d128, c128);
    assert_true(d250 < 1.25 * d360 + 0.005);
    assert_true(d128 < 1.25 * d360 + 0.005);
    assert_true(c128 > c360 - 0.005);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_synthetic_pvcs),
        cmocka_unit_test(test_synthetic_premature),
        cmocka_unit_test(test_irregularity_pauses_vs_af),
        cmocka_unit_test(test_short_half_spread_alternating_vs_af),
        cmocka_unit_test(test_fiducial_jitter_keeps_normal_beats),
        cmocka_unit_test(test_template_match_independent_of_rate),
        cmocka_unit_test(test_state),
        cmocka_unit_test(test_chunks_synthetic),
        cmocka_unit_test(test_chunks_mitdb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
