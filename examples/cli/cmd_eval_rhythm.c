/* cmd_eval_rhythm.c — `vitalstream eval --rhythm`: AF episode scoring of a database, as
 * PhysioNet's `epicmp -A` (line format) would report it, with gross figures.
 *
 *   vitalstream eval --rhythm --db DIR [--records R1,R2,...] [--ann EXT] [--labels monitor|n|ref|v]
 *                    [--json] [--start SEC] [--end SEC] [--exclude-afl]
 *
 * Reference: the RHYTHM annotations of DIR/RECORD.atr. Test: the RHYTHM annotations of
 * DIR/RECORD.EXT with --ann; otherwise the whole pipeline (vs_monitor: QRS, classifier, quality
 * gate, rhythm) on channel 0, whose rhythm episode onsets become RHYTHM annotations ("(N",
 * "(AFIB", ...). For development, --labels runs our QRS detector and vs_rhythm directly with
 * other beat labels: "n" calls every beat N (no classifier: the hardest case for AF specificity);
 * "ref" gives each detected beat the AAMI class of the reference beat within 0.15 s (Q if
 * none): an ideal classifier; "v" keeps only the reference V labels (a classifier that finds
 * PVCs but no supraventricular ectopy). Exit 0 ok, 1 usage error, 2 input error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/eval.h"
#include "vitalstream/io.h"
#include "vitalstream/monitor.h"
#include "vitalstream/qrs.h"
#include "vitalstream/rhythm.h"

#define RHY_BLOCK 65536

typedef struct rhy_args {
    const char *db, *records, *ann;
    int json, labels_ref;
    vs_epi_options opt;
    vs_cli_rhythm_params params; /* --param ID=VALUE */
} rhy_args;

typedef struct rhy_row {
    char name[VS_CLI_RECORD_NAME_MAX];
    vs_epi_result res;
} rhy_row;

void vs_cli_eval_rhythm_usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream eval --rhythm --db DIR [--records R1,R2,...] [--ann EXT]\n"
            "                        [--labels monitor|n|ref|v] [--json] [--start SEC]\n"
            "                        [--end SEC] [--exclude-afl] [--param ID=VALUE ...]\n"
            "Scores AF episodes against the RHYTHM annotations of DIR/RECORD.atr as\n"
            "PhysioNet's epicmp -A does (episode and duration sensitivity and +P).\n"
            "  --ann EXT      test RHYTHM annotations from DIR/RECORD.EXT (default: run the\n"
            "                 whole pipeline, vs_monitor, on channel 0)\n"
            "  --labels L     instead of vs_monitor, run our QRS detector and vs_rhythm with\n"
            "                 these beat classes: n (all N),\n"
            "                 ref (class of the reference beat within 0.15 s; Q if none) or\n"
            "                 v (reference V beats only, everything else N)\n"
            "  --json         one JSON object instead of the table\n"
            "  --start SEC    start of scoring (default 300)\n"
            "  --end SEC      end of scoring (default: end of record)\n"
            "  --exclude-afl  leave reference atrial flutter out of +P (epicmp -x, EC38:1998)\n"
            "  --param ID=V   set a vs_rhythm parameter (rhythm.h numbering), repeatable\n"
            "  --db DIR, --records LIST  as for eval (vitalstream eval --help)\n"
            "  -h, --help     this help\n"
            "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

