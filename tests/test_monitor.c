/* test_monitor.c — vs_monitor: the whole pipeline in one object.
 * Chunk invariance with a state round trip between chunks (synthetic records at several rates and
 * MIT-BIH records with AF, ectopy and noise), the state-size budget (<= 4096 bytes at 360 Hz),
 * bad blobs (distinct codes, monitor untouched), a golden blob that must keep loading, misuse,
 * and bad input (NaN, flat line, railed ADC, heavy noise) that must give no beats, no AF/VT and
 * no crash. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "test_support.h"
#include "vitalstream/io.h"
#include "vitalstream/monitor.h"
#include "vitalstream/state.h"
#include "rhythm/rhythm_impl.h" /* run_restart, as vs_monitor sets it (run_shape.h) */

/* ---- helpers --------------------------------------------------------------------------------- */

typedef struct event_run {
    vs_event *ev;
    size_t n, cap;
    size_t state_max; /* largest state blob seen between chunks */
} event_run;

static void push_events(event_run *r, const vs_event *ev, size_t n)
{
    if (n == 0) return;
    if (r->n + n > r->cap) {
        r->cap = (r->n + n) * 2 + 64;
        r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
        assert_non_null(r->ev);
    }
    memcpy(r->ev + r->n, ev, n * sizeof *ev);
    r->n += n;
}

static void roundtrip(vs_monitor **m, double fs, size_t *state_max)
{
    size_t size = vs_monitor_state_size(*m), written = 0;
    if (size > *state_max) *state_max = size;
    uint8_t *blob = malloc(size);
    assert_non_null(blob);
    assert_int_equal(vs_monitor_state_save(*m, blob, size, &written), VS_OK);
    assert_int_equal(written, size);
    vs_monitor_destroy(*m);
    assert_int_equal(vs_monitor_create(m, fs), VS_OK);
    assert_int_equal(vs_monitor_state_load(*m, blob, written), VS_OK);
    free(blob);
}

/* chunk 0: one call; > 0: fixed size; < 0: random sizes in [1, -chunk] (seeded). */
static event_run run_monitor(const float *x, size_t n, double fs, long chunk, int rt)
{
    event_run r = {0};
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_create(&m, fs), VS_OK);
    uint64_t seed = 12345;
    size_t pos = 0;
    while (pos < n) {
        size_t len = vs_test_chunk_len(chunk, n - pos, &seed);
        size_t cap = vs_monitor_max_events(m, len), got = 0;
        vs_event *ev = malloc((cap ? cap : 1) * sizeof *ev);
        assert_non_null(ev);
        assert_int_equal(vs_monitor_process(m, x + pos, len, ev, cap, &got), VS_OK);
        push_events(&r, ev, got);
        free(ev);
        pos += len;
        if (rt && pos < n) roundtrip(&m, fs, &r.state_max);
    }
    size_t cap = vs_monitor_max_events(m, 0), got = 0;
    vs_event *ev = malloc(cap * sizeof *ev);
    assert_int_equal(vs_monitor_finish(m, ev, cap, &got), VS_OK);
    push_events(&r, ev, got);
    free(ev);
    vs_monitor_destroy(m);
    return r;
}

static void assert_same_events(const event_run *a, const event_run *b, const char *what)
{
    if (a->n != b->n) fail_msg("%s: %zu events vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (memcmp(&a->ev[i], &b->ev[i], sizeof a->ev[i]))
            fail_msg("%s: event %zu differs (type %u at %lld vs type %u at %lld)", what, i,
                     a->ev[i].type, (long long)a->ev[i].sample_idx, b->ev[i].type,
                     (long long)b->ev[i].sample_idx);
}

static size_t count_type(const event_run *r, uint32_t type, int code)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->ev[i].type == type && (code < 0 || r->ev[i].code == (uint32_t)code)) k++;
    return k;
}

/* Beats come out in increasing R order, each decided at or after its R, with a class 0..4. */
static void assert_well_formed(const event_run *r)
{
    int64_t last_r = -1;
    for (size_t i = 0; i < r->n; i++) {
        const vs_event *e = &r->ev[i];
        assert_true(e->type >= VS_EVENT_BEAT && e->type <= VS_EVENT_ALARM_END);
        if (e->type != VS_EVENT_BEAT) continue;
        assert_true(e->sample_idx > last_r);
        assert_true(e->decided_idx >= e->sample_idx);
        assert_true(e->code <= VS_AAMI_Q);
        last_r = e->sample_idx;
    }
}

static void synth(vs_test_record *rec, double fs, double dur, double pvc, double af_start,
                  double af_dur, double emg, uint64_t seed)
{
    vs_synth_config cfg;
    vs_synth_default_config(&cfg);
    cfg.fs_hz = fs;
    cfg.duration_s = dur;
    cfg.pvc_per_min = pvc;
    cfg.af_start_s = af_start;
    cfg.af_duration_s = af_dur;
    cfg.emg_mv = emg;
    cfg.seed = seed;
    vs_test_synth(&cfg, rec);
}

/* A stream that ends 250 ms after a QRS still reports that beat (vs_monitor_finish flushes the QRS
 * detector before the classifier), in one call and in chunks with state round trips. */
