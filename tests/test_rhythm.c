/* test_rhythm.c — vs_rhythm on synthetic beat sequences: every detector, noisy-beat
 * suppression, parameters, events, and the portable state (round trip between every beat,
 * corrupt blobs leave the object unchanged). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/rhythm.h"
#include "vitalstream/state.h"
#include "test_support.h"

#define FS 360.0
#define MAXB 4000

enum { N = 0, S = 1, V = 2 };

typedef struct seq {
    int64_t t[MAXB];
    int cls[MAXB];
    int q[MAXB];
    size_t n;
} seq;

/* Deterministic generator (no rand: identical everywhere). */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void add(seq *s, double rr_s, int cls)
{
    int64_t prev = s->n ? s->t[s->n - 1] : 1000;
    s->t[s->n] = prev + (int64_t)(rr_s * FS + 0.5);
    s->cls[s->n] = cls;
    s->q[s->n] = 0;
    s->n++;
}

static void sinus(seq *s, size_t n, double rr_s)
{
    for (size_t i = 0; i < n; i++) add(s, rr_s * (1.0 + 0.01 * (double)(i % 3)), N);
}

/* AF-like: RR uniform in [0.45, 1.05] s. */
static void afib(seq *s, size_t n, uint32_t *st)
{
    for (size_t i = 0; i < n; i++) add(s, 0.45 + 0.6 * (double)(lcg(st) % 1000) / 1000.0, N);
}

typedef struct run_out {
    vs_rhythm_event ev[2000];
    size_t n;
} run_out;

static void run(const seq *s, vs_rhythm *r, run_out *o, int finish)
{
    o->n = 0;
    vs_rhythm_event ev[8];
    for (size_t i = 0; i < s->n; i++) {
        size_t ne = 99;
        assert_int_equal(vs_rhythm_push_beat(r, s->t[i], s->cls[i], s->q[i], ev, 8, &ne), VS_OK);
        assert_true(ne <= vs_rhythm_max_events_per_beat());
        for (size_t k = 0; k < ne && o->n < 2000; k++) o->ev[o->n++] = ev[k];
    }
    if (finish) {
        size_t ne = 0;
        assert_int_equal(vs_rhythm_finish(r, s->t[s->n - 1] + 10, ev, 8, &ne), VS_OK);
        for (size_t k = 0; k < ne && o->n < 2000; k++) o->ev[o->n++] = ev[k];
    }
}

static size_t count(const run_out *o, int kind, int type)
{
    size_t c = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->ev[i].kind == kind && o->ev[i].type == type) c++;
    return c;
}

static const vs_rhythm_event *first(const run_out *o, int kind, int type)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->ev[i].kind == kind && o->ev[i].type == type) return &o->ev[i];
    return NULL;
}

static seq g_s;
static run_out g_o, g_o2;

static void fresh_run(int finish)
{
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    run(&g_s, r, &g_o, finish);
    vs_rhythm_destroy(r);
    if (getenv("VS_RHYTHM_TEST_VERBOSE"))
        for (size_t i = 0; i < g_o.n; i++)
            printf("  kind %d type %2d onset %lld offset %lld at %lld value %.1f\n",
                   g_o.ev[i].kind, g_o.ev[i].type, (long long)g_o.ev[i].onset_idx,
                   (long long)g_o.ev[i].offset_idx, (long long)g_o.ev[i].emitted_idx,
                   g_o.ev[i].value);
}

static void test_sinus_regular(void **st)
{
    (void)st;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 300, 0.8);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_SINUS), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 0);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
    const vs_rhythm_event *e = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_SINUS);
    assert_non_null(e);
    assert_int_equal(e->onset_idx, g_s.t[0]); /* back-dated to the first beat */
    const vs_rhythm_event *end = first(&g_o, VS_RHYTHM_KIND_EPISODE_END, VS_RHYTHM_SINUS);
    assert_non_null(end);
    assert_int_equal(end->offset_idx, g_s.t[g_s.n - 1] + 10);
}

