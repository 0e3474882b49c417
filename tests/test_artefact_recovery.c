/* test_artefact_recovery.c — the QRS detector never goes deaf after an artefact (issue 11).
 *
 * 1. The case: MIT-BIH 119 channel 0 with a 2-minute 0.3 Hz, 12 mV-peak baseline wander
 *    from 13:00, rounded to ADC units (gain 200, baseline 1024); samples outside -2048..2047
 *    become WFDB invalid samples. The record is written in format 212 and read back through
 *    vs_wfdb_read_signal (invalid -> NaN), and also fed as the spikes the reader used to return
 *    (-15.36 mV, -168.96 mV). Beats must be back within 5 s after the burst and the rest of the
 *    record detected as usual — through vs_qrs (one call, chunks + state round trips) and
 *    vs_monitor.
 * 2. A seeded randomized artefact test: bursts of every kind — NaN runs, railing, impulsive
 *    spikes of any size, steps up to +-20 mV, baseline wander up to 15 mV at 0.05-2 Hz, EMG
 *    bursts, lead-off (exact constant) and reconnection, and mixes — at random places in several
 *    MIT-BIH records. After every burst the reference beats must be detected again within 5 s
 *    of the end of the burst, and QRS Se on the clean parts (EC57 comparator) >= 99.5 %.
 *    CI runs 5 MIT-BIH DS1 records x 4 seeds (20 runs, ~560 bursts, each run through vs_qrs
 *    and vs_monitor, odd runs chunked with state round trips); every slow burst is listed
 *    before the test fails. Heavier: VS_ARTEFACT_SEEDS=K (K seeds), VS_ARTEFACT_RECORDS=ds1
 *    (all 22 DS1 records) or =NAME, VS_ARTEFACT_SEED=N (first seed), VS_ARTEFACT_DEBUG=1
 *    (beats around each slow burst). Under AddressSanitizer a lighter variant runs (2 records,
 *    1 seed), to keep CI time small.
 * Needs the MIT-BIH database (skips clearly without it). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/eval.h"
#include "vitalstream/io.h"
#include "vitalstream/monitor.h"
#include "vitalstream/qrs.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#if defined(__SANITIZE_ADDRESS__)
#define VS_ARTEFACT_LIGHT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VS_ARTEFACT_LIGHT 1
#endif
#endif
#ifndef VS_ARTEFACT_LIGHT
#define VS_ARTEFACT_LIGHT 0
#endif

#define RECOVERY_S 5.0       /* the requirement: beats back within this long after a burst */
#define MATCH_S 0.15         /* EC57 match window */
#define STEADY_S 10.0        /* after recovery, every reference beat for this long is found */

/* ---- small helpers ---------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0));
}

static double rng_gauss(uint64_t *s)
{
    double u = rng_uniform(s, 1e-12, 1.0), v = rng_uniform(s, 0.0, 1.0);
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Reference beats (sample positions) of db/record.atr. */
static int64_t *read_ref_beats(const char *db, const char *record, size_t *n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.atr", db, record);
    vs_annotation_list list = {0};
    vs_io_error err;
    if (vs_annot_read(path, &list, &err) != VS_OK) fail_msg("%s", err.message);
    int64_t *t = malloc((list.count + 1) * sizeof *t);
    assert_non_null(t);
    size_t k = 0;
    for (size_t i = 0; i < list.count; i++)
        if (vs_ec57_is_beat(list.items[i].code)) t[k++] = list.items[i].sample_idx;
    vs_annot_list_free(&list);
    *n = k;
    return t;
}

/* 1 if some detected beat lies within MATCH_S of reference time r (beats sorted). */
static int detected(const int64_t *beats, size_t nb, int64_t r, int64_t win)
{
    size_t lo = 0, hi = nb;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (beats[mid] < r - win) lo = mid + 1; else hi = mid;
    }
    return lo < nb && beats[lo] <= r + win;
}

