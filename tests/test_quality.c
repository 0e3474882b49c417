/* test_quality.c — vs_quality: levels on synthetic ECG (clean, flat, railed, missing, EMG,
 * baseline wander, recovery), hysteresis bounds, chunk invariance with state save/load between
 * chunks, corrupt blobs, parameters and misuse. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/quality.h"
#include "vitalstream/state.h"
#include "vitalstream/synth.h"

typedef struct sig {
    float *x;
    size_t n;
    double fs;
} sig;

static sig make_synth(double fs, double dur_s, uint64_t seed, double emg_mv, double baseline_mv,
                      double noise_mv)
{
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.fs_hz = fs;
    cfg.duration_s = dur_s;
    cfg.seed = seed;
    cfg.emg_mv = emg_mv;
    cfg.baseline_mv = baseline_mv;
    cfg.noise_mv = noise_mv;
    sig s;
    s.fs = fs;
    assert_int_equal(vs_synth_num_samples(&cfg, &s.n), VS_OK);
    s.x = malloc(s.n * sizeof *s.x);
    assert_non_null(s.x);
    assert_int_equal(vs_synth_generate(&cfg, s.x, s.n, NULL, 0, NULL), VS_OK);
    return s;
}

/* Runs the whole signal in one call; returns the events (malloc'ed) and the final level. */
static vs_quality_event *run_all(const sig *s, size_t *n_ev, vs_quality_level *final)
{
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, s->fs), VS_OK);
    size_t cap = vs_quality_max_events(q, s->n);
    vs_quality_event *ev = calloc(cap, sizeof *ev);
    assert_non_null(ev);
    assert_int_equal(vs_quality_process(q, s->x, s->n, ev, cap, n_ev), VS_OK);
    if (final) *final = vs_quality_current(q);
    vs_quality_destroy(q);
    return ev;
}

static size_t idx(const sig *s, double t_s) { return (size_t)llround(t_s * s->fs); }

/* The level in force at sample k according to the events. */
static int level_at(const vs_quality_event *ev, size_t n_ev, int64_t k)
{
    int lv = VS_QUALITY_GOOD;
    for (size_t i = 0; i < n_ev && ev[i].sample_idx <= k; i++) lv = ev[i].level;
    return lv;
}

static void test_clean_is_good(void **state)
{
    (void)state;
    const double rates[] = {128, 250, 360, 500, 1000};
    for (size_t r = 0; r < 5; r++) {
        sig s = make_synth(rates[r], 180, 11 + r, 0.005, 0.1, 0.01);
        size_t n_ev = 9;
        vs_quality_level fin;
        vs_quality_event *ev = run_all(&s, &n_ev, &fin);
        if (n_ev) fprintf(stderr, "fs %g: %zu events, first level %d reasons %#x at %lld\n",
                          rates[r], n_ev, ev[0].level, ev[0].reasons, (long long)ev[0].sample_idx);
        assert_int_equal(n_ev, 0);
        assert_int_equal(fin, VS_QUALITY_GOOD);
        free(ev);
        free(s.x);
    }
}

/* clean 0..20 s, then [t0, t1) replaced by fill(), then clean again; expects one unreadable
 * stretch covering [t0, t1) with the given reason and a return to good afterwards. */
typedef void (*fill_fn)(sig *s, size_t a, size_t b);

static void fill_flat(sig *s, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) s->x[k] = 0.37f;
}

static void fill_nan(sig *s, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) s->x[k] = (k % 3) ? NAN : INFINITY;
}

/* A railed amplifier: 600 ms stuck at +5 mV, then 400 ms of signal, repeatedly. */
static void fill_railed(sig *s, size_t a, size_t b)
{
    size_t period = idx(s, 1.0), stuck = idx(s, 0.6);
    for (size_t k = a; k < b; k++)
        if ((k - a) % period < stuck) s->x[k] = 5.0f;
        else s->x[k] = s->x[k] * 3.0f + 1.0f;
}

