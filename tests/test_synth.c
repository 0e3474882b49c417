/* test_synth.c — synthetic ECG generator: determinism, rhythm, morphology, PVCs, AF, noise,
 * every sampling rate, invalid configurations, and private exp/sin accuracy. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vitalstream/synth.h"
#include "synth/synth_math.h"

#define GOLDEN_HASH UINT64_C(0xa220e40ff38bed68)
#define GOLDEN_BEATS 35

typedef struct rec {
    float *x;
    size_t n;
    vs_synth_beat *beats;
    size_t n_beats;
} rec;

static void rec_make(const vs_synth_config *cfg, rec *r)
{
    size_t cap = 0;
    assert_int_equal(vs_synth_num_samples(cfg, &r->n), VS_OK);
    assert_int_equal(vs_synth_max_beats(cfg, &cap), VS_OK);
    r->x = malloc(r->n * sizeof *r->x);
    r->beats = malloc(cap * sizeof *r->beats);
    assert_non_null(r->x);
    assert_non_null(r->beats);
    assert_int_equal(vs_synth_generate(cfg, r->x, r->n, r->beats, cap, &r->n_beats), VS_OK);
    assert_true(r->n_beats <= cap);
}

static void rec_free(rec *r)
{
    free(r->x);
    free(r->beats);
}

static void clean_config(vs_synth_config *c)
{
    vs_synth_default_config(c);
    c->noise_mv = 0.0;
    c->emg_mv = 0.0;
    c->baseline_mv = 0.0;
    c->motion_per_min = 0.0;
}

static uint64_t fnv1a_floats(const float *x, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        for (int b = 0; b < 4; b++) {
            h ^= (u >> (8 * b)) & 0xffu;
            h *= UINT64_C(0x100000001b3);
        }
    }
    return h;
}

/* Mean and coefficient of variation of the RR intervals of consecutive normal beats with the
 * given rhythm (both beats), skipping intervals next to a PVC. */