static void test_brady_tachy(void **st)
{
    (void)st;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 60, 0.8);   /* 75 bpm */
    sinus(&g_s, 60, 1.5);   /* 40 bpm */
    sinus(&g_s, 60, 0.8);
    sinus(&g_s, 100, 0.4);  /* 150 bpm */
    sinus(&g_s, 60, 0.8);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BRADY), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_TACHY), 1);
    const vs_rhythm_event *b = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BRADY);
    assert_true(b->value < 50.0f && b->value > 30.0f);
    /* onset within a few beats of the change at beat 60 */
    assert_true(b->onset_idx >= g_s.t[54] && b->onset_idx <= g_s.t[64]);
    const vs_rhythm_event *t = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_TACHY);
    assert_true(t->value > 120.0f);
    assert_string_equal(vs_rhythm_aux_string(VS_RHYTHM_TACHY), "(SVTA");
    assert_string_equal(vs_rhythm_aux_string(VS_RHYTHM_BRADY), "(SBR");
}

static void test_pause_asystole(void **st)
{
    (void)st;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 30, 0.8);
    add(&g_s, 3.0, N);  /* pause */
    sinus(&g_s, 30, 0.8);
    add(&g_s, 5.0, N);  /* asystole */
    sinus(&g_s, 30, 0.8);
    fresh_run(0);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 1);
    const vs_rhythm_event *p = first(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE);
    assert_int_equal(p->onset_idx, g_s.t[29]);
    assert_int_equal(p->offset_idx, g_s.t[30]);
    assert_int_equal(p->severity, VS_RHYTHM_WARNING);
    assert_true(p->value > 2990.0f && p->value < 3010.0f);
    const vs_rhythm_event *a = first(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    assert_int_equal(a->severity, VS_RHYTHM_CRITICAL);
    /* the same pause with an unreadable closing beat is not reported */
    g_s.q[30] = 2;
    fresh_run(0);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
}

static void test_afib(void **st)
{
    (void)st;
    uint32_t seed = 12345;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 200, 0.8);
    afib(&g_s, 400, &seed);
    sinus(&g_s, 200, 0.8);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 1);
    const vs_rhythm_event *s = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB);
    const vs_rhythm_event *e = first(&g_o, VS_RHYTHM_KIND_EPISODE_END, VS_RHYTHM_AFIB);
    assert_non_null(s);
    assert_non_null(e);
    assert_string_equal(vs_rhythm_aux_string(s->type), "(AFIB");
    /* onset back-dated to within ~20 beats of the true start (beat 200), end near beat 600 */
    assert_true(s->onset_idx >= g_s.t[190] && s->onset_idx <= g_s.t[225]);
    assert_true(e->offset_idx >= g_s.t[570] && e->offset_idx <= g_s.t[640]);
    assert_true(s->emitted_idx > s->onset_idx);
}

/* Runs g_s through a fresh detector with the atrial coherence coh(i, variant) at beat i. */
static void run_atrial(double (*coh)(size_t i, int variant), int variant)
{
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    g_o.n = 0;
    vs_rhythm_event ev[8];
    for (size_t i = 0; i < g_s.n; i++) {
        size_t ne = 0;
        assert_int_equal(vs_rhythm_push_beat_atrial(r, g_s.t[i], g_s.cls[i], 0, coh(i, variant),
                                                    ev, 8, &ne),
                         VS_OK);
        for (size_t k = 0; k < ne && g_o.n < 2000; k++) g_o.ev[g_o.n++] = ev[k];
    }
    vs_rhythm_destroy(r);
}

/* 100 sinus beats, 400 AF beats, then sinus again (n_after beats). */
static void sinus_af_sinus(uint32_t seed, size_t n_after)
{
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 100, 0.8);
    afib(&g_s, 400, &seed);
    sinus(&g_s, n_after, 0.8);
}

/* P waves in sinus rhythm; in AF one beat in 15 looks coherent. */
static double coh_odd_beat(size_t i, int variant)
{
    (void)variant;
    int in_af = i >= 100 && i < 500;
    return !in_af ? 0.9 : (i % 15 == 0 ? 0.9 : 0.3);
}

