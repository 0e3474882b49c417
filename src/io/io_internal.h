/* io_internal.h — private helpers of vitalstream_io (never installed). */
#ifndef VS_IO_INTERNAL_H
#define VS_IO_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "vitalstream/io.h"

/* Largest file read into memory by the text/annotation readers. */
#define VS_IO_MAX_TEXT_FILE (64L * 1024 * 1024)

/* Resets err (if not NULL) to success and records the file name. */
void vs_io_err_clear(vs_io_error *err, const char *file);
/* Sets err->status/line and err->message = "FILE[:LINE]: <formatted>". Returns status. */
vs_status vs_io_fail(vs_io_error *err, vs_status status, const char *file, long line,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Reads a whole file (at most max_bytes, else VS_E_UNSUPPORTED_FORMAT) into a malloc'ed buffer
 * with one extra NUL byte. */
vs_status vs_io_read_file(const char *path, long max_bytes, uint8_t **data, size_t *len,
                          vs_io_error *err);

/* Locale-independent decimal number: [blanks][+-]digits[.digits][(e|E)[+-]digits][blanks].
 * The whole [s, s+n) must be consumed. Returns 1 on success (finite result). */
int vs_io_parse_double(const char *s, size_t n, double *out);
/* Decimal integer [+-]digits within [lo, hi]; whole string. Returns 1 on success. */
int vs_io_parse_int64(const char *s, size_t n, int64_t lo, int64_t hi, int64_t *out);

/* A signal file name that could leave the record's folder: absolute (/x, \x, C:x) or containing
 * "..". The readers refuse these unless VS_WFDB_ALLOW_ANY_SIGNAL_PATH is given. */
int vs_io_unsafe_file_name(const char *name);

/* strnlen (not in C11). */
size_t vs_io_strnlen(const char *s, size_t cap);

/* Copies at most cap-1 chars, always NUL-terminates; returns 1 if it fitted. */
int vs_io_copy(char *dst, size_t cap, const char *src, size_t n);

#endif
