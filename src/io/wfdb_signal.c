/* wfdb_signal.c — WFDB signal files in formats 212 and 16: reading (one signal streamed through
 * a small block buffer, or all signals from one fread, decoded in tight loops) and writing records (.hea + .dat). */
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VS_PATH_MAX 4096

/* ---- paths ---- */

static vs_status make_path(char *buf, const char *a, size_t an, const char *b, const char *c,
                           vs_io_error *err, const char *who)
{
    size_t bn = strlen(b), cn = c ? strlen(c) : 0;
    if (an + bn + cn + 1 > VS_PATH_MAX)
        return vs_io_fail(err, VS_E_INVALID_ARG, who, 0, "path is too long");
    memcpy(buf, a, an);
    memcpy(buf + an, b, bn);
    if (cn) memcpy(buf + an + bn, c, cn);
    buf[an + bn + cn] = '\0';
    return VS_OK;
}

/* Length of the directory part of record, including the final '/' (0 if none). */
static size_t dir_len(const char *record)
{
    const char *slash = strrchr(record, '/');
#ifdef _WIN32
    const char *bs = strrchr(record, '\\');
    if (bs && (!slash || bs > slash)) slash = bs;
#endif
    return slash ? (size_t)(slash - record) + 1 : 0;
}

static vs_status signal_path(char *buf, const char *record, const char *file_name,
                             unsigned flags, vs_io_error *err)
{
    if (!(flags & VS_WFDB_ALLOW_ANY_SIGNAL_PATH) && vs_io_unsafe_file_name(file_name))
        return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, record, 0,
                          "signal file name '%.100s' is absolute or contains '..': refused "
                          "(VS_WFDB_ALLOW_ANY_SIGNAL_PATH allows it)", file_name);
    if (file_name[0] == '/') return make_path(buf, "", 0, file_name, NULL, err, file_name);
    return make_path(buf, record, dir_len(record), file_name, NULL, err, file_name);
}

/* ---- signal groups (signals stored in one file) ---- */

typedef struct group {
    int first, count; /* signals [first, first+count) */
    int format;
    int64_t offset;
} group;

static int64_t bytes_for_values(int format, int64_t values)
{
    if (format == 16) return 2 * values;
    return (values / 2) * 3 + (values % 2 ? 2 : 0); /* 212 */
}

static int64_t values_in_bytes(int format, int64_t bytes)
{
    if (format == 16) return bytes / 2;
    return (bytes / 3) * 2 + (bytes % 3 >= 2 ? 1 : 0);
}

/* Finds the group that holds signal `sig` and checks it can be read. */
static vs_status find_group(const vs_wfdb_header *h, int sig, group *g, const char *hea,
                            vs_io_error *err)
{
    int first = sig;
    while (first > 0 && !strcmp(h->signals[first - 1].file_name, h->signals[sig].file_name))
        first--;
    int last = sig;
    while (last + 1 < h->n_signals &&
           !strcmp(h->signals[last + 1].file_name, h->signals[sig].file_name))
        last++;
    for (int i = 0; i < h->n_signals; i++)
        if ((i < first || i > last) && !strcmp(h->signals[i].file_name, h->signals[sig].file_name))
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                              "signals stored in %s are not listed consecutively",
                              h->signals[sig].file_name);
    g->first = first;
    g->count = last - first + 1;
    g->format = h->signals[first].format;
    g->offset = h->signals[first].byte_offset;
    for (int i = first; i <= last; i++) {
        const vs_wfdb_signal *s = &h->signals[i];
        if (s->format != 212 && s->format != 16)
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                              "signal %d: format %d is not supported (212 and 16 are)", i,
                              s->format);
        if (s->format != g->format)
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                              "signals in %s mix formats %d and %d", s->file_name, g->format,
                              s->format);
        if (s->samples_per_frame != 1)
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                              "signal %d: %d samples per frame are not supported (only 1)", i,
                              s->samples_per_frame);
        if (s->skew != 0)
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                              "signal %d: skew %d is not supported (only 0)", i, s->skew);
    }
    return VS_OK;
}

/* Opens the group's file, positioned at its first sample, and returns how many frames it holds
 * (want > 0: exactly that many are required). */
