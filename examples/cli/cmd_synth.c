/* cmd_synth.c — `vitalstream synth`: write a synthetic ECG record with reference annotations.
 *
 * NAME.hea + NAME.dat: one signal, format 16, gain 1000 adu/mV (1 uV steps), baseline 0.
 * NAME.atr: beat labels (N / V) at the ground-truth R peaks and RHYTHM annotations with aux
 * "(N" / "(AFIB" at the onset of every rhythm episode. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "vitalstream/io.h"
#include "vitalstream/synth.h"

#define SYNTH_GAIN_ADU_PER_MV 1000.0

void vs_cli_synth_usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream synth -o NAME [options]\n"
            "Writes NAME.hea, NAME.dat (WFDB format 16, 1000 adu/mV) and NAME.atr (reference\n"
            "beats N/V at the R peaks; rhythm annotations \"(N\" / \"(AFIB\" at episode onsets).\n"
            "options (defaults in brackets):\n"
            "  -o, --output NAME     record to write (path without extension)\n"
            "  --fs HZ               sampling rate, 100..1000 [360]\n"
            "  --duration SEC        length [600]\n"
            "  --hr BPM              mean heart rate, 20..250 [70]\n"
            "  --hrv MS              SD of sinus RR intervals, 0..200 [40]\n"
            "  --noise MV            white noise SD [0.01]\n"
            "  --emg MV              muscle-noise RMS [0.005]\n"
            "  --baseline MV         baseline wander amplitude [0.1]\n"
            "  --motion PER_MIN      electrode-motion artefacts per minute [0]\n"
            "  --amplitude MV        R-wave amplitude of normal beats [1.2]\n"
            "  --pvc-per-min R       premature ventricular beats per minute, <= HR/3 [0]\n"
            "  --af START:DUR        atrial-fibrillation segment, seconds [none]\n"
            "  --seed N              random seed (decimal or 0x hex) [1]\n"
            "  --signals 1           number of signals (only 1 is supported)\n"
            "  -h, --help            this help\n"
            "Exit status: 0 ok, 1 usage error, 2 input/output error.\n");
}

static int parse_double(const char *opt, const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || end == s || *end || errno == ERANGE || !isfinite(v)) {
        fprintf(stderr, "vitalstream synth: %s: '%s' is not a number\n", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

/* Option that set each config field and its allowed values, for messages. */
static void field_help(const char *field, const char **opt, const char **range)
{
    static const struct { const char *field, *opt, *range; } map[] = {
        { "fs_hz", "--fs", "100..1000 Hz" }, { "duration_s", "--duration", "0 < SEC <= 86400" },
        { "hr_bpm", "--hr", "20..250 bpm" }, { "hrv_std_ms", "--hrv", "0..200 ms" },
        { "noise_mv", "--noise", "0..10 mV" }, { "emg_mv", "--emg", "0..10 mV" },
        { "baseline_mv", "--baseline", "0..10 mV" }, { "motion_per_min", "--motion", "0..60" },
        { "r_amplitude_mv", "--amplitude", "0.1..5 mV" },
        { "pvc_per_min", "--pvc-per-min", "0..HR/3 per minute" },
        { "af_start_s", "--af", "START and DUR in 0..86400 s" },
        { "af_duration_s", "--af", "START and DUR in 0..86400 s" },
    };
    *opt = field;
    *range = "see vitalstream synth --help";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].field, field)) {
            *opt = map[i].opt;
            *range = map[i].range;
        }
}

static int io_fail(const char *file, const vs_io_error *err, vs_status st)
{
    if (err->message[0])
        fprintf(stderr, "vitalstream: %s\n", err->message);
    else
        fprintf(stderr, "vitalstream: %s: %s\n", file, vs_strerror(st));
    return VS_EXIT_INPUT;
}

