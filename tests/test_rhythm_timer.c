/* test_rhythm_timer.c — the time-driven alarms of vs_rhythm (vs_rhythm_advance): pause and
 * asystole raised at the sample their threshold is reached, not at the beat that ends them, and
 * not again by that beat (also with a beat held back, as vs_monitor's classifier does); the
 * technical alarm "signal lost / leads off" and its end; deadlines that match what advance
 * does; misuse; and a state round trip in the middle of a silence. */
#include <math.h>
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
#define CAP 8

typedef struct timeline {
    vs_rhythm_event ev[64];
    size_t n;
} timeline;

static void keep(timeline *tl, const vs_rhythm_event *ev, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        assert_true(tl->n < 64);
        tl->ev[tl->n++] = ev[k];
    }
}

static void beat(vs_rhythm *r, int64_t t, timeline *tl)
{
    vs_rhythm_event ev[CAP];
    size_t n = 0;
    assert_int_equal(vs_rhythm_push_beat(r, t, 0, 0, ev, CAP, &n), VS_OK);
    keep(tl, ev, n);
}

/* advance at every sample of [from, to] */
static void tick(vs_rhythm *r, int64_t from, int64_t to, int64_t last_beat, int lost,
                 int64_t since, timeline *tl)
{
    vs_rhythm_event ev[CAP];
    for (int64_t t = from; t <= to; t++) {
        size_t n = 0;
        assert_int_equal(vs_rhythm_advance(r, t, last_beat, lost, since, ev, CAP, &n), VS_OK);
        keep(tl, ev, n);
    }
}

static size_t count(const timeline *tl, int kind, int type)
{
    size_t c = 0;
    for (size_t i = 0; i < tl->n; i++) c += tl->ev[i].kind == kind && tl->ev[i].type == type;
    return c;
}

static const vs_rhythm_event *find(const timeline *tl, int kind, int type)
{
    for (size_t i = 0; i < tl->n; i++)
        if (tl->ev[i].kind == kind && tl->ev[i].type == type) return &tl->ev[i];
    return NULL;
}

static vs_rhythm *sinus(int64_t *last, timeline *tl)
{
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, FS), VS_OK);
    int64_t t = 1000;
    for (int i = 0; i < 20; i++, t += 288) beat(r, t, tl);
    *last = t - 288;
    return r;
}

/* The heart stops: pause at exactly PAUSE_S, asystole at exactly ASYSTOLE_S after the last
 * beat, each once, open (offset -1); the beat that ends the silence raises neither again. */
static void test_asystole_raised_in_time(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    size_t before = tl.n;
    tick(r, last, last + 8 * 360, -1, 0, 0, &tl);
    const vs_rhythm_event *p = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE);
    const vs_rhythm_event *a = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    assert_non_null(p);
    assert_non_null(a);
    assert_int_equal(tl.n - before, 2);
    assert_int_equal(p->emitted_idx, last + 900); /* 2.5 s */
    assert_int_equal(a->emitted_idx, last + 1440); /* 4.0 s */
    assert_int_equal(a->onset_idx, last);
    assert_int_equal(a->offset_idx, -1);
    assert_int_equal(a->severity, VS_RHYTHM_CRITICAL);
    assert_int_equal(p->severity, VS_RHYTHM_WARNING);
    assert_true(fabsf(a->value - 4000.0f) < 1.0f);
    beat(r, last + 9 * 360, &tl);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 1);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
    /* the next silence is a new one */
    tick(r, last + 9 * 360, last + 9 * 360 + 1440, -1, 0, 0, &tl);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 2);
    vs_rhythm_destroy(r);
}

