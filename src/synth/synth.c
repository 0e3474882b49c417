/* synth.c — deterministic synthetic ECG (model described in include/vitalstream/synth.h).
 *
 * Passes over the caller's buffer, no allocation:
 *   1. beat schedule (rhythm stream) and rendering of the Gaussian P-Q-R-S-T events;
 *   2. fibrillatory f-waves inside the AF segment (atrial stream);
 *   3. R-peak refinement: the ground-truth sample is the maximum of this noise-free signal
 *      within +-20 ms of the scheduled R time; rhythm and RR follow from it;
 *   4. baseline wander, white noise, EMG (own streams), then electrode-motion bursts.
 * Each random component draws from its own PRNG stream, so beats do not move when only noise
 * settings change. Sample values use only + - * /, sqrt, floor, ldexp and the private exp/sin
 * of synth_math.c: bit-identical across C libraries. */
#include <math.h>
#include <string.h>
#include "vitalstream/synth.h"
#include "synth_math.h"
#include "common/detmath.h"
#include "common/units.h"

_Static_assert(sizeof(vs_synth_beat) == 24, "vs_synth_beat layout is part of the ABI");
_Static_assert(sizeof(vs_synth_episode) == 24, "vs_synth_episode layout is part of the ABI");
_Static_assert(sizeof(vs_synth_config) == 128, "vs_synth_config layout is part of the ABI");

#define MIN_RR_S 0.2       /* no two beats closer than this (300 beats/min) */
#define REFINE_S 0.02      /* R-peak search half-window around the scheduled time */
#define MAX_DURATION_S 86400.0
#define N_LF 8             /* sinusoids per tachogram band */
#define N_HF 8
#define GAUSS_SPAN 6.0     /* events are rendered over +-6 sigma (exp(-18) ~ 1.5e-8) */
#define REF_R_MV 1.2       /* the morphology table below is for this R amplitude */

/* PRNG stream ids. */
enum { STREAM_SETUP = 1, STREAM_RHYTHM = 2, STREAM_ATRIAL = 3, STREAM_WHITE = 4, STREAM_EMG = 5,
       STREAM_MOTION = 6, STREAM_WANDER = 7 };

typedef struct wave { double mu_s, sigma_s, amp_mv; } wave;

/* Lead-II-like morphology, times from the R peak, amplitudes for R = 1.2 mV. */
static const wave NORMAL_P = { -0.170, 0.022, 0.13 };
static const wave NORMAL_QRS[3] = { { -0.028, 0.009, -0.10 },   /* Q */
                                    { 0.000, 0.010, 1.20 },     /* R */
                                    { 0.028, 0.010, -0.25 } };  /* S */
static const wave NORMAL_T = { 0.285, 0.060, 0.30 }; /* mu, sigma scaled by sqrt(RR / 1 s) */
/* PVC: wide and large, no P wave, deep S, discordant (inverted) T. */
static const wave PVC_WAVES[3] = { { 0.000, 0.032, 1.90 },
                                   { 0.075, 0.030, -0.45 },
                                   { 0.330, 0.075, -0.50 } };

typedef struct sinusoid { double freq_hz, phase_cycles, amp; } sinusoid;

typedef struct gen {
    const vs_synth_config *cfg;
    double fs;
    int64_t n;
    double rr_mean_s;
    double scale;             /* r_amplitude_mv / REF_R_MV */
    double resp_phase;        /* cycles */
    sinusoid lf[N_LF], hf[N_HF];
    int64_t af_on, af_end;    /* AF sample window [af_on, af_end), clipped to [0, n] */
} gen;

VS_API size_t vs_synth_beat_struct_size(void) { return sizeof(vs_synth_beat); }
VS_API size_t vs_synth_episode_struct_size(void) { return sizeof(vs_synth_episode); }
VS_API size_t vs_synth_config_struct_size(void) { return sizeof(vs_synth_config); }
VS_API size_t vs_synth_max_episodes(void) { return 3; }

