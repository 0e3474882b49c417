/* wfdb_header.c — parser for WFDB header (.hea) files.
 *
 * Written from the WFDB header(5) description: a record line, one line per signal, '#' comment
 * lines anywhere, CRLF or LF. Defaults follow the WFDB library (fs 250 Hz, gain 200 adu/mV,
 * baseline = ADC zero, units mV). Every failure names the file, the line and the field. */
#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VS_HEA_MAX_LINE 4096
#define VS_HEA_MAX_FILE (1L * 1024 * 1024)

typedef struct tok {
    const char *s;
    size_t n;
} tok;

static int is_sp(char c) { return c == ' ' || c == '\t'; }

/* Next whitespace-separated token from *p (NUL-terminated line); n = 0 when none left. */
static tok next_tok(const char **p)
{
    const char *s = *p;
    while (is_sp(*s)) s++;
    tok t = {s, 0};
    while (s[t.n] && !is_sp(s[t.n])) t.n++;
    *p = s + t.n;
    return t;
}

static const char *tok_show(tok t, char *buf, size_t cap)
{
    vs_io_copy(buf, cap, t.s, t.n);
    return buf;
}

static int default_adc_res(int format)
{
    switch (format) {
    case 212: return 12;
    case 16: case 61: case 160: return 16;
    case 8: case 80: case 310: case 311: return 10;
    case 24: return 24;
    case 32: return 32;
    default: return 0;
    }
}

typedef struct hctx {
    const char *name;
    long line;
    vs_io_error *err;
} hctx;

static vs_status bad(hctx *c, vs_status st, const char *what, tok t)
{
    char show[64];
    return vs_io_fail(c->err, st, c->name, c->line, "%s '%s'", what,
                      tok_show(t, show, sizeof show));
}

/* fs[/counterfreq][(basecounter)] */
static vs_status parse_fs(hctx *c, tok t, vs_wfdb_header *h)
{
    size_t slash = t.n, paren = t.n;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] == '(' && paren == t.n) paren = i;
        if (t.s[i] == '/' && slash == t.n && paren == t.n) slash = i;
    }
    double fs;
    size_t fs_end = slash < paren ? slash : paren;
    if (!vs_io_parse_double(t.s, fs_end, &fs) || fs < 0)
        return bad(c, VS_E_PARSE, "sampling frequency is not a non-negative number:", t);
    h->fs_hz = fs > 0 ? fs : 250.0;
    if (slash < paren) {
        double cf;
        if (!vs_io_parse_double(t.s + slash + 1, paren - slash - 1, &cf) || cf <= 0)
            return bad(c, VS_E_PARSE, "counter frequency is not a positive number in", t);
        h->counter_freq_hz = cf;
    }
    if (paren < t.n) {
        if (t.s[t.n - 1] != ')')
            return bad(c, VS_E_PARSE, "base counter value lacks ')' in", t);
        double bc;
        if (!vs_io_parse_double(t.s + paren + 1, t.n - paren - 2, &bc))
            return bad(c, VS_E_PARSE, "base counter value is not a number in", t);
        h->base_counter = bc;
    }
    return VS_OK;
}