static void check_unreadable(fill_fn fill, uint32_t reason)
{
    const double rates[] = {128, 360, 1000};
    for (size_t r = 0; r < 3; r++) {
        sig s = make_synth(rates[r], 60, 5, 0.005, 0.1, 0.01);
        size_t a = idx(&s, 20), b = idx(&s, 30);
        fill(&s, a, b);
        size_t n_ev;
        vs_quality_level fin;
        vs_quality_event *ev = run_all(&s, &n_ev, &fin);
        size_t seg = idx(&s, 1.0);
        int found_bad = 0, found_good = 0;
        for (size_t i = 0; i < n_ev; i++) {
            assert_true(ev[i].decided_idx >= ev[i].sample_idx);
            if (ev[i].level == VS_QUALITY_UNREADABLE) {
                found_bad = 1;
                assert_true(ev[i].reasons & reason);
                assert_true(ev[i].score >= 1.0f);
                /* onset within one segment of the true start; decided within 2 segments */
                assert_true(ev[i].sample_idx + (int64_t)seg >= (int64_t)a);
                assert_true(ev[i].sample_idx <= (int64_t)(a + seg));
                assert_true(ev[i].decided_idx <= (int64_t)(a + 3 * seg));
            }
            if (ev[i].level == VS_QUALITY_GOOD && found_bad) {
                found_good = 1;
                assert_true(ev[i].sample_idx >= (int64_t)(b - seg));
                assert_true(ev[i].decided_idx <= (int64_t)(b + 4 * seg));
            }
        }
        assert_true(found_bad);
        assert_true(found_good);
        assert_int_equal(fin, VS_QUALITY_GOOD);
        /* the middle of the stretch is unreadable */
        assert_int_equal(level_at(ev, n_ev, (int64_t)((a + b) / 2)), VS_QUALITY_UNREADABLE);
        free(ev);
        free(s.x);
    }
}

static void test_flat_unreadable(void **state)
{
    (void)state;
    check_unreadable(fill_flat, VS_QUALITY_FLAT);
}

static void test_missing_unreadable(void **state)
{
    (void)state;
    check_unreadable(fill_nan, VS_QUALITY_MISSING);
}

static void test_railed_unreadable(void **state)
{
    (void)state;
    check_unreadable(fill_railed, VS_QUALITY_SATURATED);
}

static void test_short_gaps_stay_good(void **state)
{
    (void)state;
    sig s = make_synth(360, 60, 8, 0.005, 0.1, 0.01);
    /* 100 ms of NaN every 5 s: shorter than the missing limit */
    for (size_t t = 5; t < 60; t += 5)
        for (size_t k = idx(&s, (double)t); k < idx(&s, t + 0.1); k++) s.x[k] = NAN;
    size_t n_ev;
    vs_quality_level fin;
    vs_quality_event *ev = run_all(&s, &n_ev, &fin);
    assert_int_equal(n_ev, 0);
    assert_int_equal(fin, VS_QUALITY_GOOD);
    free(ev);
    free(s.x);
}

/* clean 0..30 s, noisy version of the same beats 30..60 s, clean 60..90 s */
static void check_noisy(double emg_mv, double baseline_mv, uint32_t reason)
{
    const double rates[] = {128, 360, 1000};
    for (size_t r = 0; r < 3; r++) {
        sig c = make_synth(rates[r], 90, 21, 0.005, 0.1, 0.01);
        sig z = make_synth(rates[r], 90, 21, emg_mv, baseline_mv, 0.01);
        size_t a = idx(&c, 30), b = idx(&c, 60), seg = idx(&c, 1.0);
        memcpy(c.x + a, z.x + a, (b - a) * sizeof *c.x);
        size_t n_ev;
        vs_quality_level fin;
        vs_quality_event *ev = run_all(&c, &n_ev, &fin);
        assert_true(n_ev >= 2);
        assert_int_equal(ev[0].level, VS_QUALITY_NOISY);
        assert_true(ev[0].reasons & reason);
        assert_true(ev[0].sample_idx + (int64_t)seg >= (int64_t)a);
        assert_true(ev[0].decided_idx <= (int64_t)(a + 4 * seg));
        /* mostly noisy inside, never unreadable */
        size_t noisy = 0, tot = 0;
        for (size_t k = a + 4 * seg; k < b; k += seg / 4, tot++) {
            int lv = level_at(ev, n_ev, (int64_t)k);
            assert_int_not_equal(lv, VS_QUALITY_UNREADABLE);
            noisy += lv == VS_QUALITY_NOISY;
        }
        assert_true(noisy * 10 >= tot * 9);
        /* back to good after the noise: the last event is good, within the hysteresis bound */
        const vs_quality_event *last = &ev[n_ev - 1];
        assert_int_equal(last->level, VS_QUALITY_GOOD);
        assert_int_equal(last->reasons, 0);
        assert_true(last->sample_idx >= (int64_t)(b - seg));
        assert_true(last->decided_idx <= (int64_t)(b + 4 * seg));
        assert_int_equal(fin, VS_QUALITY_GOOD);
        free(ev);
        free(c.x);
        free(z.x);
    }
}