VS_API const char *vs_synth_rhythm_aux(int rhythm)
{
    switch (rhythm) {
    case VS_SYNTH_RHYTHM_SINUS: return "(N";
    case VS_SYNTH_RHYTHM_AF: return "(AFIB";
    default: return "";
    }
}

VS_API vs_status vs_synth_default_config(vs_synth_config *cfg)
{
    if (!cfg) return VS_E_NULL_ARG;
    memset(cfg, 0, sizeof *cfg);
    cfg->fs_hz = 360.0;
    cfg->duration_s = 60.0;
    cfg->hr_bpm = 70.0;
    cfg->hrv_std_ms = 40.0;
    cfg->lf_hf_ratio = 0.5;
    cfg->r_amplitude_mv = 1.2;
    cfg->noise_mv = 0.01;
    cfg->emg_mv = 0.005;
    cfg->baseline_mv = 0.1;
    cfg->resp_hz = 0.25;
    cfg->motion_per_min = 0.0;
    cfg->motion_mv = 0.5;
    cfg->pvc_per_min = 0.0;
    cfg->af_start_s = 0.0;
    cfg->af_duration_s = 0.0;
    cfg->seed = 1;
    return VS_OK;
}

static int in_range(double v, double lo, double hi) { return v >= lo && v <= hi; } /* NaN: 0 */

VS_API vs_status vs_synth_check_config(const vs_synth_config *cfg, const char **field_name)
{
    const char *dummy;
    if (!field_name) field_name = &dummy;
    *field_name = "";
    if (!cfg) return VS_E_NULL_ARG;
    if (!vs_fs_in_range(cfg->fs_hz)) {
        *field_name = "fs_hz";
        return VS_E_FS_OUT_OF_RANGE;
    }
    static const struct { const char *name; size_t off; double lo, hi; } fields[] = {
        { "duration_s", offsetof(vs_synth_config, duration_s), 0.0, MAX_DURATION_S },
        { "hr_bpm", offsetof(vs_synth_config, hr_bpm), 20.0, 250.0 },
        { "hrv_std_ms", offsetof(vs_synth_config, hrv_std_ms), 0.0, 200.0 },
        { "lf_hf_ratio", offsetof(vs_synth_config, lf_hf_ratio), 0.05, 20.0 },
        { "r_amplitude_mv", offsetof(vs_synth_config, r_amplitude_mv), 0.1, 5.0 },
        { "noise_mv", offsetof(vs_synth_config, noise_mv), 0.0, 10.0 },
        { "emg_mv", offsetof(vs_synth_config, emg_mv), 0.0, 10.0 },
        { "baseline_mv", offsetof(vs_synth_config, baseline_mv), 0.0, 10.0 },
        { "resp_hz", offsetof(vs_synth_config, resp_hz), 0.1, 0.5 },
        { "motion_per_min", offsetof(vs_synth_config, motion_per_min), 0.0, 60.0 },
        { "motion_mv", offsetof(vs_synth_config, motion_mv), 0.0, 10.0 },
        { "pvc_per_min", offsetof(vs_synth_config, pvc_per_min), 0.0, 250.0 / 3.0 },
        { "af_start_s", offsetof(vs_synth_config, af_start_s), 0.0, MAX_DURATION_S },
        { "af_duration_s", offsetof(vs_synth_config, af_duration_s), 0.0, MAX_DURATION_S },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        double v;
        memcpy(&v, (const char *)cfg + fields[i].off, sizeof v);
        if (!in_range(v, fields[i].lo, fields[i].hi)) {
            *field_name = fields[i].name;
            return VS_E_INVALID_ARG;
        }
    }
    if (!(cfg->duration_s > 0.0)) {
        *field_name = "duration_s";
        return VS_E_INVALID_ARG;
    }
    if (cfg->pvc_per_min > cfg->hr_bpm / 3.0) { /* a PVC needs two normal beats around it */
        *field_name = "pvc_per_min";
        return VS_E_INVALID_ARG;
    }
    return VS_OK;
}

