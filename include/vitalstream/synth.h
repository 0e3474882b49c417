/* synth.h — deterministic synthetic ECG with ground-truth beats and rhythm episodes.
 *
 * Model (in the spirit of ECGSYN, McSharry et al. 2003, own implementation): every beat is a
 * trip around a limit cycle whose phase advances by 2*pi per RR interval; the waveform is the
 * sum of Gaussian events P, Q, R, S, T placed at fixed times from the R peak (T delayed with the
 * square root of RR, as Bazett's QT correction), i.e. the closed-form solution of ECGSYN's
 * z-equation. RR intervals come from a tachogram whose spectrum has an LF band (~0.1 Hz, Mayer
 * waves) and an HF band at the respiratory rate (respiratory sinus arrhythmia), built as sums of
 * sinusoids with random frequencies and phases. On top: premature ventricular beats (wide,
 * large, no P wave, discordant T, full compensatory pause), an atrial-fibrillation-like segment
 * (irregular RR, no P waves, 4-9 Hz fibrillatory f-waves), baseline wander (respiration plus
 * slow drift), white noise, muscle-like (EMG) noise bursts and electrode-motion artefacts.
 *
 * Determinism: one seed gives the same samples, bit for bit, on every platform with IEEE-754
 * binary32/binary64 arithmetic evaluated at its own precision (FLT_EVAL_METHOD == 0: x86-64,
 * arm64, wasm32; not x87). The generator uses its own PRNG (xoshiro256** seeded by splitmix64),
 * its own exp/sin built from + - * / only, and from libm only the exactly rounded sqrt, floor
 * and ldexp, so glibc, musl and MSVC give identical samples.
 *
 * Memory: none allocated; the caller supplies the signal and beat buffers, sized with
 * vs_synth_num_samples and vs_synth_max_beats. */
#ifndef VITALSTREAM_SYNTH_H
#define VITALSTREAM_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "annotation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rhythm of a beat or an episode. */
typedef enum vs_synth_rhythm {
    VS_SYNTH_RHYTHM_SINUS = 0, /* normal sinus rhythm, RHYTHM aux "(N" */
    VS_SYNTH_RHYTHM_AF = 1     /* atrial fibrillation, RHYTHM aux "(AFIB" */
} vs_synth_rhythm;

/* Settings. Start from vs_synth_default_config and change what you need; ranges in brackets
 * are checked by vs_synth_check_config (NaN is always rejected). */
typedef struct vs_synth_config {
    double fs_hz;          /* sampling rate [100, 1000] Hz; default 360 */
    double duration_s;     /* record length (0, 86400] s; default 60; samples = round(s * fs) */
    double hr_bpm;         /* mean heart rate [20, 250] beats/min (also the mean AF rate); 70 */
    double hrv_std_ms;     /* SD of the sinus RR tachogram [0, 200] ms; default 40 */
    double lf_hf_ratio;    /* LF/HF power ratio of the tachogram [0.05, 20]; default 0.5 */
    double r_amplitude_mv; /* R-wave amplitude of normal beats [0.1, 5] mV; default 1.2 */
    double noise_mv;       /* white noise standard deviation [0, 10] mV; default 0.01 */
    double emg_mv;         /* muscle-like noise RMS [0, 10] mV; default 0.005 */
    double baseline_mv;    /* baseline wander amplitude [0, 10] mV; default 0.1 */
    double resp_hz;        /* respiratory rate [0.1, 0.5] Hz (wander and RSA); default 0.25 */
    double motion_per_min; /* electrode-motion artefact bursts per minute [0, 60]; default 0 */
    double motion_mv;      /* typical artefact amplitude [0, 10] mV; default 0.5 */
    double pvc_per_min;    /* premature ventricular beats per minute [0, hr_bpm / 3]; 0 */
    double af_start_s;     /* start of the AF segment [0, 86400] s; default 0 */
    double af_duration_s;  /* length of the AF segment [0, 86400] s, 0 = no AF; default 0 */
    uint64_t seed;         /* any value; default 1 */
} vs_synth_config;

