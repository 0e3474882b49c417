/* csv.c — one numeric column of a CSV file, parsed with libcsv (csv_parse + callbacks).
 *
 * The input is fed to libcsv one physical line at a time so that the callbacks know the line
 * number for error messages. Callbacks cannot stop libcsv, so after the first problem they only
 * record it and ignore the rest; the driver stops feeding.
 *
 * VS_CSV_COLUMN_AUTO: the first VS_CSV_LOOKAHEAD data rows are held back (all columns) until the
 * signal column is chosen (rules in io.h), then replayed. */
#include "io_internal.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VS_CSV_MAX_FIELD (1u << 20) /* libcsv buffer cap: 1 MiB for one field */
#define VS_CSV_CELL 80              /* longest numeric cell we keep */
#define VS_CSV_MAX_HEADER_ROWS 2
#define VS_CSV_AUTO_COLS 64      /* columns inspected by VS_CSV_COLUMN_AUTO */
#define VS_CSV_LOOKAHEAD 8       /* data rows held back to recognise a counter/time column */
#define VS_CSV_NAMES 120         /* header names quoted in a "which column?" error */

/* What VS_CSV_COLUMN_AUTO keeps of one data row. */
typedef struct csv_auto_row {
    long line;
    double val[VS_CSV_AUTO_COLS];
    uint8_t num[VS_CSV_AUTO_COLS];  /* the field is a number */
    uint8_t time0;                  /* field 0 is a clock time such as 0:00.003 */
    uint8_t decimals0;              /* digits after the point in field 0 (its print resolution) */
    uint8_t n_text;                 /* non-numeric cells kept for messages */
    uint8_t text_col[4];
    char text[4][24];
} csv_auto_row;

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
    /* VS_CSV_COLUMN_AUTO while the column is still undecided */
    int automatic;
    int name0_index;                 /* the first header name is a sample-number/time name */
    char names[VS_CSV_NAMES];        /* first row as "'a', 'b'" for messages */
    csv_auto_row cur;                /* row being read */
    int cur_any_num;
    csv_auto_row held[VS_CSV_LOOKAHEAD];
    int n_held;
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
    char msg[320];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    vs_io_fail(c->err, st, c->name, line, "%s", msg);
}

/* Clock times as PhysioNet tools print them: 0:00.003, 00:01:02.5, [12:00:00.000 01/01/2000]. */
static int is_clock_time(const char *p, size_t k)
{
    if (!k || !(p[0] == '[' || (p[0] >= '0' && p[0] <= '9'))) return 0;
    int colon = 0;
    for (size_t i = 0; i < k; i++) {
        char ch = p[i];
        if (ch == ':') colon = 1;
        else if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == ' ' || ch == '[' || ch == ']' ||
                   ch == '/'))
            return 0;
    }
    return colon;
}

static int lower_prefix(const char *p, size_t k, const char *prefix)
{
    size_t m = strlen(prefix);
    if (k < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char ch = p[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch != prefix[i]) return 0;
    }
    return 1;
}

/* Names of a leading counter or clock column: 'sample #' (rdsamp), 'Elapsed time' (rdsamp -p),
 * time, t, index, #, ... */