/* The deadline is where advance first raises something, and nothing is raised before it. */
static void test_deadline_matches_advance(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    assert_int_equal(vs_rhythm_set_param(r, VS_RHYTHM_PAUSE_S, 2.0011), VS_OK);
    int64_t d = vs_rhythm_next_deadline(r, -1, 0, 0);
    assert_true(d > last);
    size_t before = tl.n;
    tick(r, last, d - 1, -1, 0, 0, &tl);
    assert_int_equal(tl.n, before);
    tick(r, d, d, -1, 0, 0, &tl);
    assert_int_equal(tl.n, before + 1);
    /* the same rule as the beat-driven pause: d samples are >= 2.0011 s, d - 1 are not */
    assert_true((double)(d - last) / FS >= 2.0011 && (double)(d - 1 - last) / FS < 2.0011);
    int64_t d2 = vs_rhythm_next_deadline(r, -1, 0, 0);
    assert_int_equal(d2, last + 1440);
    tick(r, d + 1, d2, -1, 0, 0, &tl);
    assert_int_equal(vs_rhythm_next_deadline(r, -1, 0, 0), INT64_MAX);
    /* a beat detected but not yet pushed moves the silence */
    assert_int_equal(vs_rhythm_next_deadline(r, last + 2000, 0, 0), last + 2000 + 720 + 1);
    vs_rhythm_destroy(r);
}

/* A pause between the two thresholds: the ending beat does not raise it a second time, and
 * without vs_rhythm_advance the beat-driven alarm is still there; a worse one is raised. */
static void test_pause_not_raised_twice(void **st)
{
    (void)st;
    for (int timed = 0; timed <= 1; timed++) {
        timeline tl = {0};
        int64_t last = 0;
        vs_rhythm *r = sinus(&last, &tl);
        if (timed) tick(r, last, last + 1000, -1, 0, 0, &tl);
        beat(r, last + 1080, &tl); /* 3 s */
        assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
        const vs_rhythm_event *p = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE);
        assert_int_equal(p->offset_idx, timed ? -1 : last + 1080);
        assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 0);
        vs_rhythm_destroy(r);
    }
    /* time raised the pause, the beat at 4.2 s came before asystole was checked: the beat
     * raises asystole (worse), not the pause again */
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    tick(r, last, last + 1000, -1, 0, 0, &tl);
    beat(r, last + 1512, &tl);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 1);
    assert_int_equal(find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE)->offset_idx,
                     last + 1512);
    vs_rhythm_destroy(r);
}

/* vs_monitor's case: the newest beat is held back (not pushed) when the silence starts, and a
 * second silence follows a single beat, also held back. Each silence raises asystole once; the
 * beats, pushed later, raise nothing again. */
static void test_held_beats(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t t0 = 0;
    vs_rhythm *r = sinus(&t0, &tl);
    int64_t t1 = t0 + 288, t2 = t1 + 6 * 360, t3 = t2 + 6 * 360;
    tick(r, t1, t2 - 1, t1, 0, 0, &tl);   /* t1 detected, not pushed */
    beat(r, t1, &tl);                      /* released when t2 arrives */
    tick(r, t2, t3 - 1, t2, 0, 0, &tl);   /* t2 held */
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 2);
    const vs_rhythm_event *a = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    assert_int_equal(a->onset_idx, t1);
    assert_int_equal(a->emitted_idx, t1 + 1440);
    beat(r, t2, &tl);
    beat(r, t3, &tl);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 2);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 2);
    vs_rhythm_destroy(r);
}

/* Unreadable signal: no pause/asystole while it lasts; the technical alarm at exactly
 * SIGNAL_LOST_S (once), its end when the signal is back, and the silence counted from then. */
