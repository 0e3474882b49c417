/* cmd_detect.c — `vitalstream detect`: QRS detection on one channel of a record, written as a
 * WFDB MIT-format annotation file that rdann/bxb/epicmp read. Plain detection labels every beat
 * N; with --classify the whole vs_monitor pipeline runs and the file carries the beat classes
 * (N, A for S-class, V, F, Q), RHYTHM onsets with MIT-BIH aux strings and NOISE changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/io.h"
#include "vitalstream/qrs.h"

typedef struct detect_opts {
    const char *record;
    const char *outfile;
    vs_cli_signal_opts sig;
    long chunk;
    int roundtrip;
    int classify;
} detect_opts;

void vs_cli_detect_usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream detect RECORD [-c N | --column NAME] [--fs HZ] [-o OUTFILE]\n"
            "                          [--classify] [--chunk N] [--roundtrip-state]\n"
            "Detects the QRS complexes of one signal and writes them as a WFDB annotation file\n"
            "(MIT format, readable by rdann, bxb and epicmp).\n");
    vs_cli_signal_opts_help(f);
    fprintf(f,
            "  -o, --output OUTFILE  annotation file to write; default: RECORD's base name +\n"
            "               '.qrs' in the current folder\n"
            "  --classify   run the whole monitor: beat classes (N A V F Q), RHYTHM annotations\n"
            "               ((N (AFIB (VT (B (T (SBR (SVTA) and NOISE annotations (subtype 0x30 =\n"
            "               unreadable/shutdown, 1 = noisy, 0 = clean again)\n"
            "  --chunk N    feed N samples per call (default: the whole record at once)\n"
            "  --roundtrip-state  between chunks save the detector state to bytes, destroy it\n"
            "               and continue in a new detector restored from those bytes\n"
            "  -h, --help   this help\n"
            "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

static int parse_opts(int argc, char **argv, detect_opts *o)
{
    memset(o, 0, sizeof *o);
    vs_cli_signal_opts_init(&o->sig);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        char *end = NULL;
        int sig = vs_cli_signal_option(argc, argv, &i, &o->sig);
        if (sig < 0) return 0;
        if (sig > 0) continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { vs_cli_detect_usage(stdout); exit(VS_EXIT_OK); }
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_next) o->outfile = argv[++i];
        else if (!strcmp(a, "--chunk") && has_next) {
            o->chunk = strtol(argv[++i], &end, 10);
            if (*end || o->chunk < 1) { fprintf(stderr, "vitalstream: bad --chunk '%s'\n", argv[i]); return 0; }
        } else if (!strcmp(a, "--roundtrip-state")) o->roundtrip = 1;
        else if (!strcmp(a, "--classify")) o->classify = 1;
        else if (a[0] == '-' && a[1]) { fprintf(stderr, "vitalstream: unknown or incomplete option '%s'\n", a); return 0; }
        else if (!o->record) o->record = a;
        else { fprintf(stderr, "vitalstream: unexpected argument '%s'\n", a); return 0; }
    }
    if (!o->record) { fprintf(stderr, "vitalstream: detect needs a RECORD\n"); return 0; }
    return 1;
}

/* Default output: the record's base name (no folder, no .csv) + ".qrs" in the current folder. */
static void default_outfile(const char *record, char *buf, size_t cap)
{
    const char *base = strrchr(record, '/');
    base = base ? base + 1 : record;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".csv")) len -= 4;
    snprintf(buf, cap, "%.*s.qrs", (int)len, base);
}

/* Save -> destroy -> create -> load: what a stateless worker does between two chunks. */
static vs_status roundtrip(vs_qrs **q, double fs_hz)
{
    size_t size = vs_qrs_state_size(*q), written = 0;
    uint8_t *blob = malloc(size);
    if (!blob) return VS_E_NO_MEMORY;
    vs_status st = vs_qrs_state_save(*q, blob, size, &written);
    vs_qrs_destroy(*q);
    *q = NULL;
    if (st == VS_OK) st = vs_qrs_create(q, fs_hz);
    if (st == VS_OK) st = vs_qrs_state_load(*q, blob, written);
    free(blob);
    return st;
}

static int write_annotations(const char *record, const char *outfile, vs_annotation_list *list)
{
    char outbuf[1024];
    const char *out = outfile;
    if (!out) { default_outfile(record, outbuf, sizeof outbuf); out = outbuf; }
    vs_io_error err;
    memset(&err, 0, sizeof err);
    vs_status st = vs_annot_write(out, list, &err);
    if (st != VS_OK) {
        /* err.message already starts with the file name */
        if (err.message[0]) fprintf(stderr, "vitalstream: %s\n", err.message);
        else fprintf(stderr, "vitalstream: %s: %s\n", out, vs_strerror(st));
        return VS_EXIT_INPUT;
    }
    return VS_EXIT_OK;
}