static vs_status open_group(const char *record, const vs_wfdb_header *h, const group *g,
                            int64_t want, unsigned flags, FILE **file, int64_t *frames,
                            vs_io_error *err)
{
    char path[VS_PATH_MAX];
    *file = NULL;
    *frames = 0;
    const char *fname = h->signals[g->first].file_name;
    vs_status st = signal_path(path, record, fname, flags, err);
    if (st) return st;
    FILE *f = fopen(path, "rb");
    if (!f) return vs_io_fail(err, VS_E_IO, path, 0, "cannot open: %s", strerror(errno));
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < 0) {
        fclose(f);
        return vs_io_fail(err, VS_E_IO, path, 0, "cannot determine the file size");
    }
    int64_t avail = (int64_t)size - g->offset;
    if (avail < 0) avail = 0;
    int64_t n;
    if (want > 0) {
        if (want > VS_IO_MAX_VALUES / g->count) {
            fclose(f);
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, path, 0,
                              "record is too large (%lld samples of %d signals)",
                              (long long)want, g->count);
        }
        int64_t need = bytes_for_values(g->format, want * g->count);
        if (avail < need) {
            fclose(f);
            return vs_io_fail(err, VS_E_TRUNCATED_FILE, path, 0,
                              "file is truncated: %lld bytes of samples, but the header declares "
                              "%lld samples of %d signal%s in format %d (%lld bytes)",
                              (long long)avail, (long long)want, g->count,
                              g->count == 1 ? "" : "s", g->format, (long long)need);
        }
        n = want;
    } else {
        n = values_in_bytes(g->format, avail) / g->count;
        if (n > VS_IO_MAX_VALUES / g->count) {
            fclose(f);
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, path, 0,
                              "record is too large (%lld bytes)", (long long)avail);
        }
    }
    if (fseek(f, (long)g->offset, SEEK_SET) != 0) {
        fclose(f);
        return vs_io_fail(err, VS_E_IO, path, 0, "read error");
    }
    *file = f;
    *frames = n;
    return VS_OK;
}

/* Reads the bytes of n frames from the group's file into *data (malloc'ed). */
static vs_status load_group(const char *record, const vs_wfdb_header *h, const group *g,
                            int64_t want, unsigned flags, uint8_t **data, int64_t *frames,
                            vs_io_error *err)
{
    FILE *f;
    int64_t n;
    *data = NULL;
    *frames = 0;
    vs_status st = open_group(record, h, g, want, flags, &f, &n, err);
    if (st) return st;
    size_t need = (size_t)bytes_for_values(g->format, n * g->count);
    uint8_t *buf = malloc(need ? need : 1);
    if (!buf) {
        fclose(f);
        return vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory (%zu bytes)", need);
    }
    if (need && fread(buf, 1, need, f) != need) {
        free(buf);
        fclose(f);
        return vs_io_fail(err, VS_E_IO, record, 0, "read error");
    }
    fclose(f);
    *data = buf;
    *frames = n;
    return VS_OK;
}

/* WFDB's "invalid sample" value of a format: the most negative code (what WFDB's getvec reports
 * as WFDB_INVALID_SAMPLE). Recorders write it for samples they could not measure (lead off,
 * ADC out of range); as a voltage it would be a huge spike, so readers give NaN instead. */
static int32_t invalid_adc(int format)
{
    return format == 16 ? -32768 : -2048; /* 212: 12-bit two's complement */
}

static inline int32_t get212(const uint8_t *buf, int64_t v)
{
    const uint8_t *b = buf + (v >> 1) * 3;
    int32_t x = (v & 1) ? (int32_t)(b[2] | ((b[1] & 0xF0) << 4))
                        : (int32_t)(b[0] | ((b[1] & 0x0F) << 8));
    return (x ^ 0x800) - 0x800;
}

static inline int32_t get16(const uint8_t *buf, int64_t v)
{
    const uint8_t *b = buf + 2 * v;
    return (int32_t)(int16_t)(uint16_t)(b[0] | (b[1] << 8));
}

/* Decodes signal k of the group (n frames) to ADC values with stride. */
static void decode_adc(const uint8_t *buf, const group *g, int k, int64_t n, int32_t *out,
                       int stride)
{
    int64_t v = k;
    if (g->format == 16) {
        for (int64_t i = 0; i < n; i++, v += g->count) out[i * stride] = get16(buf, v);
    } else if (g->count == 2) {
        /* the MIT-BIH layout: one frame = 3 bytes */
        const uint8_t *b = buf;
        if (k == 0)
            for (int64_t i = 0; i < n; i++, b += 3)
                out[i * stride] = ((int32_t)(b[0] | ((b[1] & 0x0F) << 8)) ^ 0x800) - 0x800;
        else
            for (int64_t i = 0; i < n; i++, b += 3)
                out[i * stride] = ((int32_t)(b[2] | ((b[1] & 0xF0) << 4)) ^ 0x800) - 0x800;
    } else {
        for (int64_t i = 0; i < n; i++, v += g->count) out[i * stride] = get212(buf, v);
    }
}