static void test_finish_reports_the_last_beat(void **state)
{
    (void)state;
    const double rates[] = {128, 360, 500};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        vs_test_record rec;
        synth(&rec, rates[i], 30, 4, 0, 0, 0, 40 + i);
        int64_t r_last = rec.truth[rec.n_truth - 3].sample_idx;
        size_t n = (size_t)r_last + (size_t)(0.25 * rec.fs_hz);
        event_run whole = run_monitor(rec.x, n, rec.fs_hz, 0, 0);
        event_run chunked = run_monitor(rec.x, n, rec.fs_hz, -500, 1);
        assert_same_events(&whole, &chunked, "finish after chunks");
        assert_well_formed(&whole);
        const vs_event *last = NULL;
        for (size_t k = 0; k < whole.n; k++)
            if (whole.ev[k].type == VS_EVENT_BEAT) last = &whole.ev[k];
        assert_non_null(last);
        assert_true(llabs(last->sample_idx - r_last) < (int64_t)(0.15 * rec.fs_hz));
        assert_true(last->decided_idx <= (int64_t)n - 1);
        free(whole.ev);
        free(chunked.ev);
        vs_test_record_free(&rec);
    }
}

/* ---- chunk invariance ------------------------------------------------------------------------ */

static void check_chunkings(const float *x, size_t n, double fs, const char *name)
{
    event_run ref = run_monitor(x, n, fs, 0, 0);
    assert_well_formed(&ref);
    assert_true(count_type(&ref, VS_EVENT_BEAT, -1) > 0);
    const long chunks[] = {7, 360, 4097, -5000};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        event_run r = run_monitor(x, n, fs, chunks[k], 1);
        char what[96];
        snprintf(what, sizeof what, "%s chunk %ld + state round trip", name, chunks[k]);
        assert_same_events(&ref, &r, what);
        if (fs == 360.0 && r.state_max > 4096) fail_msg("%s: state %zu bytes", what, r.state_max);
        assert_true(r.state_max <= vs_monitor_state_size_max(fs));
        free(r.ev);
    }
    free(ref.ev);
}

static void test_chunk_invariance_synthetic(void **state)
{
    (void)state;
    const double rates[] = {128.0, 360.0, 500.0};
    for (size_t i = 0; i < 3; i++) {
        vs_test_record rec;
        synth(&rec, rates[i], 240.0, 6.0, 90.0, 90.0, 0.02, 7 + i);
        for (size_t k = rec.n / 3; k < rec.n / 3 + (size_t)rates[i] / 2; k++) rec.x[k] = NAN;
        check_chunkings(rec.x, rec.n, rates[i], "synthetic");
        vs_test_record_free(&rec);
    }
}

/* One sample per call with a round trip after every sample, over 20 s. */
static void test_chunk_of_one(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 250.0, 20.0, 10.0, 0.0, 0.0, 0.01, 3);
    event_run a = run_monitor(rec.x, rec.n, 250.0, 0, 0);
    event_run b = run_monitor(rec.x, rec.n, 250.0, 1, 1);
    assert_same_events(&a, &b, "chunk 1 + round trip");
    free(a.ev);
    free(b.ev);
    vs_test_record_free(&rec);
}

static void test_chunk_invariance_mitdb(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *records[] = {"201", "203", "208"};
    for (size_t i = 0; i < 3; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, records[i], &n, &fs);
        check_chunkings(x, (size_t)n, fs, records[i]);
        vs_io_free(x);
    }
}

/* ---- state ----------------------------------------------------------------------------------- */

static void test_state_budget(void **state)
{
    (void)state;
    size_t max360 = vs_monitor_state_size_max(360.0);
    print_message("monitor state: at most %zu bytes at 360 Hz (%zu at 250, %zu at 500)\n", max360,
                  vs_monitor_state_size_max(250.0), vs_monitor_state_size_max(500.0));
    assert_true(max360 > VS_STATE_HEADER_SIZE);
    assert_true(max360 <= 4096);
    assert_int_equal(vs_monitor_state_size_max(50.0), 0); /* fs out of range */
}

static vs_monitor *monitor_after(const vs_test_record *rec, double seconds)
{
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_create(&m, rec->fs_hz), VS_OK);
    size_t n = (size_t)(seconds * rec->fs_hz);
    size_t cap = vs_monitor_max_events(m, n), got = 0;
    vs_event *ev = malloc(cap * sizeof *ev);
    assert_int_equal(vs_monitor_process(m, rec->x, n, ev, cap, &got), VS_OK);
    free(ev);
    return m;
}

static uint8_t *save(const vs_monitor *m, size_t *len)
{
    *len = vs_monitor_state_size(m);
    uint8_t *blob = malloc(*len);
    size_t written = 0;
    assert_int_equal(vs_monitor_state_save(m, blob, *len, &written), VS_OK);
    assert_int_equal(written, *len);
    return blob;
}

