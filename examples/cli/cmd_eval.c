/* cmd_eval.c — `vitalstream eval`: EC57 beat-by-beat scoring of a database, as PhysioNet's
 * bxb + sumstats would report it.
 *
 *   vitalstream eval --db DIR [--records R1,R2,...] [--ann EXT] [--json]
 *                    [--start SEC] [--end SEC] [--window SEC]
 *
 * For every record (DIR/RECORDS, or --records): reference = DIR/RECORD.atr; test =
 * DIR/RECORD.EXT with --ann, otherwise the beats of our QRS detector run on channel 0 (all
 * labelled N). Defaults are EC57's: window 0.15 s, scoring from 300 s to the end of the record
 * (length from DIR/RECORD.hea). Prints a per-record table with Gross and Average lines, or with
 * --json one object {"records": {...}, "gross": {...}, "average": {...}} (se/ppv in percent,
 * null when undefined). Exit 0 ok, 1 usage error, 2 input error. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/eval.h"
#include "vitalstream/io.h"
#include "vitalstream/qrs.h"

#define EVAL_BLOCK 65536

typedef struct eval_args {
    const char *db;
    const char *records;
    const char *ann;
    int json;
    int classes; /* --classes: classify beats (AAMI) and report VEB/SVEB */
    vs_ec57_options opt;
} eval_args;

typedef struct record_row {
    char name[VS_CLI_RECORD_NAME_MAX];
    vs_ec57_result res;
} record_row;

void vs_cli_eval_usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream eval --db DIR [--records R1,R2,...] [--ann EXT] [--json]\n"
            "                        [--classes] [--start SEC] [--end SEC] [--window SEC]\n"
            "Scores test beats against DIR/RECORD.atr with the EC57 rules of PhysioNet's bxb.\n"
            "  --db DIR       database folder (RECORDS, *.hea, *.atr, signals)\n"
            "  --records LIST comma-separated record names (default: the lines of DIR/RECORDS)\n"
            "  --ann EXT      test annotations from DIR/RECORD.EXT (default: run the QRS\n"
            "                 detector on channel 0)\n"
            "  --json         print one JSON object instead of the table\n"
            "  --classes      also classify the detected beats (N S V F Q) and report the\n"
            "                 AAMI confusion matrix with VEB/SVEB Se and +P (bxb -L)\n"
            "  --start SEC    start of scoring (default 300)\n"
            "  --end SEC      end of scoring (default: end of record; 0: end of either list)\n"
            "  --window SEC   match window (default 0.15)\n"
            "  --rhythm       score AF episodes instead, as epicmp -A (eval --rhythm --help)\n"
            "  -h, --help     this help\n"
            "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

int vs_cli_parse_seconds(const char *opt, const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!s[0] || end == s || *end || errno || !isfinite(v) || v < 0.0 || v > 1.0e9) {
        fprintf(stderr, "vitalstream: eval: %s needs a number of seconds >= 0, not '%s'\n", opt,
                s);
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_args(int argc, char **argv, eval_args *a)
{
    memset(a, 0, sizeof *a);
    vs_ec57_default_options(&a->opt);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int has_val = i + 1 < argc;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            vs_cli_eval_usage(stdout);
            return -1;
        } else if (!strcmp(o, "--json")) {
            a->json = 1;
        } else if (!strcmp(o, "--classes")) {
            a->classes = 1;
        } else if (!strcmp(o, "--db") || !strcmp(o, "--records") || !strcmp(o, "--ann") ||
                   !strcmp(o, "--start") || !strcmp(o, "--end") || !strcmp(o, "--window")) {
            if (!has_val) {
                fprintf(stderr, "vitalstream: eval: %s needs a value\n", o);
                return 0;
            }
            const char *v = argv[++i];
            if (!strcmp(o, "--db")) a->db = v;
            else if (!strcmp(o, "--records")) a->records = v;
            else if (!strcmp(o, "--ann")) a->ann = v;
            else if (!strcmp(o, "--start")) { if (!vs_cli_parse_seconds(o, v, &a->opt.start_s)) return 0; }
            else if (!strcmp(o, "--end")) { if (!vs_cli_parse_seconds(o, v, &a->opt.end_s)) return 0; }
            else if (!vs_cli_parse_seconds(o, v, &a->opt.match_window_s)) return 0;
        } else {
            fprintf(stderr, "vitalstream: eval: unknown option '%s'\n", o);
            return 0;
        }
    }
    return vs_cli_eval_check_args(a->db, a->ann, "gqrs", a->records, 1, a->opt.start_s,
                                  a->opt.end_s);
}