/* One signal streamed to physical units through a small block buffer: no whole-file buffer and
 * no ADC array (a 30-minute MIT-BIH record read in one piece touched 4.6 MB more memory than
 * its result). Bytes per block; a multiple of 6 so that format 212 blocks end on a byte. */
#define VS_READ_BLOCK_BYTES 6144

/* Reads n frames from f (at the group's first sample) and writes signal k of the group in mV to
 * y: (adc - baseline) / gain in double, as float, or NaN for WFDB's invalid sample. Format 212
 * goes through a table of all 4096 codes computed with that same expression (same bits). */
static vs_status read_physical(FILE *f, const group *g, int k, const vs_wfdb_signal *s, int64_t n,
                               float *y)
{
    const double base = s->baseline_adu, gain = s->gain_adu_per_mv;
    const int32_t invalid = invalid_adc(s->format);
    /* frames per block: whole 212 byte triples (an even number of values) */
    int64_t per_block = VS_READ_BLOCK_BYTES / (2 * g->count);
    per_block -= per_block % 2;
    if (per_block < 2) per_block = 2;
    size_t bytes_cap = (size_t)bytes_for_values(g->format, per_block * g->count);
    float *mv212 = malloc(4096 * sizeof *mv212 + (size_t)per_block * sizeof(int32_t) + bytes_cap);
    if (!mv212) return VS_E_NO_MEMORY;
    int32_t *adc = (int32_t *)(mv212 + 4096);
    uint8_t *bytes = (uint8_t *)(adc + per_block);
    if (g->format == 212)
        for (int32_t a = -2048; a < 2048; a++)
            mv212[a + 2048] = a == invalid ? NAN : (float)(((double)a - base) / gain);
    vs_status st = VS_OK;
    for (int64_t done = 0; done < n;) {
        int64_t m = n - done < per_block ? n - done : per_block;
        size_t nb = (size_t)bytes_for_values(g->format, m * g->count);
        if (fread(bytes, 1, nb, f) != nb) {
            st = VS_E_IO;
            break;
        }
        decode_adc(bytes, g, k, m, adc, 1);
        float *out = y + done;
        if (g->format == 212)
            for (int64_t i = 0; i < m; i++) out[i] = mv212[adc[i] + 2048];
        else
            for (int64_t i = 0; i < m; i++)
                out[i] = adc[i] == invalid ? NAN : (float)(((double)adc[i] - base) / gain);
        done += m;
    }
    free(mv212);
    return st;
}

static vs_status read_header_of(const char *record, vs_wfdb_header *h, char *hea,
                                vs_io_error *err)
{
    vs_status st = make_path(hea, record, strlen(record), ".hea", NULL, err, record);
    if (st) return st;
    st = vs_wfdb_read_header(hea, h, err);
    if (st) return st;
    if (h->n_segments > 0)
        return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, hea, 0,
                          "multi-segment records are not supported");
    return VS_OK;
}

VS_API vs_status vs_wfdb_read_signal(const char *record, int channel, float **out, int64_t *n_out,
                                     double *fs_hz, vs_io_error *err)
{
    return vs_wfdb_read_signal_ex(record, channel, 0, out, n_out, fs_hz, err);
}