static int64_t round_idx(double x) { return (int64_t)floor(x + 0.5); }

static int64_t samples_of(const vs_synth_config *cfg)
{
    int64_t n = round_idx(cfg->duration_s * cfg->fs_hz);
    return n < 1 ? 1 : n;
}

VS_API vs_status vs_synth_num_samples(const vs_synth_config *cfg, size_t *n_samples)
{
    if (!cfg || !n_samples) return VS_E_NULL_ARG;
    vs_status st = vs_synth_check_config(cfg, NULL);
    if (st != VS_OK) return st;
    *n_samples = (size_t)samples_of(cfg);
    return VS_OK;
}

static int64_t refine_half_window(double fs) { return round_idx(REFINE_S * fs); }

VS_API vs_status vs_synth_max_beats(const vs_synth_config *cfg, size_t *max_beats)
{
    if (!cfg || !max_beats) return VS_E_NULL_ARG;
    vs_status st = vs_synth_check_config(cfg, NULL);
    if (st != VS_OK) return st;
    /* Scheduled R times are >= MIN_RR_S apart, so their rounded indices are >= MIN_RR_S*fs - 1
     * apart; only beats scheduled inside [0, n) are reported. */
    double n = (double)samples_of(cfg);
    *max_beats = (size_t)floor(n / (MIN_RR_S * cfg->fs_hz - 1.0)) + 2;
    return VS_OK;
}

static void af_window(const vs_synth_config *cfg, int64_t n, int64_t *on, int64_t *end)
{
    *on = *end = n;
    if (!(cfg->af_duration_s > 0.0)) return;
    int64_t a = round_idx(cfg->af_start_s * cfg->fs_hz);
    int64_t b = round_idx((cfg->af_start_s + cfg->af_duration_s) * cfg->fs_hz);
    if (a > n) a = n;
    if (b > n) b = n;
    if (b <= a) return;
    *on = a;
    *end = b;
}

VS_API vs_status vs_synth_rhythm_episodes(const vs_synth_config *cfg, vs_synth_episode *episodes,
                                          size_t capacity, size_t *n_episodes)
{
    if (!cfg || !episodes || !n_episodes) return VS_E_NULL_ARG;
    vs_status st = vs_synth_check_config(cfg, NULL);
    if (st != VS_OK) return st;
    if (capacity < vs_synth_max_episodes()) return VS_E_BUFFER_TOO_SMALL;
    int64_t n = samples_of(cfg), on, end;
    af_window(cfg, n, &on, &end);
    size_t k = 0;
    vs_synth_episode e;
    memset(&e, 0, sizeof e);
    if (on > 0) {
        e.onset_idx = 0; e.end_idx = on; e.rhythm = VS_SYNTH_RHYTHM_SINUS;
        episodes[k++] = e;
    }
    if (end > on) {
        e.onset_idx = on; e.end_idx = end; e.rhythm = VS_SYNTH_RHYTHM_AF;
        episodes[k++] = e;
    }
    if (end < n) {
        e.onset_idx = end; e.end_idx = n; e.rhythm = VS_SYNTH_RHYTHM_SINUS;
        episodes[k++] = e;
    }
    *n_episodes = k;
    return VS_OK;
}

/* ---- model ------------------------------------------------------------------------------- */