/* Seconds from clean_start to the first reference beat from which every reference beat for
 * STEADY_S (or up to clean_end) is detected; a large number if that never happens. With
 * nothing_missed_is_0, 0 when that beat is the first one after clean_start: nothing was missed
 * (a record's own stretch without detectable beats after a burst -- 208 at 1384-1388 s -- is no
 * slow recovery). */
static double recovery_s(const int64_t *beats, size_t nb, const int64_t *ref, size_t nr,
                         int64_t clean_start, int64_t clean_end, double fs, int nothing_missed_is_0)
{
    int64_t win = (int64_t)(MATCH_S * fs + 0.5);
    int first = 1;
    for (size_t i = 0; i < nr; i++) {
        if (ref[i] < clean_start + win) continue;
        if (ref[i] > clean_end) break;
        int64_t until = ref[i] + (int64_t)(STEADY_S * fs);
        if (until > clean_end) until = clean_end;
        int all = 1;
        for (size_t j = i; j < nr && ref[j] <= until && all; j++)
            all = detected(beats, nb, ref[j], win);
        if (all) return first && nothing_missed_is_0 ? 0.0 : (double)(ref[i] - clean_start) / fs;
        first = 0;
    }
    return 1e9;
}

/* ---- running the detectors ---------------------------------------------------------------- */

static int64_t *qrs_beats(const float *x, size_t n, double fs, long chunk, int roundtrip,
                          size_t *nb)
{
    vs_beat *b = vs_test_detect(x, n, fs, chunk, roundtrip, nb);
    int64_t *t = malloc((*nb + 1) * sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < *nb; i++) t[i] = b[i].sample_idx;
    free(b);
    return t;
}

/* Beats reported by vs_monitor (chunk 0 = one call; < 0 random chunk sizes), sorted. */
static int64_t *monitor_beats(const float *x, size_t n, double fs, long chunk, size_t *nb)
{
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_create(&m, fs), VS_OK);
    size_t cap_all = n / 50 + 64, count = 0; /* beats are >= 200 ms apart */
    int64_t *t = malloc(cap_all * sizeof *t);
    assert_non_null(t);
    uint64_t seed = 77;
    size_t pos = 0;
    while (pos <= n) {
        size_t len = pos < n ? vs_test_chunk_len(chunk, n - pos, &seed) : 0;
        size_t cap = vs_monitor_max_events(m, len), got = 0;
        vs_event *ev = malloc((cap + 1) * sizeof *ev);
        assert_non_null(ev);
        if (len)
            assert_int_equal(vs_monitor_process(m, x + pos, len, ev, cap, &got), VS_OK);
        else
            assert_int_equal(vs_monitor_finish(m, ev, cap, &got), VS_OK);
        for (size_t i = 0; i < got; i++)
            if (ev[i].type == VS_EVENT_BEAT) {
                assert_true(count < cap_all);
                t[count++] = ev[i].sample_idx;
            }
        free(ev);
        if (!len) break;
        pos += len;
    }
    vs_monitor_destroy(m);
    for (size_t i = 1; i < count; i++) /* events come in decision order; R order for lookup */
        for (size_t j = i; j > 0 && t[j - 1] > t[j]; j--) {
            int64_t v = t[j]; t[j] = t[j - 1]; t[j - 1] = v;
        }
    *nb = count;
    return t;
}

/* QRS Se/+P (EC57 comparator) on the clean parts: reference beats inside [from[k], to[k]) and
 * detected beats inside the same intervals widened by the match window. */