static void rr_stats(const rec *r, double fs, int rhythm, double *mean_s, double *cv, size_t *cnt)
{
    double s = 0, s2 = 0;
    size_t k = 0;
    for (size_t i = 1; i < r->n_beats; i++) {
        const vs_synth_beat *a = &r->beats[i - 1], *b = &r->beats[i];
        if (a->label != VS_ANN_NORMAL || b->label != VS_ANN_NORMAL) continue;
        if (a->rhythm != rhythm || b->rhythm != rhythm) continue;
        double rr = (double)(b->sample_idx - a->sample_idx) / fs;
        s += rr;
        s2 += rr * rr;
        k++;
    }
    *cnt = k;
    *mean_s = k ? s / (double)k : 0.0;
    double var = k ? s2 / (double)k - *mean_s * *mean_s : 0.0;
    *cv = k && *mean_s > 0 ? sqrt(var > 0 ? var : 0) / *mean_s : 0.0;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_defaults_and_sizes(void **state)
{
    (void)state;
    vs_synth_config c;
    assert_int_equal(vs_synth_default_config(&c), VS_OK);
    assert_true(c.fs_hz == 360.0);
    assert_true(c.hr_bpm == 70.0);
    assert_true(c.duration_s > 0.0);
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_OK);
    assert_int_equal(vs_synth_default_config(NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_beat_struct_size(), sizeof(vs_synth_beat));
    assert_int_equal(sizeof(vs_synth_beat), 24);
    assert_int_equal(vs_synth_episode_struct_size(), 24);
    assert_int_equal(vs_synth_config_struct_size(), 128);
    assert_int_equal(offsetof(vs_synth_beat, label), 8);
    assert_int_equal(offsetof(vs_synth_beat, rhythm), 10);
    assert_int_equal(offsetof(vs_synth_beat, rr_ms), 12);
    assert_int_equal(offsetof(vs_synth_config, seed), 120);
    size_t n = 0;
    c.duration_s = 10.0;
    assert_int_equal(vs_synth_num_samples(&c, &n), VS_OK);
    assert_int_equal(n, 3600);
    assert_string_equal(vs_synth_rhythm_aux(VS_SYNTH_RHYTHM_SINUS), "(N");
    assert_string_equal(vs_synth_rhythm_aux(VS_SYNTH_RHYTHM_AF), "(AFIB");
    assert_string_equal(vs_synth_rhythm_aux(99), "");
    assert_int_equal(vs_synth_max_episodes(), 3);
}

static void test_determinism(void **state)
{
    (void)state;
    vs_synth_config c;
    vs_synth_default_config(&c);
    c.duration_s = 120.0;
    c.pvc_per_min = 4.0;
    c.af_start_s = 40.0;
    c.af_duration_s = 30.0;
    c.motion_per_min = 2.0;
    c.emg_mv = 0.02;
    rec a, b, d;
    rec_make(&c, &a);
    rec_make(&c, &b);
    assert_int_equal(a.n, b.n);
    assert_int_equal(a.n_beats, b.n_beats);
    assert_memory_equal(a.x, b.x, a.n * sizeof(float));
    assert_memory_equal(a.beats, b.beats, a.n_beats * sizeof(vs_synth_beat));
    c.seed = 2;
    rec_make(&c, &d);
    assert_int_equal(a.n, d.n);
    assert_true(memcmp(a.x, d.x, a.n * sizeof(float)) != 0);
    int beats_differ = a.n_beats != d.n_beats;
    for (size_t i = 0; !beats_differ && i < a.n_beats; i++)
        beats_differ = a.beats[i].sample_idx != d.beats[i].sample_idx;
    assert_true(beats_differ);
    rec_free(&a);
    rec_free(&b);
    rec_free(&d);
}

/* Golden hash: the samples must be bit-identical on every platform (and across releases unless
 * the model is changed on purpose; then update the constant and say so in the changelog). */
static void test_golden_bits(void **state)
{
    (void)state;
    vs_synth_config c;
    vs_synth_default_config(&c);
    c.duration_s = 30.0;
    c.pvc_per_min = 6.0;
    c.af_start_s = 10.0;
    c.af_duration_s = 10.0;
    c.motion_per_min = 6.0;
    c.emg_mv = 0.02;
    c.seed = UINT64_C(0x0123456789abcdef);
    rec a;
    rec_make(&c, &a);
    uint64_t h = fnv1a_floats(a.x, a.n);
    printf("golden hash %016llx, %zu beats\n", (unsigned long long)h, a.n_beats);
    assert_int_equal(a.n_beats, GOLDEN_BEATS);
    assert_true(h == GOLDEN_HASH);
    rec_free(&a);
}

static void test_heart_rate(void **state)
{
    (void)state;
    static const double hrs[] = { 40, 60, 70, 90, 120, 180 };
    for (size_t k = 0; k < sizeof hrs / sizeof hrs[0]; k++) {
        vs_synth_config c;
        vs_synth_default_config(&c);
        c.duration_s = 300.0;
        c.hr_bpm = hrs[k];
        c.seed = 100 + k;
        rec r;
        rec_make(&c, &r);
        double mean, cv;
        size_t cnt;
        rr_stats(&r, c.fs_hz, VS_SYNTH_RHYTHM_SINUS, &mean, &cv, &cnt);
        double want = 60.0 / hrs[k];
        assert_true(cnt + 1 == r.n_beats);
        assert_true(fabs(mean - want) / want < 0.02);
        /* HRV: SD of RR near the requested 40 ms (clipping and sampling allow some slack). */
        assert_true(cv * mean > 0.020 && cv * mean < 0.060);
        double expected_beats = c.duration_s / want;
        assert_true(fabs((double)r.n_beats - expected_beats) < 0.03 * expected_beats + 2);
        rec_free(&r);
    }
    /* No HRV: metronome within one sample of rounding. */
    vs_synth_config c;
    clean_config(&c);
    c.hrv_std_ms = 0.0;
    c.hr_bpm = 60.0;
    rec r;
    rec_make(&c, &r);
    for (size_t i = 1; i < r.n_beats; i++) {
        int64_t d = r.beats[i].sample_idx - r.beats[i - 1].sample_idx;
        assert_true(d >= 359 && d <= 361);
        assert_true(fabsf(r.beats[i].rr_ms - (float)d * 1000.0f / 360.0f) < 1e-3f);
    }
    rec_free(&r);
}

static void assert_local_maxima(const rec *r, double fs)
{
    int64_t w = (int64_t)(0.05 * fs);
    for (size_t i = 0; i < r->n_beats; i++) {
        int64_t s = r->beats[i].sample_idx;
        assert_true(s >= 0 && s < (int64_t)r->n);
        if (s < w || s >= (int64_t)r->n - w) continue;
        for (int64_t j = s - w; j <= s + w; j++)
            if (r->x[j] > r->x[s]) {
                fprintf(stderr, "beat %zu at %lld: x[%lld]=%g > %g (fs %g)\n", i, (long long)s,
                        (long long)j, r->x[j], r->x[s], fs);
                fail();
            }
        if (i > 0) assert_true(r->beats[i].sample_idx > r->beats[i - 1].sample_idx);
    }
}

static void test_r_peak_local_max_and_noise_independence(void **state)
{
    (void)state;
    vs_synth_config c;
    clean_config(&c);
    c.duration_s = 300.0;
    c.pvc_per_min = 5.0;
    c.af_start_s = 100.0;
    c.af_duration_s = 80.0;
    rec clean, noisy;
    rec_make(&c, &clean);
    assert_local_maxima(&clean, c.fs_hz);
    /* Same seed with noise, wander, EMG and artefacts: identical ground truth. */
    c.noise_mv = 0.05;
    c.emg_mv = 0.05;
    c.baseline_mv = 0.3;
    c.motion_per_min = 3.0;
    rec_make(&c, &noisy);
    assert_int_equal(clean.n_beats, noisy.n_beats);
    assert_memory_equal(clean.beats, noisy.beats, clean.n_beats * sizeof(vs_synth_beat));
    assert_true(memcmp(clean.x, noisy.x, clean.n * sizeof(float)) != 0);
    /* beats == NULL: same samples. */
    float *y = malloc(clean.n * sizeof *y);
    size_t nb = 0;
    assert_int_equal(vs_synth_generate(&c, y, clean.n, NULL, 0, &nb), VS_OK);
    assert_int_equal(nb, noisy.n_beats);
    assert_memory_equal(y, noisy.x, clean.n * sizeof(float));
    free(y);
    rec_free(&clean);
    rec_free(&noisy);
}

static double median_of(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) /* insertion sort: small arrays */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j]; v[j] = v[j - 1]; v[j - 1] = t;
        }
    return n ? v[n / 2] : 0.0;
}