static void gen_setup(gen *g, const vs_synth_config *cfg)
{
    vsi_synth_rng r;
    vsi_synth_rng_seed(&r, cfg->seed, STREAM_SETUP);
    g->cfg = cfg;
    g->fs = cfg->fs_hz;
    g->n = samples_of(cfg);
    g->rr_mean_s = 60.0 / cfg->hr_bpm;
    g->scale = cfg->r_amplitude_mv / REF_R_MV;
    g->resp_phase = vsi_synth_uniform(&r);
    /* Tachogram: total variance split LF:HF = ratio:1; each band N sinusoids of equal amplitude
     * (variance of a sinusoid of amplitude a is a^2 / 2). */
    double var = (cfg->hrv_std_ms / 1000.0) * (cfg->hrv_std_ms / 1000.0);
    double var_lf = var * cfg->lf_hf_ratio / (1.0 + cfg->lf_hf_ratio);
    double var_hf = var - var_lf;
    double a_lf = sqrt(2.0 * var_lf / N_LF), a_hf = sqrt(2.0 * var_hf / N_HF);
    for (int i = 0; i < N_LF; i++) {
        double f = 0.1 + 0.01 * vsi_synth_gauss(&r);            /* Mayer waves ~0.1 Hz */
        g->lf[i].freq_hz = f < 0.04 ? 0.04 : f > 0.15 ? 0.15 : f;
        g->lf[i].phase_cycles = vsi_synth_uniform(&r);
        g->lf[i].amp = a_lf;
    }
    for (int i = 0; i < N_HF; i++) {
        double f = cfg->resp_hz + 0.01 * vsi_synth_gauss(&r);   /* RSA at the breathing rate */
        g->hf[i].freq_hz = f < 0.05 ? 0.05 : f;
        g->hf[i].phase_cycles = vsi_synth_uniform(&r);
        g->hf[i].amp = a_hf;
    }
    af_window(cfg, g->n, &g->af_on, &g->af_end);
}

static double resp(const gen *g, double t)
{
    return vsi_synth_sin_cycles(g->cfg->resp_hz * t + g->resp_phase);
}

static double rr_sinus(const gen *g, double t)
{
    double rr = g->rr_mean_s;
    for (int i = 0; i < N_LF; i++)
        rr += g->lf[i].amp * vsi_synth_sin_cycles(g->lf[i].freq_hz * t + g->lf[i].phase_cycles);
    for (int i = 0; i < N_HF; i++)
        rr += g->hf[i].amp * vsi_synth_sin_cycles(g->hf[i].freq_hz * t + g->hf[i].phase_cycles);
    double lo = 0.6 * g->rr_mean_s, hi = 1.6 * g->rr_mean_s;
    if (lo < MIN_RR_S) lo = MIN_RR_S;
    return rr < lo ? lo : rr > hi ? hi : rr;
}

static int in_af(const gen *g, double t)
{
    int64_t i = round_idx(t * g->fs);
    return i >= g->af_on && i < g->af_end;
}

/* Adds amp * exp(-(t - mu)^2 / (2 sigma^2)) for t around t_center. */
static void add_gauss(const gen *g, float *x, double center_s, double sigma_s, double amp_mv)
{
    double lo = ceil((center_s - GAUSS_SPAN * sigma_s) * g->fs);
    double hi = floor((center_s + GAUSS_SPAN * sigma_s) * g->fs);
    if (lo < 0.0) lo = 0.0;
    if (hi > (double)(g->n - 1)) hi = (double)(g->n - 1);
    for (int64_t i = (int64_t)lo; i <= (int64_t)hi; i++) {
        double d = ((double)i / g->fs - center_s) / sigma_s;
        x[i] += (float)(amp_mv * vs_det_exp(-0.5 * d * d));
    }
}

static void render_beat(const gen *g, float *x, double t, int pvc, int with_p, double rr_s,
                        double beat_scale)
{
    double s = g->scale * beat_scale;
    if (pvc) {
        for (int i = 0; i < 3; i++)
            add_gauss(g, x, t + PVC_WAVES[i].mu_s, PVC_WAVES[i].sigma_s, s * PVC_WAVES[i].amp_mv);
        return;
    }
    if (with_p) add_gauss(g, x, t + NORMAL_P.mu_s, NORMAL_P.sigma_s, s * NORMAL_P.amp_mv);
    for (int i = 0; i < 3; i++)
        add_gauss(g, x, t + NORMAL_QRS[i].mu_s, NORMAL_QRS[i].sigma_s, s * NORMAL_QRS[i].amp_mv);
    double q = sqrt(rr_s); /* Bazett-like: QT grows with sqrt(RR) */
    add_gauss(g, x, t + NORMAL_T.mu_s * q, NORMAL_T.sigma_s * q, s * NORMAL_T.amp_mv);
}