static int is_index_name(const char *p, size_t k)
{
    static const char *const prefixes[] = {"sample", "time", "elapsed", "index", "idx"};
    /* not "i": that is limb lead I of a 12-lead export */
    static const char *const exact[] = {"#", "n", "t", "s", "sec", "seconds", "ms"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (lower_prefix(p, k, prefixes[i])) return 1;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (k == strlen(exact[i]) && lower_prefix(p, k, exact[i])) return 1;
    return 0;
}

/* Records one field of an undecided VS_CSV_COLUMN_AUTO row (and the names of the first row). */
static void auto_field(csv_ctx *c, const char *f, size_t len)
{
    const char *p = f;
    size_t k = len;
    unquote(&p, &k);
    if (c->rows == 0) {
        size_t used = strlen(c->names);
        if (c->field == 0) c->name0_index = is_index_name(p, k);
        if (used + k + 5 < sizeof c->names) {
            snprintf(c->names + used, sizeof c->names - used, "%s'%.*s'", c->field ? ", " : "",
                     (int)k, p);
        } else if (used + 5 < sizeof c->names && !strstr(c->names, ", ...")) {
            snprintf(c->names + used, sizeof c->names - used, ", ...");
        }
    }
    if (c->field == 0) {
        c->cur.time0 = is_clock_time(p, k);
        const char *dot = memchr(p, '.', k);
        size_t d = 0;
        while (dot && dot + 1 + d < p + k && dot[1 + d] >= '0' && dot[1 + d] <= '9') d++;
        c->cur.decimals0 = (uint8_t)(d > 17 ? 17 : d);
    }
    if (c->field >= VS_CSV_AUTO_COLS) return;
    double v;
    int ok = k && k <= VS_CSV_CELL && vs_io_parse_double(p, k, &v);
    c->cur.num[c->field] = (uint8_t)ok;
    c->cur.val[c->field] = ok ? v : 0.0;
    if (ok) c->cur_any_num = 1;
    if (!ok && c->cur.n_text < 4) {
        c->cur.text_col[c->cur.n_text] = (uint8_t)c->field;
        vs_io_copy(c->cur.text[c->cur.n_text++], sizeof c->cur.text[0], p, k);
    }
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
    if (c->automatic) {
        auto_field(c, f, len);
        c->field++;
        return;
    }
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

/* Appends one value of the chosen column. */
static void push(csv_ctx *c, double v, long line)
{
    if (c->n >= c->cap) {
        if (c->cap >= VS_IO_MAX_VALUES) {
            fail(c, VS_E_UNSUPPORTED_FORMAT, line, "too many rows%s%s", "", "");
            return;
        }
        size_t cap = c->cap ? 2 * c->cap : 4096;
        if (cap > VS_IO_MAX_VALUES) cap = VS_IO_MAX_VALUES;
        float *q = realloc(c->vals, cap * sizeof *q);
        if (!q) {
            fail(c, VS_E_NO_MEMORY, line, "out of memory%s%s", "", "");
            return;
        }
        c->vals = q;
        c->cap = cap;
    }
    c->vals[c->n++] = (float)v;
    c->data_started = 1;
}

/* A leading column that counts samples or time: over every held row (at least 3) it increases
 * in equal steps — exactly for integers, to within the last printed digit for fractions (a time
 * in seconds printed to the millisecond at 360 Hz steps by 0.003 and 0.002). */
static int held_col0_is_ramp(const csv_ctx *c)
{
    if (c->n_held < 3) return 0;
    int decimals = 17;
    for (int i = 0; i < c->n_held; i++) {
        if (!c->held[i].num[0]) return 0;
        if (c->held[i].decimals0 < decimals) decimals = c->held[i].decimals0;
    }
    /* integers (a sample counter) step exactly; printed fractions to within one last digit */
    const double tol = decimals > 0 ? 1.01 * pow(10.0, -decimals) : 0.0;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int i = 1; i < c->n_held; i++) {
        double d = c->held[i].val[0] - c->held[i - 1].val[0];
        if (d < lo) lo = d;
        if (d > hi) hi = d;
    }
    return lo > 0 && hi - lo <= fmax(tol, 1e-9 * hi);
}

/* Chooses the signal column from the header names and the held rows, then replays them. */
static void auto_decide(csv_ctx *c)
{
    const csv_auto_row *first = &c->held[0];
    /* A column named or printed as a counter/time is never the signal, even when it is the
     * only one (then nothing qualifies: an error, not a flat "signal"). An unnamed numeric ramp
     * is skipped only when another column follows it. */
    int skip0 = 0;
    if (first->time0) skip0 = 1;
    else if (c->header_rows > 0) skip0 = c->name0_index;
    else if (c->ncols >= 2) skip0 = held_col0_is_ramp(c);
    long last = c->ncols < VS_CSV_AUTO_COLS ? c->ncols : VS_CSV_AUTO_COLS;
    long col = -1;
    for (long j = skip0; j < last && col < 0; j++)
        if (first->num[j]) col = j;
    c->automatic = 0;
    if (col < 0) {
        char what[VS_CSV_NAMES + 40];
        if (c->header_rows > 0)
            snprintf(what, sizeof what, "columns %s", c->names);
        else
            snprintf(what, sizeof what, "%ld unnamed columns", c->ncols);
        fail(c, VS_E_NOT_FOUND, first->line,
             "cannot tell which column is the signal (%s); choose one by name or 0-based index%s",
             what, "");
        return;
    }
    c->col = col;
    for (int i = 0; i < c->n_held && !c->status; i++) {
        if (c->held[i].num[col]) {
            push(c, c->held[i].val[col], c->held[i].line);
        } else {
            const csv_auto_row *h = &c->held[i];
            const char *text = "";
            for (int t = 0; t < h->n_text; t++)
                if (h->text_col[t] == col) text = h->text[t];
            char a[32];
            snprintf(a, sizeof a, "%ld", col);
            if (*text)
                fail(c, VS_E_PARSE, h->line, "'%s' in column %s is not a number", text, a);
            else
                fail(c, VS_E_PARSE, h->line, "empty cell in column %s%s", a, "");
        }
    }
    c->n_held = 0;
}

/* End of an undecided VS_CSV_COLUMN_AUTO row: a header row (no number in it) or a held data row. */
static void auto_row(csv_ctx *c)
{
    if (!c->cur_any_num) {
        if (!c->n_held && c->header_rows < VS_CSV_MAX_HEADER_ROWS) {
            c->header_rows++;
            return;
        }
        fail(c, VS_E_PARSE, c->row_line, "no number in any column of this row%s%s", "", "");
        return;
    }
    c->cur.line = c->row_line;
    c->held[c->n_held++] = c->cur;
    if (c->n_held == VS_CSV_LOOKAHEAD) auto_decide(c);
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
    if (c->automatic) {
        auto_row(c);
        memset(&c->cur, 0, sizeof c->cur);
        c->cur_any_num = 0;
        return;
    }
    double v;
    const char *p = c->cell;
    size_t k = c->cell_len;
    unquote(&p, &k);
    if (c->cell_seen && !c->cell_long && k && vs_io_parse_double(p, k, &v)) {
        push(c, v, c->row_line);
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
    } else if (column_index == VS_CSV_COLUMN_AUTO) {
        r->c.automatic = 1;
    } else if (column_index < 0) {
        return vs_io_fail(err, VS_E_INVALID_ARG, name, 0,
                          "column index %d is negative (VS_CSV_COLUMN_AUTO is %d)", column_index,
                          VS_CSV_COLUMN_AUTO);
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
    if (!c->status && c->automatic && c->n_held) auto_decide(c);
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
