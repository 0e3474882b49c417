/* cmd_analyze.c — `vitalstream analyze`: runs the whole vs_monitor pipeline over one record and
 * prints what a clinician or a script wants from it: beats per AAMI class, heart rate, HRV of the
 * whole record (NN intervals: normal beats of good quality) and of the monitor's rolling window,
 * the rhythm episodes, the alarms and the stretches of poor signal. --json prints one object. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void vs_cli_analyze_usage(FILE *f)
{
    fprintf(f, "usage: vitalstream analyze RECORD [-c N | --column NAME] [--fs HZ] [--json]\n"
               "Runs the whole monitor over one signal and prints beats per AAMI class, heart rate,\n"
               "HRV, rhythm episodes, alarms and stretches of poor signal quality.\n");
    vs_cli_signal_opts_help(f);
    fprintf(f, "  --json       one JSON object instead of text: beats, heart rate, hrv, episodes,\n"
               "               alarms, quality\n"
               "  -h, --help   this help\n"
               "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

static void hms(double s, char *buf, size_t cap)
{
    long t = (long)s;
    snprintf(buf, cap, "%02ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
}

static const char *quality_name(uint32_t level)
{
    return level == VS_QUALITY_UNREADABLE ? "unreadable" : level == VS_QUALITY_NOISY ? "noisy" : "good";
}

static const char *severity_name(uint32_t s)
{
    return s == VS_RHYTHM_CRITICAL ? "critical" : s == VS_RHYTHM_WARNING ? "warning" : "info";
}

/* Whole-record HRV from the reported beats: intervals next to a non-N or noisy beat are excluded
 * (hrv.h applies its NN rules on top). */
static vs_status record_hrv(const vs_cli_events *ev, vs_hrv_result *out)
{
    size_t nb = 0;
    for (size_t i = 0; i < ev->count; i++) nb += ev->ev[i].type == VS_EVENT_BEAT;
    if (nb < 2) return VS_E_INSUFFICIENT_DATA;
    double *rr = malloc((nb - 1) * sizeof *rr);
    uint8_t *excl = malloc(nb - 1);
    if (!rr || !excl) { free(rr); free(excl); return VS_E_NO_MEMORY; }
    size_t k = 0;
    const vs_event *prev = NULL;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_BEAT) continue;
        if (prev) {
            rr[k] = (double)(e->sample_idx - prev->sample_idx) * 1000.0 / ev->fs_hz;
            excl[k] = prev->code != VS_AAMI_N || e->code != VS_AAMI_N ||
                      ((prev->flags | e->flags) & VS_BEAT_NOISY);
            k++;
        }
        prev = e;
    }
    vs_status st = vs_hrv_compute(rr, excl, k, NULL, out);
    free(rr);
    free(excl);
    return st;
}

/* ---- text ------------------------------------------------------------------------------------ */

static void print_hrv_text(const char *label, vs_status st, const vs_hrv_result *h)
{
    if (st != VS_OK) {
        printf("%-13s%s\n", label, vs_strerror(st));
        return;
    }
    printf("%-13s%u NN over %.0f s: MeanNN %.0f ms, SDNN %.1f, RMSSD %.1f, pNN50 %.1f %%\n", label,
           h->n_nn, h->duration_s, h->mean_nn_ms, h->sdnn_ms, h->rmssd_ms, h->pnn50_pct);
    printf("%-13sLF %.0f ms2, HF %.0f ms2, LF/HF %.2f (Lomb-Scargle); SD1 %.1f SD2 %.1f, "
           "SampEn %.2f, DFA a1 %.2f\n", "", h->lf_ms2, h->hf_ms2, h->lf_hf, h->sd1_ms, h->sd2_ms,
           h->sampen, h->dfa_alpha1);
}