/* Width (s) of the part of the beat above half its peak value. */
static double half_width_s(const rec *r, int64_t s, double fs)
{
    float half = r->x[s] * 0.5f;
    int64_t a = s, b = s;
    while (a > 0 && r->x[a - 1] > half) a--;
    while (b < (int64_t)r->n - 1 && r->x[b + 1] > half) b++;
    return (double)(b - a + 1) / fs;
}

static void test_pvcs(void **state)
{
    (void)state;
    vs_synth_config c;
    clean_config(&c);
    c.duration_s = 600.0;
    c.pvc_per_min = 6.0;
    rec r;
    rec_make(&c, &r);
    size_t n_pvc = 0, n_norm = 0;
    double norm_amp[4096], norm_w[4096];
    double rr_mean = 60.0 / c.hr_bpm;
    for (size_t i = 0; i < r.n_beats; i++) {
        const vs_synth_beat *b = &r.beats[i];
        assert_true(b->label == VS_ANN_NORMAL || b->label == VS_ANN_PVC);
        assert_int_equal(b->rhythm, VS_SYNTH_RHYTHM_SINUS);
        if (b->label == VS_ANN_NORMAL) {
            if (n_norm < 4096) {
                norm_amp[n_norm] = r.x[b->sample_idx];
                norm_w[n_norm] = half_width_s(&r, b->sample_idx, c.fs_hz);
            }
            n_norm++;
            continue;
        }
        n_pvc++;
        assert_true(i > 0 && i + 1 < r.n_beats);
        /* never two PVCs in a row */
        assert_int_equal(r.beats[i - 1].label, VS_ANN_NORMAL);
        assert_int_equal(r.beats[i + 1].label, VS_ANN_NORMAL);
        double pre = (double)(b->sample_idx - r.beats[i - 1].sample_idx) / c.fs_hz;
        double post = (double)(r.beats[i + 1].sample_idx - b->sample_idx) / c.fs_hz;
        assert_true(pre < 0.75 * rr_mean);                    /* premature */
        assert_true(post > 1.2 * rr_mean);                    /* pause */
        assert_true(fabs(pre + post - 2.0 * rr_mean) < 0.25 * rr_mean); /* compensatory */
    }
    double expected = c.pvc_per_min * c.duration_s / 60.0;
    assert_true(fabs((double)n_pvc - expected) <= 0.1 * expected + 2);
    size_t m = n_norm < 4096 ? n_norm : 4096;
    double med_amp = median_of(norm_amp, m), med_w = median_of(norm_w, m);
    assert_true(med_amp > 1.0 && med_amp < 1.5);
    for (size_t i = 0; i < r.n_beats; i++) {
        if (r.beats[i].label != VS_ANN_PVC) continue;
        int64_t s = r.beats[i].sample_idx;
        assert_true(r.x[s] > 1.3 * med_amp);                          /* large */
        assert_true(half_width_s(&r, s, c.fs_hz) > 2.5 * med_w);       /* wide */
    }
    rec_free(&r);
}