static void test_signal_lost(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    int64_t lost_at = last + 200, back_at = lost_at + 30 * 360, since = -7;
    assert_int_equal(vs_rhythm_next_deadline(r, -1, 1, lost_at), lost_at + 3600);
    assert_int_equal(vs_rhythm_last_beat(r), last);
    assert_int_equal(vs_rhythm_signal_stretch(r, &since), 0);
    assert_int_equal(since, 0);
    size_t before_loss = tl.n;
    tick(r, lost_at, back_at - 1, -1, 1, lost_at, &tl);
    /* what the advance calls said, for a caller that keeps passing it */
    assert_int_equal(vs_rhythm_signal_stretch(r, &since), 1);
    assert_int_equal(since, lost_at);
    assert_int_equal(vs_rhythm_last_beat(r), last);
    assert_int_equal(vs_rhythm_signal_stretch(NULL, &since), 0);
    assert_int_equal(since, 0);
    assert_int_equal(vs_rhythm_last_beat(NULL), -1);
    assert_int_equal(tl.n, before_loss + 1); /* the technical alarm, nothing else */
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST), 1);
    const vs_rhythm_event *t = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST);
    assert_int_equal(t->emitted_idx, lost_at + 3600);
    assert_int_equal(t->onset_idx, lost_at);
    assert_int_equal(t->offset_idx, -1);
    assert_true(t->type >= VS_RHYTHM_TECH_FIRST);
    assert_string_equal(vs_rhythm_type_name(t->type), "signal lost / leads off");
    assert_int_equal(vs_rhythm_next_deadline(r, -1, 1, lost_at), INT64_MAX);
    /* readable again but no beat: the episode ends after ASYSTOLE_S of readable signal */
    tick(r, back_at, back_at + 1439, -1, 0, back_at, &tl);
    assert_null(find(&tl, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST));
    assert_int_equal(vs_rhythm_next_deadline(r, -1, 0, back_at), back_at + 1440);
    tick(r, back_at + 1440, back_at + 1440, -1, 0, back_at, &tl);
    assert_int_equal(vs_rhythm_signal_stretch(r, &since), 0);
    assert_int_equal(since, back_at);
    const vs_rhythm_event *e = find(&tl, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST);
    assert_non_null(e);
    assert_int_equal(e->onset_idx, lost_at);
    assert_int_equal(e->offset_idx, back_at - 1);
    assert_int_equal(e->emitted_idx, back_at + 1440);
    /* readable again: pause 2.5 s after the return, not after the last beat */
    const vs_rhythm_event *p = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE);
    assert_non_null(p);
    assert_int_equal(p->onset_idx, back_at);
    assert_int_equal(p->emitted_idx, back_at + 900);
    /* ... and asystole 4 s after it, as the episode ends */
    const vs_rhythm_event *a = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    assert_non_null(a);
    assert_int_equal(a->onset_idx, back_at);
    assert_int_equal(a->emitted_idx, back_at + 1440);
    /* the beat that ends it (34 s after the last one) raises nothing again */
    beat(r, back_at + 1500, &tl);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 1);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
    /* a short loss (< SIGNAL_LOST_S) raises nothing */
    size_t before = tl.n;
    int64_t b = back_at + 1500;
    tick(r, b + 1, b + 5 * 360, b, 1, b + 1, &tl);
    tick(r, b + 5 * 360 + 1, b + 5 * 360 + 100, b, 0, b + 5 * 360 + 1, &tl);
    assert_int_equal(tl.n, before);
    vs_rhythm_destroy(r);
}

/* An artefact burst: unreadable 6 s, readable 2 s with a false beat, over and over. The
 * technical alarm comes SIGNAL_LOST_S after the first unreadable sample, once; it ends at the
 * second beat in clean signal (not at a readable gap with one beat). */