static void clean_scores(const int64_t *beats, size_t nb, const int64_t *ref, size_t nr,
                         const int64_t *from, const int64_t *to, size_t nparts, double fs,
                         vs_ec57_result *res)
{
    int64_t win = (int64_t)(MATCH_S * fs + 0.5);
    vs_annotation *ra = calloc(nr + 1, sizeof *ra), *ta = calloc(nb + 1, sizeof *ta);
    assert_non_null(ra);
    assert_non_null(ta);
    size_t kr = 0, kt = 0, p = 0;
    for (size_t i = 0; i < nr; i++) {
        while (p < nparts && ref[i] >= to[p]) p++;
        if (p < nparts && ref[i] >= from[p]) {
            ra[kr].sample_idx = ref[i];
            ra[kr++].code = VS_ANN_NORMAL;
        }
    }
    p = 0;
    for (size_t i = 0; i < nb; i++) {
        while (p < nparts && beats[i] >= to[p] + win) p++;
        if (p < nparts && beats[i] >= from[p] - win) {
            ta[kt].sample_idx = beats[i];
            ta[kt++].code = VS_ANN_NORMAL;
        }
    }
    vs_ec57_options opt;
    vs_ec57_default_options(&opt);
    opt.start_s = 0.0;
    opt.end_s = 0.0;
    assert_int_equal(vs_ec57_compare(ra, kr, ta, kt, fs, &opt, res), VS_OK);
    free(ra);
    free(ta);
}

/* ---- 1. the case: record 119 ------------------------------------------------------ */

typedef struct case119 {
    const char *db;
    float *x_nan;      /* read back through the WFDB reader: invalid samples are NaN */
    float *x_spike212; /* the same burst as the old reader returned it: -15.36 mV spikes */
    float *x_spike16;  /* ... and as format 16 would have: -168.96 mV */
    size_t n;
    double fs;
    int64_t *ref;
    size_t n_ref;
} case119;

static case119 g119;

/* Builds the record: wander added in ADC units, invalid samples marked, written in
 * format 212 and read back. */