static void test_bad_blobs_leave_monitor_untouched(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 360.0, 60.0, 4.0, 0.0, 0.0, 0.01, 11);
    vs_monitor *m = monitor_after(&rec, 40.0);
    vs_monitor *other = monitor_after(&rec, 20.0);
    size_t len = 0, before_len = 0;
    uint8_t *blob = save(other, &len);
    uint8_t *before = save(m, &before_len);
    uint8_t *bad = malloc(len);

    assert_int_equal(vs_monitor_state_load(m, blob, 10), VS_E_STATE_TRUNCATED);
    assert_int_equal(vs_monitor_state_load(m, blob, len - 1), VS_E_STATE_TRUNCATED);
    memcpy(bad, blob, len);
    bad[0] ^= 0xFF;
    assert_int_equal(vs_monitor_state_load(m, bad, len), VS_E_STATE_BAD_MAGIC);
    memcpy(bad, blob, len);
    bad[len / 2] ^= 0x01;
    assert_int_equal(vs_monitor_state_load(m, bad, len), VS_E_STATE_BAD_CHECKSUM);
    memcpy(bad, blob, len);
    bad[4] = 0x7F; /* format version from the future */
    vs_test_state_reseal(bad, len); /* a real newer blob: the checksum is checked first */
    assert_int_equal(vs_monitor_state_load(m, bad, len), VS_E_STATE_NEWER_VERSION);

    vs_qrs *q = NULL; /* a QRS blob is not a monitor blob */
    assert_int_equal(vs_qrs_create(&q, 360.0), VS_OK);
    uint8_t qblob[2048];
    size_t qlen = 0;
    assert_int_equal(vs_qrs_state_save(q, qblob, sizeof qblob, &qlen), VS_OK);
    assert_int_equal(vs_monitor_state_load(m, qblob, qlen), VS_E_STATE_WRONG_MODULE);
    vs_qrs_destroy(q);

    vs_monitor *m250 = NULL; /* fs must match */
    assert_int_equal(vs_monitor_create(&m250, 250.0), VS_OK);
    assert_int_equal(vs_monitor_state_load(m250, blob, len), VS_E_STATE_MISMATCH);
    vs_monitor_destroy(m250);

    size_t after_len = 0;
    uint8_t *after = save(m, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);

    /* and the good blob does load, giving the other monitor's state byte for byte */
    assert_int_equal(vs_monitor_state_load(m, blob, len), VS_OK);
    size_t again_len = 0;
    uint8_t *again = save(m, &again_len);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, blob, len);

    free(again);
    free(after);
    free(before);
    free(bad);
    free(blob);
    vs_monitor_destroy(other);
    vs_monitor_destroy(m);
    vs_test_record_free(&rec);
}

/* tests/data/monitor_state_v<N>.bin: the state after 30 s of a synthetic record with PVCs, written
 * by format version N (2: the first with vs_monitor; 3: P-wave level, VT re-alarm interval; 4: the
 * time-driven alarms' state, the QRS detector's artefact state; 5: the run-shape match, the
 * rhythm's run length as u16). Each
 * must keep loading and continue exactly like the live monitor. VS_WRITE_GOLDEN=1 writes the
 * file of the current version only; regenerate it only when deliberately changing the format. */
static void golden_blob_keeps_loading(unsigned version)
{
    vs_test_record rec;
    synth(&rec, 360.0, 60.0, 6.0, 0.0, 0.0, 0.01, 5);
    char name[64], path[1024];
    snprintf(name, sizeof name, "monitor_state_v%u.bin", version);
    vs_test_data_path(name, path, sizeof path);
    vs_monitor *m = monitor_after(&rec, 30.0);
    if (getenv("VS_WRITE_GOLDEN") && version == VS_STATE_FORMAT_VERSION) {
        size_t len = 0;
        uint8_t *blob = save(m, &len);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(blob, 1, len, f), len);
        fclose(f);
        free(blob);
    }
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("missing %s (VS_WRITE_GOLDEN=1 writes the current version's)", path);
    uint8_t golden[8192];
    size_t glen = fread(golden, 1, sizeof golden, f);
    fclose(f);
    vs_state_info info;
    assert_int_equal(vs_state_inspect(golden, glen, &info), VS_OK);
    assert_int_equal(info.format_version, version);
    vs_monitor *g = NULL;
    assert_int_equal(vs_monitor_create(&g, 360.0), VS_OK);
    assert_int_equal(vs_monitor_state_load(g, golden, glen), VS_OK);
    assert_int_equal(vs_monitor_samples_seen(g), (int64_t)(30.0 * 360.0));
    /* the restored monitor continues exactly like the live one */
    size_t rest = rec.n - (size_t)(30.0 * 360.0);
    size_t cap = vs_monitor_max_events(m, rest), n1 = 0, n2 = 0;
    vs_event *e1 = malloc(cap * sizeof *e1), *e2 = malloc(cap * sizeof *e2);
    assert_int_equal(vs_monitor_process(m, rec.x + rec.n - rest, rest, e1, cap, &n1), VS_OK);
    assert_int_equal(vs_monitor_process(g, rec.x + rec.n - rest, rest, e2, cap, &n2), VS_OK);
    assert_int_equal(n1, n2);
    assert_true(n1 > 0);
    assert_memory_equal(e1, e2, n1 * sizeof *e1);
    free(e1);
    free(e2);
    vs_monitor_destroy(g);
    vs_monitor_destroy(m);
    vs_test_record_free(&rec);
}

static void test_golden_blob_keeps_loading(void **state)
{
    (void)state;
    golden_blob_keeps_loading(2);
    golden_blob_keeps_loading(3);
    golden_blob_keeps_loading(4);
    golden_blob_keeps_loading(5);
}

/* ---- misuse and bad input -------------------------------------------------------------------- */