/* One ground-truth beat. */
typedef struct vs_synth_beat {
    int64_t sample_idx; /* R peak: the sample where the noise-free ECG has its local maximum */
    int16_t label;      /* VS_ANN_NORMAL or VS_ANN_PVC (annotation.h) */
    int16_t rhythm;     /* vs_synth_rhythm of the episode containing sample_idx */
    float rr_ms;        /* interval from the previous R peak (0 for the first beat) */
    uint32_t reserved;  /* 0 */
    uint32_t reserved2; /* 0 */
} vs_synth_beat;

/* One rhythm episode [onset_idx, end_idx). Episodes tile the record without gaps. */
typedef struct vs_synth_episode {
    int64_t onset_idx;  /* first sample of the episode: where the RHYTHM annotation goes */
    int64_t end_idx;    /* one past the last sample */
    int32_t rhythm;     /* vs_synth_rhythm */
    uint32_t reserved;  /* 0 */
} vs_synth_episode;

/* sizeof of the structs (24, 24 and 128 bytes), for bindings to check their layout. */
VS_API size_t vs_synth_beat_struct_size(void);
VS_API size_t vs_synth_episode_struct_size(void);
VS_API size_t vs_synth_config_struct_size(void);

/* Fills *cfg with the defaults listed above. VS_E_NULL_ARG if cfg is NULL. */
VS_API vs_status vs_synth_default_config(vs_synth_config *cfg);

/* VS_OK, or the first problem: VS_E_NULL_ARG, VS_E_FS_OUT_OF_RANGE (fs outside [100, 1000] or
 * NaN), VS_E_INVALID_ARG (any other field NaN or outside its range). If field_name is not NULL
 * it receives the static name of the offending field ("duration_s", ...) or "" when VS_OK. */
VS_API vs_status vs_synth_check_config(const vs_synth_config *cfg, const char **field_name);

/* Number of samples vs_synth_generate writes: round(duration_s * fs_hz), at least 1. */
VS_API vs_status vs_synth_num_samples(const vs_synth_config *cfg, size_t *n_samples);

/* Upper bound on the beats of a record with this config (depends only on fs and duration). */
VS_API vs_status vs_synth_max_beats(const vs_synth_config *cfg, size_t *max_beats);

/* Generates the record. signal_mv must hold n >= vs_synth_num_samples samples (exactly that
 * many are written). beats may be NULL (beats not wanted; beat_capacity ignored); otherwise
 * beat_capacity must be >= vs_synth_max_beats. n_beats (may be NULL) receives the number of
 * beats in the record. Beats are sorted by sample_idx and lie in [0, n_samples).
 * Errors (nothing written): config errors as vs_synth_check_config, VS_E_NULL_ARG,
 * VS_E_BUFFER_TOO_SMALL. Beat times, labels and rhythms do not depend on the noise, wander,
 * EMG and artefact settings; the noise-free ECG is what you get with those set to 0. */
VS_API vs_status vs_synth_generate(const vs_synth_config *cfg, float *signal_mv, size_t n,
                                   vs_synth_beat *beats, size_t beat_capacity, size_t *n_beats);

/* Most episodes a record can have (3: sinus, AF, sinus). */
VS_API size_t vs_synth_max_episodes(void);

/* The rhythm episodes of the record, in order (onset of the first is 0, end of the last is
 * vs_synth_num_samples). capacity < vs_synth_max_episodes() is VS_E_BUFFER_TOO_SMALL. */
VS_API vs_status vs_synth_rhythm_episodes(const vs_synth_config *cfg, vs_synth_episode *episodes,
                                          size_t capacity, size_t *n_episodes);

/* The WFDB RHYTHM annotation aux string of a rhythm: "(N", "(AFIB"; "" if unknown. */
VS_API const char *vs_synth_rhythm_aux(int rhythm);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_SYNTH_H */