static void test_emg_noisy(void **state)
{
    (void)state;
    check_noisy(0.4, 0.1, VS_QUALITY_HF_NOISE);
}

static void test_baseline_noisy(void **state)
{
    (void)state;
    check_noisy(0.005, 4.0, VS_QUALITY_BASELINE);
}

/* Hysteresis: a single bad segment never changes the level; HOLD_SEGMENTS = 1 does. */
static void test_hysteresis(void **state)
{
    (void)state;
    sig s = make_synth(360, 30, 3, 0.005, 0.1, 0.01);
    /* one flat segment, aligned on the 1 s grid */
    fill_flat(&s, idx(&s, 10), idx(&s, 11));
    size_t n_ev;
    vs_quality_event *ev = run_all(&s, &n_ev, NULL);
    assert_int_equal(n_ev, 0);
    free(ev);
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, 360), VS_OK);
    assert_int_equal(vs_quality_set_param(q, VS_QUALITY_HOLD_SEGMENTS, 1), VS_OK);
    size_t cap = vs_quality_max_events(q, s.n);
    ev = calloc(cap, sizeof *ev);
    assert_int_equal(vs_quality_process(q, s.x, s.n, ev, cap, &n_ev), VS_OK);
    assert_true(n_ev >= 2);
    assert_int_equal(ev[0].level, VS_QUALITY_UNREADABLE);
    assert_int_equal(ev[0].sample_idx, (int64_t)idx(&s, 10));
    assert_int_equal(ev[0].decided_idx, (int64_t)idx(&s, 11) - 1);
    assert_int_equal(vs_quality_current(q), VS_QUALITY_GOOD);
    free(ev);
    vs_quality_destroy(q);
    free(s.x);
}

/* ---- chunk invariance ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static vs_quality_event *run_chunked(const sig *s, long chunk, int save_load, size_t *n_ev,
                                     vs_quality_level *fin)
{
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, s->fs), VS_OK);
    size_t cap = vs_quality_max_events(q, s->n) + 16;
    vs_quality_event *ev = calloc(cap, sizeof *ev);
    assert_non_null(ev);
    size_t k = 0, pos = 0;
    uint8_t blob[512];
    while (pos < s->n) {
        size_t len = chunk > 0 ? (size_t)chunk : 1 + (size_t)(rng() % (size_t)(-chunk));
        if (len > s->n - pos) len = s->n - pos;
        size_t need = vs_quality_max_events(q, len), got = 0;
        assert_true(k + need <= cap);
        assert_int_equal(vs_quality_process(q, s->x + pos, len, ev + k, need, &got), VS_OK);
        k += got;
        pos += len;
        if (save_load) {
            size_t w = 0;
            assert_true(vs_quality_state_size(q) <= sizeof blob);
            assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
            assert_int_equal(w, vs_quality_state_size(q));
            vs_quality_destroy(q);
            q = NULL;
            assert_int_equal(vs_quality_create(&q, s->fs), VS_OK);
            assert_int_equal(vs_quality_state_load(q, blob, w), VS_OK);
        }
    }
    *n_ev = k;
    *fin = vs_quality_current(q);
    vs_quality_destroy(q);
    return ev;
}

/* A record with every kind of trouble in it. */
static sig make_mixed(double fs)
{
    sig s = make_synth(fs, 150, 99, 0.005, 0.1, 0.01);
    sig z = make_synth(fs, 150, 99, 0.5, 3.0, 0.05);
    memcpy(s.x + idx(&s, 20), z.x + idx(&s, 20), (idx(&s, 35) - idx(&s, 20)) * sizeof *s.x);
    fill_flat(&s, idx(&s, 50), idx(&s, 58));
    fill_nan(&s, idx(&s, 70), idx(&s, 75.5));
    fill_railed(&s, idx(&s, 90), idx(&s, 100));
    memcpy(s.x + idx(&s, 120), z.x + idx(&s, 120), (idx(&s, 127.3) - idx(&s, 120)) * sizeof *s.x);
    free(z.x);
    return s;
}

/* vs_quality_still_samples counts the run of missing or identical input up to the last sample;
 * vs_quality_segment_remaining counts down to the end of the analysis segment (1 s by default)
 * and no level change is ever reported before it. */
