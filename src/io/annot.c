/* annot.c — MIT-format annotation files: reader, writer and the list helpers.
 *
 * Format (WFDB annot(5)): 16-bit little-endian words; top 6 bits = code A, low 10 bits = data I.
 *   A in 1..58, or A == 0 with I != 0: an annotation, I = time increment in samples.
 *   59 SKIP: the next 4 bytes are a 32-bit signed increment, high 16-bit word first (PDP-11
 *            order), each word little-endian; the following annotation word then carries I = 0.
 *   60 NUM, 61 SUB, 62 CHN: I (10 bits) is the num/subtype/channel of the annotation before.
 *   63 AUX: I bytes of auxiliary data follow, padded with one byte to an even length.
 *   the word 0: end of file.
 *
 * Round trip. The writer uses the encoding of WFDB's putann: SKIP only when the increment is
 * negative or above 1023, SUB when subtype != 0, CHN/NUM when the value changes from the previous
 * annotation (both start at 0), AUX when there are aux bytes, and the end word. The in-memory
 * model keeps everything else the format can vary: the aux bytes exactly (including a NUL that
 * writers often put inside the length, or its absence: MIT-BIH has both "(AFIB\0" and "(AFIB"),
 * the pad byte is always 0. We checked all 48 MIT-BIH .atr files: every SKIP has an increment
 * > 1023 and a 0 in its own data bits, the next word has increment 0, SUB only appears with
 * nonzero values, there are no NUM/CHN words, pad bytes are 0 and each file ends with exactly
 * one end word. So they are canonical and are reproduced byte for byte (test_io_annot.c).
 * Files that are not canonical (e.g. redundant NUM words, a SKIP that was not needed, bytes
 * after the end word) read fine but are written back canonically, i.e. with the same
 * annotations but not the same bytes. */
#include "io_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { W_SKIP = 59, W_NUM = 60, W_SUB = 61, W_CHN = 62, W_AUX = 63 };

static int16_t sext10(unsigned v) { return (int16_t)((int)(v ^ 0x200u) - 0x200); }