static void test_af_segment(void **state)
{
    (void)state;
    vs_synth_config c;
    clean_config(&c);
    c.duration_s = 400.0;
    c.hr_bpm = 50.0; /* long diastole for the f-wave check below */
    c.af_start_s = 120.0;
    c.af_duration_s = 150.0;
    rec r;
    rec_make(&c, &r);
    vs_synth_episode ep[3];
    size_t n_ep = 0;
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, &n_ep), VS_OK);
    assert_int_equal(n_ep, 3);
    assert_int_equal(ep[0].onset_idx, 0);
    assert_int_equal(ep[0].rhythm, VS_SYNTH_RHYTHM_SINUS);
    assert_int_equal(ep[1].onset_idx, 120 * 360);
    assert_int_equal(ep[1].end_idx, 270 * 360);
    assert_int_equal(ep[1].rhythm, VS_SYNTH_RHYTHM_AF);
    assert_int_equal(ep[2].onset_idx, 270 * 360);
    assert_int_equal(ep[2].end_idx, (int64_t)r.n);
    assert_int_equal(ep[2].rhythm, VS_SYNTH_RHYTHM_SINUS);
    for (size_t i = 0; i < r.n_beats; i++) {
        int64_t s = r.beats[i].sample_idx;
        int want = s >= ep[1].onset_idx && s < ep[1].end_idx;
        assert_int_equal(r.beats[i].rhythm, want);
    }
    double m_sin, cv_sin, m_af, cv_af;
    size_t k_sin, k_af;
    rr_stats(&r, c.fs_hz, VS_SYNTH_RHYTHM_SINUS, &m_sin, &cv_sin, &k_sin);
    rr_stats(&r, c.fs_hz, VS_SYNTH_RHYTHM_AF, &m_af, &cv_af, &k_af);
    assert_true(k_af > 100);
    assert_true(cv_af > 0.15);
    assert_true(cv_af > 3.0 * cv_sin);
    assert_true(fabs(m_af - 60.0 / c.hr_bpm) < 0.05 * 60.0 / c.hr_bpm);
    /* P waves: in sinus the window 200-140 ms before R rises clearly above the level 300 ms
     * before R; in AF the atrial activity is an oscillation, no bump locked to the QRS.
     * Average over beats so the f-waves cancel. */
    double p_sin = 0, p_af = 0;
    size_t n_sin = 0, n_af = 0;
    int64_t p_at = (int64_t)(0.170 * c.fs_hz);
    for (size_t i = 1; i < r.n_beats; i++) {
        int64_t s = r.beats[i].sample_idx;
        if (r.beats[i].label != VS_ANN_NORMAL || s < 400) continue;
        double v = r.x[s - p_at];
        if (r.beats[i].rhythm == VS_SYNTH_RHYTHM_AF) { p_af += v; n_af++; }
        else { p_sin += v; n_sin++; }
    }
    p_sin /= (double)n_sin;
    p_af /= (double)n_af;
    assert_true(p_sin > 0.08);
    assert_true(fabs(p_af) < 0.04);
    /* f-waves: between the end of T and the next beat the sinus ECG is flat; in AF it carries
     * the 4-9 Hz fibrillatory oscillation. */
    double sd_sin = 0, sd_af = 0;
    size_t w_sin = 0, w_af = 0;
    for (size_t i = 0; i + 1 < r.n_beats; i++) {
        int64_t a = r.beats[i].sample_idx + (int64_t)(0.55 * c.fs_hz);
        int64_t b = r.beats[i + 1].sample_idx - (int64_t)(0.26 * c.fs_hz);
        if (r.beats[i].label != VS_ANN_NORMAL || b - a < (int64_t)(0.15 * c.fs_hz)) continue;
        double s1 = 0, s2 = 0;
        for (int64_t j = a; j < b; j++) { s1 += r.x[j]; s2 += (double)r.x[j] * r.x[j]; }
        double m = s1 / (double)(b - a), sd = sqrt(fmax(s2 / (double)(b - a) - m * m, 0.0));
        if (r.beats[i].rhythm == VS_SYNTH_RHYTHM_AF && r.beats[i + 1].rhythm == VS_SYNTH_RHYTHM_AF) {
            sd_af += sd; w_af++;
        } else if (r.beats[i].rhythm == VS_SYNTH_RHYTHM_SINUS &&
                   r.beats[i + 1].rhythm == VS_SYNTH_RHYTHM_SINUS) {
            sd_sin += sd; w_sin++;
        }
    }
    assert_true(w_sin > 20 && w_af > 20);
    sd_sin /= (double)w_sin;
    sd_af /= (double)w_af;
    printf("diastolic SD: sinus %.4f mV, AF %.4f mV\n", sd_sin, sd_af);
    assert_true(sd_sin < 0.015);
    assert_true(sd_af > 0.03);
    rec_free(&r);

    /* Episodes at the edges. */
    c.af_start_s = 0.0;
    c.af_duration_s = 1000.0;
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, &n_ep), VS_OK);
    assert_int_equal(n_ep, 1);
    assert_int_equal(ep[0].rhythm, VS_SYNTH_RHYTHM_AF);
    c.af_start_s = 500.0;
    c.af_duration_s = 10.0;
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, &n_ep), VS_OK);
    assert_int_equal(n_ep, 1);
    assert_int_equal(ep[0].rhythm, VS_SYNTH_RHYTHM_SINUS);
    c.af_start_s = 300.0;
    c.af_duration_s = 200.0;
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, &n_ep), VS_OK);
    assert_int_equal(n_ep, 2);
    assert_int_equal(ep[1].rhythm, VS_SYNTH_RHYTHM_AF);
    assert_int_equal(ep[1].end_idx, 400 * 360);
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 2, &n_ep), VS_E_BUFFER_TOO_SMALL);
}