static void test_misuse(void **state)
{
    (void)state;
    vs_monitor *m = NULL;
    assert_int_equal(vs_monitor_create(NULL, 360.0), VS_E_NULL_ARG);
    assert_int_equal(vs_monitor_create(&m, 99.0), VS_E_FS_OUT_OF_RANGE);
    assert_null(m);
    assert_int_equal(vs_monitor_create(&m, NAN), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_monitor_create(&m, 360.0), VS_OK);
    assert_int_equal(vs_event_struct_size(), sizeof(vs_event));
    assert_int_equal(sizeof(vs_event), 56);
    float x[1000] = {0};
    vs_event ev[4];
    size_t got = 99;
    assert_int_equal(vs_monitor_process(m, x, 1000, ev, 4, &got), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(got, 0);
    assert_int_equal(vs_monitor_samples_seen(m), 0); /* nothing consumed */
    assert_int_equal(vs_monitor_process(m, NULL, 10, ev, 4, &got), VS_E_NULL_ARG);
    assert_int_equal(vs_monitor_process(NULL, x, 10, ev, 4, &got), VS_E_NULL_ARG);
    assert_int_equal(vs_monitor_state_save(m, NULL, 10, &got), VS_E_NULL_ARG);
    uint8_t small[8];
    assert_int_equal(vs_monitor_state_save(m, small, sizeof small, &got), VS_E_BUFFER_TOO_SMALL);
    assert_non_null(vs_monitor_qrs(m));
    assert_non_null(vs_monitor_classifier(m));
    assert_non_null(vs_monitor_quality(m));
    assert_non_null(vs_monitor_rhythm(m));
    assert_non_null(vs_monitor_hrv_window(m));
    assert_null(vs_monitor_qrs(NULL));
    /* finish, then more input is misuse until reset */
    size_t cap = vs_monitor_max_events(m, 0);
    vs_event *fe = malloc(cap * sizeof *fe);
    assert_int_equal(vs_monitor_finish(m, fe, cap, &got), VS_OK);
    size_t cap2 = vs_monitor_max_events(m, 10);
    vs_event *e2 = malloc(cap2 * sizeof *e2);
    assert_int_equal(vs_monitor_process(m, x, 10, e2, cap2, &got), VS_E_INVALID_ARG);
    vs_monitor_reset(m);
    assert_int_equal(vs_monitor_process(m, x, 10, e2, cap2, &got), VS_OK);
    free(e2);
    free(fe);
    vs_hrv_result hrv;
    assert_int_equal(vs_monitor_hrv(NULL, NULL, &hrv), VS_E_NULL_ARG);
    vs_monitor_destroy(m);
    vs_monitor_destroy(NULL);
}

/* NaN, flat line and a railed ADC: no beats, no AF/VT, unreadable reported, no crash. */
static void test_bad_input(void **state)
{
    (void)state;
    const double fs = 360.0;
    size_t n = (size_t)(60 * fs);
    float *x = malloc(n * sizeof *x);
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < n; i++)
            x[i] = kind == 0 ? NAN : kind == 1 ? 0.25f : ((i / 1080) % 2 ? 5.0f : -5.0f); /* rails */
        event_run r = run_monitor(x, n, fs, 1000, 1);
        assert_int_equal(count_type(&r, VS_EVENT_BEAT, -1), 0);
        assert_int_equal(count_type(&r, VS_EVENT_RHYTHM, VS_RHYTHM_AFIB), 0);
        assert_int_equal(count_type(&r, VS_EVENT_RHYTHM, VS_RHYTHM_VT), 0);
        assert_true(count_type(&r, VS_EVENT_QUALITY, VS_QUALITY_UNREADABLE) >= 1);
        free(r.ev);
    }
    free(x);
}

/* Heavy muscle noise on a sinus rhythm: flagged, never called AF or VT. */
static void test_noise_is_not_af(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 360.0, 180.0, 0.0, 0.0, 0.0, 0.4, 21);
    event_run r = run_monitor(rec.x, rec.n, 360.0, 0, 0);
    assert_true(count_type(&r, VS_EVENT_QUALITY, -1) >= 1);
    assert_int_equal(count_type(&r, VS_EVENT_RHYTHM, VS_RHYTHM_AFIB), 0);
    assert_int_equal(count_type(&r, VS_EVENT_RHYTHM, VS_RHYTHM_VT), 0);
    free(r.ev);
    vs_test_record_free(&rec);
}

/* While AF is under way no beat is reported S (classify.h, vs_aami_class_in_af): in the
 * synthetic AF segment every conducted beat is irregular, and before the rule the classifier's
 * RR features called 20 of its 318 beats SVEBs. Walks the events in the order they come out: a beat
 * reported after the AF onset event and before the episode ends must not be S. */
static void test_no_sveb_reported_in_af(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 360.0, 600.0, 0.0, 150.0, 300.0, 0.005, 17);
    event_run r = run_monitor(rec.x, rec.n, 360.0, 0, 0);
    int in_af = 0;
    size_t beats_in_af = 0, s_in_af = 0, af_episodes = 0;
    for (size_t i = 0; i < r.n; i++) {
        const vs_event *e = &r.ev[i];
        if (e->type == VS_EVENT_RHYTHM) {
            int starts_af = e->code == VS_RHYTHM_AFIB && e->end_idx < 0;
            if (starts_af) af_episodes++;
            if (starts_af) in_af = 1;
            else if (e->end_idx >= 0 || e->code != VS_RHYTHM_AFIB) in_af = 0;
        } else if (e->type == VS_EVENT_BEAT && in_af) {
            beats_in_af++;
            s_in_af += e->code == VS_AAMI_S;
            assert_int_equal(e->wfdb_code, vs_aami_class_wfdb_code((int)e->code));
        }
    }
    print_message("synthetic AF: %zu episodes, %zu beats reported in AF, %zu of them S\n",
                  af_episodes, beats_in_af, s_in_af);
    assert_true(af_episodes >= 1);
    assert_true(beats_in_af > 200);
    assert_int_equal(s_in_af, 0);
    free(r.ev);
    vs_test_record_free(&rec);
}

