/* test_quality_mitdb.c — signal quality on channel 0 of the 48 MIT-BIH records.
 *
 * For every record: the quality events over the whole record, the reference beats that fall in
 * unreadable stretches (they would be suppressed by the monitor), and the agreement with the
 * reference NOISE annotations (code 14; subtype bit 0 = signal 0 noisy, bit 4 = signal 0
 * unreadable, -1 = all signals unreadable, 0 = clean again). Asserts that at most
 * VS_QUALITY_MITDB_MAX_UNREADABLE_BEATS reference beats fall in unreadable stretches over the
 * whole database, and that the noisy-or-unreadable time covers part of the annotated noise.
 * With VS_QUALITY_TABLE=path the per-record markdown table is written there
 * (bench/results/mitdb_quality.md). Skips (77) without the database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_support.h"
#include "vitalstream/annotation.h"
#include "vitalstream/io.h"
#include "vitalstream/quality.h"

/* Documented bound: reference beats in unreadable stretches over all 48 records. */
#define VS_QUALITY_MITDB_MAX_UNREADABLE_BEATS 20

static const char *k_records[48] = {
    "100", "101", "102", "103", "104", "105", "106", "107", "108", "109", "111", "112",
    "113", "114", "115", "116", "117", "118", "119", "121", "122", "123", "124", "200",
    "201", "202", "203", "205", "207", "208", "209", "210", "212", "213", "214", "215",
    "217", "219", "220", "221", "222", "223", "228", "230", "231", "232", "233", "234"};

typedef struct rec_result {
    long beats, beats_unreadable, beats_noisy;
    double s_total, s_noisy, s_unreadable;      /* our levels, seconds */
    double s_hf, s_bl;                          /* noisy time with HF_NOISE / BASELINE */
    double s_ref, s_ref_hit, s_flag_in_ref;     /* annotated noise on ch0 and overlaps */
    int n_events;
    int ep_ref, ep_hit;                          /* annotated noise episodes, those we touch */
} rec_result;

/* Level (low 2 bits) and reasons (<< 2) per sample from the events (onset-based). */
static void levels_from_events(const vs_quality_event *ev, size_t n_ev, int64_t n, uint8_t *lv)
{
    unsigned cur = VS_QUALITY_GOOD;
    int64_t pos = 0;
    for (size_t i = 0; i <= n_ev; i++) {
        int64_t end = i < n_ev ? ev[i].sample_idx : n;
        if (end > n) end = n;
        for (; pos < end; pos++) lv[pos] = (uint8_t)cur;
        if (i < n_ev) cur = (unsigned)ev[i].level | (ev[i].reasons << 2);
    }
}