/* --classify: the whole monitor; a one-line summary on stderr. */
static int detect_classify(const detect_opts *o, const float *x, int64_t n, double fs)
{
    vs_cli_events ev;
    int rc = vs_cli_run_monitor(o->record, x, n, fs, o->chunk > 0 ? (size_t)o->chunk : 0,
                                o->roundtrip, NULL, &ev);
    if (rc != VS_EXIT_OK) return rc;
    size_t per_class[5] = {0}, episodes = 0, alarms = 0, noise = 0;
    for (size_t i = 0; i < ev.count; i++) {
        const vs_event *e = &ev.ev[i];
        if (e->type == VS_EVENT_BEAT && e->code < 5) per_class[e->code]++;
        else if (e->type == VS_EVENT_RHYTHM && e->end_idx < 0) episodes++;
        else if (e->type == VS_EVENT_ALARM) alarms++;
        else if (e->type == VS_EVENT_QUALITY) noise++;
    }
    vs_annotation_list list = {0};
    vs_status st = vs_cli_events_to_annotations(&ev, &list);
    size_t state_max = ev.state_bytes_max;
    vs_cli_events_free(&ev);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: %s\n", o->record, vs_strerror(st));
        vs_annot_list_free(&list);
        return VS_EXIT_INPUT;
    }
    rc = write_annotations(o->record, o->outfile, &list);
    vs_annot_list_free(&list);
    if (rc == VS_EXIT_OK)
        fprintf(stderr,
                "%s: beats N %zu S %zu V %zu F %zu Q %zu, %zu rhythm episodes, %zu alarms, "
                "%zu quality changes, monitor state <= %zu bytes\n",
                o->record, per_class[0], per_class[1], per_class[2], per_class[3], per_class[4],
                episodes, alarms, noise, state_max);
    return rc;
}

int vs_cli_detect(int argc, char **argv)
{
    detect_opts o;
    if (!parse_opts(argc, argv, &o)) {
        fprintf(stderr, "(see 'vitalstream detect --help')\n");
        return VS_EXIT_USAGE;
    }

    float *x = NULL;
    int64_t n = 0;
    double fs = 0;
    int rc = vs_cli_load_signal_gain(o.record, o.sig.channel, o.sig.column, o.sig.fs_hz,
                                     o.sig.gain, &x, &n, &fs);
    if (rc != 0) return rc;
    if (o.classify) {
        rc = detect_classify(&o, x, n, fs);
        free(x);
        return rc;
    }

    vs_qrs *q = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: cannot detect at %g Hz: %s\n", o.record, fs, vs_strerror(st));
        free(x);
        return VS_EXIT_INPUT;
    }
    size_t chunk = o.chunk > 0 ? (size_t)o.chunk : (size_t)(n > 0 ? n : 1);
    if (chunk > (size_t)1 << 20) chunk = (size_t)1 << 20; /* bounded buffer, same beats */
    size_t cap = vs_qrs_max_events(q, chunk);
    vs_beat *beats = malloc(cap * sizeof *beats);
    vs_annotation_list list = {0};
    if (!beats) { fprintf(stderr, "vitalstream: out of memory\n"); free(x); vs_qrs_destroy(q); return VS_EXIT_INPUT; }

    /* one pass more after the input: vs_qrs_finish reports the beats still waiting for signal */
    for (int64_t pos = 0; pos <= n && st == VS_OK;) {
        size_t len = (size_t)(n - pos) < chunk ? (size_t)(n - pos) : chunk;
        size_t got = 0;
        st = pos < n ? vs_qrs_process(q, x + pos, len, beats, cap, &got)
                     : vs_qrs_finish(q, beats, cap, &got);
        for (size_t i = 0; i < got && st == VS_OK; i++) {
            vs_annotation a;
            memset(&a, 0, sizeof a);
            a.sample_idx = beats[i].sample_idx;
            a.code = VS_ANN_NORMAL;
            st = vs_annot_append(&list, &a);
        }
        if (pos == n) break;
        pos += (int64_t)len;
        if (o.roundtrip && pos < n && st == VS_OK) st = roundtrip(&q, fs);
        vs_cli_progress("detect", pos, n);
    }
    vs_cli_progress_end();
    free(beats);
    free(x);
    vs_qrs_destroy(q);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: detection failed: %s\n", o.record, vs_strerror(st));
        vs_annot_list_free(&list);
        return VS_EXIT_INPUT;
    }

    size_t count = list.count;
    rc = write_annotations(o.record, o.outfile, &list);
    vs_annot_list_free(&list);
    if (rc != VS_EXIT_OK) return rc;
    char outbuf[1024];
    const char *out = o.outfile;
    if (!out) { default_outfile(o.record, outbuf, sizeof outbuf); out = outbuf; }
    fprintf(stderr, "%s: %zu beats in %.1f s of signal -> %s\n", o.record, count, (double)n / fs, out);
    return VS_EXIT_OK;
}