/* In AF, a single beat whose PR window happens to look coherent (atrial coherence above
 * AF_END_ATRIAL) must not split the episode: before, it ended AF and the next vote restarted it
 * at the same sample, which wrote a zero-length "(N" between two "(AFIB". A sustained return of
 * P waves still ends it. */
static void test_afib_single_coherent_beat_keeps_episode(void **st)
{
    (void)st;
    sinus_af_sinus(777, 100);
    run_atrial(coh_odd_beat, 0);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 1);
    const vs_rhythm_event *e = first(&g_o, VS_RHYTHM_KIND_EPISODE_END, VS_RHYTHM_AFIB);
    assert_non_null(e);
    assert_true(e->offset_idx >= g_s.t[470] && e->offset_idx <= g_s.t[530]);
}

/* Coherence 1 all along (variant 0) or from beat 300 on (variant 1). */
static double coh_full(size_t i, int variant)
{
    return (!variant || i >= 300) ? 1.0 : 0.3;
}

/* Atrial coherence 1 (organised atrial activity, as vs_monitor reports large atrial waves) does
 * not veto clearly irregular RR (issue 15): AF starts all the same (variant 0, and variant 1
 * where the coherence rises in the middle of it). */
static void test_afib_full_coherence_does_not_veto(void **st)
{
    (void)st;
    sinus_af_sinus(4242, 50);
    for (int variant = 0; variant < 2; variant++) {
        run_atrial(coh_full, variant);
        /* it may break up where the RR are briefly not clearly irregular, but starts early */
        assert_true(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB) >= 1);
        const vs_rhythm_event *e = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB);
        assert_non_null(e);
        assert_true(e->onset_idx <= g_s.t[140]);
    }
}

static void test_afib_noisy_suppressed(void **st)
{
    (void)st;
    uint32_t seed = 777;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 100, 0.8);
    afib(&g_s, 400, &seed);
    for (size_t i = 100; i < 500; i++) g_s.q[i] = (i % 2) ? 1 : 2;
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 0);
    /* V-labelled irregular beats: not AF either (ectopy is not AF evidence) */
    for (size_t i = 100; i < 500; i++) {
        g_s.q[i] = 0;
        g_s.cls[i] = (i % 2) ? V : S;
    }
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 0);
}

static void test_ectopy_not_af(void **st)
{
    (void)st;
    /* sinus with frequent unlabelled premature beats + compensatory pauses */
    memset(&g_s, 0, sizeof g_s);
    for (int k = 0; k < 150; k++) {
        sinus(&g_s, 3, 0.8);
        add(&g_s, 0.5, N);
        add(&g_s, 1.1, N);
    }
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB), 0);
}

static void make_pattern(const char *pat, int cycles)
{
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 20, 0.8);
    for (int c = 0; c < cycles; c++)
        for (const char *p = pat; *p; p++) add(&g_s, *p == 'V' ? 0.5 : 1.1, *p == 'V' ? V : N);
    sinus(&g_s, 20, 0.8);
}

static void test_bigeminy_trigeminy(void **st)
{
    (void)st;
    make_pattern("NV", 20);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BIGEMINY), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_TRIGEMINY), 0);
    const vs_rhythm_event *b = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BIGEMINY);
    assert_true(b->onset_idx >= g_s.t[19] && b->onset_idx <= g_s.t[22]);
    assert_string_equal(vs_rhythm_aux_string(b->type), "(B");
    make_pattern("NNV", 20);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_TRIGEMINY), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BIGEMINY), 0);
    assert_string_equal(vs_rhythm_aux_string(VS_RHYTHM_TRIGEMINY), "(T");
    /* too few cycles: nothing */
    make_pattern("NV", 2);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_BIGEMINY), 0);
}

static void make_run(int len, double rr_s)
{
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 20, 0.8);
    for (int i = 0; i < len; i++) add(&g_s, rr_s, V);
    sinus(&g_s, 20, 0.8);
}