VS_API void vs_annot_list_free(vs_annotation_list *list)
{
    if (!list) return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

VS_API vs_status vs_annot_append(vs_annotation_list *list, const vs_annotation *a)
{
    if (!list || !a) return VS_E_NULL_ARG;
    if (a->aux_len > VS_ANNOT_AUX_MAX) return VS_E_INVALID_ARG;
    if (list->count >= list->capacity) {
        if (list->capacity >= VS_ANNOT_MAX_COUNT) return VS_E_NO_MEMORY;
        size_t cap = list->capacity ? list->capacity * 2 : 256;
        if (cap > VS_ANNOT_MAX_COUNT) cap = VS_ANNOT_MAX_COUNT;
        vs_annotation *p = realloc(list->items, cap * sizeof *p);
        if (!p) return VS_E_NO_MEMORY;
        list->items = p;
        list->capacity = cap;
    }
    vs_annotation *d = &list->items[list->count++];
    *d = *a;
    d->aux[d->aux_len] = '\0';
    return VS_OK;
}

VS_API vs_status vs_annot_parse(const uint8_t *data, size_t len, const char *name_for_errors,
                                vs_annotation_list *list, vs_io_error *err)
{
    const char *name = name_for_errors ? name_for_errors : "(annotations)";
    vs_io_err_clear(err, name);
    if (!list) return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "no list given");
    list->count = 0;
    if (!data && len) return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "no data given");
    if (len == 0) return vs_io_fail(err, VS_E_PARSE, name, 0, "file is empty");
    vs_status st = VS_OK;
    int64_t t = 0;
    uint16_t chan = 0;
    int16_t num = 0;
    vs_annotation cur;
    int have = 0, ended = 0;
    size_t pos = 0;
    while (pos + 2 <= len) {
        const size_t at = pos;
        const unsigned w = (unsigned)data[pos] | ((unsigned)data[pos + 1] << 8);
        const unsigned a = w >> 10, d = w & 0x3FFu;
        pos += 2;
        if (w == 0) {
            ended = 1;
            break;
        }
        if (a == W_SKIP) {
            if (pos + 4 > len) {
                st = vs_io_fail(err, VS_E_TRUNCATED_FILE, name, 0,
                                "file ends inside the SKIP at byte %zu", at);
                goto fail;
            }
            uint32_t hi = (uint32_t)data[pos] | ((uint32_t)data[pos + 1] << 8);
            uint32_t lo = (uint32_t)data[pos + 2] | ((uint32_t)data[pos + 3] << 8);
            pos += 4;
            int32_t skip = (int32_t)((hi << 16) | lo);
            if (t > (INT64_C(1) << 60) || t < -(INT64_C(1) << 60)) {
                st = vs_io_fail(err, VS_E_PARSE, name, 0, "time out of range at byte %zu", at);
                goto fail;
            }
            t += skip;
            continue;
        }
        if (a >= W_NUM) {
            if (!have) {
                st = vs_io_fail(err, VS_E_PARSE, name, 0,
                                "%s word at byte %zu comes before any annotation",
                                a == W_NUM ? "NUM" : a == W_SUB ? "SUB" : a == W_CHN ? "CHN" : "AUX",
                                at);
                goto fail;
            }
            if (a == W_NUM) {
                num = sext10(d);
                cur.num = num;
            } else if (a == W_SUB) {
                cur.subtype = sext10(d);
            } else if (a == W_CHN) {
                chan = (uint16_t)d;
                cur.channel = chan;
            } else {
                if (d > VS_ANNOT_AUX_MAX) {
                    st = vs_io_fail(err, VS_E_PARSE, name, 0,
                                    "AUX at byte %zu has length %u (at most 255)", at, d);
                    goto fail;
                }
                if (len - pos < d + (d & 1u)) {
                    st = vs_io_fail(err, VS_E_TRUNCATED_FILE, name, 0,
                                    "file ends inside the %u-byte AUX at byte %zu", d, at);
                    goto fail;
                }
                memcpy(cur.aux, data + pos, d);
                cur.aux[d] = '\0';
                cur.aux_len = (uint16_t)d;
                pos += d + (d & 1u);
            }
            continue;
        }
        /* an annotation word: the previous one is complete */
        if (have && (st = vs_annot_append(list, &cur)) != VS_OK) {
            vs_io_fail(err, st, name, 0, "too many annotations (at most %d)", VS_ANNOT_MAX_COUNT);
            goto fail;
        }
        t += d;
        memset(&cur, 0, sizeof cur);
        cur.sample_idx = t;
        cur.code = (int16_t)a;
        cur.channel = chan;
        cur.num = num;
        have = 1;
    }
    if (!ended && pos < len) {
        st = vs_io_fail(err, VS_E_TRUNCATED_FILE, name, 0,
                        "file ends in the middle of a 16-bit word (%zu bytes)", len);
        goto fail;
    }
    if (have && (st = vs_annot_append(list, &cur)) != VS_OK) {
        vs_io_fail(err, st, name, 0, "too many annotations (at most %d)", VS_ANNOT_MAX_COUNT);
        goto fail;
    }
    return VS_OK;
fail:
    list->count = 0;
    return st;
}

VS_API vs_status vs_annot_read(const char *path, vs_annotation_list *list, vs_io_error *err)
{
    vs_io_err_clear(err, path);
    if (!path || !list)
        return vs_io_fail(err, VS_E_NULL_ARG, path ? path : "(null)", 0, "NULL argument");
    list->count = 0;
    uint8_t *data;
    size_t len;
    vs_status st = vs_io_read_file(path, VS_IO_MAX_TEXT_FILE, &data, &len, err);
    if (st) return st;
    st = vs_annot_parse(data, len, path, list, err);
    free(data);
    return st;
}

static void put16(uint8_t *b, size_t *n, unsigned w)
{
    if (b) {
        b[*n] = (uint8_t)(w & 0xFF);
        b[*n + 1] = (uint8_t)((w >> 8) & 0xFF);
    }
    *n += 2;
}