static vs_status parse_record_line(hctx *c, const char *line, vs_wfdb_header *h)
{
    const char *p = line;
    tok t = next_tok(&p);
    size_t slash = t.n;
    for (size_t i = 0; i < t.n; i++)
        if (t.s[i] == '/') { slash = i; break; }
    if (slash == 0) return bad(c, VS_E_PARSE, "record name is empty in", t);
    if (!vs_io_copy(h->record_name, sizeof h->record_name, t.s, slash))
        return vs_io_fail(c->err, VS_E_PARSE, c->name, c->line,
                          "record name is longer than %d characters",
                          (int)sizeof h->record_name - 1);
    if (slash < t.n) {
        int64_t nseg;
        if (!vs_io_parse_int64(t.s + slash + 1, t.n - slash - 1, 1, 1000000, &nseg))
            return bad(c, VS_E_PARSE, "number of segments is not a positive integer in", t);
        h->n_segments = (int)nseg;
    }
    t = next_tok(&p);
    if (!t.n)
        return vs_io_fail(c->err, VS_E_PARSE, c->name, c->line,
                          "record line has no number of signals");
    int64_t nsig;
    if (!vs_io_parse_int64(t.s, t.n, 0, INT32_MAX, &nsig))
        return bad(c, VS_E_PARSE, "number of signals is not a non-negative integer:", t);
    if (nsig > VS_WFDB_MAX_SIGNALS)
        return vs_io_fail(c->err, VS_E_UNSUPPORTED_FORMAT, c->name, c->line,
                          "%lld signals (at most %d are supported)", (long long)nsig,
                          VS_WFDB_MAX_SIGNALS);
    h->n_signals = (int)nsig;
    t = next_tok(&p);
    if (!t.n) return VS_OK;
    vs_status st = parse_fs(c, t, h);
    if (st) return st;
    t = next_tok(&p);
    if (!t.n) return VS_OK;
    int64_t ns;
    if (!vs_io_parse_int64(t.s, t.n, 0, INT64_C(1) << 48, &ns))
        return bad(c, VS_E_PARSE, "number of samples is not a non-negative integer:", t);
    h->n_samples = ns;
    t = next_tok(&p);
    if (!t.n) return VS_OK;
    if (!vs_io_copy(h->base_time, sizeof h->base_time, t.s, t.n))
        return bad(c, VS_E_PARSE, "base time is too long:", t);
    t = next_tok(&p);
    if (!t.n) return VS_OK;
    if (!vs_io_copy(h->base_date, sizeof h->base_date, t.s, t.n))
        return bad(c, VS_E_PARSE, "base date is too long:", t);
    t = next_tok(&p);
    if (t.n) return bad(c, VS_E_PARSE, "unexpected field on the record line:", t);
    return VS_OK;
}

/* fmt[xspf][:skew][+offset] */
static vs_status parse_format(hctx *c, tok t, vs_wfdb_signal *s)
{
    size_t i = 0;
    while (i < t.n && t.s[i] >= '0' && t.s[i] <= '9') i++;
    int64_t v;
    if (!vs_io_parse_int64(t.s, i, 0, 999, &v))
        return bad(c, VS_E_PARSE, "format is not a number:", t);
    s->format = (int)v;
    if (i < t.n && t.s[i] == 'x') {
        size_t j = ++i;
        while (i < t.n && t.s[i] >= '0' && t.s[i] <= '9') i++;
        if (!vs_io_parse_int64(t.s + j, i - j, 1, 1000000, &v))
            return bad(c, VS_E_PARSE, "samples per frame is not a positive integer in", t);
        s->samples_per_frame = (int)v;
    }
    if (i < t.n && t.s[i] == ':') {
        size_t j = ++i;
        if (i < t.n && t.s[i] == '-') i++;
        while (i < t.n && t.s[i] >= '0' && t.s[i] <= '9') i++;
        if (!vs_io_parse_int64(t.s + j, i - j, -1000000000, 1000000000, &v))
            return bad(c, VS_E_PARSE, "skew is not an integer in", t);
        s->skew = (int)v;
    }
    if (i < t.n && t.s[i] == '+') {
        size_t j = ++i;
        while (i < t.n && t.s[i] >= '0' && t.s[i] <= '9') i++;
        if (!vs_io_parse_int64(t.s + j, i - j, 0, INT64_C(1) << 48, &v))
            return bad(c, VS_E_PARSE, "byte offset is not a non-negative integer in", t);
        s->byte_offset = v;
    }
    if (i != t.n) return bad(c, VS_E_PARSE, "malformed format field", t);
    return VS_OK;
}

