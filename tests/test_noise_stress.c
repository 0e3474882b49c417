/* test_noise_stress — the light variant of the in-house noise stress test (bench/noise/run.sh
 * runs the full one): the synthetic noise generators and nst's calibration and protocol on their
 * own, then MIT-BIH 118 and 119 (the clean records of PhysioNet's NST DB; DS1) with
 * electrode-motion noise at 12 and 6 dB through vs_monitor: QRS sensitivity and positive
 * predictivity, no VT called out of noise, and the quality module reporting the noise bursts;
 * and three DS1 records with muscle noise at 6 dB (QRS lost and false beats).
 * Skips (77) without MIT-BIH for the record part; the generator part always runs. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_support.h"

#ifdef VS_TEST_HAVE_IO
#include "nst_noise.h"
#include "nst_run.h"

#define FS 360.0
#define N_SAMPLES ((size_t)(FS * 600)) /* 10 minutes */

static float *noise_of(int kind, uint64_t seed)
{
    float *y = malloc(N_SAMPLES * sizeof *y);
    assert_non_null(y);
    assert_int_equal(vs_noise_generate(kind, seed, FS, y, N_SAMPLES), 0);
    for (size_t i = 0; i < N_SAMPLES; i++) assert_true(isfinite(y[i]));
    return y;
}

/* Fraction of the power below f_hz (one-pole low-pass split, enough to tell the kinds apart). */
static double low_fraction(const float *y, size_t n, double f_hz)
{
    double a = exp(-2.0 * 3.14159265358979 * f_hz / FS), lp = 0.0, p_lo = 0.0, p_all = 0.0, mean = 0.0;
    for (size_t i = 0; i < n; i++) mean += y[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double v = y[i] - mean;
        lp = a * lp + (1.0 - a) * v;
        p_lo += lp * lp;
        p_all += v * v;
    }
    return p_lo / p_all;
}