static int rhy_parse(int argc, char **argv, rhy_args *a)
{
    memset(a, 0, sizeof *a);
    a->labels_ref = -1; /* the full pipeline (vs_monitor) */
    vs_epi_default_options(&a->opt);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--rhythm")) continue;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            vs_cli_eval_rhythm_usage(stdout);
            return -1;
        } else if (!strcmp(o, "--json")) {
            a->json = 1;
        } else if (!strcmp(o, "--param") && i + 1 < argc) {
            int id = 0;
            double v = 0.0;
            if (a->params.count >= VS_CLI_MAX_RHYTHM_PARAMS || sscanf(argv[++i], "%d=%lf", &id, &v) != 2 ||
                vs_rhythm_param_bounds((vs_rhythm_param)id, NULL, NULL, NULL) != VS_OK) {
                fprintf(stderr, "vitalstream: eval: --param needs ID=VALUE (vs_rhythm_param)\n");
                return 0;
            }
            a->params.id[a->params.count] = id;
            a->params.value[a->params.count++] = v;
        } else if (!strcmp(o, "--exclude-afl")) {
            a->opt.exclude_afl = 1;
        } else if (!strcmp(o, "--db") || !strcmp(o, "--records") || !strcmp(o, "--ann") ||
                   !strcmp(o, "--start") || !strcmp(o, "--end") || !strcmp(o, "--labels")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "vitalstream: eval: %s needs a value\n", o);
                return 0;
            }
            const char *v = argv[++i];
            if (!strcmp(o, "--db")) a->db = v;
            else if (!strcmp(o, "--labels") && !strcmp(v, "monitor")) a->labels_ref = -1;
            else if (!strcmp(o, "--records")) a->records = v;
            else if (!strcmp(o, "--ann")) a->ann = v;
            else if (!strcmp(o, "--start")) { if (!vs_cli_parse_seconds(o, v, &a->opt.start_s)) return 0; }
            else if (!strcmp(o, "--end")) { if (!vs_cli_parse_seconds(o, v, &a->opt.end_s)) return 0; }
            else if (!strcmp(v, "n")) a->labels_ref = 0;
            else if (!strcmp(v, "ref")) a->labels_ref = 1;
            else if (!strcmp(v, "v")) a->labels_ref = 2;
            else {
                fprintf(stderr,
                        "vitalstream: eval: --labels takes monitor, n, ref or v, not '%s'\n", v);
                return 0;
            }
        } else {
            fprintf(stderr, "vitalstream: eval: unknown option '%s' (with --rhythm)\n", o);
            return 0;
        }
    }
    return vs_cli_eval_check_args(a->db, a->ann, "qrs", a->records, 0, a->opt.start_s,
                                  a->opt.end_s);
}

/* ---- test annotations from the pipeline ------------------------------------------------- */
/* Episode onsets as RHYTHM annotations (vs_rhythm keeps onsets increasing, so the list stays
 * in time order). */
static int push_events(const vs_rhythm_event *ev, size_t n, vs_annotation_list *out)
{
    for (size_t i = 0; i < n; i++) {
        vs_annotation an;
        if (ev[i].kind != VS_RHYTHM_KIND_EPISODE_START ||
            !vs_cli_rhythm_annotation(ev[i].type, ev[i].onset_idx, &an))
            continue;
        if (vs_annot_append(out, &an) != VS_OK) return 0;
    }
    return 1;
}

/* AAMI class of the reference beat nearest to t within win samples, Q if none. */
static int ref_class(const vs_annotation_list *ref, size_t *cursor, int64_t t, int64_t win)
{
    size_t i = *cursor;
    while (i < ref->count && ref->items[i].sample_idx < t - win) i++;
    *cursor = i;
    int best = VS_EC57_Q;
    int64_t best_d = win + 1;
    for (size_t j = i; j < ref->count && ref->items[j].sample_idx <= t + win; j++) {
        if (!vs_ec57_is_beat(ref->items[j].code)) continue;
        int64_t d = ref->items[j].sample_idx - t;
        if (d < 0) d = -d;
        if (d < best_d) {
            best_d = d;
            int c = vs_ec57_code_class(ref->items[j].code);
            best = c <= VS_EC57_Q ? c : VS_EC57_Q;
        }
    }
    return best;
}