static void test_amplitudes_and_noise(void **state)
{
    (void)state;
    vs_synth_config c;
    clean_config(&c);
    c.duration_s = 120.0;
    rec clean;
    rec_make(&c, &clean);
    float lo = 0, hi = 0;
    for (size_t i = 0; i < clean.n; i++) {
        if (clean.x[i] < lo) lo = clean.x[i];
        if (clean.x[i] > hi) hi = clean.x[i];
    }
    assert_true(hi > 1.0f && hi < 1.5f);
    assert_true(lo < -0.1f && lo > -0.6f);
    for (size_t i = 0; i < clean.n_beats; i++) {
        float v = clean.x[clean.beats[i].sample_idx];
        assert_true(v > 1.0f && v < 1.5f);
    }
    /* r_amplitude_mv scales the morphology. */
    c.r_amplitude_mv = 2.4;
    rec big;
    rec_make(&c, &big);
    for (size_t i = 0; i < big.n_beats; i++) {
        float v = big.x[big.beats[i].sample_idx];
        assert_true(v > 2.0f && v < 3.0f);
    }
    rec_free(&big);

    /* White noise: SD of (noisy - clean) close to noise_mv. */
    c.r_amplitude_mv = 1.2;
    c.noise_mv = 0.05;
    rec noisy;
    rec_make(&c, &noisy);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < clean.n; i++) {
        double d = (double)noisy.x[i] - (double)clean.x[i];
        s += d;
        s2 += d * d;
    }
    double mean = s / (double)clean.n, sd = sqrt(s2 / (double)clean.n - mean * mean);
    assert_true(fabs(mean) < 0.005);
    assert_true(fabs(sd - 0.05) < 0.005);
    rec_free(&noisy);

    /* Baseline wander: low-frequency, peak within [0.5, 1.05] * baseline_mv. */
    c.noise_mv = 0.0;
    c.baseline_mv = 0.4;
    rec bw;
    rec_make(&c, &bw);
    double peak = 0, max_step = 0;
    for (size_t i = 0; i < clean.n; i++) {
        double d = fabs((double)bw.x[i] - (double)clean.x[i]);
        if (d > peak) peak = d;
        if (i) {
            double st = fabs(((double)bw.x[i] - clean.x[i]) - ((double)bw.x[i - 1] - clean.x[i - 1]));
            if (st > max_step) max_step = st;
        }
    }
    assert_true(peak > 0.2 && peak < 0.42);
    assert_true(max_step < 0.4 * 2 * 3.1416 * 0.5 / 360.0 + 1e-4); /* slow: below 0.5 Hz */
    rec_free(&bw);

    /* EMG: zero-mean, RMS near emg_mv, mostly high-frequency. */
    c.baseline_mv = 0.0;
    c.emg_mv = 0.1;
    rec emg;
    rec_make(&c, &emg);
    s = s2 = 0;
    for (size_t i = 0; i < clean.n; i++) {
        double d = (double)emg.x[i] - (double)clean.x[i];
        s += d;
        s2 += d * d;
    }
    double rms = sqrt(s2 / (double)clean.n);
    assert_true(fabs(s / (double)clean.n) < 0.002);
    assert_true(rms > 0.08 && rms < 0.12);
    rec_free(&emg);

    /* Motion artefacts: bursts of up to 1.5 * motion_mv (+ oscillation), about rate * minutes. */
    c.emg_mv = 0.0;
    c.motion_per_min = 5.0;
    c.motion_mv = 1.0;
    rec mot;
    rec_make(&c, &mot);
    peak = 0;
    size_t onsets = 0;
    int active = 0;
    for (size_t i = 0; i < clean.n; i++) {
        double d = fabs((double)mot.x[i] - (double)clean.x[i]);
        if (d > peak) peak = d;
        if (!active && d > 0.2) { onsets++; active = 1; }
        if (active && d < 0.01) active = 0;
    }
    assert_true(peak > 0.5 && peak < 2.5);
    assert_true(onsets >= 5 && onsets <= 20);
    rec_free(&mot);
    rec_free(&clean);
}