/* Encodes into b (or only measures when b is NULL). */
static vs_status encode(const vs_annotation_list *list, uint8_t *b, size_t *n_out,
                        const char *name, vs_io_error *err)
{
    size_t n = 0;
    int64_t prev_t = 0;
    unsigned prev_chan = 0;
    int prev_num = 0;
    for (size_t i = 0; i < list->count; i++) {
        const vs_annotation *a = &list->items[i];
        if (a->code < 0 || a->code > VS_ANN_MAX_CODE || a->subtype < -512 || a->subtype > 511 ||
            a->channel > 1023 || a->num < -512 || a->num > 511 || a->aux_len > VS_ANNOT_AUX_MAX)
            return vs_io_fail(err, VS_E_INVALID_ARG, name, 0,
                              "annotation %zu: a field is outside what the MIT format stores", i);
        if ((a->sample_idx > 0 && prev_t < a->sample_idx - INT32_MAX) ||
            (a->sample_idx < 0 && prev_t > a->sample_idx - INT32_MIN))
            return vs_io_fail(err, VS_E_INVALID_ARG, name, 0,
                              "annotation %zu: time step does not fit 32 bits", i);
        const int64_t delta = a->sample_idx - prev_t;
        if (delta < INT32_MIN || delta > INT32_MAX)
            return vs_io_fail(err, VS_E_INVALID_ARG, name, 0,
                              "annotation %zu: time step does not fit 32 bits", i);
        unsigned word;
        if (delta < 0 || delta > 1023) {
            uint32_t u = (uint32_t)(int32_t)delta;
            put16(b, &n, (unsigned)W_SKIP << 10);
            put16(b, &n, u >> 16);
            put16(b, &n, u & 0xFFFFu);
            word = (unsigned)a->code << 10;
        } else {
            word = ((unsigned)a->code << 10) | (unsigned)delta;
        }
        if (word == 0)
            return vs_io_fail(err, VS_E_INVALID_ARG, name, 0,
                              "annotation %zu: code 0 with this time step would read as the end "
                              "of the file", i);
        put16(b, &n, word);
        if (a->subtype != 0) put16(b, &n, ((unsigned)W_SUB << 10) | ((unsigned)a->subtype & 0x3FFu));
        if (a->channel != prev_chan) {
            put16(b, &n, ((unsigned)W_CHN << 10) | a->channel);
            prev_chan = a->channel;
        }
        if (a->num != prev_num) {
            put16(b, &n, ((unsigned)W_NUM << 10) | ((unsigned)a->num & 0x3FFu));
            prev_num = a->num;
        }
        if (a->aux_len) {
            put16(b, &n, ((unsigned)W_AUX << 10) | a->aux_len);
            if (b) memcpy(b + n, a->aux, a->aux_len);
            n += a->aux_len;
            if (a->aux_len & 1u) {
                if (b) b[n] = 0;
                n++;
            }
        }
        prev_t = a->sample_idx;
    }
    put16(b, &n, 0);
    *n_out = n;
    return VS_OK;
}

VS_API vs_status vs_annot_encode(const vs_annotation_list *list, uint8_t **out, size_t *out_len,
                                 vs_io_error *err)
{
    const char *name = "(annotations)";
    vs_io_err_clear(err, name);
    if (out) *out = NULL;
    if (out_len) *out_len = 0;
    if (!list || !out || !out_len || (list->count && !list->items))
        return vs_io_fail(err, VS_E_NULL_ARG, name, 0, "NULL argument");
    size_t n;
    vs_status st = encode(list, NULL, &n, name, err);
    if (st) return st;
    uint8_t *b = malloc(n);
    if (!b) return vs_io_fail(err, VS_E_NO_MEMORY, name, 0, "out of memory (%zu bytes)", n);
    size_t n2;
    encode(list, b, &n2, name, err);
    *out = b;
    *out_len = n2;
    return VS_OK;
}

VS_API vs_status vs_annot_write(const char *path, const vs_annotation_list *list, vs_io_error *err)
{
    vs_io_err_clear(err, path);
    if (!path || !list)
        return vs_io_fail(err, VS_E_NULL_ARG, path ? path : "(null)", 0, "NULL argument");
    uint8_t *b;
    size_t n;
    vs_status st = vs_annot_encode(list, &b, &n, err);
    if (st) {
        if (err) {
            /* name the file instead of "(annotations)" */
            char msg[256];
            const char *colon = strchr(err->message, ':');
            vs_io_copy(msg, sizeof msg, colon ? colon + 2 : err->message,
                       strlen(colon ? colon + 2 : err->message));
            vs_io_fail(err, st, path, 0, "%s", msg);
        }
        return st;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        int e = errno;
        free(b);
        return vs_io_fail(err, VS_E_IO, path, 0, "cannot create: %s", strerror(e));
    }
    int bad = fwrite(b, 1, n, f) != n;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    free(b);
    if (bad) return vs_io_fail(err, VS_E_IO, path, 0, "write error: %s", strerror(e));
    return VS_OK;
}
