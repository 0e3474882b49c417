/* blob.h (private) — little-endian writer/reader used by every module's state_save/load.
 * A writer with buf == NULL only counts bytes, so state_size and state_save share one code path. */
#ifndef VITALSTREAM_SRC_STATE_BLOB_H
#define VITALSTREAM_SRC_STATE_BLOB_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "vitalstream/state.h"

typedef struct vs_blob_writer {
    uint8_t *buf;    /* NULL: count only */
    size_t capacity;
    size_t pos;      /* bytes written (or counted) so far, header included */
    int overflow;
} vs_blob_writer;

typedef struct vs_blob_reader {
    const uint8_t *p;
    size_t len;
    size_t pos;
    int error; /* set when reading past the payload or a range check fails */
} vs_blob_reader;

/* The byte order of every field: little-endian, whatever the host. The writers and readers of
 * u16 and f32 run once per element in loops over arrays (classifier ring, templates), where a
 * call per element cost most of a save + load: natively they are inline (VS_BLOB_INLINE). In
 * wasm32 they stay out of line in blob.c: inlined into every state reader and writer they add
 * 6.6 KB to vitalstream.wasm, whose size is budgeted (bindings/wasm/build.sh). */
#if defined(__wasm__)
#define VS_BLOB_INLINE 0
#else
#define VS_BLOB_INLINE 1
#endif

static inline void vs_blob_put_le(vs_blob_writer *w, uint64_t v, int nbytes)
{
    /* locals: a byte store may alias *w, which would reload w->buf and w->pos per byte */
    const size_t pos = w->pos;
    uint8_t *buf = w->buf;
    w->pos = pos + (size_t)nbytes;
    if (!buf) return;
    if (pos + (size_t)nbytes > w->capacity) {
        w->overflow = 1;
        return;
    }
    for (int i = 0; i < nbytes; i++) buf[pos + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t vs_blob_take_le(vs_blob_reader *r, int nbytes)
{
    const size_t pos = r->pos;
    if (r->error || pos + (size_t)nbytes > r->len) {
        r->error = 1;
        return 0;
    }
    r->pos = pos + (size_t)nbytes;
    const uint8_t *p = r->p + pos;
    uint64_t v = 0;
    for (int i = 0; i < nbytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Writer: begin reserves the header; end fills length and CRC. */
void vs_blob_begin(vs_blob_writer *w, uint8_t *buf, size_t capacity, vs_module_id module,
                   double fs_hz);
void vs_blob_u8(vs_blob_writer *w, uint8_t v);
void vs_blob_u32(vs_blob_writer *w, uint32_t v);
void vs_blob_u64(vs_blob_writer *w, uint64_t v);
void vs_blob_i32(vs_blob_writer *w, int32_t v);
void vs_blob_i64(vs_blob_writer *w, int64_t v);
void vs_blob_f64(vs_blob_writer *w, double v);
/* Returns VS_OK, or VS_E_BUFFER_TOO_SMALL when the capacity was exceeded. */
vs_status vs_blob_end(vs_blob_writer *w, size_t *written);

/* Reader: open validates everything in the header (see state.h) and positions at the payload. */
vs_status vs_blob_open(vs_blob_reader *r, const uint8_t *blob, size_t len, vs_module_id module,
                       double fs_hz, uint16_t *format_version);
uint8_t vs_blob_get_u8(vs_blob_reader *r);
uint32_t vs_blob_get_u32(vs_blob_reader *r);
uint64_t vs_blob_get_u64(vs_blob_reader *r);
int32_t vs_blob_get_i32(vs_blob_reader *r);
int64_t vs_blob_get_i64(vs_blob_reader *r);
double vs_blob_get_f64(vs_blob_reader *r); /* non-finite values set r->error */
/* u16 and f32, both ways (f32 reader: non-finite values set r->error). */
#if VS_BLOB_INLINE
#define VS_BLOB_FN static inline
#else
#define VS_BLOB_FN
void vs_blob_u16(vs_blob_writer *w, uint16_t v);
void vs_blob_f32(vs_blob_writer *w, float v);
uint16_t vs_blob_get_u16(vs_blob_reader *r);
float vs_blob_get_f32(vs_blob_reader *r);
#endif
#if VS_BLOB_INLINE || defined(VS_BLOB_DEFINE_OUTLINE)
VS_BLOB_FN void vs_blob_u16(vs_blob_writer *w, uint16_t v) { vs_blob_put_le(w, v, 2); }
VS_BLOB_FN void vs_blob_f32(vs_blob_writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    vs_blob_put_le(w, u, 4);
}
VS_BLOB_FN uint16_t vs_blob_get_u16(vs_blob_reader *r) { return (uint16_t)vs_blob_take_le(r, 2); }
VS_BLOB_FN float vs_blob_get_f32(vs_blob_reader *r)
{
    uint32_t u = (uint32_t)vs_blob_take_le(r, 4);
    float f;
    memcpy(&f, &u, 4);
    if (!isfinite(f)) {
        r->error = 1;
        return 0.0f;
    }
    return f;
}
#endif

/* Marks the blob corrupt unless cond holds (for range checks while reading). */
void vs_blob_require(vs_blob_reader *r, int cond);
/* VS_OK if all fields were read, in range, and the payload was consumed exactly. */
vs_status vs_blob_close(const vs_blob_reader *r);

#endif