/* A synthetic AF segment is reported as AF, PVCs as V beats, and HRV comes from the window. */
static void test_pipeline_finds_af_and_pvcs(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 360.0, 600.0, 4.0, 200.0, 200.0, 0.005, 9);
    event_run r = run_monitor(rec.x, rec.n, 360.0, 0, 0);
    size_t af = 0;
    int64_t af_on = -1;
    for (size_t i = 0; i < r.n; i++) {
        const vs_event *e = &r.ev[i];
        if (e->type != VS_EVENT_RHYTHM || e->code != VS_RHYTHM_AFIB || e->end_idx >= 0) continue;
        af++;
        if (af_on < 0) af_on = e->sample_idx;
    }
    assert_true(af >= 1);
    assert_true(af_on > (int64_t)(170 * 360.0) && af_on < (int64_t)(260 * 360.0));
    size_t pvc_truth = 0;
    for (size_t i = 0; i < rec.n_truth; i++) pvc_truth += rec.truth[i].label == VS_ANN_PVC;
    size_t v = count_type(&r, VS_EVENT_BEAT, VS_AAMI_V);
    print_message("synthetic: %zu PVCs, %zu V beats reported, AF onset at %.1f s\n", pvc_truth, v,
                  (double)af_on / 360.0);
    assert_true(pvc_truth > 10);
    assert_true(v >= pvc_truth / 2 && v <= pvc_truth * 2);
    free(r.ev);
    vs_test_record_free(&rec);
}

static void test_hrv_from_window(void **state)
{
    (void)state;
    vs_test_record rec;
    synth(&rec, 360.0, 400.0, 0.0, 0.0, 0.0, 0.005, 13);
    vs_monitor *m = monitor_after(&rec, 400.0);
    vs_hrv_result h;
    assert_int_equal(vs_monitor_hrv(m, NULL, &h), VS_OK);
    /* synth default: 70 bpm, SD 40 ms; the window holds the last 300 s */
    assert_true(fabs(h.mean_nn_ms - 60000.0 / 70.0) < 60.0);
    assert_true(h.sdnn_ms > 15.0 && h.sdnn_ms < 80.0);
    assert_true(h.duration_s > 250.0 && h.duration_s <= 300.5);
    vs_monitor_destroy(m);
    vs_test_record_free(&rec);
}

/* Large atrial waves never veto clearly irregular RR (issue 15: the old "too large for
 * fibrillation" rule hid AF with coarse f waves beside a small QRS): the synthetic AF segment with
 * a 5 Hz sawtooth of 0.4 mV added (R: 1.2 mV) is called AF, as is the same segment with its own
 * small f-waves. Flutter with regular conduction stays out of AF (tests/test_af_rr.c). */
static void test_large_atrial_waves_do_not_hide_af(void **state)
{
    (void)state;
    const double fs = 360.0, af_from = 120.0, af_len = 240.0;
    for (int flutter = 0; flutter < 2; flutter++) {
        vs_test_record rec;
        synth(&rec, fs, 420.0, 0.0, af_from, af_len, 0.005, 31);
        if (flutter)
            for (size_t i = (size_t)(af_from * fs); i < (size_t)((af_from + af_len) * fs); i++) {
                double ph = fmod((double)i * 5.0 / fs, 1.0); /* 5 Hz, 300/min */
                rec.x[i] += (float)(0.4 * (ph < 0.8 ? ph / 0.8 - 0.5 : 0.5 - (ph - 0.8) / 0.2));
            }
        event_run r = run_monitor(rec.x, rec.n, fs, 0, 0);
        size_t af = count_type(&r, VS_EVENT_RHYTHM, VS_RHYTHM_AFIB);
        print_message("%s: %zu AF events\n", flutter ? "flutter waves" : "f-waves", af);
        assert_true(af >= 1);
        free(r.ev);
        vs_test_record_free(&rec);
    }
}

/* ---- time-driven alarms ---------------------------------------------------------------------- */

/* What replaces the signal from `from` for `len` samples. */
enum stop_kind { ASYSTOLE_LINE, LEADS_OFF, MISSING, RAILED };

/* Asystole as it looks: a flat line at the level where the signal stopped, 0.02 mV RMS noise
 * (sum of four uniforms, deterministic) and a slight 0.05 mV, 0.2 Hz wander. Leads off: the
 * amplifier's exact constant; missing: NaN; railed: stuck at +5 mV. */
static void stop_heart(float *x, size_t from, size_t len, double fs, enum stop_kind kind)
{
    uint32_t st = 12345u;
    float level = x[from];
    for (size_t i = 0; i < len; i++) {
        double u = 0.0;
        for (int k = 0; k < 4; k++) {
            st = st * 1664525u + 1013904223u;
            u += (double)(st >> 8) / 16777216.0 - 0.5;
        }
        double noise = u * 0.02 / sqrt(4.0 / 12.0);
        double wander = 0.05 * sin(2.0 * 3.14159265358979 * 0.2 * (double)i / fs);
        x[from + i] = kind == ASYSTOLE_LINE ? (float)(level + noise + wander)
                      : kind == LEADS_OFF   ? level
                      : kind == MISSING     ? NAN
                                            : 5.0f;
    }
}

static const vs_event *first_alarm(const event_run *r, uint32_t type, uint32_t code)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->ev[i].type == type && r->ev[i].code == code) return &r->ev[i];
    return NULL;
}

/* The last true beat before `idx` in a synthetic record. */
static int64_t last_beat_before(const vs_test_record *rec, int64_t idx)
{
    int64_t last = -1;
    for (size_t i = 0; i < rec->n_truth && rec->truth[i].sample_idx < idx; i++)
        last = rec->truth[i].sample_idx;
    return last;
}

/* A 90 s synthetic record whose signal stops (kind) from 0.45 s after the last beat before 40 s
 * for 30 s, run through a monitor in 1 s chunks; *last: that beat, *from: the stop. */
static event_run stopped_record(vs_test_record *rec, uint64_t seed, enum stop_kind kind,
                                int64_t *last, size_t *from)
{
    const double fs = 360.0;
    synth(rec, fs, 90.0, 0.0, 0.0, 0.0, 0.005, seed);
    *last = last_beat_before(rec, (int64_t)(40.0 * fs));
    *from = (size_t)*last + (size_t)(0.45 * fs); /* after the last T wave */
    stop_heart(rec->x, *from, (size_t)(30.0 * fs), fs, kind);
    event_run r = run_monitor(rec->x, rec->n, fs, 360, 0);
    assert_well_formed(&r);
    return r;
}