static int setup_119(void **state)
{
    (void)state;
    memset(&g119, 0, sizeof g119);
    g119.db = vs_test_mitdb_dir();
    if (!g119.db) return 0;
    char rec[4200];
    snprintf(rec, sizeof rec, "%s/119", g119.db);
    vs_wfdb_header h;
    int32_t *adc = NULL;
    int64_t n = 0;
    vs_io_error err;
    if (vs_wfdb_read_adc(rec, &h, &adc, &n, &err) != VS_OK) fail_msg("%s", err.message);
    const double fs = h.fs_hz, gain = 200.0, base = 1024.0;
    const int ns = h.n_signals;
    int32_t *ch0 = malloc((size_t)n * sizeof *ch0);
    float *s212 = malloc((size_t)n * sizeof *s212), *s16 = malloc((size_t)n * sizeof *s16);
    assert_non_null(ch0);
    assert_non_null(s212);
    assert_non_null(s16);
    int64_t a = (int64_t)(780.0 * fs), b = (int64_t)(900.0 * fs), n_invalid = 0;
    for (int64_t i = 0; i < n; i++) {
        double mv = ((double)adc[i * ns] - h.signals[0].baseline_adu) / h.signals[0].gain_adu_per_mv;
        if (i >= a && i < b) mv += 12.0 * sin(2.0 * M_PI * 0.3 * (double)(i - a) / fs);
        long v = lround(mv * gain + base);
        int invalid = v < -2048 || v > 2047;
        n_invalid += invalid;
        ch0[i] = invalid ? -2048 : (int32_t)v;
        s212[i] = (float)((ch0[i] - base) / gain);
        s16[i] = invalid ? (float)((-32768 - base) / gain) : s212[i];
    }
    vs_io_free(adc);
    assert_true(n_invalid > (int64_t)(10.0 * fs)); /* the burst does rail the ADC */

    char dir[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/vs_artefact_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    char out[512];
    snprintf(out, sizeof out, "%s/119w", dir);
    vs_wfdb_header w;
    memset(&w, 0, sizeof w);
    w.n_signals = 1;
    w.fs_hz = fs;
    w.signals[0].format = 212;
    w.signals[0].samples_per_frame = 1;
    w.signals[0].gain_adu_per_mv = gain;
    w.signals[0].baseline_adu = base;
    w.signals[0].adc_resolution_bits = 12;
    w.signals[0].adc_zero = 1024;
    if (vs_wfdb_write_record(out, &w, ch0, n, &err) != VS_OK) fail_msg("%s", err.message);
    float *y = NULL;
    int64_t ny = 0;
    if (vs_wfdb_read_signal(out, 0, &y, &ny, NULL, &err) != VS_OK) fail_msg("%s", err.message);
    assert_int_equal(ny, n);
    int64_t n_nan = 0;
    for (int64_t i = 0; i < n; i++) n_nan += isnan(y[i]);
    assert_int_equal(n_nan, n_invalid); /* the reader turned every invalid sample into NaN */
    char p[600];
    snprintf(p, sizeof p, "%s.hea", out); remove(p);
    snprintf(p, sizeof p, "%s.dat", out); remove(p);
    rmdir(dir);
    free(ch0);

    g119.x_nan = malloc((size_t)n * sizeof(float));
    assert_non_null(g119.x_nan);
    memcpy(g119.x_nan, y, (size_t)n * sizeof(float));
    vs_io_free(y);
    g119.x_spike212 = s212;
    g119.x_spike16 = s16;
    g119.n = (size_t)n;
    g119.fs = fs;
    g119.ref = read_ref_beats(g119.db, "119", &g119.n_ref);
    return 0;
}

static int teardown_119(void **state)
{
    (void)state;
    free(g119.x_nan);
    free(g119.x_spike212);
    free(g119.x_spike16);
    free(g119.ref);
    memset(&g119, 0, sizeof g119);
    return 0;
}

/* Recovery after the burst, and the per-minute beat counts of the 15 clean minutes after it
 * within 2 of the reference's. */
static void check_119(const int64_t *beats, size_t nb, const char *what)
{
    const double fs = g119.fs;
    const int64_t end = (int64_t)(900.0 * fs);
    double rec = recovery_s(beats, nb, g119.ref, g119.n_ref, end, (int64_t)g119.n, fs, 0);
    print_message("119 %-28s recovery %.2f s after the burst\n", what, rec);
    assert_true(rec <= RECOVERY_S);
    for (int minute = 16; minute < 30; minute++) {
        int64_t lo = (int64_t)(minute * 60.0 * fs), hi = (int64_t)((minute + 1) * 60.0 * fs);
        int got = 0, want = 0;
        for (size_t i = 0; i < nb; i++) got += beats[i] >= lo && beats[i] < hi;
        for (size_t i = 0; i < g119.n_ref; i++) want += g119.ref[i] >= lo && g119.ref[i] < hi;
        if (abs(got - want) > 2)
            fail_msg("119 %s minute %d: %d beats, reference %d", what, minute, got, want);
    }
}

static void test_119_wander_burst(void **state)
{
    (void)state;
    if (!g119.db) {
        skip();
        return;
    }
    struct { const float *x; const char *name; } in[3] = {
        {g119.x_nan, "NaN (reader)"}, {g119.x_spike212, "-15.36 mV spikes"},
        {g119.x_spike16, "-168.96 mV spikes"}};
    for (int k = 0; k < 3; k++) {
        char what[64];
        size_t nb;
        int64_t *b = qrs_beats(in[k].x, g119.n, g119.fs, 0, 0, &nb);
        snprintf(what, sizeof what, "%s qrs", in[k].name);
        check_119(b, nb, what);
        free(b);
        b = qrs_beats(in[k].x, g119.n, g119.fs, -40000, 1, &nb);
        snprintf(what, sizeof what, "%s qrs chunked", in[k].name);
        check_119(b, nb, what);
        free(b);
        if (k == 1 || !VS_ARTEFACT_LIGHT) {
            b = monitor_beats(in[k].x, g119.n, g119.fs, k == 0 ? 0 : -25000, &nb);
            snprintf(what, sizeof what, "%s monitor", in[k].name);
            check_119(b, nb, what);
            free(b);
        }
    }
}

/* ---- 2. randomized artefact bursts --------------------------------------------------------- */

enum { A_NAN, A_RAIL, A_SPIKES, A_INVALID, A_STEPS, A_WANDER, A_EMG, A_LEADOFF, A_KINDS };
static const char *const k_kind_names[A_KINDS] = {"NaN", "railing", "spikes", "invalid-rail",
                                                  "steps", "wander", "EMG", "lead-off"};

static double wander_at(double t, double amp, double f, double phase)
{
    return amp * sin(2.0 * M_PI * f * t + phase);
}

/* Raised-cosine taper over the first and last 0.5 s of a burst of length len_s. */
static double taper(double t, double len_s)
{
    double e = t < len_s - t ? t : len_s - t;
    return e >= 0.5 ? 1.0 : 0.5 - 0.5 * cos(M_PI * e / 0.5);
}

/* Applies one artefact of `kind` to x[a, b). */
static void apply_artefact(float *x, int64_t a, int64_t b, double fs, int kind, uint64_t *s)
{
    const double len_s = (double)(b - a) / fs;
    double amp = rng_uniform(s, 1.0, 15.0), f = exp(rng_uniform(s, log(0.05), log(2.0)));
    double phase = rng_uniform(s, 0.0, 2.0 * M_PI), rail = rng_uniform(s, 2.5, 8.0);
    switch (kind) {
    case A_NAN:
        for (int64_t i = a; i < b; i++) x[i] = NAN;
        break;
    case A_RAIL:    /* large wander clipped by the ADC: stuck at the rails */
    case A_INVALID: /* the same, railed samples replaced by the invalid code's voltage */
    {
        amp = rng_uniform(s, 6.0, 15.0);
        float bad = rng_uniform(s, 0.0, 1.0) < 0.5 ? -15.36f : -168.96f;
        for (int64_t i = a; i < b; i++) {
            double t = (double)(i - a) / fs;
            double v = x[i] + wander_at(t, amp, f, phase) * taper(t, len_s);
            if (fabs(v) > rail) v = kind == A_RAIL ? (v > 0 ? rail : -rail) : bad;
            x[i] = (float)v;
        }
        break;
    }
    case A_SPIKES: /* isolated impulses of any size: 0.5 mV .. 100 V, either sign */
    {
        double rate = rng_uniform(s, 0.5, 20.0);
        for (int64_t i = a; i < b; i++)
            if (rng_uniform(s, 0.0, 1.0) < rate / fs) {
                double size = exp(rng_uniform(s, log(0.5), log(1e5)));
                int width = 1 + (int)(rng_next(s) % 4);
                for (int64_t j = i; j < i + width && j < b; j++)
                    x[j] += (float)(rng_next(s) & 1 ? size : -size);
            }
        break;
    }
    case A_STEPS: /* electrode steps: offsets up to +-20 mV, back to 0 at the end */
    {
        int nsteps = 1 + (int)(rng_next(s) % 4);
        double offset = 0.0;
        int64_t next = a;
        for (int64_t i = a; i < b; i++) {
            if (i == next && nsteps-- > 0) {
                offset = rng_uniform(s, -20.0, 20.0);
                next = i + (int64_t)(rng_uniform(s, 0.2, 1.0) * (double)(b - i));
            }
            x[i] += (float)offset;
        }
        break;
    }
    case A_WANDER:
        for (int64_t i = a; i < b; i++) {
            double t = (double)(i - a) / fs;
            x[i] += (float)(wander_at(t, amp, f, phase) * taper(t, len_s));
        }
        break;
    case A_EMG: /* broadband muscle noise (first difference of white noise), rms 0.05-1.5 mV */
    {
        double rms = exp(rng_uniform(s, log(0.05), log(1.5))), prev = rng_gauss(s);
        for (int64_t i = a; i < b; i++) {
            double t = (double)(i - a) / fs, w = rng_gauss(s);
            x[i] += (float)(rms * (w - prev) / sqrt(2.0) * taper(t, len_s));
            prev = w;
        }
        break;
    }
    case A_LEADOFF: /* exact constant, then reconnection with a decaying electrode offset */
    default:
    {
        const float levels[3] = {0.0f, x[a], (float)rail};
        float c = levels[rng_next(s) % 3];
        double tau = rng_uniform(s, 0.1, 0.6), off = rng_uniform(s, -20.0, 20.0);
        int64_t reconnect = b - (int64_t)(6.0 * tau * fs); /* offset < 0.25 % at the end */
        if (reconnect < a) reconnect = a;
        for (int64_t i = a; i < b; i++)
            x[i] = i < reconnect ? c
                                 : (float)(x[i] + off * exp(-(double)(i - reconnect) / (tau * fs)));
        break;
    }
    }
}

typedef struct burst_plan {
    int64_t start[64], end[64];
    int kinds[64][3];
    int n_kinds[64];
    size_t n;
} burst_plan;

/* Bursts of 3-40 s separated by 25-60 s of clean signal, from 20 s to the end. */
static void plan_bursts(burst_plan *p, size_t n, double fs, uint64_t *s)
{
    memset(p, 0, sizeof *p);
    double t = 20.0, total = (double)n / fs;
    while (p->n < 64) {
        double len = rng_uniform(s, 3.0, 40.0);
        if (t + len + 25.0 > total) break;
        size_t k = p->n++;
        p->start[k] = (int64_t)(t * fs);
        p->end[k] = (int64_t)((t + len) * fs);
        int mix = rng_uniform(s, 0.0, 1.0) < 0.3;
        p->n_kinds[k] = mix ? 2 + (int)(rng_next(s) % 2) : 1;
        for (int j = 0; j < p->n_kinds[k]; j++) p->kinds[k][j] = (int)(rng_next(s) % A_KINDS);
        t += len + rng_uniform(s, 25.0, 60.0);
    }
}

typedef struct artefact_totals {
    size_t bursts, slow;
    double worst_recovery_s;
    int64_t tp, fn, fp;
} artefact_totals;

/* The reference beats the same detector finds on the untouched record: recovery means being
 * back to that, not to beats it misses anyway. */
static int64_t *found_on_clean(const int64_t *beats, size_t nb, const int64_t *ref, size_t nr,
                               double fs, size_t *n_found)
{
    int64_t win = (int64_t)(MATCH_S * fs + 0.5);
    int64_t *t = malloc((nr + 1) * sizeof *t);
    assert_non_null(t);
    size_t k = 0;
    for (size_t i = 0; i < nr; i++)
        if (detected(beats, nb, ref[i], win)) t[k++] = ref[i];
    *n_found = k;
    return t;
}

/* Runs one detector output against the plan: recovery after every burst (against the beats
 * found on the clean record), Se on clean parts (against the reference). */
static void score_run(const char *label, const int64_t *beats, size_t nb, const int64_t *ref,
                      size_t nr, const int64_t *found, size_t n_found, const burst_plan *p,
                      size_t n, double fs, artefact_totals *tot)
{
    int64_t from[65], to[65];
    for (size_t k = 0; k < p->n; k++) {
        int64_t clean_end = k + 1 < p->n ? p->start[k + 1] : (int64_t)n;
        double r = recovery_s(beats, nb, found, n_found, p->end[k], clean_end, fs, 1);
        if (r > tot->worst_recovery_s) tot->worst_recovery_s = r;
        if (r > RECOVERY_S) { /* reported here, failed at the end (every slow burst listed) */
            char kinds[96] = "";
            for (int j = 0; j < p->n_kinds[k]; j++) {
                strcat(kinds, k_kind_names[p->kinds[k][j]]);
                strcat(kinds, j + 1 < p->n_kinds[k] ? "+" : "");
            }
            print_message("SLOW %s: burst %zu (%s, %.1f-%.1f s): beats back only after %.1f s\n",
                          label, k, kinds, (double)p->start[k] / fs, (double)p->end[k] / fs, r);
            tot->slow++;
            if (getenv("VS_ARTEFACT_DEBUG")) { /* the beats to find and the beats found */
                int64_t t0 = p->end[k], t1 = p->end[k] + (int64_t)((r < 40 ? r : 40) * fs);
                print_message("  found:");
                for (size_t i = 0; i < n_found; i++)
                    if (found[i] >= t0 && found[i] <= t1)
                        print_message(" %.2f", (double)found[i] / fs);
                print_message("\n  beats:");
                for (size_t i = 0; i < nb; i++)
                    if (beats[i] >= t0 - (int64_t)(3 * fs) && beats[i] <= t1)
                        print_message(" %.2f", (double)beats[i] / fs);
                print_message("\n");
            }
        }
        from[k] = p->end[k] + (int64_t)(RECOVERY_S * fs);
        to[k] = clean_end;
    }
    vs_ec57_result res;
    clean_scores(beats, nb, ref, nr, from, to, p->n, fs, &res);
    tot->bursts += p->n;
    tot->tp += res.tp;
    tot->fn += res.fn;
    tot->fp += res.fp;
}

/* FNV-1a of a record name: each record's bursts depend on the seed and its name only. */
static uint64_t name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *name; name++) h = (h ^ (uint8_t)*name) * 0x100000001b3ull;
    return h;
}