int vs_cli_synth(int argc, char **argv)
{
    vs_synth_config cfg;
    vs_synth_default_config(&cfg);
    cfg.duration_s = 600.0;
    const char *name = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            vs_cli_synth_usage(stdout);
            return VS_EXIT_OK;
        }
        /* every other option takes a value: "--opt VALUE" or "--opt=VALUE" */
        char opt[64];
        const char *val = NULL;
        const char *eq = strncmp(a, "--", 2) ? NULL : strchr(a, '=');
        if (eq && (size_t)(eq - a) < sizeof opt) {
            memcpy(opt, a, (size_t)(eq - a));
            opt[eq - a] = '\0';
            val = eq + 1;
        } else {
            snprintf(opt, sizeof opt, "%s", a);
            if (i + 1 < argc) val = argv[++i];
        }
        static const char *const known[] = { "-o", "--output", "--fs", "--duration", "--hr",
            "--hrv", "--noise", "--emg", "--baseline", "--motion", "--amplitude", "--pvc-per-min",
            "--af", "--seed", "--signals" };
        int is_known = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) is_known |= !strcmp(opt, known[k]);
        if (!is_known) {
            fprintf(stderr, "vitalstream synth: unknown option '%s'\n", a);
            vs_cli_synth_usage(stderr);
            return VS_EXIT_USAGE;
        }
        if (!val) {
            fprintf(stderr, "vitalstream synth: %s needs a value\n", opt);
            return VS_EXIT_USAGE;
        }
        int ok = 1;
        if (!strcmp(opt, "-o") || !strcmp(opt, "--output")) name = val;
        else if (!strcmp(opt, "--fs")) ok = parse_double(opt, val, &cfg.fs_hz);
        else if (!strcmp(opt, "--duration")) ok = parse_double(opt, val, &cfg.duration_s);
        else if (!strcmp(opt, "--hr")) ok = parse_double(opt, val, &cfg.hr_bpm);
        else if (!strcmp(opt, "--hrv")) ok = parse_double(opt, val, &cfg.hrv_std_ms);
        else if (!strcmp(opt, "--noise")) ok = parse_double(opt, val, &cfg.noise_mv);
        else if (!strcmp(opt, "--emg")) ok = parse_double(opt, val, &cfg.emg_mv);
        else if (!strcmp(opt, "--baseline")) ok = parse_double(opt, val, &cfg.baseline_mv);
        else if (!strcmp(opt, "--motion")) ok = parse_double(opt, val, &cfg.motion_per_min);
        else if (!strcmp(opt, "--amplitude")) ok = parse_double(opt, val, &cfg.r_amplitude_mv);
        else if (!strcmp(opt, "--pvc-per-min")) ok = parse_double(opt, val, &cfg.pvc_per_min);
        else if (!strcmp(opt, "--af")) {
            const char *colon = strchr(val, ':');
            char start[64];
            if (!colon || (size_t)(colon - val) >= sizeof start) {
                fprintf(stderr, "vitalstream synth: --af: expected START:DUR in seconds, got '%s'\n",
                        val);
                return VS_EXIT_USAGE;
            }
            memcpy(start, val, (size_t)(colon - val));
            start[colon - val] = '\0';
            ok = parse_double(opt, start, &cfg.af_start_s) &&
                 parse_double(opt, colon + 1, &cfg.af_duration_s);
        } else if (!strcmp(opt, "--seed")) {
            char *end = NULL;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 0);
            if (!*val || *end || errno == ERANGE || val[0] == '-') {
                fprintf(stderr, "vitalstream synth: --seed: '%s' is not an unsigned integer\n", val);
                return VS_EXIT_USAGE;
            }
            cfg.seed = (uint64_t)s;
        } else if (!strcmp(opt, "--signals")) {
            if (strcmp(val, "1")) {
                fprintf(stderr, "vitalstream synth: --signals: only 1 signal is supported\n");
                return VS_EXIT_USAGE;
            }
        }
        if (!ok) return VS_EXIT_USAGE;
    }
    if (!name || !*name) {
        fprintf(stderr, "vitalstream synth: missing -o NAME\n");
        vs_cli_synth_usage(stderr);
        return VS_EXIT_USAGE;
    }
    const char *field = "";
    vs_status st = vs_synth_check_config(&cfg, &field);
    if (st != VS_OK) {
        const char *opt, *range;
        field_help(field, &opt, &range);
        fprintf(stderr, "vitalstream synth: %s: value out of range (allowed: %s)\n", opt, range);
        return VS_EXIT_USAGE;
    }

    /* record name without a trailing .hea */
    char record[1024];
    size_t len = strlen(name);
    if (len >= sizeof record - 8) {
        fprintf(stderr, "vitalstream synth: %s: name too long\n", name);
        return VS_EXIT_USAGE;
    }
    memcpy(record, name, len + 1);
    if (len > 4 && !strcmp(record + len - 4, ".hea")) record[len - 4] = '\0';
    const char *base = strrchr(record, '/');
    base = base ? base + 1 : record;
    if (!*base || strchr(base, ' ') || strchr(base, '\t') || strlen(base) >= 120) {
        fprintf(stderr, "vitalstream synth: '%s': record name must be non-empty, short and "
                        "without blanks\n", name);
        return VS_EXIT_USAGE;
    }

    size_t n = 0, cap = 0, n_beats = 0, n_ep = 0;
    vs_synth_num_samples(&cfg, &n);
    vs_synth_max_beats(&cfg, &cap);
    float *x = malloc(n * sizeof *x);
    int32_t *adc = malloc(n * sizeof *adc);
    vs_synth_beat *beats = malloc(cap * sizeof *beats);
    vs_synth_episode ep[3];
    int rc = VS_EXIT_OK;
    vs_annotation_list list = { 0 };
    if (!x || !adc || !beats) {
        fprintf(stderr, "vitalstream synth: out of memory for %zu samples\n", n);
        rc = VS_EXIT_INPUT;
        goto done;
    }
    if ((st = vs_synth_generate(&cfg, x, n, beats, cap, &n_beats)) != VS_OK ||
        (st = vs_synth_rhythm_episodes(&cfg, ep, 3, &n_ep)) != VS_OK) {
        fprintf(stderr, "vitalstream synth: %s\n", vs_strerror(st));
        rc = VS_EXIT_USAGE;
        goto done;
    }

    /* signal: round to ADC units, clip to format 16 */
    size_t clipped = 0;
    for (size_t i = 0; i < n; i++) {
        double v = floor((double)x[i] * SYNTH_GAIN_ADU_PER_MV + 0.5);
        if (v > 32767.0) { v = 32767.0; clipped++; }
        if (v < -32767.0) { v = -32767.0; clipped++; } /* -32768 means "no sample" */
        adc[i] = (int32_t)v;
    }
    if (clipped)
        fprintf(stderr, "vitalstream synth: warning: %zu samples clipped to +-32.7 mV\n", clipped);

    static vs_wfdb_header hdr;
    memset(&hdr, 0, sizeof hdr);
    snprintf(hdr.record_name, sizeof hdr.record_name, "%.120s", base); /* length checked above */
    hdr.n_signals = 1;
    hdr.fs_hz = cfg.fs_hz;
    hdr.n_samples = (int64_t)n;
    vs_wfdb_signal *s = &hdr.signals[0];
    s->format = 16;
    s->samples_per_frame = 1;
    s->gain_adu_per_mv = SYNTH_GAIN_ADU_PER_MV;
    s->gain_given = 1;
    s->adc_resolution_bits = 16;
    s->adc_zero = 0;
    s->baseline_adu = 0.0;
    snprintf(s->units, sizeof s->units, "mV");
    snprintf(s->description, sizeof s->description, "ECG (synthetic)");
    snprintf(hdr.comments, sizeof hdr.comments,
             "vitalstream synth: seed %llu, hr %g bpm, hrv %g ms, pvc %g/min, af %g:%g s, "
             "noise %g mV, emg %g mV, baseline %g mV, motion %g/min",
             (unsigned long long)cfg.seed, cfg.hr_bpm, cfg.hrv_std_ms, cfg.pvc_per_min,
             cfg.af_start_s, cfg.af_duration_s, cfg.noise_mv, cfg.emg_mv, cfg.baseline_mv,
             cfg.motion_per_min);
    vs_io_error err;
    memset(&err, 0, sizeof err);
    if ((st = vs_wfdb_write_record(record, &hdr, adc, (int64_t)n, &err)) != VS_OK) {
        char hea[1100];
        snprintf(hea, sizeof hea, "%s.hea", record);
        rc = io_fail(hea, &err, st);
        goto done;
    }

    /* annotations: rhythm onsets and beats merged by sample (rhythm first on a tie) */
    size_t e = 0;
    for (size_t b = 0; b <= n_beats; b++) {
        int64_t at = b < n_beats ? beats[b].sample_idx : INT64_MAX;
        for (; e < n_ep && ep[e].onset_idx <= at; e++) {
            vs_annotation a;
            memset(&a, 0, sizeof a);
            a.sample_idx = ep[e].onset_idx;
            a.code = VS_ANN_RHYTHM;
            snprintf(a.aux, sizeof a.aux, "%s", vs_synth_rhythm_aux(ep[e].rhythm));
            a.aux_len = (uint16_t)strlen(a.aux);
            if ((st = vs_annot_append(&list, &a)) != VS_OK) break;
        }
        if (b == n_beats || st != VS_OK) break;
        vs_annotation a;
        memset(&a, 0, sizeof a);
        a.sample_idx = beats[b].sample_idx;
        a.code = beats[b].label;
        if ((st = vs_annot_append(&list, &a)) != VS_OK) break;
    }
    char atr[1100];
    snprintf(atr, sizeof atr, "%s.atr", record);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream synth: %s: %s\n", atr, vs_strerror(st));
        rc = VS_EXIT_INPUT;
        goto done;
    }
    memset(&err, 0, sizeof err);
    if ((st = vs_annot_write(atr, &list, &err)) != VS_OK) {
        rc = io_fail(atr, &err, st);
        goto done;
    }
    size_t n_pvc = 0;
    for (size_t b = 0; b < n_beats; b++) n_pvc += beats[b].label == VS_ANN_PVC;
    printf("%s: %zu samples at %g Hz (%g s), %zu beats (%zu PVC), %zu rhythm episode%s\n", record,
           n, cfg.fs_hz, (double)n / cfg.fs_hz, n_beats, n_pvc, n_ep, n_ep == 1 ? "" : "s");

done:
    vs_annot_list_free(&list);
    free(x);
    free(adc);
    free(beats);
    return rc;
}