/* ---- test annotations from the detector -------------------------------------------------- */
static int append_beat(vs_annotation_list *out, int64_t sample_idx, int code)
{
    vs_annotation a;
    memset(&a, 0, sizeof a);
    a.sample_idx = sample_idx;
    a.code = (int16_t)code;
    if (vs_annot_append(out, &a) == VS_OK) return 1;
    fprintf(stderr, "vitalstream: out of memory\n");
    return 0;
}

/* Our QRS detector on channel 0; every beat is N. */
static int detect_beats(const char *record_path, vs_annotation_list *out)
{
    float *x = NULL;
    int64_t n = 0;
    double fs = 0.0;
    int rc = vs_cli_load_signal(record_path, 0, NULL, 0.0, &x, &n, &fs);
    if (rc != 0) return VS_EXIT_INPUT; /* the message naming the file is already printed */
    vs_qrs *q = NULL;
    vs_status st = vs_qrs_create(&q, fs);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: cannot run the QRS detector at %g Hz: %s\n",
                record_path, fs, vs_strerror(st));
        vs_io_free(x);
        return VS_EXIT_INPUT;
    }
    size_t cap = vs_qrs_max_events(q, EVAL_BLOCK);
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    if (!beats) {
        fprintf(stderr, "vitalstream: out of memory\n");
        vs_qrs_destroy(q);
        vs_io_free(x);
        return VS_EXIT_INPUT;
    }
    int result = VS_EXIT_OK;
    for (int64_t off = 0; off < n && result == VS_EXIT_OK; off += EVAL_BLOCK) {
        size_t len = (size_t)((n - off) < EVAL_BLOCK ? (n - off) : EVAL_BLOCK);
        size_t nb = 0;
        st = vs_qrs_process(q, x + off, len, beats, cap, &nb);
        if (st != VS_OK) {
            fprintf(stderr, "vitalstream: %s: QRS detector failed: %s\n", record_path,
                    vs_strerror(st));
            result = VS_EXIT_INPUT;
            break;
        }
        for (size_t i = 0; i < nb; i++)
            if (!append_beat(out, beats[i].sample_idx, VS_ANN_NORMAL)) {
                result = VS_EXIT_INPUT;
                break;
            }
    }
    size_t nb = 0; /* the beats still waiting for signal at the end of the record */
    if (result == VS_EXIT_OK && (st = vs_qrs_finish(q, beats, cap, &nb)) != VS_OK) {
        fprintf(stderr, "vitalstream: %s: QRS detector failed: %s\n", record_path, vs_strerror(st));
        result = VS_EXIT_INPUT;
    }
    if (result == VS_EXIT_OK) {
        for (size_t i = 0; i < nb; i++)
            if (!append_beat(out, beats[i].sample_idx, VS_ANN_NORMAL)) {
                result = VS_EXIT_INPUT;
                break;
            }
    }
    free(beats);
    vs_qrs_destroy(q);
    vs_io_free(x);
    return result;
}

/* ---- one record ----------------------------------------------------------------------------- */
static int eval_record(const eval_args *a, const char *rec, vs_ec57_result *res)
{
    vs_cli_eval_record r;
    int rc = vs_cli_eval_record_load(a->db, rec, a->ann, &r);
    if (rc != VS_EXIT_OK) return rc;
    /* --classes: the whole monitor, exactly what `detect --classify` writes (beat classes,
     * RHYTHM and NOISE annotations: unreadable stretches are shutdown intervals for the scoring) */
    if (!a->ann && a->classes) rc = vs_cli_monitor_annotations(r.base, NULL, &r.test);
    else if (!a->ann) rc = detect_beats(r.base, &r.test);
    if (rc == VS_EXIT_OK) {
        vs_ec57_options o = a->opt;
        o.record_length_samples = r.length_samples;
        vs_status st = vs_ec57_compare(r.ref.items, r.ref.count, r.test.items, r.test.count,
                                       r.fs_hz, &o, res);
        if (st != VS_OK) {
            fprintf(stderr, "vitalstream: %s: cannot compare annotations: %s%s\n", r.base,
                    vs_strerror(st),
                    st == VS_E_INVALID_ARG ? " (annotations not in time order, or bad times)" : "");
            rc = VS_EXIT_INPUT;
        }
    }
    vs_cli_eval_record_free(&r);
    return rc;
}

/* ---- output ----------------------------------------------------------------------------- */
static void put_pct(FILE *f, double v)
{
    if (v < 0.0) fprintf(f, " %7s", "-");
    else fprintf(f, " %7.2f", v);
}