static void test_every_fs(void **state)
{
    (void)state;
    float *x = malloc(10 * 1001 * sizeof *x + 64);
    vs_synth_beat beats[256];
    for (int f = 100; f <= 1000; f++) {
        vs_synth_config c;
        clean_config(&c);
        c.fs_hz = (double)f;
        c.duration_s = 10.0;
        c.hr_bpm = 60.0 + (f % 7) * 10.0;
        c.pvc_per_min = 6.0;
        c.seed = (uint64_t)f;
        size_t n = 0, cap = 0, nb = 0;
        assert_int_equal(vs_synth_num_samples(&c, &n), VS_OK);
        assert_int_equal(n, (size_t)(10 * f));
        assert_int_equal(vs_synth_max_beats(&c, &cap), VS_OK);
        assert_true(cap <= 256);
        assert_int_equal(vs_synth_generate(&c, x, n, beats, cap, &nb), VS_OK);
        double rr = 60.0 / c.hr_bpm;
        assert_true(fabs((double)nb - 10.0 / rr) <= 3.0);
        rec r = { x, n, beats, nb };
        assert_local_maxima(&r, c.fs_hz);
        for (size_t i = 0; i < n; i++) assert_true(isfinite(x[i]) && fabsf(x[i]) < 3.0f);
    }
    /* A non-integer rate is fine too. */
    vs_synth_config c;
    vs_synth_default_config(&c);
    c.fs_hz = 128.5;
    c.duration_s = 10.0;
    size_t n = 0, cap = 0, nb = 0;
    assert_int_equal(vs_synth_num_samples(&c, &n), VS_OK);
    assert_int_equal(n, 1285);
    assert_int_equal(vs_synth_max_beats(&c, &cap), VS_OK);
    assert_int_equal(vs_synth_generate(&c, x, n, beats, cap, &nb), VS_OK);
    free(x);
}