static void test_couplet_vt(void **st)
{
    (void)st;
    make_run(2, 0.45);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 0);
    const vs_rhythm_event *c = first(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET);
    assert_int_equal(c->onset_idx, g_s.t[20]);
    assert_int_equal(c->offset_idx, g_s.t[21]);

    make_run(3, 0.45); /* 133 bpm */
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_VT), 1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET), 0);
    const vs_rhythm_event *v = first(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT);
    assert_int_equal(v->onset_idx, g_s.t[20]);
    assert_int_equal(v->severity, VS_RHYTHM_CRITICAL);
    assert_true(v->value > 125.0f && v->value < 140.0f);
    const vs_rhythm_event *ve = first(&g_o, VS_RHYTHM_KIND_EPISODE_END, VS_RHYTHM_VT);
    assert_non_null(ve);
    assert_true(ve->offset_idx > g_s.t[22] && ve->offset_idx <= g_s.t[23]);
    assert_string_equal(vs_rhythm_aux_string(VS_RHYTHM_VT), "(VT");

    make_run(10, 0.45);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 1);
    ve = first(&g_o, VS_RHYTHM_KIND_EPISODE_END, VS_RHYTHM_VT);
    assert_true(ve->offset_idx > g_s.t[29] && ve->offset_idx <= g_s.t[30]);

    /* slow run (idioventricular, 50 bpm): no VT */
    make_run(10, 1.2);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 0);
    /* a noisy beat inside the run: no VT */
    make_run(4, 0.45);
    g_s.q[22] = 1;
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 0);
}

/* Runs of VT a few seconds apart (as in ventricular flutter broken up by odd beats) raise one
 * VT alarm per VT_REALARM_S, while every run is still reported as a (VT episode. */
static void test_vt_realarm_interval(void **st)
{
    (void)st;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 20, 0.8);
    for (int k = 0; k < 12; k++) { /* a 5-beat run at 150/min every ~5 s for a minute */
        for (int i = 0; i < 5; i++) add(&g_s, 0.4, V);
        sinus(&g_s, 4, 0.8);
    }
    sinus(&g_s, 60, 0.8);
    for (int i = 0; i < 5; i++) add(&g_s, 0.4, V); /* a run 48 s after the last one */
    sinus(&g_s, 10, 0.8);
    fresh_run(1);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT), 13);
    size_t alarms = count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_VT);
    /* runs every 5.2 s: alarms for the first and the seventh (31 s later), then the late run */
    assert_int_equal(alarms, 3);
    /* 0 = an alarm for every run */
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    assert_int_equal(vs_rhythm_set_param(r, VS_RHYTHM_VT_REALARM_S, 0.0), VS_OK);
    run(&g_s, r, &g_o, 1);
    vs_rhythm_destroy(r);
    assert_int_equal(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_VT), 13);
}