static void json_num(FILE *f, double v)
{
    if (v < 0.0) fputs("null", f);
    else fprintf(f, "%.4f", v);
}

void vs_cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void json_counts(FILE *f, const vs_ec57_result *r, const vs_ec57_stats *s)
{
    fprintf(f, "{\"tp\": %lld, \"fn\": %lld, \"fp\": %lld, \"se\": ", (long long)r->tp,
            (long long)r->fn, (long long)r->fp);
    json_num(f, s->qrs_se);
    fputs(", \"ppv\": ", f);
    json_num(f, s->qrs_ppv);
    fputc('}', f);
}

static void print_results(const eval_args *a, const record_row *rows, size_t n,
                          const vs_ec57_summary *sum)
{
    vs_ec57_stats g, av;
    vs_ec57_summary_stats(sum, &g, &av);
    if (a->json) {
        fputs("{\"records\": {", stdout);
        for (size_t i = 0; i < n; i++) {
            vs_ec57_stats s;
            vs_ec57_result_stats(&rows[i].res, &s);
            fputs(i ? ", " : "", stdout);
            vs_cli_json_string(stdout, rows[i].name);
            fputs(": ", stdout);
            json_counts(stdout, &rows[i].res, &s);
        }
        fputs("}, \"gross\": ", stdout);
        json_counts(stdout, &sum->gross, &g);
        fputs(", \"average\": {\"se\": ", stdout);
        json_num(stdout, av.qrs_se);
        fputs(", \"ppv\": ", stdout);
        json_num(stdout, av.qrs_ppv);
        fprintf(stdout, ", \"records\": %zu}}\n", sum->n_records);
        return;
    }
    printf("%-8s %8s %6s %6s %7s %7s\n", "Record", "TP", "FN", "FP", "Se%", "+P%");
    for (size_t i = 0; i < n; i++) {
        vs_ec57_stats s;
        vs_ec57_result_stats(&rows[i].res, &s);
        printf("%-8s %8lld %6lld %6lld", rows[i].name, (long long)rows[i].res.tp,
               (long long)rows[i].res.fn, (long long)rows[i].res.fp);
        put_pct(stdout, s.qrs_se);
        put_pct(stdout, s.qrs_ppv);
        putchar('\n');
    }
    printf("%-8s %8lld %6lld %6lld", "Gross", (long long)sum->gross.tp,
           (long long)sum->gross.fn, (long long)sum->gross.fp);
    put_pct(stdout, g.qrs_se);
    put_pct(stdout, g.qrs_ppv);
    putchar('\n');
    printf("%-8s %8s %6s %6s", "Average", "", "", "");
    put_pct(stdout, av.qrs_se);
    put_pct(stdout, av.qrs_ppv);
    putchar('\n');
    printf("\n%zu record%s; total reference beats scored: %lld\n", sum->n_records,
           sum->n_records == 1 ? "" : "s", (long long)(sum->gross.tp + sum->gross.fn));
}

/* ---- --classes output: bxb -L style VEB/SVEB figures and the AAMI confusion matrix ---------- */
static void json_class_stats(FILE *f, const vs_ec57_stats *s)
{
    const double v[] = {s->qrs_se, s->qrs_ppv, s->veb_se, s->veb_ppv, s->sveb_se, s->sveb_ppv};
    static const char *const k[] = {"qrs_se", "qrs_ppv", "veb_se", "veb_ppv", "sveb_se",
                                    "sveb_ppv"};
    for (int i = 0; i < 6; i++) {
        fprintf(f, "%s\"%s\": ", i ? ", " : "", k[i]);
        json_num(f, v[i]);
    }
}

static void print_class_row(const char *name, const vs_ec57_stats *s)
{
    printf("%-8s", name);
    put_pct(stdout, s->qrs_se);
    put_pct(stdout, s->qrs_ppv);
    put_pct(stdout, s->veb_se);
    put_pct(stdout, s->veb_ppv);
    put_pct(stdout, s->sveb_se);
    put_pct(stdout, s->sveb_ppv);
    putchar('\n');
}