static void print_text(const char *record, int channel, const vs_cli_events *ev,
                       const size_t *per_class, vs_status hst, const vs_hrv_result *hrv)
{
    double fs = ev->fs_hz;
    char a[32], b[32];
    char which[48];
    if (channel >= 0) snprintf(which, sizeof which, "channel %d", channel);
    else snprintf(which, sizeof which, "CSV column chosen by --column or the header");
    printf("Record:      %s (%s, %g Hz, %.1f s)\n", record, which, fs, (double)ev->n / fs);
    printf("Beats:       %zu  (N %zu, S %zu, V %zu, F %zu, Q %zu)\n",
           per_class[0] + per_class[1] + per_class[2] + per_class[3] + per_class[4], per_class[0],
           per_class[1], per_class[2], per_class[3], per_class[4]);
    if (hst == VS_OK)
        printf("Heart rate:  min %.0f  mean %.0f  max %.0f bpm (NN intervals)\n", hrv->hr_min_bpm,
               hrv->hr_mean_bpm, hrv->hr_max_bpm);
    print_hrv_text("HRV record:", hst, hrv);
    print_hrv_text("HRV last 5m:", ev->hrv_status, &ev->hrv_window);
    printf("Episodes:\n");
    size_t shown = 0;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_RHYTHM || e->end_idx < 0) continue;
        hms((double)e->sample_idx / fs, a, sizeof a);
        hms((double)e->end_idx / fs, b, sizeof b);
        printf("  %s-%s  %-6s %-5s %.0f bpm\n", a, b, vs_rhythm_type_name((int)e->code),
               vs_rhythm_aux_string((int)e->code), e->value);
        shown++;
    }
    if (!shown) printf("  (none)\n");
    printf("Alarms:\n");
    shown = 0;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_ALARM) continue;
        hms((double)e->sample_idx / fs, a, sizeof a);
        printf("  %s  %-9s %-8s %g\n", a, vs_rhythm_type_name((int)e->code),
               severity_name(e->severity), e->value);
        shown++;
    }
    if (!shown) printf("  (none)\n");
    printf("Signal quality changes:\n");
    shown = 0;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_QUALITY) continue;
        hms((double)e->sample_idx / fs, a, sizeof a);
        printf("  %s  %s\n", a, quality_name(e->code));
        shown++;
    }
    if (!shown) printf("  (none: good throughout)\n");
    printf("Monitor state: %zu bytes\n", ev->state_bytes_end);
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static void json_num(const char *key, double v, int comma)
{
    if (isfinite(v)) printf("\"%s\": %.6g%s", key, v, comma ? ", " : "");
    else printf("\"%s\": null%s", key, comma ? ", " : "");
}

static void print_hrv_json(const char *key, vs_status st, const vs_hrv_result *h)
{
    printf("  \"%s\": ", key);
    if (st != VS_OK) {
        printf("{\"error\": \"%s\"}", vs_strerror(st));
        return;
    }
    printf("{\"n_nn\": %u, ", h->n_nn);
    json_num("duration_s", h->duration_s, 1);
    json_num("mean_nn_ms", h->mean_nn_ms, 1);
    json_num("sdnn_ms", h->sdnn_ms, 1);
    json_num("rmssd_ms", h->rmssd_ms, 1);
    json_num("sdsd_ms", h->sdsd_ms, 1);
    json_num("pnn50_pct", h->pnn50_pct, 1);
    json_num("pnn20_pct", h->pnn20_pct, 1);
    json_num("cvnn", h->cvnn, 1);
    json_num("median_nn_ms", h->median_nn_ms, 1);
    json_num("iqr_nn_ms", h->iqr_nn_ms, 1);
    json_num("min_nn_ms", h->min_nn_ms, 1);
    json_num("max_nn_ms", h->max_nn_ms, 1);
    json_num("hr_mean_bpm", h->hr_mean_bpm, 1);
    json_num("hr_min_bpm", h->hr_min_bpm, 1);
    json_num("hr_max_bpm", h->hr_max_bpm, 1);
    json_num("triangular_index", h->triangular_index, 1);
    json_num("tinn_ms", h->tinn_ms, 1);
    json_num("vlf_ms2", h->vlf_ms2, 1);
    json_num("lf_ms2", h->lf_ms2, 1);
    json_num("hf_ms2", h->hf_ms2, 1);
    json_num("total_power_ms2", h->total_power_ms2, 1);
    json_num("lf_hf", h->lf_hf, 1);
    json_num("lfn_nu", h->lfn_nu, 1);
    json_num("hfn_nu", h->hfn_nu, 1);
    json_num("sd1_ms", h->sd1_ms, 1);
    json_num("sd2_ms", h->sd2_ms, 1);
    json_num("sd1_sd2", h->sd1_sd2, 1);
    json_num("sampen", h->sampen, 1);
    json_num("apen", h->apen, 1);
    json_num("dfa_alpha1", h->dfa_alpha1, 1);
    json_num("dfa_alpha2", h->dfa_alpha2, 0);
    printf("}");
}