static void test_still_samples_and_segment_remaining(void **state)
{
    (void)state;
    sig s = make_synth(250, 20, 5, 0.0, 0.0, 0.01);
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, s.fs), VS_OK);
    vs_quality_event ev[8];
    size_t n_ev = 0, seg = 250;
    assert_int_equal(vs_quality_segment_remaining(q), seg);
    assert_int_equal(vs_quality_process(q, s.x, 100, ev, 8, &n_ev), VS_OK);
    assert_int_equal(vs_quality_segment_remaining(q), seg - 100);
    assert_int_equal(vs_quality_still_samples(q), 1); /* noisy ECG: no two samples alike */
    /* 30 identical samples, then 40 missing ones, then ECG again */
    for (size_t i = 100; i < 130; i++) s.x[i] = 0.25f;
    for (size_t i = 130; i < 170; i++) s.x[i] = NAN;
    assert_int_equal(vs_quality_process(q, s.x + 100, 30, ev, 8, &n_ev), VS_OK);
    assert_int_equal(vs_quality_still_samples(q), 30);
    assert_int_equal(vs_quality_process(q, s.x + 130, 40, ev, 8, &n_ev), VS_OK);
    assert_int_equal(vs_quality_still_samples(q), 40);
    assert_int_equal(vs_quality_process(q, s.x + 170, 10, ev, 8, &n_ev), VS_OK);
    assert_int_equal(vs_quality_still_samples(q), 1);
    assert_int_equal(vs_quality_segment_remaining(q), seg - 180);
    /* through the rest: changes only ever come at a segment end */
    for (size_t pos = 180; pos < s.n;) {
        size_t left = vs_quality_segment_remaining(q), len = left > 1 ? left - 1 : 1;
        if (len > s.n - pos) len = s.n - pos;
        assert_true(left >= 1 && left <= seg);
        assert_int_equal(vs_quality_process(q, s.x + pos, len, ev, 8, &n_ev), VS_OK);
        if (left > 1) assert_int_equal(n_ev, 0);
        pos += len;
        if (pos < s.n) {
            assert_int_equal(vs_quality_process(q, s.x + pos, 1, ev, 8, &n_ev), VS_OK);
            pos++;
        }
    }
    assert_int_equal(vs_quality_still_samples(NULL), 0);
    assert_int_equal(vs_quality_segment_remaining(NULL), 0);
    vs_quality_destroy(q);
    free(s.x);
}

static void test_chunk_invariance(void **state)
{
    (void)state;
    static const long chunks[] = {1, 7, 360, 65536, -500, -5000};
    const double rates[] = {128, 360, 1000};
    for (size_t r = 0; r < 3; r++) {
        sig s = make_mixed(rates[r]);
        size_t n_ref;
        vs_quality_level fin_ref;
        vs_quality_event *ref = run_all(&s, &n_ref, &fin_ref);
        /* the mixed record must exercise every level */
        int seen[3] = {0, 0, 0};
        for (size_t i = 0; i < n_ref; i++) seen[ref[i].level] = 1;
        assert_true(seen[0] && seen[1] && seen[2]);
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            for (int sl = 0; sl < 2; sl++) {
                if (chunks[c] == 1 && sl && rates[r] > 360) continue; /* slow, 360 Hz covers it */
                size_t n_ev;
                vs_quality_level fin;
                vs_quality_event *ev = run_chunked(&s, chunks[c], sl, &n_ev, &fin);
                assert_int_equal(n_ev, n_ref);
                assert_memory_equal(ev, ref, n_ev * sizeof *ev);
                assert_int_equal(fin, fin_ref);
                free(ev);
            }
        }
        free(ref);
        free(s.x);
    }
}

/* ---- state blobs ---- */

static void fix_crc(uint8_t *b, size_t len)
{
    uint8_t *tmp = malloc(len);
    assert_non_null(tmp);
    memcpy(tmp, b, 20);
    memcpy(tmp + 20, b + 24, len - 24);
    uint32_t c = vs_crc32(tmp, len - 4);
    for (int i = 0; i < 4; i++) b[20 + i] = (uint8_t)(c >> (8 * i));
    free(tmp);
}