static void test_invalid(void **state)
{
    (void)state;
    vs_synth_config c;
    const char *field = NULL;
    float x[4000];
    vs_synth_beat beats[64];
    size_t n = 0, nb = 0;

    vs_synth_default_config(&c);
    c.fs_hz = 99.9;
    assert_int_equal(vs_synth_check_config(&c, &field), VS_E_FS_OUT_OF_RANGE);
    assert_string_equal(field, "fs_hz");
    assert_int_equal(vs_synth_generate(&c, x, 4000, beats, 64, &nb), VS_E_FS_OUT_OF_RANGE);
    assert_int_equal(vs_synth_num_samples(&c, &n), VS_E_FS_OUT_OF_RANGE);
    c.fs_hz = 1000.5;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_E_FS_OUT_OF_RANGE);
    c.fs_hz = NAN;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_E_FS_OUT_OF_RANGE);
    c.fs_hz = INFINITY;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_E_FS_OUT_OF_RANGE);
    c.fs_hz = 100.0;
    assert_int_equal(vs_synth_check_config(&c, &field), VS_OK);
    assert_string_equal(field, "");
    c.fs_hz = 1000.0;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_OK);

    /* NaN in every double field after fs is VS_E_INVALID_ARG naming that field. */
    static const struct { size_t off; const char *name; } f[] = {
        { offsetof(vs_synth_config, duration_s), "duration_s" },
        { offsetof(vs_synth_config, hr_bpm), "hr_bpm" },
        { offsetof(vs_synth_config, hrv_std_ms), "hrv_std_ms" },
        { offsetof(vs_synth_config, lf_hf_ratio), "lf_hf_ratio" },
        { offsetof(vs_synth_config, r_amplitude_mv), "r_amplitude_mv" },
        { offsetof(vs_synth_config, noise_mv), "noise_mv" },
        { offsetof(vs_synth_config, emg_mv), "emg_mv" },
        { offsetof(vs_synth_config, baseline_mv), "baseline_mv" },
        { offsetof(vs_synth_config, resp_hz), "resp_hz" },
        { offsetof(vs_synth_config, motion_per_min), "motion_per_min" },
        { offsetof(vs_synth_config, motion_mv), "motion_mv" },
        { offsetof(vs_synth_config, pvc_per_min), "pvc_per_min" },
        { offsetof(vs_synth_config, af_start_s), "af_start_s" },
        { offsetof(vs_synth_config, af_duration_s), "af_duration_s" },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        static const double bad[] = { NAN, -1.0, INFINITY, -INFINITY };
        for (size_t k = 0; k < 4; k++) {
            vs_synth_default_config(&c);
            memcpy((char *)&c + f[i].off, &bad[k], sizeof(double));
            assert_int_equal(vs_synth_check_config(&c, &field), VS_E_INVALID_ARG);
            assert_string_equal(field, f[i].name);
            assert_int_equal(vs_synth_generate(&c, x, 4000, beats, 64, &nb), VS_E_INVALID_ARG);
        }
    }
    vs_synth_default_config(&c);
    c.duration_s = 0.0;
    assert_int_equal(vs_synth_check_config(&c, &field), VS_E_INVALID_ARG);
    assert_string_equal(field, "duration_s");
    c.duration_s = 1e9;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_E_INVALID_ARG);
    vs_synth_default_config(&c);
    c.hr_bpm = 0.0;
    assert_int_equal(vs_synth_check_config(&c, NULL), VS_E_INVALID_ARG);
    vs_synth_default_config(&c);
    c.hr_bpm = 60.0;
    c.pvc_per_min = 21.0; /* more than hr / 3 */
    assert_int_equal(vs_synth_check_config(&c, &field), VS_E_INVALID_ARG);
    assert_string_equal(field, "pvc_per_min");

    /* Buffers. */
    vs_synth_default_config(&c);
    c.duration_s = 10.0;
    size_t cap = 0;
    assert_int_equal(vs_synth_num_samples(&c, &n), VS_OK);
    assert_int_equal(vs_synth_max_beats(&c, &cap), VS_OK);
    assert_true(cap <= 64);
    memset(x, 0x7f, sizeof x);
    assert_int_equal(vs_synth_generate(&c, x, n - 1, beats, cap, &nb), VS_E_BUFFER_TOO_SMALL);
    assert_int_equal(vs_synth_generate(&c, x, n, beats, cap - 1, &nb), VS_E_BUFFER_TOO_SMALL);
    float untouched;
    memset(&untouched, 0x7f, sizeof untouched);
    assert_memory_equal(&x[0], &untouched, sizeof untouched); /* nothing written on error */
    assert_int_equal(vs_synth_generate(&c, x, n + 5, beats, cap, &nb), VS_OK);
    assert_memory_equal(&x[n], &untouched, sizeof untouched); /* only n samples written */
    assert_int_equal(vs_synth_generate(NULL, x, n, beats, cap, &nb), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_generate(&c, NULL, n, beats, cap, &nb), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_generate(&c, x, n, beats, cap, NULL), VS_OK);
    assert_int_equal(vs_synth_num_samples(NULL, &n), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_num_samples(&c, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_max_beats(&c, NULL), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_check_config(NULL, &field), VS_E_NULL_ARG);
    vs_synth_episode ep[3];
    assert_int_equal(vs_synth_rhythm_episodes(NULL, ep, 3, &n), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_rhythm_episodes(&c, NULL, 3, &n), VS_E_NULL_ARG);
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, NULL), VS_E_NULL_ARG);
}