static void test_signal_lost_through_short_gaps(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    int64_t t = last + 200, start = t, seen = last;
    for (int k = 0; k < 5; k++, t += 8 * 360) {
        tick(r, t, t + 6 * 360 - 1, seen, 1, t, &tl);
        /* a (false) beat in every readable gap does not end the episode either */
        tick(r, t + 6 * 360, t + 6 * 360 + 99, seen, 0, t + 6 * 360, &tl);
        seen = t + 6 * 360 + 50;
        tick(r, t + 6 * 360 + 100, t + 8 * 360 - 1, seen, 0, t + 6 * 360, &tl);
    }
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST), 1);
    const vs_rhythm_event *a = find(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST);
    assert_int_equal(a->onset_idx, start);
    assert_int_equal(a->emitted_idx, start + 3600);
    assert_null(find(&tl, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST));
    /* clean signal from t on with a beat at t + 250: one beat does not end the episode (a gap
     * had one too) */
    tick(r, t, t + 249, seen, 0, t, &tl);
    tick(r, t + 250, t + 529, t + 250, 0, t, &tl);
    assert_null(find(&tl, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST));
    assert_int_equal(vs_rhythm_next_deadline(r, t + 250, 0, t), t + 250 + 900); /* pause's */
    /* the second beat (the first one pushed, a newer one detected) ends it at once */
    beat(r, t + 250, &tl);
    tick(r, t + 530, t + 530, t + 530, 0, t, &tl);
    const vs_rhythm_event *e = find(&tl, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST);
    assert_non_null(e);
    assert_int_equal(e->emitted_idx, t + 530);
    assert_int_equal(e->onset_idx, start);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
    vs_rhythm_destroy(r);
}