static void test_state_blobs(void **state)
{
    (void)state;
    sig s = make_mixed(360);
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, 360), VS_OK);
    size_t cap = vs_quality_max_events(q, s.n), n_ev;
    vs_quality_event *ev = calloc(cap, sizeof *ev);
    /* stop in the middle of a segment inside the noisy stretch */
    size_t part = idx(&s, 27.4);
    assert_int_equal(vs_quality_process(q, s.x, part, ev, cap, &n_ev), VS_OK);
    size_t len = vs_quality_state_size(q);
    assert_true(len <= 300); /* documented budget at 360 Hz */
    uint8_t good[512], before[512], after[512], bad[512];
    size_t w = 0;
    assert_int_equal(vs_quality_state_save(q, good, sizeof good, &w), VS_OK);
    assert_int_equal(w, len);
    assert_int_equal(vs_quality_state_save(q, good, len - 1, &w), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_quality_state_save(q, good, sizeof good, &w), VS_OK);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(good, len, &info), VS_OK);
    assert_int_equal(info.module_id, VS_MODULE_QUALITY);

    /* the object being loaded into: a different history, must stay unchanged on failure */
    vs_quality *t = NULL;
    assert_int_equal(vs_quality_create(&t, 360), VS_OK);
    assert_int_equal(vs_quality_process(t, s.x, idx(&s, 3.3), ev, cap, &n_ev), VS_OK);
    assert_int_equal(vs_quality_state_save(t, before, sizeof before, &w), VS_OK);
    size_t len_t = w;

    struct {
        const char *what;
        size_t len;
        int mutate; /* 0 none, 1 magic, 2 version, 3 module, 4 payload bit, 5 bad param */
        vs_status want;
    } cases[] = {
        {"empty", 0, 0, VS_E_STATE_TRUNCATED},
        {"header only", 20, 0, VS_E_STATE_TRUNCATED},
        {"truncated payload", len - 5, 0, VS_E_STATE_TRUNCATED},
        {"bad magic", len, 1, VS_E_STATE_BAD_MAGIC},
        {"newer version", len, 2, VS_E_STATE_NEWER_VERSION},
        {"wrong module", len, 3, VS_E_STATE_WRONG_MODULE},
        {"bit flip", len, 4, VS_E_STATE_BAD_CHECKSUM},
        {"out of range", len, 5, VS_E_STATE_CORRUPT},
        {"bad level", len, 6, VS_E_STATE_CORRUPT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(bad, good, len);
        switch (cases[i].mutate) {
        case 1: bad[0] = 'X'; break;
        case 2: bad[4] = 0xFF; fix_crc(bad, len); break;
        case 3: bad[6] = VS_MODULE_QRS; fix_crc(bad, len); break;
        case 4: bad[len / 2] ^= 0x10; break;
        case 5: { /* segment_ms (first payload field) = 1e9 */
            double v = 1e9;
            uint64_t u;
            memcpy(&u, &v, 8);
            for (int k = 0; k < 8; k++) bad[24 + k] = (uint8_t)(u >> (8 * k));
            fix_crc(bad, len);
            break;
        }
        case 6: /* level byte: after the score (f32), reasons (u32), onset (i64) and 4 u8 */
            bad[len - 4 - 4 - 8 - 4] = 9;
            fix_crc(bad, len);
            break;
        default: break;
        }
        vs_status st = vs_quality_state_load(t, bad, cases[i].len);
        if (st != cases[i].want) fprintf(stderr, "%s: got %d\n", cases[i].what, st);
        assert_int_equal(st, cases[i].want);
        assert_int_equal(vs_quality_state_save(t, after, sizeof after, &w), VS_OK);
        assert_int_equal(w, len_t);
        assert_memory_equal(after, before, w);
    }
    /* fs mismatch */
    vs_quality *u = NULL;
    assert_int_equal(vs_quality_create(&u, 250), VS_OK);
    assert_int_equal(vs_quality_state_load(u, good, len), VS_E_STATE_MISMATCH);
    vs_quality_destroy(u);
    /* the good blob loads and continues exactly like the original */
    assert_int_equal(vs_quality_state_load(t, good, len), VS_OK);
    size_t n1, n2;
    vs_quality_event *e2 = calloc(cap, sizeof *e2);
    assert_int_equal(vs_quality_process(q, s.x + part, s.n - part, ev, cap, &n1), VS_OK);
    assert_int_equal(vs_quality_process(t, s.x + part, s.n - part, e2, cap, &n2), VS_OK);
    assert_int_equal(n1, n2);
    assert_true(n1 > 0);
    assert_memory_equal(ev, e2, n1 * sizeof *ev);
    free(e2);
    free(ev);
    vs_quality_destroy(t);
    vs_quality_destroy(q);
    free(s.x);
}