/* Runs every record under every seed: seed j of record r draws its bursts from the stream
 * seeded by seeds[j] and the record's name (the same plan whatever the record list). Odd runs are chunked with state
 * round trips and checked against one call; the monitor runs too. Every slow burst is listed,
 * then the test fails if there was any. */
static void run_random_artefacts(const char *const *records, size_t n_records,
                                 const uint64_t *seeds, size_t n_seeds)
{
    const char *db = vs_test_mitdb_dir();
    if (!db) {
        skip();
        return;
    }
    artefact_totals qrs_tot = {0}, mon_tot = {0};
    size_t run = 0;
    for (size_t r = 0; r < n_records; r++) {
        int64_t n = 0;
        double fs = 0;
        float *x0 = vs_test_read_mitdb(db, records[r], &n, &fs);
        float *x = malloc((size_t)n * sizeof *x);
        assert_non_null(x);
        size_t nr, nb, n_qrs_ok, n_mon_ok = 0;
        int64_t *ref = read_ref_beats(db, records[r], &nr), *mon_ok = NULL;
        int64_t *b = qrs_beats(x0, (size_t)n, fs, 0, 0, &nb);
        int64_t *qrs_ok = found_on_clean(b, nb, ref, nr, fs, &n_qrs_ok);
        free(b);
        b = monitor_beats(x0, (size_t)n, fs, 0, &nb);
        mon_ok = found_on_clean(b, nb, ref, nr, fs, &n_mon_ok);
        free(b);
        for (size_t j = 0; j < n_seeds; j++, run++) {
            uint64_t s = seeds[j] ^ name_hash(records[r]);
            memcpy(x, x0, (size_t)n * sizeof *x);
            burst_plan plan;
            plan_bursts(&plan, (size_t)n, fs, &s);
            for (size_t k = 0; k < plan.n; k++)
                for (int i = 0; i < plan.n_kinds[k]; i++)
                    apply_artefact(x, plan.start[k], plan.end[k], fs, plan.kinds[k][i], &s);
            const int chunked = (int)(run % 2);
            char label[96];
            b = qrs_beats(x, (size_t)n, fs, chunked ? -30000 : 0, chunked, &nb);
            if (chunked) { /* chunks and state round trips change nothing, artefacts or not */
                size_t nb1;
                int64_t *b1 = qrs_beats(x, (size_t)n, fs, 0, 0, &nb1);
                assert_int_equal(nb1, nb);
                assert_memory_equal(b1, b, nb * sizeof *b);
                free(b1);
            }
            snprintf(label, sizeof label, "%s seed %#llx qrs%s", records[r],
                     (unsigned long long)seeds[j], chunked ? " chunked" : "");
            score_run(label, b, nb, ref, nr, qrs_ok, n_qrs_ok, &plan, (size_t)n, fs, &qrs_tot);
            free(b);
            b = monitor_beats(x, (size_t)n, fs, chunked ? 0 : -20000, &nb);
            snprintf(label, sizeof label, "%s seed %#llx monitor%s", records[r],
                     (unsigned long long)seeds[j], chunked ? "" : " chunked");
            score_run(label, b, nb, ref, nr, mon_ok, n_mon_ok, &plan, (size_t)n, fs, &mon_tot);
            free(b);
        }
        free(qrs_ok);
        free(mon_ok);
        free(ref);
        free(x);
        vs_io_free(x0);
    }
    double se = vs_ec57_percent(qrs_tot.tp, qrs_tot.tp + qrs_tot.fn);
    double ppv = vs_ec57_percent(qrs_tot.tp, qrs_tot.tp + qrs_tot.fp);
    double mse = vs_ec57_percent(mon_tot.tp, mon_tot.tp + mon_tot.fn);
    print_message("vs_qrs: %zu bursts in %zu records x %zu seeds, worst recovery %.2f s, %zu slow; "
                  "clean parts Se %.2f %% +P %.2f %% (TP %lld FN %lld FP %lld)\n",
                  qrs_tot.bursts, n_records, n_seeds, qrs_tot.worst_recovery_s, qrs_tot.slow, se,
                  ppv, (long long)qrs_tot.tp, (long long)qrs_tot.fn, (long long)qrs_tot.fp);
    print_message("vs_monitor: worst recovery %.2f s, %zu slow; clean parts Se %.2f %% +P %.2f %%\n",
                  mon_tot.worst_recovery_s, mon_tot.slow, mse,
                  vs_ec57_percent(mon_tot.tp, mon_tot.tp + mon_tot.fp));
    assert_true(qrs_tot.bursts >= 15 * n_records * n_seeds);
    assert_int_equal(qrs_tot.slow, 0);
    assert_int_equal(mon_tot.slow, 0);
    assert_true(se >= 99.5);
    assert_true(mse >= 99.5);
}