/* The heart stops for 30 s: pause, then asystole raised while it lasts (within 1 s of each
 * threshold, +0.4 s for the detector's decision lag), open, each once; no beat inside; the beat
 * that ends it raises nothing again; and all of it chunk-invariant with state round trips. */
static void test_asystole_raised_while_it_happens(void **state)
{
    (void)state;
    const double fs = 360.0;
    vs_test_record rec;
    int64_t last = 0;
    size_t from = 0;
    event_run r = stopped_record(&rec, 41, ASYSTOLE_LINE, &last, &from);
    const vs_event *a = first_alarm(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    const vs_event *p = first_alarm(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_PAUSE);
    assert_non_null(a);
    assert_non_null(p);
    double a_delay = (double)(a->decided_idx - last) / fs, p_delay = (double)(p->decided_idx - last) / fs;
    print_message("asystole line: pause after %.2f s, asystole after %.2f s\n", p_delay, a_delay);
    assert_true(a_delay >= 4.0 && a_delay <= 5.0);
    assert_true(p_delay >= 2.5 && p_delay <= 3.5);
    assert_true(llabs(a->sample_idx - last) <= (int64_t)(0.05 * fs));
    assert_int_equal(a->end_idx, -1);
    assert_int_equal(a->severity, VS_RHYTHM_CRITICAL);
    assert_int_equal(a->flags & VS_ALARM_TECHNICAL, 0);
    assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 1);
    assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_PAUSE), 1);
    assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST), 0);
    for (size_t i = 0; i < r.n; i++)
        if (r.ev[i].type == VS_EVENT_BEAT)
            assert_false(r.ev[i].sample_idx > last + (int64_t)(0.2 * fs) &&
                         r.ev[i].sample_idx < (int64_t)from + (int64_t)(30.0 * fs));
    free(r.ev);
    check_chunkings(rec.x, rec.n, fs, "asystole line");
    vs_test_record_free(&rec);
}

/* Leads off (exact constant), missing and railed signal for 30 s: the technical alarm within
 * SIGNAL_LOST_S + 2 s of the start, flagged technical, its end once the signal is back, and no
 * pause/asystole for what is not readable signal. */
static void test_signal_lost_technical_alarm(void **state)
{
    (void)state;
    const double fs = 360.0;
    const enum stop_kind kinds[] = {LEADS_OFF, MISSING, RAILED};
    const char *names[] = {"leads off", "missing", "railed"};
    for (size_t k = 0; k < 3; k++) {
        vs_test_record rec;
        int64_t last = 0;
        size_t from = 0, len = (size_t)(30.0 * fs);
        event_run r = stopped_record(&rec, 43, kinds[k], &last, &from);
        const vs_event *t = first_alarm(&r, VS_EVENT_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST);
        const vs_event *e = first_alarm(&r, VS_EVENT_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST);
        assert_non_null(t);
        assert_non_null(e);
        double delay = (double)(t->decided_idx - (int64_t)from) / fs;
        double cleared = (double)(e->decided_idx - (int64_t)(from + len)) / fs;
        print_message("%s: technical alarm after %.2f s, cleared %.2f s after the signal is back\n",
                      names[k], delay, cleared);
        assert_true(delay >= 9.0 && delay <= 12.0); /* onset: start of the first unreadable segment */
        assert_true(cleared >= 0.0 && cleared <= 7.0);
        assert_true(t->flags & VS_ALARM_TECHNICAL);
        assert_true(e->flags & VS_ALARM_TECHNICAL);
        assert_int_equal(t->end_idx, -1);
        assert_int_equal(e->sample_idx, t->sample_idx);
        assert_true(e->end_idx >= (int64_t)(from + len) - 1);
        assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST), 1);
        assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_ASYSTOLE), 0);
        assert_int_equal(count_type(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_PAUSE), 0);
        free(r.ev);
        if (kinds[k] == LEADS_OFF) check_chunkings(rec.x, rec.n, fs, names[k]);
        vs_test_record_free(&rec);
    }
}

/* Leads off for 15 s, then the leads are back on a heart that has stopped: the technical alarm
 * and its end, then asystole counted from the signal's return; chunk-invariant, also when the
 * deadlines fall inside the caller's chunks right after a quality change. */
static void test_leads_back_on_asystole(void **state)
{
    (void)state;
    const double fs = 360.0;
    vs_test_record rec;
    synth(&rec, fs, 90.0, 0.0, 0.0, 0.0, 0.005, 47);
    int64_t last = last_beat_before(&rec, (int64_t)(40.0 * fs));
    size_t from = (size_t)last + (size_t)(0.45 * fs), half = (size_t)(15.0 * fs);
    stop_heart(rec.x, from, 2 * half, fs, ASYSTOLE_LINE);
    stop_heart(rec.x, from, half, fs, LEADS_OFF);
    event_run r = run_monitor(rec.x, rec.n, fs, 0, 0);
    const vs_event *t = first_alarm(&r, VS_EVENT_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST);
    const vs_event *e = first_alarm(&r, VS_EVENT_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST);
    const vs_event *a = first_alarm(&r, VS_EVENT_ALARM, VS_RHYTHM_ALARM_ASYSTOLE);
    assert_non_null(t);
    assert_non_null(e);
    assert_non_null(a);
    /* the silence counts from the moment the signal was judged readable again (a->sample_idx) */
    double after_back = (double)(a->decided_idx - a->sample_idx) / fs;
    print_message("leads back on asystole: asystole %.2f s after the signal was judged readable, "
                  "%.2f s after the leads came back\n", after_back,
                  (double)(a->decided_idx - (int64_t)(from + half)) / fs);
    assert_true(after_back >= 4.0 && after_back <= 5.0);
    assert_true(a->sample_idx >= (int64_t)(from + half));
    assert_true(e->decided_idx <= a->decided_idx);
    free(r.ev);
    check_chunkings(rec.x, rec.n, fs, "leads back on asystole");
    vs_test_record_free(&rec);
}