/* Pass 1: schedule and render beats; store the scheduled ones inside [0, n). */
static size_t render_beats(const gen *g, float *x, vs_synth_beat *beats, size_t capacity)
{
    const vs_synth_config *cfg = g->cfg;
    vsi_synth_rng r;
    vsi_synth_rng_seed(&r, cfg->seed, STREAM_RHYTHM);
    const double rr_mean = g->rr_mean_s;
    const double pvc_interval = cfg->pvc_per_min > 0.0 ? 60.0 / cfg->pvc_per_min : 0.0;
    const double t_stop = (double)g->n / g->fs + 0.5; /* a P wave reaches at most 0.3 s back */
    double t = rr_mean * (0.25 + 0.5 * vsi_synth_uniform(&r));
    double pvc_target = pvc_interval > 0.0 ? pvc_interval * (0.5 + vsi_synth_uniform(&r)) : 0.0;
    double rr_prev = rr_mean, comp_time = 0.0;
    int pvc = 0, normals_since_pvc = 2;
    size_t count = 0;

    while (t < t_stop) {
        int af = in_af(g, t);
        double u_amp = vsi_synth_uniform(&r);
        double beat_scale = (1.0 + 0.05 * resp(g, t)) * (1.0 + 0.04 * (u_amp - 0.5));
        render_beat(g, x, t, pvc, !af, pvc ? rr_mean : rr_prev, beat_scale);
        int64_t idx = round_idx(t * g->fs);
        if (idx >= 0 && idx < g->n) {
            if (beats && count < capacity) { /* always true: capacity >= max_beats */
                vs_synth_beat b;
                memset(&b, 0, sizeof b);
                b.sample_idx = idx;
                b.label = (int16_t)(pvc ? VS_ANN_PVC : VS_ANN_NORMAL);
                beats[count] = b;
            }
            count++;
        }
        /* Next beat: always the same number of draws per beat. */
        double u1 = vsi_synth_uniform(&r), u2 = vsi_synth_uniform(&r);
        double u3 = vsi_synth_uniform(&r), u4 = vsi_synth_uniform(&r);
        double u5 = vsi_synth_uniform(&r);
        double rr_s = rr_sinus(g, t);
        int next_af = in_af(g, t + rr_s);
        double rr_af = rr_mean * (1.0 + 0.5 * (u1 + u2 - 1.0)); /* triangular, CV ~0.2 */
        double t_next;
        int next_pvc = 0;
        if (pvc) {
            t_next = comp_time;
            normals_since_pvc = 0;
        } else {
            double rr = next_af ? rr_af : rr_s;
            if (pvc_interval > 0.0 && normals_since_pvc >= 2 && t + rr >= pvc_target) {
                double base = next_af ? rr_mean : rr_s;
                t_next = t + (0.55 + 0.1 * u3) * base;           /* coupling interval */
                if (t_next < t + MIN_RR_S) t_next = t + MIN_RR_S;
                /* Sinus: the sinus node is not reset -> full compensatory pause (2 RR).
                 * AF: a post-extrasystolic pause somewhat longer than the mean RR. */
                comp_time = next_af ? t_next + rr_mean * (1.0 + 0.3 * u4) : t + 2.0 * rr_s;
                if (comp_time < t_next + MIN_RR_S) comp_time = t_next + MIN_RR_S;
                pvc_target = t_next + pvc_interval * (0.5 + u5);
                next_pvc = 1;
            } else {
                t_next = t + rr;
                normals_since_pvc++;
            }
        }
        if (t_next < t + MIN_RR_S) t_next = t + MIN_RR_S;
        rr_prev = t_next - t;
        t = t_next;
        pvc = next_pvc;
    }
    return count;
}

