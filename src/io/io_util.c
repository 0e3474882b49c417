/* io_util.c — error reporting, whole-file reading and locale-independent number parsing. */
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vs_io_err_clear(vs_io_error *err, const char *file)
{
    if (!err) return;
    err->status = VS_OK;
    err->line = 0;
    err->message[0] = '\0';
    vs_io_copy(err->file, sizeof err->file, file ? file : "", file ? strlen(file) : 0);
}

vs_status vs_io_fail(vs_io_error *err, vs_status status, const char *file, long line,
                     const char *fmt, ...)
{
    if (!err) return status;
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    if (!file) file = "";
    err->status = status;
    err->line = line;
    vs_io_copy(err->file, sizeof err->file, file, strlen(file));
    /* "FILE[:LINE]: detail", cut at the buffer size */
    char num[32] = "";
    if (line > 0) snprintf(num, sizeof num, ":%ld", line);
    const char *parts[4] = {file, num, ": ", detail};
    size_t pos = 0;
    for (int i = 0; i < 4; i++) {
        size_t k = strlen(parts[i]);
        if (k > sizeof err->message - 1 - pos) k = sizeof err->message - 1 - pos;
        memcpy(err->message + pos, parts[i], k);
        pos += k;
    }
    err->message[pos] = '\0';
    return status;
}

int vs_io_unsafe_file_name(const char *name)
{
    if (name[0] == '/' || name[0] == '\\') return 1;
    if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
        name[1] == ':')
        return 1; /* C:\x or C:x on Windows */
    return strstr(name, "..") != NULL;
}

size_t vs_io_strnlen(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n]) n++;
    return n;
}

int vs_io_copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (cap == 0) return 0;
    int fits = n < cap;
    if (!fits) n = cap - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}

vs_status vs_io_read_file(const char *path, long max_bytes, uint8_t **data, size_t *len,
                          vs_io_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return vs_io_fail(err, VS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return vs_io_fail(err, VS_E_IO, path, 0, "cannot seek (not a regular file?)");
    }
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return vs_io_fail(err, VS_E_IO, path, 0, "cannot determine the file size");
    }
    if (size > max_bytes) {
        fclose(f);
        return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, path, 0,
                          "file is too large (%ld bytes, at most %ld accepted)", size, max_bytes);
    }
    uint8_t *buf = malloc((size_t)size + 1);
    if (!buf) {
        fclose(f);
        return vs_io_fail(err, VS_E_NO_MEMORY, path, 0, "out of memory (%ld bytes)", size);
    }
    size_t got = size ? fread(buf, 1, (size_t)size, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (rerr || got != (size_t)size) {
        free(buf);
        return vs_io_fail(err, VS_E_IO, path, 0, "read error");
    }
    buf[size] = 0;
    *data = buf;
    *len = (size_t)size;
    return VS_OK;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The number's text s[*i..*n) without surrounding blanks and after an optional sign (*neg);
 * 0 when nothing but blanks is there. */
static int trim_sign(const char *s, size_t *i, size_t *n, int *neg)
{
    while (*i < *n && is_blank(s[*i])) (*i)++;
    while (*n > *i && is_blank(s[*n - 1])) (*n)--;
    if (*i >= *n) return 0;
    *neg = 0;
    if (s[*i] == '+' || s[*i] == '-') *neg = s[(*i)++] == '-';
    return 1;
}

int vs_io_parse_double(const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg;
    if (!trim_sign(s, &i, &n, &neg)) return 0;
    uint64_t mant = 0;    /* first 19 significant digits */
    int dropped = 0;      /* digits beyond those (before the point: scale up) */
    int frac_digits = 0;  /* digits after the point kept in mant */
    int ndigits = 0;
    int sig = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (sig < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            if (mant) sig++;
        } else {
            dropped++;
        }
        i++;
        ndigits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (sig < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                if (mant) sig++;
                frac_digits++;
            }
            i++;
            ndigits++;
        }
    }
    if (ndigits == 0) return 0;
    long exp10 = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
        if (i >= n || s[i] < '0' || s[i] > '9') return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (exp10 < 100000) exp10 = exp10 * 10 + (s[i] - '0');
            i++;
        }
        if (eneg) exp10 = -exp10;
    }
    if (i != n) return 0;
    long e = exp10 + dropped - frac_digits;
    double v;
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (mant == 0) {
        v = 0.0;
    } else if (mant < (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
        /* one correctly rounded operation on exact operands */
        v = e >= 0 ? (double)mant * p10[e] : (double)mant / p10[-e];
    } else if (e < -400) {
        v = 0.0;
    } else if (e > 400) {
        return 0;
    } else {
        v = (double)mant * pow(10.0, (double)e);
    }
    if (!isfinite(v)) return 0;
    *out = neg ? -v : v;
    return 1;
}

int vs_io_parse_int64(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    int neg;
    if (!trim_sign(s, &i, &n, &neg) || i >= n) return 0;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        if (v > (UINT64_MAX - 9) / 10) return 0; /* would overflow */
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    int64_t r;
    if (neg) {
        if (v > (UINT64_C(1) << 63)) return 0;
        r = v == (UINT64_C(1) << 63) ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX) return 0;
        r = (int64_t)v;
    }
    if (r < lo || r > hi) return 0;
    *out = r;
    return 1;
}

VS_API void vs_io_free(void *p) { free(p); }