/* The check in C: 30 s of asystole line / leads off spliced into MIT-BIH 100 and 208
 * after the last beat before 600 s, fed in 1 s chunks. */
/* What vs_monitor tells vs_rhythm when a V beat does not match the run's previous beat
 * (VS_RHYTHM_SHAPE_NEW): the beat starts a new ventricular run, so three V beats of two shapes
 * are no VT, but two consecutive V beats are still a couplet whatever their shapes. */
static int push_rhythm(vs_rhythm *r, int64_t idx, int cls, int restart, int *couplets, int *vt)
{
    vs_rhythm_event ev[VS_RHY_MAX_EVENTS];
    size_t n = 0;
    assert_int_equal(vs_rhythm_push_beat_shaped(r, idx, cls, 0, NAN,
                                                restart ? VS_RHYTHM_SHAPE_NEW : 0u, ev,
                                                VS_RHY_MAX_EVENTS, &n),
                     VS_OK);
    for (size_t k = 0; k < n; k++) {
        *couplets += ev[k].kind == VS_RHYTHM_KIND_ALARM && ev[k].type == VS_RHYTHM_ALARM_COUPLET;
        *vt += ev[k].kind == VS_RHYTHM_KIND_EPISODE_START && ev[k].type == VS_RHYTHM_VT;
    }
    return (int)n;
}

static void test_run_restart_gates_vt_not_couplets(void **state)
{
    (void)state;
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, 360.0), VS_OK);
    int couplets = 0, vt = 0;
    int64_t t = 0;
    for (int i = 0; i < 12; i++) push_rhythm(r, t += 288, VS_AAMI_N, 0, &couplets, &vt);
    /* V V(other shape) N: a couplet */
    push_rhythm(r, t += 144, VS_AAMI_V, 0, &couplets, &vt);
    push_rhythm(r, t += 144, VS_AAMI_V, 1, &couplets, &vt);
    push_rhythm(r, t += 288, VS_AAMI_N, 0, &couplets, &vt);
    assert_int_equal(couplets, 1);
    for (int i = 0; i < 6; i++) push_rhythm(r, t += 288, VS_AAMI_N, 0, &couplets, &vt);
    /* V V(other) V N at 150 bpm: the new run has two beats, no VT (and no couplet: three V) */
    push_rhythm(r, t += 144, VS_AAMI_V, 0, &couplets, &vt);
    push_rhythm(r, t += 144, VS_AAMI_V, 1, &couplets, &vt);
    push_rhythm(r, t += 144, VS_AAMI_V, 0, &couplets, &vt);
    push_rhythm(r, t += 288, VS_AAMI_N, 0, &couplets, &vt);
    assert_int_equal(vt, 0);
    assert_int_equal(couplets, 1);
    for (int i = 0; i < 6; i++) push_rhythm(r, t += 288, VS_AAMI_N, 0, &couplets, &vt);
    /* V V(other) V V: VT from the second beat on */
    push_rhythm(r, t += 144, VS_AAMI_V, 0, &couplets, &vt);
    int64_t second = t + 144;
    push_rhythm(r, t += 144, VS_AAMI_V, 1, &couplets, &vt);
    push_rhythm(r, t += 144, VS_AAMI_V, 0, &couplets, &vt);
    assert_int_equal(vt, 0);
    vs_rhythm_event ev[VS_RHY_MAX_EVENTS];
    size_t n = 0;
    assert_int_equal(vs_rhythm_push_beat(r, t += 144, VS_AAMI_V, 0, ev, VS_RHY_MAX_EVENTS, &n), VS_OK);
    int found = 0;
    for (size_t k = 0; k < n; k++)
        if (ev[k].kind == VS_RHYTHM_KIND_EPISODE_START && ev[k].type == VS_RHYTHM_VT) {
            assert_int_equal(ev[k].onset_idx, second);
            found = 1;
        }
    assert_true(found);
    vs_rhythm_destroy(r);
}

/* Odd-shaped V beats count in no run; a V beat with the dominant shape does not complete a VT
 * run (it does extend a couplet); unknown shape bits are refused with nothing changed. */
static int v_run_of(uint32_t shape_of_third)
{
    vs_rhythm *r = NULL;
    assert_int_equal(vs_rhythm_create(&r, 360.0), VS_OK);
    vs_rhythm_event ev[VS_RHY_MAX_EVENTS];
    size_t n = 0;
    int vt = 0;
    int64_t t = 0;
    for (int i = 0; i < 12; i++)
        assert_int_equal(vs_rhythm_push_beat_shaped(r, t += 288, VS_AAMI_N, 0, NAN, 0u, ev,
                                                    VS_RHY_MAX_EVENTS, &n), VS_OK);
    assert_int_equal(vs_rhythm_push_beat_shaped(r, t + 144, VS_AAMI_V, 0, NAN, 0x8u, ev,
                                                VS_RHY_MAX_EVENTS, &n), VS_E_INVALID_ARG);
    for (int i = 0; i < 4; i++) {
        uint32_t shape = i == 2 ? shape_of_third : 0u;
        assert_int_equal(vs_rhythm_push_beat_shaped(r, t += 144, VS_AAMI_V, 0, NAN, shape, ev,
                                                    VS_RHY_MAX_EVENTS, &n), VS_OK);
        for (size_t k = 0; k < n; k++)
            vt += ev[k].kind == VS_RHYTHM_KIND_EPISODE_START && ev[k].type == VS_RHYTHM_VT;
    }
    vs_rhythm_destroy(r);
    return vt;
}