static void test_params_and_misuse(void **st)
{
    (void)st;
    vs_rhythm *r = NULL;
    double lo, hi, d, v;
    for (int p = 1; p <= 18; p++) {
        assert_int_equal(vs_rhythm_param_bounds((vs_rhythm_param)p, &lo, &hi, &d), VS_OK);
        assert_true(lo <= d && d <= hi);
    }
    assert_int_equal(vs_rhythm_param_bounds((vs_rhythm_param)0, &lo, &hi, &d),
                     VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_rhythm_param_bounds((vs_rhythm_param)19, &lo, &hi, &d),
                     VS_E_UNKNOWN_PARAM);
    assert_int_equal(vs_rhythm_create(&r, 50.0), VS_E_FS_OUT_OF_RANGE);
    assert_null(r);
    assert_int_equal(vs_rhythm_create(NULL, FS), VS_E_NULL_ARG);
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    for (int p = 1; p <= 17; p++) {
        vs_rhythm_param_bounds((vs_rhythm_param)p, &lo, &hi, &d);
        assert_int_equal(vs_rhythm_get_param(r, (vs_rhythm_param)p, &v), VS_OK);
        assert_true(v == d);
        assert_int_equal(vs_rhythm_set_param(r, (vs_rhythm_param)p, hi + 1.0),
                         VS_E_PARAM_OUT_OF_RANGE);
        assert_int_equal(vs_rhythm_set_param(r, (vs_rhythm_param)p, lo - 0.01),
                         VS_E_PARAM_OUT_OF_RANGE);
        assert_int_equal(vs_rhythm_set_param(r, (vs_rhythm_param)p, hi), VS_OK);
        assert_int_equal(vs_rhythm_get_param(r, (vs_rhythm_param)p, &v), VS_OK);
        assert_true(v == hi);
    }
    assert_int_equal(vs_rhythm_set_param(r, VS_RHYTHM_VT_MIN_BEATS, 3.5),
                     VS_E_PARAM_OUT_OF_RANGE);
    assert_int_equal(vs_rhythm_set_param(r, (vs_rhythm_param)99, 1.0), VS_E_UNKNOWN_PARAM);
    vs_rhythm_reset(r); /* keeps parameters */
    assert_int_equal(vs_rhythm_get_param(r, VS_RHYTHM_TACHY_BPM, &v), VS_OK);
    assert_true(v == 250.0);

    vs_rhythm_event ev[8];
    size_t ne = 7;
    assert_int_equal(vs_rhythm_push_beat(r, 100, 0, 0, ev, 2, &ne), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(ne, 0);
    assert_int_equal(vs_rhythm_push_beat(r, 100, 5, 0, ev, 8, &ne), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_push_beat(r, 100, 0, 3, ev, 8, &ne), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_push_beat(r, -1, 0, 0, ev, 8, &ne), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_push_beat(NULL, 100, 0, 0, ev, 8, &ne), VS_E_NULL_ARG);
    assert_int_equal(vs_rhythm_push_beat(r, 100, 0, 0, ev, 8, &ne), VS_OK);
    assert_int_equal(vs_rhythm_push_beat(r, 100, 0, 0, ev, 8, &ne), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_push_beat(r, 50, 0, 0, ev, 8, &ne), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_beats_seen(r), 1);
    assert_int_equal(vs_rhythm_finish(r, 10, ev, 8, &ne), VS_E_INVALID_ARG);
    int type = -1;
    int64_t onset = 0;
    assert_int_equal(vs_rhythm_current(r, &type, &onset), VS_OK);
    assert_int_equal(type, VS_RHYTHM_UNKNOWN);
    assert_int_equal(onset, -1);
    assert_int_equal(vs_rhythm_event_struct_size(), sizeof(vs_rhythm_event));
    assert_int_equal(sizeof(vs_rhythm_event), 40);
    assert_string_equal(vs_rhythm_aux_string(VS_RHYTHM_SINUS), "(N");
    assert_string_equal(vs_rhythm_aux_string(999), "");
    assert_string_equal(vs_rhythm_type_name(VS_RHYTHM_ALARM_PAUSE), "pause");
    vs_rhythm_destroy(r);
    vs_rhythm_destroy(NULL);

    /* init_static */
    static uint64_t mem[512];
    assert_true(vs_rhythm_workspace_size() <= sizeof mem);
    assert_int_equal(vs_rhythm_init_static(&r, mem, 8, FS), VS_E_NO_MEMORY);
    assert_int_equal(vs_rhythm_init_static(&r, mem, sizeof mem, FS), VS_OK);
    vs_rhythm_destroy(r);
}

/* A long mixed sequence that exercises every detector. */
static void mixed_sequence(void)
{
    uint32_t seed = 4242;
    memset(&g_s, 0, sizeof g_s);
    sinus(&g_s, 40, 0.8);
    afib(&g_s, 200, &seed);
    sinus(&g_s, 60, 0.8);
    for (int c = 0; c < 8; c++) { add(&g_s, 1.1, N); add(&g_s, 0.5, V); }
    sinus(&g_s, 20, 0.8);
    for (int i = 0; i < 6; i++) add(&g_s, 0.45, V);
    sinus(&g_s, 10, 0.8);
    add(&g_s, 0.45, V);
    add(&g_s, 0.45, V);
    sinus(&g_s, 10, 0.8);
    add(&g_s, 3.2, N);
    sinus(&g_s, 40, 1.6);
    for (size_t i = 50; i < 60; i++) g_s.q[i] = 1;
}

static void test_state_round_trip_every_beat(void **st)
{
    (void)st;
    mixed_sequence();
    fresh_run(1); /* reference run */
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    assert_int_equal(vs_rhythm_set_param(r, VS_RHYTHM_PAUSE_S, 3.0), VS_OK);
    vs_rhythm_set_param(r, VS_RHYTHM_PAUSE_S, 2.5);
    uint8_t blob[1024];
    size_t max_size = 0;
    g_o2.n = 0;
    vs_rhythm_event ev[8];
    for (size_t i = 0; i < g_s.n; i++) {
        size_t ne = 0, w = 0;
        assert_int_equal(vs_rhythm_push_beat(r, g_s.t[i], g_s.cls[i], g_s.q[i], ev, 8, &ne),
                         VS_OK);
        for (size_t k = 0; k < ne; k++) g_o2.ev[g_o2.n++] = ev[k];
        size_t sz = vs_rhythm_state_size(r);
        assert_true(sz <= 500);
        if (sz > max_size) max_size = sz;
        assert_int_equal(vs_rhythm_state_save(r, blob, sizeof blob, &w), VS_OK);
        assert_int_equal(w, sz);
        vs_rhythm_destroy(r);
        r = NULL;
        assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
        assert_int_equal(vs_rhythm_state_load(r, blob, w), VS_OK);
        /* saving again gives the same bytes */
        uint8_t blob2[1024];
        size_t w2 = 0;
        assert_int_equal(vs_rhythm_state_save(r, blob2, sizeof blob2, &w2), VS_OK);
        assert_int_equal(w2, w);
        assert_memory_equal(blob, blob2, w);
    }
    size_t ne = 0;
    assert_int_equal(vs_rhythm_finish(r, g_s.t[g_s.n - 1] + 10, ev, 8, &ne), VS_OK);
    for (size_t k = 0; k < ne; k++) g_o2.ev[g_o2.n++] = ev[k];
    vs_rhythm_destroy(r);
    assert_int_equal(g_o.n, g_o2.n);
    assert_memory_equal(g_o.ev, g_o2.ev, g_o.n * sizeof(vs_rhythm_event));
    /* the sequence really exercised the detectors */
    assert_true(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_AFIB) >= 1);
    assert_true(count(&g_o, VS_RHYTHM_KIND_EPISODE_START, VS_RHYTHM_VT) >= 1);
    assert_true(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET) >= 1);
    assert_true(count(&g_o, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE) >= 1);
    assert_true(max_size > 300);
}