static int run_pipeline(const char *base, const rhy_args *a, const vs_annotation_list *ref,
                        vs_annotation_list *test)
{
    float *x = NULL;
    int64_t n = 0;
    double fs = 0.0;
    if (vs_cli_load_signal(base, 0, NULL, 0.0, &x, &n, &fs) != 0) return VS_EXIT_INPUT;
    vs_qrs *q = NULL;
    vs_rhythm *rh = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st == VS_OK) st = vs_rhythm_create(&rh, fs);
    for (int k = 0; k < a->params.count && st == VS_OK; k++)
        st = vs_rhythm_set_param(rh, (vs_rhythm_param)a->params.id[k], a->params.value[k]);
    size_t cap = q ? vs_qrs_max_events(q, RHY_BLOCK) : 0;
    vs_beat *beats = st == VS_OK ? malloc((cap ? cap : 1) * sizeof *beats) : NULL;
    if (st != VS_OK || !beats) {
        fprintf(stderr, "vitalstream: %s: cannot run the detectors: %s\n", base,
                st != VS_OK ? vs_strerror(st) : "out of memory");
        free(beats);
        vs_qrs_destroy(q);
        vs_rhythm_destroy(rh);
        vs_io_free(x);
        return VS_EXIT_INPUT;
    }
    vs_rhythm_event ev[16];
    size_t cursor = 0;
    int64_t win = (int64_t)(0.15 * fs + 0.5);
    int rc = VS_EXIT_OK;
    for (int64_t off = 0; off < n && rc == VS_EXIT_OK; off += RHY_BLOCK) {
        size_t len = (size_t)((n - off) < RHY_BLOCK ? (n - off) : RHY_BLOCK);
        size_t nb = 0;
        st = vs_qrs_process(q, x + off, len, beats, cap, &nb);
        for (size_t i = 0; i < nb && st == VS_OK; i++) {
            int cls = a->labels_ref ? ref_class(ref, &cursor, beats[i].sample_idx, win) : 0;
            if (a->labels_ref == 2 && cls != VS_EC57_V) cls = VS_EC57_N; /* V only */
            size_t ne = 0;
            st = vs_rhythm_push_beat(rh, beats[i].sample_idx, cls, 0, ev, 16, &ne);
            if (st == VS_OK && !push_events(ev, ne, test)) st = VS_E_NO_MEMORY;
        }
        if (st != VS_OK) rc = VS_EXIT_INPUT;
    }
    if (rc == VS_EXIT_OK) {
        size_t ne = 0;
        st = vs_rhythm_finish(rh, n > 0 ? n - 1 : 0, ev, 16, &ne);
        if (st != VS_OK) rc = VS_EXIT_INPUT;
    }
    if (rc != VS_EXIT_OK)
        fprintf(stderr, "vitalstream: %s: pipeline failed: %s\n", base, vs_strerror(st));
    free(beats);
    vs_qrs_destroy(q);
    vs_rhythm_destroy(rh);
    vs_io_free(x);
    return rc;
}

static int rhy_record(const rhy_args *a, const char *rec, vs_epi_result *res)
{
    vs_cli_eval_record r;
    int rc = vs_cli_eval_record_load(a->db, rec, a->ann, &r);
    if (rc != VS_EXIT_OK) return rc;
    /* the whole pipeline, exactly what `detect --classify` writes, so that these figures are
     * those of scoring that file */
    if (!a->ann && a->labels_ref < 0) rc = vs_cli_monitor_annotations(r.base, &a->params, &r.test);
    else if (!a->ann) rc = run_pipeline(r.base, a, &r.ref, &r.test);
    if (rc == VS_EXIT_OK) {
        vs_epi_options o = a->opt;
        o.record_length_samples = r.length_samples;
        vs_status st = vs_epi_compare_af(r.ref.items, r.ref.count, r.test.items, r.test.count,
                                         r.fs_hz, &o, res);
        if (st != VS_OK) {
            fprintf(stderr, "vitalstream: %s: cannot compare episodes: %s\n", r.base,
                    vs_strerror(st));
            rc = VS_EXIT_INPUT;
        }
    }
    vs_cli_eval_record_free(&r);
    return rc;
}

/* ---- output ----------------------------------------------------------------------------- */
static void rhy_pct(double v)
{
    if (v < 0.0) printf(" %6s", "-");
    else printf(" %6.1f", v);
}

static void rhy_json_pct(const char *key, double v)
{
    if (v < 0.0) printf("\"%s\": null", key);
    else printf("\"%s\": %.4f", key, v);
}