/* ---- golden blob: format version 1 must keep loading, and the same run must keep writing
 * these bytes on every platform (x86-64, wasm32, Python). Made from the run in golden_input. */
static const uint8_t k_golden_v1[] = {
    0x56, 0x53, 0x53, 0x54, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x80, 0x76, 0x40, 0x0e, 0x01, 0x00, 0x00, 0xe8, 0xf8, 0xb0, 0xa8,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x8f, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x40, 0x7b, 0x14, 0xae, 0x47, 0xe1, 0x7a, 0x94, 0x3f,
    0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x72, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xc0, 0x72, 0x40, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xd3, 0x3f,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, 0xb4, 0x2d, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x80, 0x14, 0xae, 0xd7,
    0x3f, 0x3c, 0x65, 0x65, 0x04, 0xf9, 0x3c, 0xca, 0xbf, 0x3c, 0x65, 0x65,
    0x04, 0xf9, 0x3c, 0xca, 0x3f, 0x85, 0xcb, 0xd1, 0x5b, 0xff, 0x82, 0x7a,
    0xab, 0xcc, 0xb9, 0xd9, 0x91, 0x89, 0xf2, 0x45, 0x2b, 0x00, 0x00, 0x00,
    0x80, 0x14, 0xae, 0xd7, 0x3f, 0xe8, 0x57, 0xe0, 0x9a, 0x20, 0x7b, 0x9e,
    0xbf, 0xef, 0x57, 0xe0, 0x9a, 0x20, 0x7b, 0x9e, 0xbf, 0x00, 0x00, 0x00,
    0x80, 0x14, 0xae, 0xd7, 0x3f, 0x53, 0xc2, 0xf2, 0x4f, 0x57, 0xb5, 0xd7,
    0x3f, 0x70, 0x9d, 0x86, 0xb1, 0x81, 0x4d, 0xd7, 0xbf, 0xb4, 0x00, 0x00,
    0x00, 0xb4, 0x00, 0x00, 0x00, 0xa4, 0x70, 0xbd, 0x3e, 0xa4, 0x70, 0xbd,
    0x3e, 0xa4, 0x70, 0xbd, 0x3e, 0x84, 0x03, 0x00, 0x00, 0x84, 0x03, 0x00,
    0x00, 0x84, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x50, 0x56, 0xff, 0x9f, 0x7c, 0x7e, 0x4b, 0x1f, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x80, 0x66, 0x39, 0x00, 0x00, 0x80, 0x23, 0x9d, 0xad, 0xbd,
    0x3e, 0xa1, 0xac, 0xbe, 0x3e, 0x01, 0xe7, 0x63, 0xc6, 0x58, 0x40, 0xb8,
    0x86, 0x2f, 0x00, 0x00, 0x00, 0x70, 0x44, 0x3d, 0x5e, 0x3a, 0x00, 0x50,
    0x60, 0x28, 0x8c, 0x02, 0xa1, 0x3e, 0xd3, 0xad, 0xbe, 0x3e, 0x02, 0x00,
    0x01, 0x02, 0x30, 0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f, 0x00,
    0x00, 0x00, 0x00, 0x24, 0x74, 0x49};

static sig golden_input(void)
{
    sig s = make_synth(360, 40, 4242, 0.4, 2.0, 0.01);
    fill_flat(&s, idx(&s, 30), idx(&s, 33));
    return s;
}