/* gain[(baseline)][/units] */
static vs_status parse_gain(hctx *c, tok t, vs_wfdb_signal *s, int *baseline_given)
{
    size_t paren = t.n, slash = t.n;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] == '(' && paren == t.n && slash == t.n) paren = i;
        if (t.s[i] == '/' && slash == t.n) slash = i;
    }
    size_t gend = paren < slash ? paren : slash;
    double g;
    if (!vs_io_parse_double(t.s, gend, &g))
        return bad(c, VS_E_PARSE, "gain is not a number:", t);
    if (g != 0) {
        s->gain_adu_per_mv = g;
        s->gain_given = 1;
    }
    if (paren < slash) {
        size_t close = paren + 1;
        while (close < slash && t.s[close] != ')') close++;
        if (close >= slash || close + 1 != slash)
            return bad(c, VS_E_PARSE, "baseline lacks ')' in gain field", t);
        int64_t b;
        if (!vs_io_parse_int64(t.s + paren + 1, close - paren - 1, INT32_MIN, INT32_MAX, &b))
            return bad(c, VS_E_PARSE, "baseline is not an integer in gain field", t);
        s->baseline_adu = (double)b;
        *baseline_given = 1;
    }
    if (slash < t.n) {
        if (slash + 1 == t.n) return bad(c, VS_E_PARSE, "units are empty in gain field", t);
        if (!vs_io_copy(s->units, sizeof s->units, t.s + slash + 1, t.n - slash - 1))
            return bad(c, VS_E_PARSE, "units are longer than 31 characters in", t);
    }
    return VS_OK;
}

static vs_status parse_int_field(hctx *c, tok t, const char *what, int64_t lo, int64_t hi,
                                 int *out)
{
    int64_t v;
    if (!vs_io_parse_int64(t.s, t.n, lo, hi, &v)) {
        char show[64], msg[96];
        snprintf(msg, sizeof msg, "%s is not an integer in range:", what);
        return vs_io_fail(c->err, VS_E_PARSE, c->name, c->line, "%s '%s'", msg,
                          tok_show(t, show, sizeof show));
    }
    *out = (int)v;
    return VS_OK;
}

static vs_status parse_signal_line(hctx *c, const char *line, int index, vs_wfdb_signal *s)
{
    const char *p = line;
    vs_status st;
    memset(s, 0, sizeof *s);
    s->samples_per_frame = 1;
    s->gain_adu_per_mv = 200.0;
    memcpy(s->units, "mV", 3);
    tok t = next_tok(&p);
    if (!vs_io_copy(s->file_name, sizeof s->file_name, t.s, t.n))
        return vs_io_fail(c->err, VS_E_PARSE, c->name, c->line,
                          "signal %d: file name is longer than 127 characters", index);
    t = next_tok(&p);
    if (!t.n)
        return vs_io_fail(c->err, VS_E_PARSE, c->name, c->line,
                          "signal %d: line has no format field", index);
    if ((st = parse_format(c, t, s))) return st;
    s->adc_resolution_bits = default_adc_res(s->format);
    int baseline_given = 0, initval_given = 0;
    t = next_tok(&p);
    if (t.n) {
        if ((st = parse_gain(c, t, s, &baseline_given))) return st;
        t = next_tok(&p);
    }
    if (t.n) {
        int r = 0;
        if ((st = parse_int_field(c, t, "ADC resolution", 0, 32, &r))) return st;
        if (r) s->adc_resolution_bits = r;
        t = next_tok(&p);
    }
    if (t.n) {
        if ((st = parse_int_field(c, t, "ADC zero", INT32_MIN, INT32_MAX, &s->adc_zero)))
            return st;
        t = next_tok(&p);
    }
    if (t.n) {
        if ((st = parse_int_field(c, t, "initial value", INT32_MIN, INT32_MAX,
                                  &s->initial_value)))
            return st;
        initval_given = 1;
        t = next_tok(&p);
    }
    if (t.n) {
        if ((st = parse_int_field(c, t, "checksum", INT32_MIN, INT32_MAX, &s->checksum)))
            return st;
        t = next_tok(&p);
    }
    if (t.n) {
        if ((st = parse_int_field(c, t, "block size", 0, INT32_MAX, &s->block_size))) return st;
        while (is_sp(*p)) p++;
        size_t n = strlen(p);
        while (n && is_sp(p[n - 1])) n--;
        vs_io_copy(s->description, sizeof s->description, p, n); /* long ones are cut */
    }
    if (!baseline_given) s->baseline_adu = s->adc_zero;
    if (!initval_given) s->initial_value = s->adc_zero;
    return VS_OK;
}

