/* test_classify_view.c — the read-only views of vs_classifier (classify_view.c):
 * vs_classifier_signal against an independent model of the conditioned ring (values, missing
 * samples, the samples that left the ring or are not pushed yet), and vs_classifier_pending
 * against the beats pushed (beat, features measured at push, alignment to the template). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qrs_support.h"
#include "vitalstream/classify.h"

#define SENTINEL 0x5555

/* The conditioned signal as classify.h describes it: first-order 0.5 Hz high-pass started at the
 * first finite sample, in microvolts clipped to +-32767, rounded half to even. */
static void reference_signal(const float *x, size_t n, double fs, int16_t *out)
{
    const float a = (float)(1.0 / (1.0 + 2.0 * 3.14159265358979323846 * 0.5 / fs));
    float hx = 0.0f, hy = 0.0f;
    int primed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            out[i] = VS_CLASSIFY_SIGNAL_MISSING;
            continue;
        }
        if (!primed) {
            hx = x[i];
            primed = 1;
        }
        hy = a * (hy + (x[i] - hx));
        hx = x[i];
        float u = hy * 1000.0f;
        u = u > 32767.0f ? 32767.0f : (u < -32767.0f ? -32767.0f : u);
        out[i] = (int16_t)lrintf(u);
    }
}

static vs_status read_signal(const vs_classifier *c, int64_t first, size_t n, int16_t *out)
{
    for (size_t i = 0; i < n; i++) out[i] = SENTINEL;
    return vs_classifier_signal(c, first, n, out);
}

static void assert_untouched(const int16_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) assert_int_equal(out[i], SENTINEL);
}

static void check_signal_at(double fs)
{
    enum { N = 2000 };
    float x[N];
    int16_t ref[N], out[N];
    x[0] = NAN; /* missing before the first finite sample */
    for (size_t i = 1; i < N; i++)
        x[i] = (float)(1.5 * sin(2.0 * 3.14159265358979323846 * 7.0 * (double)i / fs));
    for (size_t i = N - 300; i < N - 280; i++) x[i] = 40.0f; /* clipped */
    x[N - 200] = NAN;
    x[N - 199] = INFINITY;
    reference_signal(x, N, fs, ref);
    const int64_t ring = lround(1.35 * fs);
    assert_true(ring < N);

    vs_classifier *c = NULL;
    assert_int_equal(vs_classifier_create(&c, fs), VS_OK);
    /* nothing pushed yet */
    assert_int_equal(read_signal(c, 0, 1, out), VS_E_INSUFFICIENT_DATA);
    assert_int_equal(vs_classifier_signal(c, 0, 0, NULL), VS_OK);

    /* before the ring is full: everything pushed is held */
    assert_int_equal(vs_classifier_push_samples(c, x, 100), VS_OK);
    assert_int_equal(read_signal(c, 0, 100, out), VS_OK);
    assert_memory_equal(out, ref, 100 * sizeof *out);
    assert_int_equal(out[0], VS_CLASSIFY_SIGNAL_MISSING);
    assert_int_equal(read_signal(c, 0, 101, out), VS_E_INSUFFICIENT_DATA);
    assert_untouched(out, 101);
    assert_int_equal(read_signal(c, -1, 2, out), VS_E_INSUFFICIENT_DATA); /* before the stream */
    assert_untouched(out, 2);

    for (size_t pos = 100; pos < N; pos += 333) {
        size_t len = N - pos < 333 ? N - pos : 333;
        assert_int_equal(vs_classifier_push_samples(c, x + pos, len), VS_OK);
    }
    assert_int_equal(vs_classifier_samples_seen(c), N);
    /* the whole ring, across its wrap-around, equals the model */
    int64_t oldest = N - ring;
    assert_int_equal(read_signal(c, oldest, (size_t)ring, out), VS_OK);
    assert_memory_equal(out, ref + oldest, (size_t)ring * sizeof *out);
    assert_int_equal(out[N - 300 - oldest], 32767);
    assert_int_equal(out[N - 200 - oldest], VS_CLASSIFY_SIGNAL_MISSING);
    assert_int_equal(out[N - 199 - oldest], VS_CLASSIFY_SIGNAL_MISSING);
    for (int64_t i = 1; i < ring; i += 37) { /* any piece of it */
        size_t len = (size_t)(ring - i < 50 ? ring - i : 50);
        assert_int_equal(read_signal(c, oldest + i, len, out), VS_OK);
        assert_memory_equal(out, ref + oldest + i, len * sizeof *out);
    }
    /* samples that left the ring */
    assert_int_equal(read_signal(c, oldest - 1, (size_t)ring + 1, out), VS_E_INSUFFICIENT_DATA);
    assert_untouched(out, (size_t)ring + 1);
    assert_int_equal(read_signal(c, oldest - 1, 1, out), VS_E_INSUFFICIENT_DATA);
    assert_untouched(out, 1);
    assert_int_equal(read_signal(c, 0, 10, out), VS_E_INSUFFICIENT_DATA);
    assert_untouched(out, 10);
    assert_int_equal(read_signal(c, -1, 1, out), VS_E_INSUFFICIENT_DATA);
    /* samples not pushed yet */
    assert_int_equal(read_signal(c, N - 1, 2, out), VS_E_INSUFFICIENT_DATA);
    assert_untouched(out, 2);
    assert_int_equal(read_signal(c, N, 1, out), VS_E_INSUFFICIENT_DATA);
    assert_int_equal(read_signal(c, N, 0, out), VS_OK);
    assert_int_equal(read_signal(c, N - 1, 1, out), VS_OK);
    assert_int_equal(out[0], ref[N - 1]);
    /* misuse */
    assert_int_equal(vs_classifier_signal(NULL, oldest, 1, out), VS_E_NULL_ARG);
    assert_int_equal(vs_classifier_signal(c, oldest, 1, NULL), VS_E_NULL_ARG);
    /* reset forgets the signal */
    vs_classifier_reset(c);
    assert_int_equal(read_signal(c, N - 1, 1, out), VS_E_INSUFFICIENT_DATA);
    vs_classifier_destroy(c);
}