static void test_golden_blob(void **state)
{
    (void)state;
    sig s = golden_input();
    size_t cut = (size_t)(360 * 32.5);
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, 360), VS_OK);
    vs_quality_event ev[256], ev2[256];
    size_t n1 = 0, n2 = 0;
    assert_int_equal(vs_quality_process(q, s.x, cut, ev, 256, &n1), VS_OK);
    uint8_t blob[512];
    size_t w = 0;
    assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
    assert_int_equal(w, sizeof k_golden_v1);
    /* same fields as the v1 blob: magic, module, fs, length and payload (the format version
     * and therefore the CRC moved on in version 2, whose quality payload is unchanged) */
    assert_memory_equal(blob, k_golden_v1, 4);
    assert_memory_equal(blob + 6, k_golden_v1 + 6, 14);
    assert_memory_equal(blob + 24, k_golden_v1 + 24, w - 24);
    /* a fresh object loaded from the golden bytes continues like the original */
    vs_quality *t = NULL;
    assert_int_equal(vs_quality_create(&t, 360), VS_OK);
    assert_int_equal(vs_quality_state_load(t, k_golden_v1, sizeof k_golden_v1), VS_OK);
    assert_int_equal(vs_quality_current(t), VS_QUALITY_UNREADABLE);
    assert_int_equal(vs_quality_samples_seen(t), (int64_t)cut);
    assert_int_equal(vs_quality_process(q, s.x + cut, s.n - cut, ev, 256, &n1), VS_OK);
    assert_int_equal(vs_quality_process(t, s.x + cut, s.n - cut, ev2, 256, &n2), VS_OK);
    assert_int_equal(n1, n2);
    assert_true(n1 >= 1);
    assert_memory_equal(ev, ev2, n1 * sizeof *ev);
    assert_int_equal(ev[n1 - 1].level, VS_QUALITY_NOISY); /* the record is noisy throughout */
    vs_quality_destroy(t);
    vs_quality_destroy(q);
    free(s.x);
}

/* ---- parameters and misuse ---- */

static void test_params(void **state)
{
    (void)state;
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, 360), VS_OK);
    for (int p = VS_QUALITY_SEGMENT_MS; p <= VS_QUALITY_BASELINE_RATIO; p++) {
        double lo, hi, d, v;
        assert_int_equal(vs_quality_param_bounds((vs_quality_param)p, &lo, &hi, &d), VS_OK);
        assert_true(lo < hi && d >= lo && d <= hi);
        assert_int_equal(vs_quality_get_param(q, (vs_quality_param)p, &v), VS_OK);
        assert_true(v == d);
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, lo), VS_OK);
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, hi), VS_OK);
        assert_int_equal(vs_quality_get_param(q, (vs_quality_param)p, &v), VS_OK);
        assert_true(v == hi);
        double below = lo - (fabs(lo) * 0.01 + 1e-6), above = hi * 1.01 + 1e-6;
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, below),
                         VS_E_PARAM_OUT_OF_RANGE);
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, above),
                         VS_E_PARAM_OUT_OF_RANGE);
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, NAN),
                         VS_E_PARAM_OUT_OF_RANGE);
        assert_int_equal(vs_quality_get_param(q, (vs_quality_param)p, &v), VS_OK);
        assert_true(v == hi);
        assert_int_equal(vs_quality_set_param(q, (vs_quality_param)p, d), VS_OK);
    }
    double v;
    assert_int_equal(vs_quality_param_bounds((vs_quality_param)99, NULL, NULL, NULL),
                     VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_quality_set_param(q, (vs_quality_param)0, 1.0), VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_quality_get_param(q, (vs_quality_param)99, &v), VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_quality_get_param(q, VS_QUALITY_HF_RATIO, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_quality_set_param(NULL, VS_QUALITY_HF_RATIO, 1.0), VS_E_NULL_ARG);
    /* a shorter segment takes effect at once; parameters survive reset and state load */
    size_t bound = vs_quality_max_events(q, 1800);
    assert_true(bound >= 1800 / 90 + 1); /* 250 ms segments at 360 Hz */
    assert_int_equal(vs_quality_set_param(q, VS_QUALITY_SEGMENT_MS, 250), VS_OK);
    assert_int_equal(vs_quality_max_events(q, 1800), bound); /* independent of the parameters */
    {
        /* 250 ms segments alternating flat / busy with HOLD 1: an event at every segment end */
        float y[1800];
        for (size_t k = 0; k < 1800; k++)
            y[k] = (k / 90) % 2 ? (float)((k % 3) * 0.5) : 0.0f;
        vs_quality_event evs[64];
        size_t ne = 0;
        assert_int_equal(vs_quality_set_param(q, VS_QUALITY_HOLD_SEGMENTS, 1), VS_OK);
        assert_int_equal(vs_quality_process(q, y, 1800, evs, bound, &ne), VS_OK);
        assert_true(ne >= 10 && ne <= bound);
        assert_int_equal(vs_quality_set_param(q, VS_QUALITY_HOLD_SEGMENTS, 2), VS_OK);
    }
    assert_int_equal(vs_quality_set_param(q, VS_QUALITY_SEGMENT_MS, 500), VS_OK);
    vs_quality_reset(q);
    assert_int_equal(vs_quality_get_param(q, VS_QUALITY_SEGMENT_MS, &v), VS_OK);
    assert_true(v == 500);
    uint8_t blob[512];
    size_t w;
    assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
    vs_quality *t = NULL;
    assert_int_equal(vs_quality_create(&t, 360), VS_OK);
    assert_int_equal(vs_quality_state_load(t, blob, w), VS_OK);
    assert_int_equal(vs_quality_get_param(t, VS_QUALITY_SEGMENT_MS, &v), VS_OK);
    assert_true(v == 500);
    vs_quality_destroy(t);
    vs_quality_destroy(q);
}

