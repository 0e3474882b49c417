/* csv.c — one numeric column of a CSV file, parsed with libcsv (csv_parse + callbacks).
 *
 * The input is fed to libcsv one physical line at a time so that the callbacks know the line
 * number for error messages. Callbacks cannot stop libcsv, so after the first problem they only
 * record it and ignore the rest; the driver stops feeding. */
#include "io_internal.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VS_CSV_MAX_FIELD (1u << 20) /* libcsv buffer cap: 1 MiB for one field */
#define VS_CSV_CELL 80              /* longest numeric cell we keep */
#define VS_CSV_MAX_HEADER_ROWS 2

typedef struct csv_ctx {
    const char *name;
    vs_io_error *err;
    vs_status status;
    long line;       /* physical line being fed */
    long row_line;   /* line where the current row started */
    long first_line; /* line of the first row */
    int row_started;
    /* column selection */
    const char *want_name; /* NULL: use want_index */
    size_t want_name_len;
    long col;          /* chosen column, -1 while unknown */
    long ncols;        /* fields of the first row, -1 before it */
    long field;        /* index of the next field in the current row */
    long rows;
    int header_rows;
    int data_started;
    char cell[VS_CSV_CELL + 1];
    size_t cell_len;
    int cell_long;
    int cell_seen;
    /* output */
    float *vals;
    size_t n, cap;
} csv_ctx;

static int csv_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Trims blanks, then one pair of surrounding ' or " quotes, then blanks again. */
static void unquote(const char **s, size_t *n)
{
    const char *p = *s;
    size_t k = *n;
    while (k && csv_blank(*p)) p++, k--;
    while (k && csv_blank(p[k - 1])) k--;
    if (k >= 2 && (p[0] == '\'' || p[0] == '"') && p[k - 1] == p[0]) {
        p++;
        k -= 2;
        while (k && csv_blank(*p)) p++, k--;
        while (k && csv_blank(p[k - 1])) k--;
    }
    *s = p;
    *n = k;
}

static void fail(csv_ctx *c, vs_status st, long line, const char *fmt, const char *a,
                 const char *b)
{
    if (c->status) return;
    c->status = st;
    char msg[200];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    vs_io_fail(c->err, st, c->name, line, "%s", msg);
}

static void on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;
    if (c->status) return;
    if (!c->row_started) {
        c->row_started = 1;
        c->row_line = c->line;
        c->field = 0;
        c->cell_seen = 0;
    }
    const char *f = s ? (const char *)s : "";
    if (c->rows == 0 && c->want_name && c->col < 0) {
        const char *p = f;
        size_t k = len;
        unquote(&p, &k);
        if (k == c->want_name_len && !memcmp(p, c->want_name, k)) c->col = c->field;
    }
    if (c->field == c->col) {
        c->cell_seen = 1;
        c->cell_long = len > VS_CSV_CELL;
        c->cell_len = c->cell_long ? VS_CSV_CELL : len;
        if (c->cell_len) memcpy(c->cell, f, c->cell_len);
        c->cell[c->cell_len] = '\0';
    }
    c->field++;
}

static void on_row(int term, void *data)
{
    (void)term;
    csv_ctx *c = data;
    if (c->status) return;
    if (!c->row_started) { /* libcsv reports rows only after fields; be safe */
        c->row_line = c->line;
        c->field = 0;
        c->cell_seen = 0;
    }
    c->row_started = 0;
    const long nf = c->field;
    char show[64];
    if (c->rows == 0) {
        c->ncols = nf;
        c->first_line = c->row_line;
        if (c->want_name) {
            if (c->col < 0) {
                vs_io_copy(show, sizeof show, c->want_name, c->want_name_len);
                fail(c, VS_E_NOT_FOUND, c->row_line, "no column named '%s' in the header row%s",
                     show, "");
                return;
            }
            c->rows++;
            c->header_rows = 1;
            return;
        }
        if (c->col >= nf) {
            char a[32], b[32];
            snprintf(a, sizeof a, "%ld", c->col);
            snprintf(b, sizeof b, "%ld", nf);
            fail(c, VS_E_NOT_FOUND, c->row_line, "column %s does not exist (the row has %s)", a,
                 b);
            return;
        }
    }
    c->rows++;
    if (nf != c->ncols) {
        char a[32], b[48];
        snprintf(a, sizeof a, "%ld", nf);
        snprintf(b, sizeof b, "%ld fields as line %ld", c->ncols, c->first_line);
        fail(c, VS_E_PARSE, c->row_line, "ragged row: %s fields, expected %s", a, b);
        return;
    }
    double v;
    const char *p = c->cell;
    size_t k = c->cell_len;
    unquote(&p, &k);
    if (c->cell_seen && !c->cell_long && k && vs_io_parse_double(p, k, &v)) {
        if (c->n >= c->cap) {
            if (c->cap >= VS_IO_MAX_VALUES) {
                fail(c, VS_E_UNSUPPORTED_FORMAT, c->row_line, "too many rows%s%s", "", "");
                return;
            }
            size_t cap = c->cap ? 2 * c->cap : 4096;
            if (cap > VS_IO_MAX_VALUES) cap = VS_IO_MAX_VALUES;
            float *q = realloc(c->vals, cap * sizeof *q);
            if (!q) {
                fail(c, VS_E_NO_MEMORY, c->row_line, "out of memory%s%s", "", "");
                return;
            }
            c->vals = q;
            c->cap = cap;
        }
        c->vals[c->n++] = (float)v;
        c->data_started = 1;
        return;
    }
    if (!c->data_started && c->header_rows < VS_CSV_MAX_HEADER_ROWS) {
        c->header_rows++; /* a header row (names, or units after the names) */
        return;
    }
    char col[32];
    snprintf(col, sizeof col, "%ld", c->col);
    if (!k) {
        fail(c, VS_E_PARSE, c->row_line, "empty cell in column %s%s", col, "");
    } else {
        vs_io_copy(show, sizeof show, p, k);
        fail(c, VS_E_PARSE, c->row_line, "'%s' in column %s is not a number", show, col);
    }
}