VS_API vs_status vs_wfdb_read_signal_ex(const char *record, int channel, unsigned flags,
                                        float **out, int64_t *n_out, double *fs_hz,
                                        vs_io_error *err)
{
    vs_io_err_clear(err, record);
    if (out) *out = NULL;
    if (n_out) *n_out = 0;
    if (!record || !out || !n_out)
        return vs_io_fail(err, VS_E_NULL_ARG, record ? record : "(null)", 0, "NULL argument");
    if (flags & ~VS_WFDB_ALLOW_ANY_SIGNAL_PATH)
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "unknown flags 0x%x", flags);
    vs_wfdb_header *h = malloc(sizeof *h);
    if (!h) return vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory");
    char hea[VS_PATH_MAX];
    vs_status st = read_header_of(record, h, hea, err);
    if (st) goto done;
    if (channel < 0 || channel >= h->n_signals) {
        st = vs_io_fail(err, VS_E_NOT_FOUND, hea, 0, "no signal %d (the record has %d)", channel,
                        h->n_signals);
        goto done;
    }
    group g;
    if ((st = find_group(h, channel, &g, hea, err))) goto done;
    FILE *f;
    int64_t n;
    if ((st = open_group(record, h, &g, h->n_samples, flags, &f, &n, err))) goto done;
    float *y = malloc((size_t)(n ? n : 1) * sizeof *y);
    if (!y) {
        fclose(f);
        st = vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory (%lld samples)",
                        (long long)n);
        goto done;
    }
    st = read_physical(f, &g, channel - g.first, &h->signals[channel], n, y);
    fclose(f);
    if (st) {
        free(y);
        st = vs_io_fail(err, st, record, 0, st == VS_E_NO_MEMORY ? "out of memory" : "read error");
        goto done;
    }
    *out = y;
    *n_out = n;
    if (fs_hz) *fs_hz = h->fs_hz;
done:
    free(h);
    return st;
}

VS_API vs_status vs_wfdb_read_adc(const char *record, vs_wfdb_header *hdr, int32_t **out,
                                  int64_t *n_samples, vs_io_error *err)
{
    return vs_wfdb_read_adc_ex(record, 0, hdr, out, n_samples, err);
}

VS_API vs_status vs_wfdb_read_adc_ex(const char *record, unsigned flags, vs_wfdb_header *hdr,
                                     int32_t **out, int64_t *n_samples, vs_io_error *err)
{
    vs_io_err_clear(err, record);
    if (out) *out = NULL;
    if (n_samples) *n_samples = 0;
    if (!record || !hdr || !out || !n_samples)
        return vs_io_fail(err, VS_E_NULL_ARG, record ? record : "(null)", 0, "NULL argument");
    if (flags & ~VS_WFDB_ALLOW_ANY_SIGNAL_PATH)
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "unknown flags 0x%x", flags);
    char hea[VS_PATH_MAX];
    vs_status st = read_header_of(record, hdr, hea, err);
    if (st) return st;
    const int ns = hdr->n_signals;
    group groups[VS_WFDB_MAX_SIGNALS];
    int ng = 0;
    for (int i = 0; i < ns; i += groups[ng++].count)
        if ((st = find_group(hdr, i, &groups[ng], hea, err))) return st;
    uint8_t *bufs[VS_WFDB_MAX_SIGNALS] = {0};
    int64_t frames = hdr->n_samples;
    for (int k = 0; k < ng; k++) {
        int64_t n;
        st = load_group(record, hdr, &groups[k], hdr->n_samples, flags, &bufs[k], &n, err);
        if (st) goto done;
        if (k == 0 || n < frames) frames = n;
    }
    if (ns == 0) frames = hdr->n_samples;
    if (ns && frames > VS_IO_MAX_VALUES / ns) {
        st = vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, record, 0, "record is too large");
        goto done;
    }
    size_t total = (size_t)(frames * ns);
    int32_t *adc = malloc((total ? total : 1) * sizeof *adc);
    if (!adc) {
        st = vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory (%zu samples)", total);
        goto done;
    }
    for (int k = 0; k < ng; k++)
        for (int j = 0; j < groups[k].count; j++)
            decode_adc(bufs[k], &groups[k], j, frames, adc + groups[k].first + j, ns);
    *out = adc;
    *n_samples = frames;
done:
    for (int k = 0; k < ng; k++) free(bufs[k]);
    return st;
}

/* ---- writing ---- */

static void fmt_double(char *buf, size_t cap, double v)
{
    snprintf(buf, cap, "%.15g", v);
    double back;
    if (!vs_io_parse_double(buf, strlen(buf), &back) || back != v) snprintf(buf, cap, "%.17g", v);
}

static int has_space(const char *s)
{
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') return 1;
    return 0;
}

static vs_status write_bytes(const char *path, const void *data, size_t n, vs_io_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return vs_io_fail(err, VS_E_IO, path, 0, "cannot create: %s", strerror(errno));
    size_t put = n ? fwrite(data, 1, n, f) : 0;
    int bad = put != n;
    if (fclose(f) != 0) bad = 1;
    if (bad) return vs_io_fail(err, VS_E_IO, path, 0, "write error");
    return VS_OK;
}