static void test_private_math(void **state)
{
    (void)state;
    /* exp and sin themselves: tests/test_common_helpers.c (common/detmath.h) */
    for (double c = -3.0; c <= 3.0; c += 0.01) {
        double a = vsi_synth_sin_cycles(c), b = sin(2.0 * 3.14159265358979323846 * c);
        assert_true(fabs(a - b) <= 1e-14);
    }
    /* Gaussian: mean 0, variance 1; uniform in [0, 1). */
    vsi_synth_rng r;
    vsi_synth_rng_seed(&r, 42, 1);
    double s = 0, s2 = 0;
    for (int i = 0; i < 200000; i++) {
        double g = vsi_synth_gauss(&r);
        s += g;
        s2 += g * g;
    }
    assert_true(fabs(s / 200000.0) < 0.01);
    assert_true(fabs(s2 / 200000.0 - 1.0) < 0.02);
    /* Reference values of the PRNG: pins the algorithm (xoshiro256** seeded via splitmix64). */
    vsi_synth_rng_seed(&r, 0, 0);
    uint64_t v0 = vsi_synth_rng_next(&r);
    vsi_synth_rng_seed(&r, 0, 0);
    assert_true(vsi_synth_rng_next(&r) == v0);
    vsi_synth_rng_seed(&r, 0, 1);
    assert_true(vsi_synth_rng_next(&r) != v0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_sizes),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_golden_bits),
        cmocka_unit_test(test_heart_rate),
        cmocka_unit_test(test_r_peak_local_max_and_noise_independence),
        cmocka_unit_test(test_pvcs),
        cmocka_unit_test(test_af_segment),
        cmocka_unit_test(test_amplitudes_and_noise),
        cmocka_unit_test(test_every_fs),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_private_math),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