static void print_json(const char *record, int channel, const vs_cli_events *ev,
                       const size_t *per_class, vs_status hst, const vs_hrv_result *hrv)
{
    double fs = ev->fs_hz;
    printf("{\n  \"record\": ");
    vs_cli_json_string(stdout, record);
    if (channel >= 0) printf(",\n  \"channel\": %d", channel);
    else printf(",\n  \"channel\": null"); /* a CSV column chosen by name or by the header */
    printf(", \"fs_hz\": %g, \"duration_s\": %.3f,\n", fs, (double)ev->n / fs);
    printf("  \"beats\": {\"total\": %zu, \"N\": %zu, \"S\": %zu, \"V\": %zu, \"F\": %zu, \"Q\": %zu},\n",
           per_class[0] + per_class[1] + per_class[2] + per_class[3] + per_class[4], per_class[0],
           per_class[1], per_class[2], per_class[3], per_class[4]);
    print_hrv_json("hrv", hst, hrv);
    printf(",\n");
    print_hrv_json("hrv_window", ev->hrv_status, &ev->hrv_window);
    printf(",\n  \"episodes\": [");
    int first = 1;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_RHYTHM || e->end_idx < 0) continue;
        printf("%s\n    {\"type\": \"%s\", \"aux\": ", first ? "" : ",", vs_rhythm_type_name((int)e->code));
        vs_cli_json_string(stdout, vs_rhythm_aux_string((int)e->code));
        printf(", \"onset_s\": %.3f, \"offset_s\": %.3f, \"onset_idx\": %lld, \"offset_idx\": %lld, ",
               (double)e->sample_idx / fs, (double)e->end_idx / fs, (long long)e->sample_idx,
               (long long)e->end_idx);
        json_num("hr_bpm", e->value, 0);
        printf("}");
        first = 0;
    }
    printf("%s],\n  \"alarms\": [", first ? "" : "\n  ");
    first = 1;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_ALARM) continue;
        printf("%s\n    {\"type\": \"%s\", \"severity\": \"%s\", \"onset_s\": %.3f, "
               "\"offset_s\": %.3f, \"onset_idx\": %lld, \"offset_idx\": %lld, ",
               first ? "" : ",", vs_rhythm_type_name((int)e->code), severity_name(e->severity),
               (double)e->sample_idx / fs, (double)e->end_idx / fs, (long long)e->sample_idx,
               (long long)e->end_idx);
        json_num("value", e->value, 0);
        printf("}");
        first = 0;
    }
    printf("%s],\n  \"quality\": [", first ? "" : "\n  ");
    first = 1;
    for (size_t i = 0; i < ev->count; i++) {
        const vs_event *e = &ev->ev[i];
        if (e->type != VS_EVENT_QUALITY) continue;
        printf("%s\n    {\"level\": \"%s\", \"onset_s\": %.3f, \"onset_idx\": %lld, \"reasons\": %u}",
               first ? "" : ",", quality_name(e->code), (double)e->sample_idx / fs,
               (long long)e->sample_idx, e->flags);
        first = 0;
    }
    printf("%s],\n  \"monitor_state_bytes\": %zu\n}\n", first ? "" : "\n  ", ev->state_bytes_end);
}

int vs_cli_analyze(int argc, char **argv)
{
    const char *record = NULL;
    int json = 0;
    vs_cli_signal_opts sig;
    vs_cli_signal_opts_init(&sig);
    for (int i = 1; i < argc; i++) {
        int so = vs_cli_signal_option(argc, argv, &i, &sig);
        if (so < 0) { fprintf(stderr, "(see 'vitalstream analyze --help')\n"); return VS_EXIT_USAGE; }
        if (so > 0) continue;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { vs_cli_analyze_usage(stdout); return VS_EXIT_OK; }
        else if (!strcmp(argv[i], "--json")) json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "vitalstream: unknown option '%s'\n(see 'vitalstream analyze --help')\n", argv[i]);
            return VS_EXIT_USAGE;
        } else if (!record) record = argv[i];
        else { fprintf(stderr, "vitalstream: unexpected argument '%s'\n", argv[i]); return VS_EXIT_USAGE; }
    }
    if (!record) {
        fprintf(stderr, "vitalstream: analyze needs a RECORD\n(see 'vitalstream analyze --help')\n");
        return VS_EXIT_USAGE;
    }
    /* the number printed: a CSV column found by name or by the reader's rules has none */
    int channel = sig.column ? -1 : sig.channel >= 0 ? sig.channel : sig.fs_hz > 0 ? -1 : 0;

    float *x = NULL;
    int64_t n = 0;
    double fs = 0;
    int rc = vs_cli_load_signal_gain(record, sig.channel, sig.column, sig.fs_hz, sig.gain, &x, &n,
                                     &fs);
    if (rc != 0) return rc;
    vs_cli_events ev;
    rc = vs_cli_run_monitor(record, x, n, fs, 0, 0, NULL, &ev);
    free(x);
    if (rc != VS_EXIT_OK) return rc;

    size_t per_class[5] = {0};
    for (size_t i = 0; i < ev.count; i++)
        if (ev.ev[i].type == VS_EVENT_BEAT && ev.ev[i].code < 5) per_class[ev.ev[i].code]++;
    vs_hrv_result hrv;
    memset(&hrv, 0, sizeof hrv);
    vs_status hst = record_hrv(&ev, &hrv);
    if (json) print_json(record, channel, &ev, per_class, hst, &hrv);
    else print_text(record, channel, &ev, per_class, hst, &hrv);
    vs_cli_events_free(&ev);
    return VS_EXIT_OK;
}