VS_API vs_status vs_wfdb_write_record(const char *record, const vs_wfdb_header *hdr,
                                      const int32_t *adc, int64_t n_samples, vs_io_error *err)
{
    vs_io_err_clear(err, record);
    if (!record || !hdr)
        return vs_io_fail(err, VS_E_NULL_ARG, record ? record : "(null)", 0, "NULL argument");
    const int ns = hdr->n_signals;
    if (ns < 0 || ns > VS_WFDB_MAX_SIGNALS)
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "n_signals %d outside 0..%d", ns,
                          VS_WFDB_MAX_SIGNALS);
    if (n_samples < 0 || (ns && n_samples > VS_IO_MAX_VALUES / ns))
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "n_samples %lld out of range",
                          (long long)n_samples);
    if (ns && n_samples && !adc)
        return vs_io_fail(err, VS_E_NULL_ARG, record, 0, "no samples given");
    if (!(hdr->fs_hz > 0) || !isfinite(hdr->fs_hz))
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "fs_hz must be positive");
    const char *base = record + dir_len(record);
    if (!*base || has_space(base) || strchr(base, '/'))
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                          "record name must be non-empty without blanks");
    if ((hdr->base_date[0] && !hdr->base_time[0]) || has_space(hdr->base_time) ||
        has_space(hdr->base_date))
        return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                          "base time/date must be blank-free (and a date needs a time)");

    /* file names and groups */
    char fnames[VS_WFDB_MAX_SIGNALS][128];
    for (int i = 0; i < ns; i++) {
        const vs_wfdb_signal *s = &hdr->signals[i];
        if (s->file_name[0]) {
            if (!vs_io_copy(fnames[i], sizeof fnames[i], s->file_name,
                            vs_io_strnlen(s->file_name, sizeof s->file_name)))
                return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "signal %d: bad file name", i);
        } else if (snprintf(fnames[i], sizeof fnames[i], "%s.dat", base) >= (int)sizeof fnames[i]) {
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "record name is too long");
        }
        if (has_space(fnames[i]) || strchr(fnames[i], '/') || !strcmp(fnames[i], "~"))
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                              "signal %d: file name '%s' must be a plain name", i, fnames[i]);
        if (s->format != 16 && s->format != 212)
            return vs_io_fail(err, VS_E_UNSUPPORTED_FORMAT, record, 0,
                              "signal %d: format %d is not supported (212 and 16 are)", i,
                              s->format);
        if (!(s->gain_adu_per_mv != 0) || !isfinite(s->gain_adu_per_mv))
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0, "signal %d: gain must be nonzero",
                              i);
        if (s->baseline_adu != floor(s->baseline_adu) || fabs(s->baseline_adu) > 2147483647.0)
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                              "signal %d: baseline must be an integer", i);
        if (has_space(s->units) || vs_io_strnlen(s->units, sizeof s->units) >= sizeof s->units ||
            vs_io_strnlen(s->description, sizeof s->description) >= sizeof s->description ||
            strchr(s->description, '\n') || strchr(s->description, '\r'))
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                              "signal %d: units or description malformed", i);
        if (s->adc_resolution_bits < 0 || s->adc_resolution_bits > 32 || s->block_size < 0)
            return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                              "signal %d: ADC resolution or block size out of range", i);
        for (int j = 0; j < i; j++)
            if (!strcmp(fnames[j], fnames[i]) &&
                (strcmp(fnames[i - 1], fnames[i]) || hdr->signals[j].format != s->format))
                return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                                  "signals sharing file %s must be consecutive and of one format",
                                  fnames[i]);
    }
    /* range check */
    for (int i = 0; i < ns; i++) {
        const int32_t lo = hdr->signals[i].format == 212 ? -2048 : -32768;
        const int32_t hi = hdr->signals[i].format == 212 ? 2047 : 32767;
        for (int64_t t = 0; t < n_samples; t++) {
            int32_t v = adc[t * ns + i];
            if (v < lo || v > hi)
                return vs_io_fail(err, VS_E_INVALID_ARG, record, 0,
                                  "signal %d sample %lld: value %ld does not fit format %d", i,
                                  (long long)t, (long)v, hdr->signals[i].format);
        }
    }
    char path[VS_PATH_MAX];
    vs_status st;
    /* signal files */
    for (int first = 0; first < ns;) {
        int count = 1;
        while (first + count < ns && !strcmp(fnames[first + count], fnames[first])) count++;
        const int format = hdr->signals[first].format;
        int64_t values = n_samples * count;
        size_t nbytes = (size_t)(format == 16 ? 2 * values : ((values + 1) / 2) * 3);
        uint8_t *buf = malloc(nbytes ? nbytes : 1);
        if (!buf) return vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory");
        int64_t v = 0;
        for (int64_t t = 0; t < n_samples; t++) {
            for (int j = 0; j < count; j++, v++) {
                uint32_t x = (uint32_t)adc[t * ns + first + j];
                if (format == 16) {
                    buf[2 * v] = (uint8_t)(x & 0xFF);
                    buf[2 * v + 1] = (uint8_t)((x >> 8) & 0xFF);
                } else {
                    uint8_t *b = buf + (v >> 1) * 3;
                    if (!(v & 1)) {
                        b[0] = (uint8_t)(x & 0xFF);
                        b[1] = (uint8_t)((x >> 8) & 0x0F);
                        b[2] = 0; /* completed by the odd value, or zero padding */
                    } else {
                        b[1] = (uint8_t)(b[1] | ((x >> 4) & 0xF0));
                        b[2] = (uint8_t)(x & 0xFF);
                    }
                }
            }
        }
        /* the caller names the files it writes: no folder restriction */
        st = signal_path(path, record, fnames[first], VS_WFDB_ALLOW_ANY_SIGNAL_PATH, err);
        if (!st) st = write_bytes(path, buf, nbytes, err);
        free(buf);
        if (st) return st;
        first += count;
    }
    /* header text: at most 2 + 32 lines of bounded length plus comments */
    size_t cap = 1024 + (size_t)ns * 512 + 2 * sizeof hdr->comments;
    char *text = malloc(cap);
    if (!text) return vs_io_fail(err, VS_E_NO_MEMORY, record, 0, "out of memory");
    size_t len = 0;
    char num[64], num2[64];
    fmt_double(num, sizeof num, hdr->fs_hz);
    len += (size_t)snprintf(text + len, cap - len, "%s %d %s", base, ns, num);
    if (hdr->counter_freq_hz > 0 && isfinite(hdr->counter_freq_hz)) {
        fmt_double(num, sizeof num, hdr->counter_freq_hz);
        len += (size_t)snprintf(text + len, cap - len, "/%s", num);
        if (hdr->base_counter != 0 && isfinite(hdr->base_counter)) {
            fmt_double(num, sizeof num, hdr->base_counter);
            len += (size_t)snprintf(text + len, cap - len, "(%s)", num);
        }
    }
    len += (size_t)snprintf(text + len, cap - len, " %lld", (long long)n_samples);
    if (hdr->base_time[0]) len += (size_t)snprintf(text + len, cap - len, " %.31s", hdr->base_time);
    if (hdr->base_date[0]) len += (size_t)snprintf(text + len, cap - len, " %.31s", hdr->base_date);
    len += (size_t)snprintf(text + len, cap - len, "\n");
    for (int i = 0; i < ns; i++) {
        const vs_wfdb_signal *s = &hdr->signals[i];
        int32_t init = n_samples ? adc[i] : s->adc_zero;
        uint32_t sum = 0;
        for (int64_t t = 0; t < n_samples; t++) sum += (uint32_t)adc[t * ns + i];
        int checksum = (int)(int16_t)(uint16_t)(sum & 0xFFFF);
        fmt_double(num, sizeof num, s->gain_adu_per_mv);
        snprintf(num2, sizeof num2, "%.0f", s->baseline_adu);
        len += (size_t)snprintf(text + len, cap - len, "%s %d %s(%s)/%s %d %d %ld %d %d",
                                fnames[i], s->format, num, num2, s->units[0] ? s->units : "mV",
                                s->adc_resolution_bits, s->adc_zero, (long)init, checksum,
                                s->block_size);
        if (s->description[0])
            len += (size_t)snprintf(text + len, cap - len, " %s", s->description);
        len += (size_t)snprintf(text + len, cap - len, "\n");
    }
    const char *c = hdr->comments;
    size_t clen = vs_io_strnlen(hdr->comments, sizeof hdr->comments);
    for (size_t p = 0; p < clen && len < cap;) {
        size_t e = p;
        while (e < clen && c[e] != '\n') e++;
        len += (size_t)snprintf(text + len, cap - len, "# %.*s\n", (int)(e - p), c + p);
        p = e + 1;
    }
    if (len >= cap) len = cap - 1;
    st = make_path(path, record, strlen(record), ".hea", NULL, err, record);
    if (!st) st = write_bytes(path, text, len, err);
    free(text);
    return st;
}