/* CI: 5 MIT-BIH DS1 records x 4 seeds (20 runs, each through vs_qrs and vs_monitor). Env:
 * VS_ARTEFACT_SEED=N runs seed N alone; VS_ARTEFACT_SEEDS=K runs K seeds (from the CI seed, or
 * from VS_ARTEFACT_SEED) — the heavy variant; VS_ARTEFACT_RECORDS=ds1 runs all 22 DS1 records, =NAME one record. */
static void test_random_artefacts(void **state)
{
    (void)state;
    static const char *const ci[] = {"106", "119", "208", "230", "101"};
    static const char *const light[] = {"106", "230"};
    static const char *const ds1[] = {"101", "106", "108", "109", "112", "114", "115", "116",
                                      "118", "119", "122", "124", "201", "203", "205", "207",
                                      "208", "209", "215", "220", "223", "230"};
    const char *env = getenv("VS_ARTEFACT_SEED"), *envk = getenv("VS_ARTEFACT_SEEDS");
    const char *envr = getenv("VS_ARTEFACT_RECORDS");
    uint64_t base = env ? strtoull(env, NULL, 0) : 0x5EED0011ull;
    size_t k = envk ? strtoul(envk, NULL, 0) : (env ? 1 : (VS_ARTEFACT_LIGHT ? 1 : 4));
    uint64_t seeds[256]; /* on the stack: a failed assertion leaks nothing */
    if (k < 1) k = 1;
    if (k > sizeof seeds / sizeof seeds[0]) k = sizeof seeds / sizeof seeds[0];
    for (size_t j = 0; j < k; j++) seeds[j] = base + j;
    if (envr && strcmp(envr, "ds1") == 0)
        run_random_artefacts(ds1, sizeof ds1 / sizeof ds1[0], seeds, k);
    else if (envr && *envr) /* one record by name */
        run_random_artefacts(&envr, 1, seeds, k);
    else if (VS_ARTEFACT_LIGHT)
        run_random_artefacts(light, 2, seeds, k);
    else
        run_random_artefacts(ci, 5, seeds, k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_119_wander_burst, setup_119, teardown_119),
        cmocka_unit_test(test_random_artefacts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