/* A beat-driven pause over an interval with unreadable signal counts only the readable part. */
static void test_beat_driven_counts_readable_part(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    vs_rhythm_event ev[CAP];
    size_t n = 0;
    assert_int_equal(vs_rhythm_advance(r, last + 100, -1, 1, last + 100, ev, CAP, &n), VS_OK);
    assert_int_equal(vs_rhythm_advance(r, last + 2000, -1, 0, last + 2000, ev, CAP, &n), VS_OK);
    beat(r, last + 2000 + 300, &tl); /* 6.4 s after the last beat, 0.8 s of readable signal */
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 0);
    assert_int_equal(count(&tl, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
    vs_rhythm_destroy(r);
}

static void test_misuse(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    vs_rhythm_event ev[CAP];
    size_t n = 7;
    assert_int_equal(vs_rhythm_advance(NULL, 0, -1, 0, 0, ev, CAP, &n), VS_E_NULL_ARG);
    assert_int_equal(n, 0);
    assert_int_equal(vs_rhythm_advance(r, last, -1, 0, 0, NULL, CAP, &n), VS_E_NULL_ARG);
    assert_int_equal(vs_rhythm_advance(r, last, -1, 0, 0, ev, 1, &n), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_rhythm_advance(r, last - 1, -1, 0, 0, ev, CAP, &n), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_advance(r, last, -1, 2, 0, ev, CAP, &n), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_advance(r, last, -1, 0, last + 1, ev, CAP, &n), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_advance(r, last, -1, 0, -1, ev, CAP, &n), VS_E_INVALID_ARG);
    assert_int_equal(vs_rhythm_next_deadline(NULL, -1, 0, 0), INT64_MAX);
    double lo, hi, d;
    assert_int_equal(vs_rhythm_param_bounds(VS_RHYTHM_SIGNAL_LOST_S, &lo, &hi, &d), VS_OK);
    assert_true(lo == 1.0 && hi == 600.0 && d == 10.0);
    assert_int_equal(vs_rhythm_set_param(r, VS_RHYTHM_SIGNAL_LOST_S, 0.5), VS_E_PARAM_OUT_OF_RANGE);
    vs_rhythm_destroy(r);
}

static vs_rhythm *reload(vs_rhythm *r)
{
    size_t len = vs_rhythm_state_size(r), w = 0;
    assert_true(len <= 500);
    uint8_t *blob = malloc(len);
    assert_int_equal(vs_rhythm_state_save(r, blob, len, &w), VS_OK);
    vs_rhythm_destroy(r);
    vs_rhythm *t = NULL;
    assert_int_equal(vs_rhythm_create(&t, FS), VS_OK);
    assert_int_equal(vs_rhythm_state_load(t, blob, w), VS_OK);
    size_t len2 = vs_rhythm_state_size(t), w2 = 0;
    uint8_t *again = malloc(len2);
    assert_int_equal(vs_rhythm_state_save(t, again, len2, &w2), VS_OK);
    assert_int_equal(w2, w);
    assert_memory_equal(again, blob, w);
    free(again);
    free(blob);
    return t;
}

/* Save/load after the pause, with a held beat and during a lost stretch: the rest is the same. */
static void test_state_mid_silence(void **st)
{
    (void)st;
    timeline a = {0}, b = {0};
    int64_t t0 = 0;
    vs_rhythm *r1 = sinus(&t0, &a);
    vs_rhythm *r2 = sinus(&t0, &b);
    int64_t t1 = t0 + 288, t2 = t1 + 6 * 360, lost = t2 + 3000, back = lost + 11 * 360;
    tick(r1, t1, t1 + 1000, t1, 0, 0, &a);
    tick(r2, t1, t1 + 1000, t1, 0, 0, &b);
    r2 = reload(r2);
    tick(r1, t1 + 1001, t2 - 1, t1, 0, 0, &a);
    tick(r2, t1 + 1001, t2 - 1, t1, 0, 0, &b);
    beat(r1, t1, &a);
    beat(r2, t1, &b);
    tick(r1, t2, lost - 1, t2, 0, 0, &a);
    tick(r2, t2, lost - 1, t2, 0, 0, &b);
    r2 = reload(r2);
    tick(r1, lost, back - 1, t2, 1, lost, &a);
    tick(r2, lost, lost + 2000, t2, 1, lost, &b);
    r2 = reload(r2);
    tick(r2, lost + 2001, back - 1, t2, 1, lost, &b);
    tick(r1, back, back + 2000, t2, 0, back, &a);
    tick(r2, back, back + 2000, t2, 0, back, &b);
    beat(r1, t2, &a);
    beat(r2, t2, &b);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.ev, b.ev, a.n * sizeof a.ev[0]);
    assert_int_equal(count(&a, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 3);
    assert_int_equal(count(&a, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST), 1);
    vs_rhythm_destroy(r1);
    vs_rhythm_destroy(r2);
}

/* The timer's fields are checked on load: a bad flags byte or episode start is
 * VS_E_STATE_CORRUPT and leaves the object as it was. */
static void test_state_timer_fields_checked(void **st)
{
    (void)st;
    timeline tl = {0};
    int64_t last = 0;
    vs_rhythm *r = sinus(&last, &tl);
    tick(r, last, last + 1000, -1, 0, 0, &tl); /* pause raised: level 1 */
    size_t len = vs_rhythm_state_size(r), w = 0;
    uint8_t *blob = malloc(len), *before = malloc(len);
    assert_int_equal(vs_rhythm_state_save(r, blob, len, &w), VS_OK);
    /* payload tail: u8 timer_flags, i64 lost_from (-1) */
    assert_int_equal(blob[len - 9], 1);
    const uint8_t bad[] = {3, 0x40, 0x08, 0x04, 0x10 | 1, 0xFF};
    for (size_t k = 0; k < sizeof bad; k++) {
        memcpy(before, blob, len);
        if (bad[k] == 0xFF) before[len - 8] = 0xFE; /* lost_from -2 */
        else before[len - 9] = bad[k];
        vs_test_state_reseal(before, len);
        assert_int_equal(vs_rhythm_state_load(r, before, len), VS_E_STATE_CORRUPT);
    }
    size_t w2 = 0;
    assert_int_equal(vs_rhythm_state_save(r, before, len, &w2), VS_OK);
    assert_memory_equal(before, blob, len);
    free(before);
    free(blob);
    vs_rhythm_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asystole_raised_in_time),
        cmocka_unit_test(test_deadline_matches_advance),
        cmocka_unit_test(test_pause_not_raised_twice),
        cmocka_unit_test(test_held_beats),
        cmocka_unit_test(test_signal_lost),
        cmocka_unit_test(test_signal_lost_through_short_gaps),
        cmocka_unit_test(test_beat_driven_counts_readable_part),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_state_mid_silence),
        cmocka_unit_test(test_state_timer_fields_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