static void print_classes(const eval_args *a, const record_row *rows, size_t n,
                          const vs_ec57_summary *sum)
{
    static const char rows_l[] = "NSVFQOX", cols_l[] = "nsvfqox";
    vs_ec57_stats g, av;
    vs_ec57_summary_stats(sum, &g, &av);
    const vs_ec57_result *m = &sum->gross;
    if (a->json) {
        fputs("{\"records\": {", stdout);
        for (size_t i = 0; i < n; i++) {
            vs_ec57_stats s;
            vs_ec57_result_stats(&rows[i].res, &s);
            fputs(i ? ", " : "", stdout);
            vs_cli_json_string(stdout, rows[i].name);
            fputs(": {", stdout);
            json_class_stats(stdout, &s);
            fputc('}', stdout);
        }
        fputs("}, \"gross\": {", stdout);
        json_class_stats(stdout, &g);
        fputs(", \"matrix_rows\": \"NSVFQOX\", \"matrix_cols\": \"nsvfqox\", \"matrix\": [", stdout);
        for (int r = 0; r < VS_EC57_NCLASS; r++) {
            fputs(r ? ", [" : "[", stdout);
            for (int c = 0; c < VS_EC57_NCLASS; c++)
                fprintf(stdout, "%s%lld", c ? ", " : "", (long long)m->matrix[r][c]);
            fputc(']', stdout);
        }
        fputs("]}, \"average\": {", stdout);
        json_class_stats(stdout, &av);
        fprintf(stdout, "}, \"records_count\": %zu}\n", sum->n_records);
        return;
    }
    printf("%-8s %7s %7s %7s %7s %7s %7s\n", "Record", "QRS Se", "QRS +P", "VEB Se", "VEB +P",
           "SVEB Se", "SVEB +P");
    for (size_t i = 0; i < n; i++) {
        vs_ec57_stats s;
        vs_ec57_result_stats(&rows[i].res, &s);
        print_class_row(rows[i].name, &s);
    }
    print_class_row("Gross", &g);
    print_class_row("Average", &av);
    printf("\nGross confusion matrix (rows: reference, columns: test; o = missed, O = extra):\n");
    printf("     ");
    for (int c = 0; c < VS_EC57_NCLASS; c++) printf(" %8c", cols_l[c]);
    putchar('\n');
    for (int r = 0; r < VS_EC57_NCLASS; r++) {
        printf("  %c  ", rows_l[r]);
        for (int c = 0; c < VS_EC57_NCLASS; c++) printf(" %8lld", (long long)m->matrix[r][c]);
        putchar('\n');
    }
    printf("\nPer class (gross, all 7 columns): Se = diagonal / row, +P = diagonal / column\n");
    for (int k = 0; k < 5; k++) {
        int64_t row = 0, col = 0;
        for (int c = 0; c < VS_EC57_NCLASS; c++) {
            row += m->matrix[k][c];
            col += m->matrix[c][k];
        }
        printf("  %c  Se", rows_l[k]);
        put_pct(stdout, vs_ec57_percent(m->matrix[k][k], row));
        printf("  +P");
        put_pct(stdout, vs_ec57_percent(m->matrix[k][k], col));
        putchar('\n');
    }
    printf("\n%zu record%s; VEB/SVEB as bxb -L (gross = pooled counts, as sumstats)\n",
           sum->n_records, sum->n_records == 1 ? "" : "s");
}

int vs_cli_eval(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--rhythm")) return vs_cli_eval_rhythm(argc, argv);
    eval_args a;
    int pr = parse_args(argc, argv, &a);
    if (pr < 0) return VS_EXIT_OK;
    if (pr == 0) {
        fprintf(stderr, "(see 'vitalstream eval --help')\n");
        return VS_EXIT_USAGE;
    }

    vs_cli_names names;
    int rc = vs_cli_read_record_names(a.db, a.records, &names);
    if (rc != VS_EXIT_OK) return rc;

    record_row *rows = calloc(names.count, sizeof *rows);
    if (!rows) {
        fprintf(stderr, "vitalstream: out of memory\n");
        vs_cli_names_free(&names);
        return VS_EXIT_INPUT;
    }
    vs_ec57_summary sum;
    vs_ec57_summary_init(&sum);
    for (size_t i = 0; i < names.count; i++) {
        vs_cli_progress(names.items[i], (int64_t)i, (int64_t)names.count);
        snprintf(rows[i].name, sizeof rows[i].name, "%s", names.items[i]);
        rc = eval_record(&a, names.items[i], &rows[i].res);
        if (rc != VS_EXIT_OK) break;
        vs_ec57_summary_add(&sum, &rows[i].res);
    }
    if (rc == VS_EXIT_OK) vs_cli_progress("done", (int64_t)names.count, (int64_t)names.count);
    vs_cli_progress_end();
    if (rc == VS_EXIT_OK && a.classes) print_classes(&a, rows, names.count, &sum);
    else if (rc == VS_EXIT_OK) print_results(&a, rows, names.count, &sum);
    free(rows);
    vs_cli_names_free(&names);
    return rc;
}
