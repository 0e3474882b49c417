/* nst_noise.h — the project's own noise stress test (NST) ingredients: synthetic noise records
 * shaped after the MIT-BIH Noise Stress Test Database's three noise types, the signal-to-noise
 * calibration of PhysioNet's `nst`, and its standard protocol (5 clean minutes, then 2 noisy and 2
 * clean minutes alternately). Test and benchmark code only; not part of the library. */
#ifndef VS_NST_NOISE_H
#define VS_NST_NOISE_H
#include <stddef.h>
#include <stdint.h>

typedef enum vs_noise_kind {
    VS_NOISE_BW = 0, /* baseline wander: respiration and slow body movement, below ~1 Hz */
    VS_NOISE_EM = 1, /* electrode motion: bursts of steps and QRS-like transients on wander and
                      * some muscle noise (the hardest for detectors, the one NST DB records use) */
    VS_NOISE_MA = 2, /* muscle artefact: broadband EMG overlapping the QRS band and beyond, in
                      * contraction bursts (heavy-tailed amplitude) */
    VS_NOISE_KINDS = 3
} vs_noise_kind;

const char *vs_noise_kind_name(int kind);
/* -1 when s names no kind. */
int vs_noise_kind_parse(const char *s);

/* n samples of noise of the given kind at fs_hz (100..1000 Hz), arbitrary scale, the same for
 * the same (kind, seed, fs, n). Returns 0, or -1 on bad arguments / allocation failure. */
int vs_noise_generate(int kind, uint64_t seed, double fs_hz, float *out, size_t n);

/* nst's signal "power": the peak-to-peak range of x within +-50 ms of each of the first 300
 * normal beats (sample indices), the largest and smallest 5 % dropped, mean of the rest, squared,
 * divided by 8. Returns 0 when there are no beats. */
double vs_nst_signal_power(const float *x, size_t n, double fs_hz, const int64_t *beats,
                           size_t n_beats);
/* nst's noise "power": RMS about the mean in each 1-s chunk of the first 300 s, the largest and
 * smallest 5 % dropped, mean of the rest, squared. */
double vs_nst_noise_power(const float *noise, size_t n, double fs_hz);
/* Gain that gives the noise the requested SNR (dB) against that signal power. */
double vs_nst_gain(double signal_power, double noise_power, double snr_db);

/* 1 when sample i lies in a noisy period of the standard protocol (from 5:00, 2 minutes noisy,
 * 2 minutes clean, ...). */
int vs_nst_is_noisy(int64_t i, double fs_hz);
/* out = clean + gain * noise during the noisy periods, with an offset re-set at every switch
 * so the output has no step there (as nst does). out may equal clean. */
void vs_nst_mix(const float *clean, const float *noise, size_t n, double fs_hz, double gain,
                float *out);
#endif