static void rhy_json_result(const vs_epi_result *r)
{
    vs_epi_stats s;
    vs_epi_result_stats(r, &s);
    printf("{\"tps\": %lld, \"fn\": %lld, \"tpp\": %lld, \"fp\": %lld, ",
           (long long)r->ref_matched, (long long)r->ref_missed, (long long)r->test_matched,
           (long long)r->test_false);
    printf("\"ref_duration_s\": %.3f, \"ref_overlap_s\": %.3f, \"test_duration_s\": %.3f, "
           "\"test_overlap_s\": %.3f, ",
           r->fs_hz > 0 ? (double)r->ref_duration / r->fs_hz : 0.0,
           r->fs_hz > 0 ? (double)r->ref_overlap / r->fs_hz : 0.0,
           r->fs_hz > 0 ? (double)r->test_duration / r->fs_hz : 0.0,
           r->fs_hz > 0 ? (double)r->test_overlap / r->fs_hz : 0.0);
    rhy_json_pct("episode_se", s.episode_se);
    fputs(", ", stdout);
    rhy_json_pct("episode_ppv", s.episode_ppv);
    fputs(", ", stdout);
    rhy_json_pct("duration_se", s.duration_se);
    fputs(", ", stdout);
    rhy_json_pct("duration_ppv", s.duration_ppv);
    fputc('}', stdout);
}

static void rhy_line(const char *name, const vs_epi_result *r)
{
    vs_epi_stats s;
    vs_epi_result_stats(r, &s);
    printf("%-8s %5lld %5lld %5lld %5lld", name, (long long)r->ref_matched,
           (long long)r->ref_missed, (long long)r->test_matched, (long long)r->test_false);
    rhy_pct(s.episode_se);
    rhy_pct(s.episode_ppv);
    rhy_pct(s.duration_se);
    rhy_pct(s.duration_ppv);
    double fs = r->fs_hz > 0 ? r->fs_hz : 1.0;
    printf(" %10.1f %10.1f\n", (double)r->ref_duration / fs, (double)r->test_duration / fs);
}

int vs_cli_eval_rhythm(int argc, char **argv)
{
    rhy_args a;
    int pr = rhy_parse(argc, argv, &a);
    if (pr < 0) return VS_EXIT_OK;
    if (pr == 0) {
        fprintf(stderr, "(see 'vitalstream eval --rhythm --help')\n");
        return VS_EXIT_USAGE;
    }
    vs_cli_names names;
    int rc = vs_cli_read_record_names(a.db, a.records, &names);
    if (rc != VS_EXIT_OK) return rc;
    size_t count = names.count;
    rhy_row *rows = calloc(count, sizeof *rows);
    vs_epi_summary sum;
    vs_epi_summary_init(&sum);
    if (!rows) rc = VS_EXIT_INPUT;
    for (size_t i = 0; i < count && rc == VS_EXIT_OK; i++) {
        vs_cli_progress(names.items[i], (int64_t)i, (int64_t)count);
        snprintf(rows[i].name, sizeof rows[i].name, "%s", names.items[i]);
        rc = rhy_record(&a, names.items[i], &rows[i].res);
        if (rc == VS_EXIT_OK) vs_epi_summary_add(&sum, &rows[i].res);
    }
    vs_cli_progress_end();
    if (rc == VS_EXIT_OK && a.json) {
        fputs("{\"records\": {", stdout);
        for (size_t i = 0; i < count; i++) {
            printf("%s\"%s\": ", i ? ", " : "", rows[i].name);
            rhy_json_result(&rows[i].res);
        }
        fputs("}, \"gross\": ", stdout);
        rhy_json_result(&sum.gross);
        printf(", \"n_records\": %zu, \"labels\": \"%s\"}\n", sum.n_records,
               a.ann ? "file"
                     : (a.labels_ref < 0    ? "monitor"
                        : a.labels_ref == 1 ? "ref"
                        : a.labels_ref == 2 ? "v"
                                            : "n"));
    } else if (rc == VS_EXIT_OK) {
        printf("%-8s %5s %5s %5s %5s %6s %6s %6s %6s %10s %10s\n", "Record", "TPs", "FN", "TPp",
               "FP", "ESe", "E+P", "DSe", "D+P", "RefDur(s)", "TestDur(s)");
        for (size_t i = 0; i < count; i++) rhy_line(rows[i].name, &rows[i].res);
        rhy_line("Gross", &sum.gross);
        printf("\n%zu record%s; AF episodes as epicmp -A (start %g s%s)\n", sum.n_records,
               sum.n_records == 1 ? "" : "s", a.opt.start_s,
               a.opt.exclude_afl ? ", reference AFL excluded from +P" : "");
    }
    vs_cli_names_free(&names);
    free(rows);
    return rc;
}