/* Pass 2: fibrillatory waves, 4-9 Hz with wandering frequency and amplitude, faded in/out. */
static void render_f_waves(const gen *g, float *x)
{
    if (g->af_end <= g->af_on) return;
    vsi_synth_rng r;
    vsi_synth_rng_seed(&r, g->cfg->seed, STREAM_ATRIAL);
    double f0 = 5.5 + 1.5 * vsi_synth_uniform(&r);
    double ph_fm = vsi_synth_uniform(&r), ph_am = vsi_synth_uniform(&r);
    double ph_h = vsi_synth_uniform(&r), phase = vsi_synth_uniform(&r);
    double amp = 0.07 * g->scale;
    double fade = 0.2 * g->fs; /* samples */
    for (int64_t i = g->af_on; i < g->af_end; i++) {
        double t = (double)i / g->fs;
        double f = f0 + 1.2 * vsi_synth_sin_cycles(0.13 * t + ph_fm);
        phase += f / g->fs;
        phase -= floor(phase);
        double a = amp * (0.75 + 0.25 * vsi_synth_sin_cycles(0.3 * t + ph_am));
        double d_on = (double)(i - g->af_on), d_off = (double)(g->af_end - 1 - i);
        double w = d_on < d_off ? d_on : d_off;
        if (w < fade) a *= w / fade;
        x[i] += (float)(a * (vsi_synth_sin_cycles(phase) +
                             0.35 * vsi_synth_sin_cycles(2.0 * phase + ph_h)));
    }
}

/* Pass 3: ground truth R sample = maximum of the noise-free signal near the scheduled time. */
static void refine_beats(const gen *g, const float *x, vs_synth_beat *beats, size_t count)
{
    int64_t w = refine_half_window(g->fs);
    for (size_t k = 0; k < count; k++) {
        int64_t c = beats[k].sample_idx, lo = c - w, hi = c + w, best = c;
        if (lo < 0) lo = 0;
        if (hi > g->n - 1) hi = g->n - 1;
        for (int64_t i = lo; i <= hi; i++)
            if (x[i] > x[best]) best = i;
        beats[k].sample_idx = best;
        beats[k].rhythm = (int16_t)(best >= g->af_on && best < g->af_end ? VS_SYNTH_RHYTHM_AF
                                                                         : VS_SYNTH_RHYTHM_SINUS);
        beats[k].rr_ms = k == 0 ? 0.0f
                                : (float)((double)(best - beats[k - 1].sample_idx) * 1000.0 / g->fs);
    }
}

/* Pass 4a: baseline wander (respiration + two slow drifts), white noise, EMG. */
static void render_noise(const gen *g, float *x)
{
    const vs_synth_config *cfg = g->cfg;
    vsi_synth_rng rw, rn, re;
    vsi_synth_rng_seed(&rw, cfg->seed, STREAM_WANDER);
    vsi_synth_rng_seed(&rn, cfg->seed, STREAM_WHITE);
    vsi_synth_rng_seed(&re, cfg->seed, STREAM_EMG);
    double fd1 = 0.02 + 0.03 * vsi_synth_uniform(&rw), pd1 = vsi_synth_uniform(&rw);
    double fd2 = 0.005 + 0.01 * vsi_synth_uniform(&rw), pd2 = vsi_synth_uniform(&rw);
    double fe = 0.05 + 0.1 * vsi_synth_uniform(&re), pe = vsi_synth_uniform(&re);
    const double emg_norm = 1.0 / sqrt(2.0 * (1.0 + 0.5 * 0.8 * 0.8)); /* RMS of env * diff = 1 */
    double prev_e = vsi_synth_gauss(&re);
    int want_bw = cfg->baseline_mv > 0.0, want_w = cfg->noise_mv > 0.0, want_e = cfg->emg_mv > 0.0;
    if (!want_bw && !want_w && !want_e) return;
    for (int64_t i = 0; i < g->n; i++) {
        double t = (double)i / g->fs, v = 0.0;
        if (want_bw)
            v += cfg->baseline_mv * (0.6 * resp(g, t) + 0.25 * vsi_synth_sin_cycles(fd1 * t + pd1) +
                                     0.15 * vsi_synth_sin_cycles(fd2 * t + pd2));
        if (want_w) v += cfg->noise_mv * vsi_synth_gauss(&rn);
        if (want_e) {
            /* Differenced white noise (high-pass, most power above 30 Hz) with a slowly varying
             * envelope: bursts of muscle activity. */
            double e = vsi_synth_gauss(&re);
            double env = 1.0 + 0.8 * vsi_synth_sin_cycles(fe * t + pe);
            v += cfg->emg_mv * emg_norm * env * (e - prev_e);
            prev_e = e;
        }
        x[i] += (float)v;
    }
}