static void test_state_corrupt(void **st)
{
    (void)st;
    mixed_sequence();
    vs_rhythm *r = NULL, *other = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    vs_rhythm_event ev[8];
    size_t ne;
    for (size_t i = 0; i < 300; i++)
        vs_rhythm_push_beat(r, g_s.t[i], g_s.cls[i], g_s.q[i], ev, 8, &ne);
    uint8_t blob[1024], before[1024], after[1024], bad[1024];
    size_t w = 0, wb = 0, wa = 0;
    assert_int_equal(vs_rhythm_state_save(r, blob, sizeof blob, &w), VS_OK);
    assert_int_equal(vs_rhythm_state_save(r, blob, 10, &wb), VS_E_BUFFER_TOO_SMALL);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(blob, w, &info), VS_OK);
    assert_int_equal(info.module_id, VS_MODULE_RHYTHM);

    assert_int_equal(vs_rhythm_create(&other, FS), VS_OK);
    for (size_t i = 0; i < 20; i++)
        vs_rhythm_push_beat(other, g_s.t[i], g_s.cls[i], g_s.q[i], ev, 8, &ne);
    assert_int_equal(vs_rhythm_state_save(other, before, sizeof before, &wb), VS_OK);

    assert_int_equal(vs_rhythm_state_load(other, blob, 10), VS_E_STATE_TRUNCATED);
    assert_int_equal(vs_rhythm_state_load(other, blob, w - 1), VS_E_STATE_TRUNCATED);
    memcpy(bad, blob, w);
    bad[0] ^= 0xFF;
    assert_int_equal(vs_rhythm_state_load(other, bad, w), VS_E_STATE_BAD_MAGIC);
    memcpy(bad, blob, w);
    bad[4] = 0x7F;
    vs_test_state_reseal(bad, w); /* a real newer blob: the checksum is checked first */
    assert_int_equal(vs_rhythm_state_load(other, bad, w), VS_E_STATE_NEWER_VERSION);
    memcpy(bad, blob, w);
    bad[w - 3] ^= 0x10;
    assert_int_equal(vs_rhythm_state_load(other, bad, w), VS_E_STATE_BAD_CHECKSUM);
    /* module id changed, CRC recomputed */
    memcpy(bad, blob, w);
    bad[6] = 2;
    {
        uint8_t tmp[1024];
        memcpy(tmp, bad, 20);
        memcpy(tmp + 20, bad + 24, w - 24);
        uint32_t crc = vs_crc32(tmp, w - 4);
        bad[20] = (uint8_t)crc; bad[21] = (uint8_t)(crc >> 8);
        bad[22] = (uint8_t)(crc >> 16); bad[23] = (uint8_t)(crc >> 24);
    }
    assert_int_equal(vs_rhythm_state_load(other, bad, w), VS_E_STATE_WRONG_MODULE);
    /* fs mismatch */
    vs_rhythm *r250 = NULL;
    assert_int_equal(vs_rhythm_create(&r250, 250.0), VS_OK);
    assert_int_equal(vs_rhythm_state_load(r250, blob, w), VS_E_STATE_MISMATCH);
    vs_rhythm_destroy(r250);
    /* a field out of range (first parameter = 1e6), CRC recomputed */
    memcpy(bad, blob, w);
    {
        double big = 1.0e6;
        uint64_t bits;
        memcpy(&bits, &big, 8);
        for (int k = 0; k < 8; k++) bad[24 + k] = (uint8_t)(bits >> (8 * k));
        uint8_t tmp[1024];
        memcpy(tmp, bad, 20);
        memcpy(tmp + 20, bad + 24, w - 24);
        uint32_t crc = vs_crc32(tmp, w - 4);
        bad[20] = (uint8_t)crc; bad[21] = (uint8_t)(crc >> 8);
        bad[22] = (uint8_t)(crc >> 16); bad[23] = (uint8_t)(crc >> 24);
    }
    assert_int_equal(vs_rhythm_state_load(other, bad, w), VS_E_STATE_CORRUPT);
    assert_int_equal(vs_rhythm_state_load(NULL, blob, w), VS_E_NULL_ARG);
    /* every failed load left the object unchanged */
    assert_int_equal(vs_rhythm_state_save(other, after, sizeof after, &wa), VS_OK);
    assert_int_equal(wa, wb);
    assert_memory_equal(before, after, wa);
    vs_rhythm_destroy(r);
    vs_rhythm_destroy(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sinus_regular),
        cmocka_unit_test(test_brady_tachy),
        cmocka_unit_test(test_pause_asystole),
        cmocka_unit_test(test_afib),
        cmocka_unit_test(test_afib_single_coherent_beat_keeps_episode),
        cmocka_unit_test(test_afib_full_coherence_does_not_veto),
        cmocka_unit_test(test_afib_noisy_suppressed),
        cmocka_unit_test(test_ectopy_not_af),
        cmocka_unit_test(test_bigeminy_trigeminy),
        cmocka_unit_test(test_couplet_vt),
        cmocka_unit_test(test_vt_realarm_interval),
        cmocka_unit_test(test_params_and_misuse),
        cmocka_unit_test(test_state_round_trip_every_beat),
        cmocka_unit_test(test_state_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