static void add_comment(vs_wfdb_header *h, const char *text)
{
    while (*text == '#') text++;
    while (is_sp(*text)) text++;
    size_t n = strlen(text);
    while (n && is_sp(text[n - 1])) n--;
    size_t used = strlen(h->comments);
    size_t need = n + (used ? 1 : 0);
    if (h->comments_truncated || used + need >= sizeof h->comments) {
        h->comments_truncated = 1;
        return;
    }
    if (used) h->comments[used++] = '\n';
    memcpy(h->comments + used, text, n);
    h->comments[used + n] = '\0';
}

VS_API vs_status vs_wfdb_parse_header(const char *text, size_t len, const char *name_for_errors,
                                      vs_wfdb_header *hdr, vs_io_error *err)
{
    const char *name = name_for_errors ? name_for_errors : "(header)";
    vs_io_err_clear(err, name);
    if (!hdr) return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "no header struct given");
    memset(hdr, 0, sizeof *hdr);
    hdr->fs_hz = 250.0;
    if (!text && len) return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "no text given");
    hctx c = {name, 0, err};
    char line[VS_HEA_MAX_LINE + 1];
    int have_record = 0, nsig_done = 0;
    size_t pos = 0;
    vs_status st = VS_OK;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n') end++;
        c.line++;
        size_t n = end - pos;
        while (n && text[pos + n - 1] == '\r') n--;
        if (n > VS_HEA_MAX_LINE) {
            st = vs_io_fail(err, VS_E_PARSE, name, c.line, "line is longer than %d characters",
                            VS_HEA_MAX_LINE);
            goto fail;
        }
        if (memchr(text + pos, '\0', n)) {
            st = vs_io_fail(err, VS_E_PARSE, name, c.line, "line contains a NUL byte");
            goto fail;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        const char *s = line;
        while (is_sp(*s) || *s == '\r') s++;
        if (!*s) continue;
        if (*s == '#') {
            add_comment(hdr, s);
            continue;
        }
        if (!have_record) {
            if ((st = parse_record_line(&c, s, hdr))) goto fail;
            have_record = 1;
        } else if (hdr->n_segments > 0) {
            continue; /* segment lines of a multi-segment record: not interpreted */
        } else if (nsig_done < hdr->n_signals) {
            if ((st = parse_signal_line(&c, s, nsig_done, &hdr->signals[nsig_done]))) goto fail;
            nsig_done++;
        } else {
            st = vs_io_fail(err, VS_E_PARSE, name, c.line,
                            "unexpected line after the %d signal line%s", hdr->n_signals,
                            hdr->n_signals == 1 ? "" : "s");
            goto fail;
        }
    }
    if (!have_record) {
        st = vs_io_fail(err, VS_E_PARSE, name, c.line,
                        len ? "no record line (only comments or blank lines)" : "file is empty");
        goto fail;
    }
    if (hdr->n_segments == 0 && nsig_done < hdr->n_signals) {
        st = vs_io_fail(err, VS_E_PARSE, name, c.line,
                        "header declares %d signal%s but has %d signal line%s", hdr->n_signals,
                        hdr->n_signals == 1 ? "" : "s", nsig_done, nsig_done == 1 ? "" : "s");
        goto fail;
    }
    return VS_OK;
fail:
    memset(hdr, 0, sizeof *hdr);
    return st;
}

VS_API vs_status vs_wfdb_read_header(const char *hea_path, vs_wfdb_header *hdr, vs_io_error *err)
{
    vs_io_err_clear(err, hea_path);
    if (!hea_path || !hdr)
        return vs_io_fail(err, VS_E_NULL_ARG, hea_path ? hea_path : "(null)", 0,
                          "NULL argument");
    uint8_t *data;
    size_t len;
    vs_status st = vs_io_read_file(hea_path, VS_HEA_MAX_FILE, &data, &len, err);
    if (st) return st;
    st = vs_wfdb_parse_header((const char *)data, len, hea_path, hdr, err);
    free(data);
    return st;
}
