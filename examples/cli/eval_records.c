/* eval_records.c — what `eval` (cmd_eval.c) and `eval --rhythm` (cmd_eval_rhythm.c) share: the
 * list of record names, each record's header and annotation files, and the test annotations of
 * the whole monitor. One copy, so that both commands accept the same lists, fail with the same
 * messages and score the same monitor output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- options ----------------------------------------------------------------------------------- */
int vs_cli_eval_check_args(const char *db, const char *ann, const char *ann_example,
                           const char *records, int check_records, double start_s,
                           double end_s)
{
    if (!db || !db[0]) {
        fprintf(stderr, "vitalstream: eval: --db DIR is required\n");
        return 0;
    }
    if (ann && (!ann[0] || strchr(ann, '/'))) {
        fprintf(stderr, "vitalstream: eval: --ann needs an annotator extension such as '%s'\n",
                ann_example);
        return 0;
    }
    if (check_records && records && !records[0]) {
        fprintf(stderr, "vitalstream: eval: --records needs at least one record name\n");
        return 0;
    }
    if (end_s > 0.0 && end_s < start_s) {
        fprintf(stderr, "vitalstream: eval: --end (%g s) is before --start (%g s)\n", end_s,
                start_s);
        return 0;
    }
    return 1;
}

/* ---- record names ---------------------------------------------------------------------------- */
static int name_push(vs_cli_names *l, const char *s, size_t len)
{
    if (len == 0) return 1;
    if (len >= VS_CLI_RECORD_NAME_MAX) return 0; /* the result tables hold names of this size */
    if (l->count == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        char **p = realloc(l->items, nc * sizeof *p);
        if (!p) return 0;
        l->items = p;
        l->cap = nc;
    }
    char *c = malloc(len + 1);
    if (!c) return 0;
    memcpy(c, s, len);
    c[len] = '\0';
    l->items[l->count++] = c;
    return 1;
}

void vs_cli_names_free(vs_cli_names *l)
{
    for (size_t i = 0; i < l->count; i++) free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Splits on commas (list) or line ends (RECORDS file), trimming blanks. */
static int split_names(const char *s, char sep, vs_cli_names *l, const char *what)
{
    const char *p = s;
    while (*p) {
        const char *e = p;
        while (*e && *e != sep && !(sep == '\n' && *e == '\r')) e++;
        const char *b = p, *z = e;
        while (b < z && is_space(*b)) b++;
        while (z > b && is_space(z[-1])) z--;
        if (!name_push(l, b, (size_t)(z - b))) {
            fprintf(stderr, "vitalstream: %s: record name too long or out of memory\n", what);
            return 0;
        }
        p = *e ? e + 1 : e;
    }
    return 1;
}

static int read_records_file(const char *db, vs_cli_names *l)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/RECORDS", db);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vitalstream: %s: cannot open (%s); give --records R1,R2,...\n", path,
                strerror(errno));
        return 0;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int ok = buf != NULL;
    while (ok) {
        if (n + 1024 + 1 > cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { ok = 0; break; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, 1024, f);
        n += got;
        if (got < 1024) break;
    }
    if (ok && ferror(f)) {
        fprintf(stderr, "vitalstream: %s: read error\n", path);
        ok = 0;
    }
    fclose(f);
    if (!ok) {
        free(buf);
        return 0;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        fprintf(stderr, "vitalstream: %s: not a text file\n", path);
        free(buf);
        return 0;
    }
    ok = split_names(buf, '\n', l, path);
    free(buf);
    if (ok && l->count == 0) {
        fprintf(stderr, "vitalstream: %s: no record names in the file\n", path);
        return 0;
    }
    return ok;
}

int vs_cli_read_record_names(const char *db, const char *list, vs_cli_names *out)
{
    memset(out, 0, sizeof *out);
    if (!list) {
        if (read_records_file(db, out)) return VS_EXIT_OK;
        vs_cli_names_free(out);
        return VS_EXIT_INPUT;
    }
    if (!split_names(list, ',', out, "--records")) {
        vs_cli_names_free(out);
        return VS_EXIT_USAGE;
    }
    if (out->count == 0) {
        fprintf(stderr, "vitalstream: eval: --records lists no record names\n");
        vs_cli_names_free(out);
        return VS_EXIT_USAGE;
    }
    return VS_EXIT_OK;
}

/* ---- one record's files ---------------------------------------------------------------------- */
static int read_annotations(const char *path, vs_annotation_list *list, vs_io_error *err)
{
    if (vs_annot_read(path, list, err) == VS_OK) return VS_EXIT_OK;
    fprintf(stderr, "vitalstream: %s\n", err->message[0] ? err->message : path);
    return VS_EXIT_INPUT;
}

int vs_cli_eval_record_load(const char *db, const char *rec, const char *ann,
                            vs_cli_eval_record *r)
{
    char path[4200];
    memset(r, 0, sizeof *r);
    snprintf(r->base, sizeof r->base, "%s/%s", db, rec);
    vs_io_error err;
    memset(&err, 0, sizeof err);

    /* only fs and the length are kept: the header struct is large, hence not on the stack */
    vs_wfdb_header *hdr = calloc(1, sizeof *hdr);
    if (!hdr) {
        fprintf(stderr, "vitalstream: out of memory\n");
        return VS_EXIT_INPUT;
    }
    snprintf(path, sizeof path, "%s.hea", r->base);
    if (vs_wfdb_read_header(path, hdr, &err) != VS_OK) {
        fprintf(stderr, "vitalstream: %s\n", err.message[0] ? err.message : path);
        free(hdr);
        return VS_EXIT_INPUT;
    }
    r->fs_hz = hdr->fs_hz;
    r->length_samples = hdr->n_samples > 0 ? hdr->n_samples : 0;
    free(hdr);

    snprintf(path, sizeof path, "%s.atr", r->base);
    int rc = read_annotations(path, &r->ref, &err);
    if (rc == VS_EXIT_OK && ann) {
        snprintf(path, sizeof path, "%s.%s", r->base, ann);
        rc = read_annotations(path, &r->test, &err);
    }
    if (rc != VS_EXIT_OK) vs_cli_eval_record_free(r);
    return rc;
}

void vs_cli_eval_record_free(vs_cli_eval_record *r)
{
    vs_annot_list_free(&r->ref);
    vs_annot_list_free(&r->test);
}

/* ---- test annotations from the whole monitor ------------------------------------------------- */
int vs_cli_monitor_annotations(const char *record, const vs_cli_rhythm_params *rp,
                               vs_annotation_list *out)
{
    float *x = NULL;
    int64_t n = 0;
    double fs = 0.0;
    if (vs_cli_load_signal(record, 0, NULL, 0.0, &x, &n, &fs) != 0) return VS_EXIT_INPUT;
    vs_cli_events ev;
    int rc = vs_cli_run_monitor(record, x, n, fs, 0, 0, rp, &ev);
    vs_io_free(x);
    if (rc != VS_EXIT_OK) return rc;
    vs_status st = vs_cli_events_to_annotations(&ev, out);
    vs_cli_events_free(&ev);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: %s\n", record, vs_strerror(st));
        return VS_EXIT_INPUT;
    }
    return VS_EXIT_OK;
}