/* Kurtosis of the first difference (impulsive transients give heavy tails; Gaussian gives 3). */
static double diff_kurtosis(const float *y, size_t n)
{
    double m2 = 0.0, m4 = 0.0;
    for (size_t i = 1; i < n; i++) {
        double d = (double)y[i] - y[i - 1];
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m2 /= (double)(n - 1);
    m4 /= (double)(n - 1);
    return m4 / (m2 * m2);
}

static void test_generators_are_seeded_and_shaped(void **state)
{
    (void)state;
    float *bw = noise_of(VS_NOISE_BW, 7), *em = noise_of(VS_NOISE_EM, 7), *ma = noise_of(VS_NOISE_MA, 7);
    float *em2 = noise_of(VS_NOISE_EM, 7), *em3 = noise_of(VS_NOISE_EM, 8);
    assert_memory_equal(em, em2, N_SAMPLES * sizeof *em);          /* same seed, same noise */
    assert_true(memcmp(em, em3, N_SAMPLES * sizeof *em) != 0);     /* another seed, other noise */
    /* bw lives below ~1 Hz, ma mostly above the QRS band's lower edge, em in between */
    double f_bw = low_fraction(bw, N_SAMPLES, 1.0), f_em = low_fraction(em, N_SAMPLES, 1.0),
           f_ma = low_fraction(ma, N_SAMPLES, 1.0);
    printf("power below 1 Hz: bw %.2f em %.2f ma %.2f\n", f_bw, f_em, f_ma);
    assert_true(f_bw > 0.8);
    assert_true(f_ma < 0.05);
    assert_true(f_em > f_ma && f_em < f_bw);
    /* electrode motion and muscle bursts are impulsive / heavy-tailed, not Gaussian */
    double k_em = diff_kurtosis(em, N_SAMPLES), k_ma = diff_kurtosis(ma, N_SAMPLES);
    printf("kurtosis of the first difference: em %.1f ma %.1f\n", k_em, k_ma);
    assert_true(k_em > 5.0);
    assert_true(k_ma > 4.0);
    assert_int_equal(vs_noise_generate(VS_NOISE_KINDS, 1, FS, em, 10), -1);
    assert_int_equal(vs_noise_generate(VS_NOISE_EM, 1, 50.0, em, 10), -1);
    free(bw);
    free(em);
    free(ma);
    free(em2);
    free(em3);
}

static void test_calibration_and_protocol(void **state)
{
    (void)state;
    float *noise = noise_of(VS_NOISE_MA, 3);
    float *clean = calloc(N_SAMPLES, sizeof *clean), *out = malloc(N_SAMPLES * sizeof *out);
    assert_non_null(clean);
    assert_non_null(out);
    /* a "record" of 2 mV peak-to-peak spikes once a second: S = 2^2 / 8 */
    int64_t beats[600];
    for (size_t k = 0; k < 600; k++) {
        beats[k] = (int64_t)(k * FS + FS / 2);
        clean[beats[k]] = 2.0f;
    }
    double s = vs_nst_signal_power(clean, N_SAMPLES, FS, beats, 600);
    assert_float_equal(s, 0.5, 1e-9);
    double n = vs_nst_noise_power(noise, N_SAMPLES, FS);
    for (double snr = -6.0; snr <= 24.0; snr += 6.0) {
        double g = vs_nst_gain(s, n, snr);
        vs_nst_mix(clean, noise, N_SAMPLES, FS, g, out);
        /* what was added, measured the way nst measures noise, gives back the requested SNR */
        float *added = malloc(N_SAMPLES * sizeof *added);
        assert_non_null(added);
        size_t m = 0;
        for (size_t i = 0; i < N_SAMPLES; i++)
            if (vs_nst_is_noisy((int64_t)i, FS)) added[m++] = out[i] - clean[i];
        double got = 10.0 * log10(s / vs_nst_noise_power(added, m, FS));
        printf("SNR requested %.0f dB, measured %.2f dB\n", snr, got);
        assert_true(fabs(got - snr) < 0.5);
        free(added);
        /* protocol: nothing added in the first 5 minutes; where a burst starts or ends the
         * added signal moves no more than the scaled noise does from one sample to the next */
        for (size_t i = 0; i < (size_t)(300 * FS); i++) assert_true(out[i] == clean[i]);
        double step_max = 0.0;
        for (size_t i = 1; i < N_SAMPLES; i++) step_max = fmax(step_max, g * fabs(noise[i] - noise[i - 1]));
        int switches = 0;
        for (size_t i = 1; i < N_SAMPLES; i++)
            if (vs_nst_is_noisy((int64_t)i, FS) != vs_nst_is_noisy((int64_t)i - 1, FS)) {
                switches++;
                assert_true(fabs((out[i] - clean[i]) - (out[i - 1] - clean[i - 1])) <= step_max + 1e-6);
            }
        assert_int_equal(switches, 3); /* on at 5:00, off at 7:00, on at 9:00 */
    }
    assert_false(vs_nst_is_noisy((int64_t)(299.9 * FS), FS));
    assert_true(vs_nst_is_noisy((int64_t)(300 * FS), FS));
    assert_true(vs_nst_is_noisy((int64_t)(419.9 * FS), FS));
    assert_false(vs_nst_is_noisy((int64_t)(420 * FS), FS));
    assert_true(vs_nst_is_noisy((int64_t)(540 * FS), FS));
    free(noise);
    free(clean);
    free(out);
}

static double pct(int64_t a, int64_t b) { return b > 0 ? 100.0 * (double)a / (double)b : 0.0; }

/* Bars for the light run (see bench/results/noise.md for the full tables). */
static void stress_record(const char *db, const char *name)
{
    vs_nst_record rec;
    assert_int_equal(vs_nst_record_load(db, name, &rec), 0);
    assert_int_equal(rec.has_ref_vt, 0);
    vs_nst_outcome clean;
    assert_int_equal(vs_nst_run_monitor(&rec, rec.x, &clean), 0);
    assert_int_equal(clean.vt_episodes, 0);
    const double snrs[2] = {12.0, 6.0};
    for (int k = 0; k < 2; k++) {
        float *x = vs_nst_make_noisy(&rec, VS_NOISE_EM, 1000003u + (uint64_t)atoi(name), snrs[k]);
        assert_non_null(x);
        vs_nst_outcome o;
        assert_int_equal(vs_nst_run_monitor(&rec, x, &o), 0);
        double se = pct(o.qrs.tp, o.qrs.tp + o.qrs.fn), ppv = pct(o.qrs.tp, o.qrs.tp + o.qrs.fp);
        printf("%s em %2.0f dB: Se %.2f +P %.2f, VT episodes %d (clean %d), AF %d, alarms %d, "
               "noisy %.0f s in bursts / %.0f s elsewhere\n", name, snrs[k], se, ppv,
               o.vt_episodes, clean.vt_episodes, o.af_episodes, o.alarms, o.noisy_in_s, o.noisy_out_s);
        assert_true(se >= (k == 0 ? 99.5 : 98.0));
        assert_true(ppv >= (k == 0 ? 93.0 : 88.0));
        /* issue 11's bars: no VT episode at 12 dB, at most one per record (30 min) at 6 dB (119
         * at 12 dB had one before the run-shape rule of vs_monitor, run_shape.h) */
        assert_true(o.vt_episodes <= (k == 0 ? 0 : 1));
        assert_int_equal(o.af_episodes, clean.af_episodes);
        /* the quality module reports noise where it is, and not elsewhere */
        assert_true(o.noisy_in_s > o.noisy_out_s);
        assert_true(o.noisy_out_s <= clean.noisy_out_s + 30.0);
        free(x);
    }
    vs_nst_record_free(&rec);
}

static void test_nst_records_em_noise(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    stress_record(db, "118");
    stress_record(db, "119");
}
/* Muscle noise at 6 dB on three DS1 records (issue 11's weakest bar is muscle noise at 6 dB on
 * DS2): of two maxima of similar energy in one refractory period, the QRS with its larger
 * band-passed deflection beats a noise peak of more energy (larger_in_noise in qrs_detect.c).
 * Before that rule: FN 118 FP 463 (noise_stress --records 109,119,124 --noise ma --snr 6);
 * with it FN 110 FP 454. */
static void test_muscle_noise_6db_qrs(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) skip();
    const char *names[3] = {"109", "119", "124"};
    int64_t fn = 0, fp = 0;
    for (int r = 0; r < 3; r++) {
        vs_nst_record rec;
        assert_int_equal(vs_nst_record_load(db, names[r], &rec), 0);
        float *x = vs_nst_make_noisy(&rec, VS_NOISE_MA, 1000003u + (uint64_t)atoi(names[r]), 6.0);
        assert_non_null(x);
        vs_nst_outcome o;
        assert_int_equal(vs_nst_run_monitor(&rec, x, &o), 0);
        printf("%s ma 6 dB: TP %lld FN %lld FP %lld\n", names[r], (long long)o.qrs.tp,
               (long long)o.qrs.fn, (long long)o.qrs.fp);
        fn += o.qrs.fn;
        fp += o.qrs.fp;
        free(x);
        vs_nst_record_free(&rec);
    }
    assert_true(fn <= 113);
    assert_true(fp <= 458);
}
#endif

int main(void)
{
#ifdef VS_TEST_HAVE_IO
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generators_are_seeded_and_shaped),
        cmocka_unit_test(test_calibration_and_protocol),
        cmocka_unit_test(test_nst_records_em_noise),
        cmocka_unit_test(test_muscle_noise_6db_qrs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#else
    printf("SKIP: test_noise_stress needs vitalstream_io (VITALSTREAM_BUILD_IO=ON)\n");
    return 77;
#endif
}