static void test_misuse(void **state)
{
    (void)state;
    assert_int_equal(vs_quality_event_struct_size(), 32);
    assert_int_equal(sizeof(vs_quality_event), vs_quality_event_struct_size());
    vs_quality *q = (vs_quality *)&q;
    assert_int_equal(vs_quality_create(&q, 50), VS_E_FS_OUT_OF_RANGE);
    assert_null(q);
    assert_int_equal(vs_quality_create(&q, NAN), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_quality_create(&q, 2000), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_quality_create(NULL, 360), VS_E_NULL_ARG);
    assert_int_equal(vs_quality_workspace_size(10), 0);
    vs_quality_destroy(NULL);
    vs_quality_reset(NULL);
    assert_int_equal(vs_quality_current(NULL), VS_QUALITY_GOOD);
    assert_int_equal(vs_quality_max_events(NULL, 10), 0);
    assert_int_equal(vs_quality_state_size(NULL), 0);

    /* caller memory */
    size_t ws = vs_quality_workspace_size(360);
    assert_true(ws > 0);
    double *mem = malloc(ws);
    assert_int_equal(vs_quality_init_static(&q, mem, ws - 1, 360), VS_E_NO_MEMORY);
    assert_int_equal(vs_quality_init_static(&q, mem, ws, 360), VS_OK);
    assert_true(vs_quality_fs_hz(q) == 360.0);
    float x[720];
    for (size_t i = 0; i < 720; i++) x[i] = (float)sin(0.1 * (double)i);
    vs_quality_event ev[16];
    size_t n_ev = 7;
    assert_int_equal(vs_quality_process(q, NULL, 10, ev, 16, &n_ev), VS_E_NULL_ARG);
    assert_int_equal(n_ev, 0);
    assert_int_equal(vs_quality_process(q, x, 10, ev, 8, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_quality_process(q, x, 720, ev, 2, &n_ev), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_quality_samples_seen(q), 0); /* nothing consumed */
    assert_int_equal(vs_quality_process(q, x, 720, NULL, 8, &n_ev), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_quality_process(q, x, 0, NULL, 0, &n_ev), VS_OK);
    assert_int_equal(vs_quality_process(q, x, 720, ev, 16, &n_ev), VS_OK);
    assert_int_equal(vs_quality_samples_seen(q), 720);
    vs_quality_reset(q);
    assert_int_equal(vs_quality_samples_seen(q), 0);
    uint8_t blob[512];
    size_t w;
    assert_int_equal(vs_quality_state_save(q, NULL, 512, &w), VS_E_NULL_ARG);
    assert_int_equal(vs_quality_state_load(q, NULL, 10), VS_E_NULL_ARG);
    assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
    /* extreme finite input keeps the state savable and loadable */
    vs_quality_reset(q);
    for (size_t i = 0; i < 720; i++) x[i] = -FLT_MAX;
    assert_int_equal(vs_quality_process(q, x, 720, ev, 16, &n_ev), VS_OK);
    for (size_t i = 0; i < 720; i++) x[i] = FLT_MAX; /* the low-pass overshoots this step */
    assert_int_equal(vs_quality_process(q, x, 500, ev, 16, &n_ev), VS_OK);
    assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
    assert_int_equal(vs_quality_state_load(q, blob, w), VS_OK);
    vs_quality_destroy(q); /* no-op for caller memory */
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_is_good),
        cmocka_unit_test(test_flat_unreadable),
        cmocka_unit_test(test_missing_unreadable),
        cmocka_unit_test(test_railed_unreadable),
        cmocka_unit_test(test_short_gaps_stay_good),
        cmocka_unit_test(test_emg_noisy),
        cmocka_unit_test(test_baseline_noisy),
        cmocka_unit_test(test_hysteresis),
        cmocka_unit_test(test_still_samples_and_segment_remaining),
        cmocka_unit_test(test_chunk_invariance),
        cmocka_unit_test(test_state_blobs),
        cmocka_unit_test(test_golden_blob),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