static void run_record(const char *db, const char *rec, rec_result *res)
{
    int64_t n = 0;
    double fs = 0;
    float *x = vs_test_read_mitdb(db, rec, &n, &fs);
    vs_quality *q = NULL;
    assert_int_equal(vs_quality_create(&q, fs), VS_OK);
    size_t cap = vs_quality_max_events(q, (size_t)n);
    vs_quality_event *ev = calloc(cap, sizeof *ev);
    assert_non_null(ev);
    size_t n_ev = 0;
    assert_int_equal(vs_quality_process(q, x, (size_t)n, ev, cap, &n_ev), VS_OK);
    uint8_t *lv = malloc((size_t)n);
    assert_non_null(lv);
    levels_from_events(ev, n_ev, n, lv);

    vs_annotation_list ann = {0};
    char apath[4300];
    snprintf(apath, sizeof apath, "%s/%s.atr", db, rec);
    vs_io_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(vs_annot_read(apath, &ann, &err), VS_OK);
    memset(res, 0, sizeof *res);
    res->n_events = (int)n_ev;
    /* reference noise state of channel 0, per sample */
    uint8_t *ref = calloc((size_t)n, 1);
    assert_non_null(ref);
    int state = 0;
    int64_t pos = 0;
    for (size_t i = 0; i <= ann.count; i++) {
        const vs_annotation *a = i < ann.count ? &ann.items[i] : NULL;
        if (a && a->code != VS_ANN_NOISE) continue;
        int64_t end = a ? a->sample_idx : n;
        if (end > n) end = n;
        for (; pos < end; pos++) ref[pos] = (uint8_t)state;
        if (a) state = a->subtype == -1 ? 1 : ((a->subtype & 0x11) != 0);
    }
    int in_ep = 0, ep_touched = 0;
    for (int64_t k = 0; k <= n; k++) {
        int r0 = k < n && ref[k];
        if (r0 && !in_ep) ep_touched = 0;
        if (r0 && (lv[k] & 3u) != VS_QUALITY_GOOD) ep_touched = 1;
        if (!r0 && in_ep) {
            res->ep_ref++;
            res->ep_hit += ep_touched;
        }
        in_ep = r0;
    }
    for (int64_t k = 0; k < n; k++) {
        unsigned reasons = lv[k] >> 2u;
        lv[k] &= 3u;
        int flag = lv[k] != VS_QUALITY_GOOD;
        res->s_noisy += lv[k] == VS_QUALITY_NOISY;
        res->s_hf += lv[k] == VS_QUALITY_NOISY && (reasons & VS_QUALITY_HF_NOISE);
        res->s_bl += lv[k] == VS_QUALITY_NOISY && (reasons & VS_QUALITY_BASELINE);
        res->s_unreadable += lv[k] == VS_QUALITY_UNREADABLE;
        res->s_ref += ref[k];
        res->s_ref_hit += ref[k] && flag;
        res->s_flag_in_ref += ref[k] && flag;
    }
    for (size_t i = 0; i < ann.count; i++) {
        const vs_annotation *a = &ann.items[i];
        if (!vs_annot_is_beat(a->code) || a->sample_idx < 0 || a->sample_idx >= n) continue;
        res->beats++;
        res->beats_unreadable += lv[a->sample_idx] == VS_QUALITY_UNREADABLE;
        res->beats_noisy += lv[a->sample_idx] == VS_QUALITY_NOISY;
    }
    res->s_total = (double)n / fs;
    res->s_noisy /= fs;
    res->s_unreadable /= fs;
    res->s_hf /= fs;
    res->s_bl /= fs;
    res->s_ref /= fs;
    res->s_ref_hit /= fs;
    res->s_flag_in_ref /= fs;
    vs_annot_list_free(&ann);
    free(ref);
    free(lv);
    free(ev);
    vs_quality_destroy(q);
    vs_io_free(x);
}

static double pct(double a, double b) { return b > 0 ? 100.0 * a / b : 0.0; }