static void test_signal(void **state)
{
    (void)state;
    check_signal_at(360.0);
    check_signal_at(250.0);
    check_signal_at(1000.0);
}

/* Saves c's state and loads it back into c. */
static void reload(vs_classifier *c)
{
    size_t size = vs_classifier_state_size(c), written = 0;
    uint8_t *blob = malloc(size);
    assert_non_null(blob);
    assert_int_equal(vs_classifier_state_save(c, blob, size, &written), VS_OK);
    assert_int_equal(vs_classifier_state_load(c, blob, written), VS_OK);
    free(blob);
}

/* Beats from 40 on are pushed with their R mark moved by a known jitter d (up to +-6 samples,
 * within the +-40 ms template search): the alignment of a dominant beat must undo it. */
#define SETTLE_BEATS 40
static int32_t jitter(size_t i)
{
    return i < SETTLE_BEATS ? 0 : (int32_t)((i * 7) % 13) - 6;
}

static void test_pending(void **state)
{
    (void)state;
    vs_synth_config cfg;
    assert_int_equal(vs_synth_default_config(&cfg), VS_OK);
    cfg.fs_hz = 360.0;
    cfg.duration_s = 180.0;
    cfg.hr_bpm = 72.0;
    cfg.pvc_per_min = 4.0;
    cfg.seed = 11;
    vs_test_record rec;
    vs_test_synth(&cfg, &rec);
    size_t nb = 0;
    vs_beat *beats = vs_test_detect(rec.x, rec.n, rec.fs_hz, 0, 0, &nb);
    assert_true(nb > 150);

    vs_classifier *c = NULL;
    assert_int_equal(vs_classifier_create(&c, rec.fs_hz), VS_OK);
    vs_beat pb;
    vs_beat_features pf;
    int32_t align = 0;
    assert_int_equal(vs_classifier_pending(c, &pb, &pf, &align), 0);
    assert_int_equal(vs_classifier_pending(NULL, &pb, &pf, &align), 0);

    vs_beat held = {0};
    vs_beat_features held_f = {0};
    int32_t align_hist[29] = {0}; /* settling beats: align + 14 */
    int32_t base = 0;
    size_t pushed = 0, dominant = 0, aligned = 0, released = 0, not_dominant = 0;
    int reloaded = 0;
    for (size_t i = 0; i < nb; i++) {
        vs_beat b = beats[i];
        b.sample_idx += jitter(i);
        if (b.decided_idx + 1 > (int64_t)pushed) {
            size_t upto = (size_t)b.decided_idx + 1;
            assert_int_equal(vs_classifier_push_samples(c, rec.x + pushed, upto - pushed), VS_OK);
            pushed = upto;
        }
        vs_classified_beat out;
        size_t n_out = 0;
        assert_int_equal(vs_classifier_push_beat(c, &b, &out, 1, &n_out), VS_OK);
        if (i > 0) {
            /* the beat released is the one held before, with the features it had then */
            assert_int_equal(n_out, 1);
            assert_int_equal(out.beat.sample_idx, held.sample_idx);
            assert_int_equal(out.beat.decided_idx, held.decided_idx);
            held_f.post_rr_ms = out.features.post_rr_ms;
            assert_memory_equal(&out.features, &held_f, sizeof held_f);
            released++;
        }
        memset(&pb, 0xA5, sizeof pb);
        assert_int_equal(vs_classifier_pending(c, &pb, &pf, &align), 1);
        assert_memory_equal(&pb, &b, sizeof b); /* as pushed: no private bits */
        assert_true(pf.post_rr_ms == 0.0f && !(pf.flags & VS_CLASSIFY_NO_POST_RR));
        /* each output on its own */
        vs_beat only;
        assert_int_equal(vs_classifier_pending(c, &only, NULL, NULL), 1);
        assert_int_equal(only.sample_idx, b.sample_idx);
        int32_t only_align = 99;
        assert_int_equal(vs_classifier_pending(c, NULL, NULL, &only_align), 1);
        assert_int_equal(only_align, align);
        held = b;
        held_f = pf;

        if (i == SETTLE_BEATS) /* the usual alignment of the beats pushed as detected */
            for (int k = 0; k < 29; k++)
                if (align_hist[k] > align_hist[base + 14]) base = k - 14;
        if (!(pf.flags & VS_CLASSIFY_DOMINANT)) {
            not_dominant++;
            continue;
        }
        assert_true(align >= -14 && align <= 14); /* +-40 ms at 360 Hz */
        if (i < SETTLE_BEATS) {
            if (i >= 10) align_hist[align + 14]++;
            continue;
        }
        dominant++;
        aligned += abs(align + jitter(i) - base) <= 1;
        if (!reloaded && i >= nb / 2 && align != 0) {
            reloaded = 1;
            /* the alignment is not part of the state; the beat and its features are */
            reload(c);
            vs_beat rb;
            vs_beat_features rf;
            int32_t ra = 99;
            assert_int_equal(vs_classifier_pending(c, &rb, &rf, &ra), 1);
            assert_memory_equal(&rb, &b, sizeof b);
            assert_memory_equal(&rf, &pf, sizeof pf);
            assert_int_equal(ra, 0);
        }
    }
    print_message("pending: %zu beats released, %zu dominant after settling, %zu aligned within "
                  "a sample (base %d), %zu not dominant\n",
                  released, dominant, aligned, (int)base, not_dominant);
    assert_true(reloaded);
    assert_true(dominant > 100);
    assert_true(aligned >= dominant * 95 / 100);
    assert_true(not_dominant > 0); /* the PVCs */

    vs_classified_beat out;
    size_t n_out = 0;
    assert_int_equal(vs_classifier_finish(c, &out, 1, &n_out), VS_OK);
    assert_int_equal(n_out, 1);
    assert_int_equal(out.beat.sample_idx, held.sample_idx);
    memset(&pb, 0xA5, sizeof pb);
    vs_beat untouched;
    memset(&untouched, 0xA5, sizeof untouched);
    assert_int_equal(vs_classifier_pending(c, &pb, &pf, &align), 0);
    assert_memory_equal(&pb, &untouched, sizeof pb);
    vs_classifier_destroy(c);
    free(beats);
    vs_test_record_free(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