static void test_shape_evidence_gates_vt(void **state)
{
    (void)state;
    assert_int_equal(v_run_of(0u), 1);                   /* V V V V: VT */
    assert_int_equal(v_run_of(VS_RHYTHM_SHAPE_ODD), 0);  /* V V odd V: runs of 2 and 1 */
    assert_int_equal(v_run_of(VS_RHYTHM_SHAPE_USUAL), 0); /* the third does not complete VT */
}

/* The run-shape rule (run_shape.h) keeps real VT: ventricular runs of MIT-BIH 205 (reference
 * "(VT" from 298.8 s and around 1460-1466 s; their beats match each other at 0.9-1.0) are still
 * called VT, in one call and in 1-s chunks with a state round trip after each. */
static void test_mitdb_vt_runs_still_called(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    int64_t n = 0;
    double fs = 0;
    float *x = vs_test_read_mitdb(db, "205", &n, &fs);
    size_t len = (size_t)(1500 * fs);
    const long chunks[] = {0, (long)fs};
    for (int c = 0; c < 2; c++) {
        event_run r = run_monitor(x, len, fs, chunks[c], c);
        int early = 0, late = 0;
        for (size_t k = 0; k < r.n; k++) {
            const vs_event *e = &r.ev[k];
            if (e->type != VS_EVENT_RHYTHM || e->code != VS_RHYTHM_VT || e->end_idx >= 0) continue;
            double t = (double)e->sample_idx / fs;
            early += t > 298.0 && t < 302.0;
            late += t > 1462.0 && t < 1468.0;
        }
        assert_true(early >= 1);
        assert_true(late >= 1);
        free(r.ev);
    }
    vs_io_free(x);
}

static void test_mitdb_asystole_and_leads_off(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *records[] = {"100", "208"};
    for (size_t i = 0; i < 2; i++) {
        int64_t n = 0;
        double fs = 0;
        float *x = vs_test_read_mitdb(db, records[i], &n, &fs);
        vs_annotation_list ann = {0};
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.atr", db, records[i]);
        assert_int_equal(vs_annot_read(path, &ann, NULL), VS_OK);
        int64_t last = -1;
        for (size_t k = 0; k < ann.count; k++)
            if (vs_annot_is_beat(ann.items[k].code) && ann.items[k].sample_idx < (int64_t)(600 * fs))
                last = ann.items[k].sample_idx;
        vs_annot_list_free(&ann);
        size_t keep = (size_t)(660 * fs), from = (size_t)last + (size_t)(0.45 * fs);
        size_t len = (size_t)(30 * fs);
        float *y = malloc((keep + len) * sizeof *y);
        for (int kind = 0; kind < 2; kind++) {
            memcpy(y, x, from * sizeof *y);
            memcpy(y + from + len, x + from, (keep - from) * sizeof *y);
            y[from] = x[from];
            stop_heart(y, from, len, fs, kind == 0 ? ASYSTOLE_LINE : LEADS_OFF);
            event_run r = run_monitor(y, keep + len, fs, (long)fs, 0);
            uint32_t code = kind == 0 ? VS_RHYTHM_ALARM_ASYSTOLE : VS_RHYTHM_TECH_SIGNAL_LOST;
            const vs_event *a = NULL;
            for (size_t k = 0; k < r.n && !a; k++)
                if (r.ev[k].type == VS_EVENT_ALARM && r.ev[k].code == code &&
                    r.ev[k].decided_idx > last)
                    a = &r.ev[k];
            assert_non_null(a);
            double delay = (double)(a->decided_idx - (kind == 0 ? last : (int64_t)from)) / fs;
            print_message("%s %s: %s after %.2f s\n", records[i], kind == 0 ? "asystole" : "leads off",
                          vs_rhythm_type_name((int)code), delay);
            assert_true(delay <= (kind == 0 ? 4.0 : 10.0) + 2.0);
            free(r.ev);
        }
        free(y);
        vs_io_free(x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_state_budget),
        cmocka_unit_test(test_bad_blobs_leave_monitor_untouched),
        cmocka_unit_test(test_golden_blob_keeps_loading),
        cmocka_unit_test(test_run_restart_gates_vt_not_couplets),
        cmocka_unit_test(test_shape_evidence_gates_vt),
        cmocka_unit_test(test_mitdb_vt_runs_still_called),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_noise_is_not_af),
        cmocka_unit_test(test_pipeline_finds_af_and_pvcs),
        cmocka_unit_test(test_no_sveb_reported_in_af),
        cmocka_unit_test(test_hrv_from_window),
        cmocka_unit_test(test_large_atrial_waves_do_not_hide_af),
        cmocka_unit_test(test_finish_reports_the_last_beat),
        cmocka_unit_test(test_chunk_of_one),
        cmocka_unit_test(test_chunk_invariance_synthetic),
        cmocka_unit_test(test_chunk_invariance_mitdb),
        cmocka_unit_test(test_asystole_raised_while_it_happens),
        cmocka_unit_test(test_signal_lost_technical_alarm),
        cmocka_unit_test(test_leads_back_on_asystole),
        cmocka_unit_test(test_mitdb_asystole_and_leads_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