static void test_mitdb_quality(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *table = getenv("VS_QUALITY_TABLE");
    FILE *f = table ? fopen(table, "w") : NULL;
    if (f) {
        fprintf(f, "# Signal quality on MIT-BIH channel 0 (vs_quality defaults)\n\n"
                   "Made by `VS_QUALITY_TABLE=bench/results/mitdb_quality.md "
                   "<build>/tests/test_quality_mitdb` (tests/test_quality_mitdb.c).\n"
                   "Levels per sample from the events' onsets. *ref noise*: time annotated noisy "
                   "or unreadable for signal 0 by the reference NOISE annotations ('~', subtype "
                   "bit 0 or 4, or -1). *caught*: part of it we flag noisy or unreadable. "
                   "*beats unr.*: reference beats inside our unreadable stretches (the monitor "
                   "suppresses them).\n\n"
                   "*HF s* / *BL s*: noisy time with reason HF_NOISE / BASELINE.\n\n"
                   "| record | beats | noisy s | HF s | BL s | unreadable s | events | ref noise s "
                   "| caught s | caught %% | beats noisy | beats unr. |\n"
                   "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    }
    rec_result tot;
    memset(&tot, 0, sizeof tot);
    /* records known for noisy stretches on signal 0: each must have some of it caught (s) */
    static const char *known[4] = {"105", "108", "203", "207"};
    double known_hit[4] = {0, 0, 0, 0};
    for (int i = 0; i < 48; i++) {
        rec_result r;
        run_record(db, k_records[i], &r);
        if (f)
            fprintf(f, "| %s | %ld | %.0f | %.0f | %.0f | %.0f | %d | %.0f | %.0f | %.0f | %ld "
                    "| %ld |\n",
                    k_records[i], r.beats, r.s_noisy, r.s_hf, r.s_bl, r.s_unreadable, r.n_events,
                    r.s_ref, r.s_ref_hit, pct(r.s_ref_hit, r.s_ref), r.beats_noisy,
                    r.beats_unreadable);
        for (int k = 0; k < 4; k++)
            if (strcmp(known[k], k_records[i]) == 0) known_hit[k] = r.s_ref_hit;
        tot.beats += r.beats;
        tot.beats_unreadable += r.beats_unreadable;
        tot.beats_noisy += r.beats_noisy;
        tot.s_total += r.s_total;
        tot.s_noisy += r.s_noisy;
        tot.s_hf += r.s_hf;
        tot.s_bl += r.s_bl;
        tot.s_unreadable += r.s_unreadable;
        tot.s_ref += r.s_ref;
        tot.s_ref_hit += r.s_ref_hit;
        tot.n_events += r.n_events;
        tot.ep_ref += r.ep_ref;
        tot.ep_hit += r.ep_hit;
    }
    double s_clean = tot.s_total - tot.s_ref;
    double s_flag_clean = tot.s_noisy + tot.s_unreadable - tot.s_ref_hit;
    char summary[600];
    snprintf(summary, sizeof summary,
             "total: %ld beats, %.0f s; noisy %.0f s (%.2f %%), unreadable %.0f s; ref noise "
             "%.0f s in %d episodes, caught %.0f s (%.1f %%), episodes touched %d; flagged "
             "outside ref noise %.0f s (%.2f %% of clean time); beats in unreadable %ld (bound %d), beats in noisy %ld",
             tot.beats, tot.s_total, tot.s_noisy, pct(tot.s_noisy, tot.s_total), tot.s_unreadable,
             tot.s_ref, tot.ep_ref, tot.s_ref_hit, pct(tot.s_ref_hit, tot.s_ref), tot.ep_hit,
             s_flag_clean,
             pct(s_flag_clean, s_clean), tot.beats_unreadable,
             VS_QUALITY_MITDB_MAX_UNREADABLE_BEATS, tot.beats_noisy);
    printf("%s\n", summary);
    if (f) {
        fprintf(f, "| **all** | %ld | %.0f | %.0f | %.0f | %.0f | %d | %.0f | %.0f | %.0f | %ld "
                   "| %ld |\n\n%s\n",
                tot.beats, tot.s_noisy, tot.s_hf, tot.s_bl, tot.s_unreadable, tot.n_events,
                tot.s_ref, tot.s_ref_hit, pct(tot.s_ref_hit, tot.s_ref), tot.beats_noisy,
                tot.beats_unreadable, summary);
        fclose(f);
    }
    assert_true(tot.beats > 100000);
    assert_true(tot.beats_unreadable <= VS_QUALITY_MITDB_MAX_UNREADABLE_BEATS);
    /* noisy must catch a real part of the annotated noise and stay rare elsewhere */
    assert_true(tot.s_ref_hit >= 0.15 * tot.s_ref);
    assert_true(s_flag_clean <= 0.02 * s_clean);
    for (int i = 0; i < 4; i++) assert_true(known_hit[i] >= 5.0);
}

/* Random chunks with save -> destroy -> create -> load between them give the same events. */
static void test_mitdb_chunks(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *recs[] = {"105", "116", "207"};
    uint64_t rs = 12345;
    for (int i = 0; i < 3; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, recs[i], &n, &fs);
        vs_quality *q = NULL;
        assert_int_equal(vs_quality_create(&q, fs), VS_OK);
        size_t cap = vs_quality_max_events(q, (size_t)n) + 64;
        vs_quality_event *ref = calloc(cap, sizeof *ref), *ev = calloc(cap, sizeof *ev);
        size_t n_ref = 0, k = 0;
        assert_int_equal(vs_quality_process(q, x, (size_t)n, ref, cap, &n_ref), VS_OK);
        assert_true(n_ref > 0);
        vs_quality_reset(q);
        uint8_t blob[512];
        for (size_t pos = 0; pos < (size_t)n;) {
            rs = rs * 6364136223846793005ull + 1442695040888963407ull;
            size_t len = 1 + (size_t)((rs >> 33) % 20000);
            if (len > (size_t)n - pos) len = (size_t)n - pos;
            size_t got = 0, w = 0;
            assert_int_equal(vs_quality_process(q, x + pos, len, ev + k, cap - k, &got), VS_OK);
            k += got;
            pos += len;
            assert_int_equal(vs_quality_state_save(q, blob, sizeof blob, &w), VS_OK);
            vs_quality_destroy(q);
            assert_int_equal(vs_quality_create(&q, fs), VS_OK);
            assert_int_equal(vs_quality_state_load(q, blob, w), VS_OK);
        }
        assert_int_equal(k, n_ref);
        assert_memory_equal(ev, ref, k * sizeof *ev);
        free(ev);
        free(ref);
        vs_quality_destroy(q);
        vs_io_free(x);
    }
}

int main(void)
{
    if (!vs_test_mitdb_dir()) return 77;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_mitdb_quality),
                                       cmocka_unit_test(test_mitdb_chunks)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