/* Pass 4b: electrode-motion bursts: a baseline jump with exponential recovery plus a damped
 * 1-3 Hz oscillation, at jittered intervals around 60 / motion_per_min seconds. */
static void render_motion(const gen *g, float *x)
{
    const vs_synth_config *cfg = g->cfg;
    if (!(cfg->motion_per_min > 0.0) || !(cfg->motion_mv > 0.0)) return;
    vsi_synth_rng r;
    vsi_synth_rng_seed(&r, cfg->seed, STREAM_MOTION);
    double interval = 60.0 / cfg->motion_per_min, dur = (double)g->n / g->fs;
    double t0 = interval * (0.5 * vsi_synth_uniform(&r) + 0.25);
    while (t0 < dur) {
        double a = cfg->motion_mv * (0.5 + vsi_synth_uniform(&r));
        if (vsi_synth_uniform(&r) < 0.5) a = -a;
        double tau_rec = 0.3 + 0.7 * vsi_synth_uniform(&r);
        double f_osc = 1.0 + 2.0 * vsi_synth_uniform(&r), ph = vsi_synth_uniform(&r);
        double len = 5.0 * tau_rec + 0.5;
        int64_t i0 = round_idx(t0 * g->fs), i1 = round_idx((t0 + len) * g->fs);
        if (i1 > g->n) i1 = g->n;
        for (int64_t i = i0; i < i1; i++) {
            double tau = (double)(i - i0) / g->fs;
            double step = (1.0 - vs_det_exp(-tau / 0.04)) * vs_det_exp(-tau / tau_rec);
            double osc = 0.5 * vs_det_exp(-tau / 0.35) * vsi_synth_sin_cycles(f_osc * tau + ph);
            x[i] += (float)(a * (step + osc));
        }
        t0 += interval * (0.5 + vsi_synth_uniform(&r));
    }
}

VS_API vs_status vs_synth_generate(const vs_synth_config *cfg, float *signal_mv, size_t n,
                                   vs_synth_beat *beats, size_t beat_capacity, size_t *n_beats)
{
    if (!cfg || !signal_mv) return VS_E_NULL_ARG;
    vs_status st = vs_synth_check_config(cfg, NULL);
    if (st != VS_OK) return st;
    size_t need = 0, max_beats = 0;
    vs_synth_num_samples(cfg, &need);
    vs_synth_max_beats(cfg, &max_beats);
    if (n < need) return VS_E_BUFFER_TOO_SMALL;
    if (beats && beat_capacity < max_beats) return VS_E_BUFFER_TOO_SMALL;

    gen g;
    gen_setup(&g, cfg);
    memset(signal_mv, 0, need * sizeof *signal_mv);
    size_t count = render_beats(&g, signal_mv, beats, beat_capacity);
    render_f_waves(&g, signal_mv);
    if (beats) refine_beats(&g, signal_mv, beats, count < beat_capacity ? count : beat_capacity);
    render_noise(&g, signal_mv);
    render_motion(&g, signal_mv);
    if (n_beats) *n_beats = count;
    return VS_OK;
}