/* libcsv grows its field buffer with this: refuse absurd fields instead of eating memory. */
static void *capped_realloc(void *p, size_t n)
{
    if (n > VS_CSV_MAX_FIELD) return NULL;
    return realloc(p, n);
}

/* Feeds [s, s+len) to libcsv line by line. Returns 0 when parsing must stop. */
static int feed(struct csv_parser *p, csv_ctx *c, const char *s, size_t len)
{
    while (len && !c->status) {
        const char *nl = memchr(s, '\n', len);
        size_t k = nl ? (size_t)(nl - s) + 1 : len;
        if (csv_parse(p, s, k, on_field, on_row, c) != k) {
            int e = csv_error(p);
            fail(c, e == CSV_EPARSE ? VS_E_PARSE : VS_E_NO_MEMORY, c->line,
                 e == CSV_EPARSE ? "malformed quoting (%s)%s" : "%s%s",
                 e == CSV_EPARSE ? "a '\"' in an unquoted field or after a quoted one"
                                 : "field too long or out of memory",
                 "");
            return 0;
        }
        if (nl) c->line++;
        s += k;
        len -= k;
    }
    return !c->status;
}

typedef struct csv_run {
    struct csv_parser p;
    csv_ctx c;
} csv_run;

static vs_status run_begin(csv_run *r, const char *name, const char *column_name,
                           int column_index, vs_io_error *err)
{
    memset(&r->c, 0, sizeof r->c);
    r->c.name = name;
    r->c.err = err;
    r->c.line = 1;
    r->c.ncols = -1;
    r->c.col = -1;
    if (column_name) {
        const char *s = column_name;
        size_t k = strlen(column_name);
        unquote(&s, &k);
        r->c.want_name = s;
        r->c.want_name_len = k;
    } else if (column_index < 0) {
        return vs_io_fail(err, VS_E_INVALID_ARG, name, 0, "column index %d is negative",
                          column_index);
    } else {
        r->c.col = column_index;
    }
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return vs_io_fail(err, VS_E_NO_MEMORY, name, 0, "out of memory");
    csv_set_realloc_func(&r->p, capped_realloc);
    return VS_OK;
}

static vs_status run_end(csv_run *r, float **out, int64_t *n_out)
{
    csv_ctx *c = &r->c;
    if (!c->status && csv_fini(&r->p, on_field, on_row, c) != 0)
        fail(c, VS_E_PARSE, c->line, "file ends inside a quoted field%s%s", "", "");
    csv_free(&r->p);
    if (!c->status) {
        if (c->rows == 0)
            fail(c, VS_E_PARSE, 0, "file is empty (no rows)%s%s", "", "");
        else if (c->n == 0)
            fail(c, VS_E_PARSE, c->line, "no data rows (only %s header row%s)",
                 c->header_rows == 1 ? "1" : "2", c->header_rows == 1 ? "" : "s");
    }
    if (c->status) {
        free(c->vals);
        return c->status;
    }
    *out = c->vals;
    *n_out = (int64_t)c->n;
    return VS_OK;
}

VS_API vs_status vs_csv_parse_column(const char *text, size_t len, const char *name_for_errors,
                                     const char *column_name, int column_index,
                                     float **out, int64_t *n_out, vs_io_error *err)
{
    const char *name = name_for_errors ? name_for_errors : "(csv)";
    vs_io_err_clear(err, name);
    if (out) *out = NULL;
    if (n_out) *n_out = 0;
    if (!out || !n_out || (!text && len))
        return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "NULL argument");
    csv_run r;
    vs_status st = run_begin(&r, name, column_name, column_index, err);
    if (st) return st;
    feed(&r.p, &r.c, text, len);
    return run_end(&r, out, n_out);
}

VS_API vs_status vs_csv_read_column(const char *path, const char *column_name, int column_index,
                                    float **out, int64_t *n_out, vs_io_error *err)
{
    vs_io_err_clear(err, path);
    if (out) *out = NULL;
    if (n_out) *n_out = 0;
    if (!path || !out || !n_out)
        return vs_io_fail(err, VS_E_NULL_ARG, path ? path : "(null)", 0, "NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f) return vs_io_fail(err, VS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    csv_run r;
    vs_status st = run_begin(&r, path, column_name, column_index, err);
    if (st) {
        fclose(f);
        return st;
    }
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        if (!feed(&r.p, &r.c, buf, got)) break;
    if (!r.c.status && ferror(f)) fail(&r.c, VS_E_IO, 0, "read error%s%s", "", "");
    fclose(f);
    return run_end(&r, out, n_out);
}
