/* blob.c — portable little-endian state blobs with a CRC-32 (format described in state.h). */
#define VS_BLOB_DEFINE_OUTLINE /* the u16/f32 accessors, where they are not inline (blob.h) */
#include "blob.h"

#include <math.h>
#include <string.h>

static const uint8_t k_magic[4] = {'V', 'S', 'S', 'T'};

/* CRC-32 (reflected 0xEDB88320), slicing by 8: eight table look-ups per 8 bytes instead of one
 * per byte (a save + load of a monitor checksums about 6 KiB; between every pair of small chunks
 * that must stay cheap). Bytes are combined explicitly, so the result is the same on any host.
 * "raw": the register without the initial and final inversion. */
#include "crc32_tables.h"

static uint32_t crc32_raw_table(uint32_t crc, const uint8_t *p, size_t n)
{
    const uint32_t(*t)[256] = k_crc_tables;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24);
        crc = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^
              t[4][lo >> 24] ^ t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    }
    for (; n > 0; n--, p++) crc = t[0][(crc ^ *p) & 0xFFu] ^ (crc >> 8);
    return crc;
}

/* x86-64 with PCLMULQDQ (checked at run time): the message is folded 16 bytes at a time with
 * carry-less multiplications (Gopal et al., "Fast CRC computation for generic polynomials using
 * PCLMULQDQ", Intel 2009; the fold constants x^(128+32) and x^(128-32) mod P, bit-reflected, as
 * in Linux's crc32-pclmul) into one 16-byte block with the same CRC, which the tables finish.
 * The same integer arithmetic: identical checksums (tests/test_crc32.c compares the two paths
 * and a bitwise reference at every length up to 1 KiB). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32)
#define VS_CRC32_CLMUL 1
#include <emmintrin.h>
#include <wmmintrin.h>

__attribute__((target("pclmul,sse2"))) static uint32_t crc32_raw_clmul(uint32_t crc,
                                                                        const uint8_t *p,
                                                                        size_t n16)
{
    const __m128i k = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL); /* hi: R4, lo: R3 */
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)p),
                              _mm_cvtsi32_si128((int)crc));
    for (size_t i = 16; i < n16; i += 16) {
        __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
        __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
        x = _mm_xor_si128(_mm_xor_si128(lo, hi),
                          _mm_loadu_si128((const __m128i *)(const void *)(p + i)));
    }
    uint8_t last[16];
    _mm_storeu_si128((__m128i *)(void *)last, x);
    return crc32_raw_table(0, last, 16);
}
#endif

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
#ifdef VS_CRC32_CLMUL
    if (n >= 64 && __builtin_cpu_supports("pclmul")) {
        size_t n16 = n & ~(size_t)15;
        crc = crc32_raw_clmul(crc, p, n16);
        p += n16;
        n -= n16;
    }
#endif
    return ~crc32_raw_table(crc, p, n);
}

VS_API uint32_t vs_crc32(const uint8_t *data, size_t n)
{
    if (!data) return 0;
    return crc32_update(0, data, n);
}

VS_API unsigned vs_state_format_version(void) { return VS_STATE_FORMAT_VERSION; }

static void put_le(vs_blob_writer *w, uint64_t v, int nbytes) { vs_blob_put_le(w, v, nbytes); }

static uint64_t get_le(const uint8_t *p, int nbytes)
{
    uint64_t v = 0;
    for (int i = 0; i < nbytes; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t f64_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double bits_f64(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

void vs_blob_begin(vs_blob_writer *w, uint8_t *buf, size_t capacity, vs_module_id module,
                   double fs_hz)
{
    w->buf = buf;
    w->capacity = capacity;
    w->pos = 0;
    w->overflow = 0;
    for (int i = 0; i < 4; i++) put_le(w, k_magic[i], 1);
    put_le(w, VS_STATE_FORMAT_VERSION, 2);
    put_le(w, (uint64_t)module, 2);
    put_le(w, f64_bits(fs_hz), 8);
    put_le(w, 0, 4); /* payload length, filled by end */
    put_le(w, 0, 4); /* CRC, filled by end */
}

void vs_blob_u8(vs_blob_writer *w, uint8_t v) { put_le(w, v, 1); }
void vs_blob_u32(vs_blob_writer *w, uint32_t v) { put_le(w, v, 4); }
void vs_blob_u64(vs_blob_writer *w, uint64_t v) { put_le(w, v, 8); }
void vs_blob_i32(vs_blob_writer *w, int32_t v) { put_le(w, (uint32_t)v, 4); }
void vs_blob_i64(vs_blob_writer *w, int64_t v) { put_le(w, (uint64_t)v, 8); }
void vs_blob_f64(vs_blob_writer *w, double v) { put_le(w, f64_bits(v), 8); }

vs_status vs_blob_end(vs_blob_writer *w, size_t *written)
{
    if (written) *written = w->pos;
    if (!w->buf) return VS_OK;
    if (w->overflow) return VS_E_BUFFER_TOO_SMALL;
    uint32_t payload = (uint32_t)(w->pos - VS_STATE_HEADER_SIZE);
    for (int i = 0; i < 4; i++) w->buf[16 + i] = (uint8_t)(payload >> (8 * i));
    uint32_t crc = crc32_update(0, w->buf, 20);
    crc = crc32_update(crc, w->buf + VS_STATE_HEADER_SIZE, payload);
    for (int i = 0; i < 4; i++) w->buf[20 + i] = (uint8_t)(crc >> (8 * i));
    return VS_OK;
}

/* CRC of a blob whose payload is n bytes at blob + 24, computed as if the length field held n:
 * equal to the stored CRC exactly when header and payload are what the writer produced, whatever
 * the length field now says. */
static uint32_t crc_for_payload(const uint8_t *blob, uint32_t n)
{
    uint8_t len_le[4];
    for (int i = 0; i < 4; i++) len_le[i] = (uint8_t)(n >> (8 * i));
    uint32_t crc = crc32_update(0, blob, 16);
    crc = crc32_update(crc, len_le, 4);
    return crc32_update(crc, blob + VS_STATE_HEADER_SIZE, n);
}

/* The checksum is verified before any header field is believed (order documented in state.h):
 * one flipped byte anywhere after the magic, the length field included, is a checksum error. */
static vs_status parse_header(const uint8_t *blob, size_t len, vs_state_info *info)
{
    if (!blob) return VS_E_NULL_ARG;
    if (len < VS_STATE_HEADER_SIZE) return VS_E_STATE_TRUNCATED;
    if (memcmp(blob, k_magic, 4) != 0) return VS_E_STATE_BAD_MAGIC;
    if ((uint64_t)(len - VS_STATE_HEADER_SIZE) > UINT32_MAX) return VS_E_STATE_CORRUPT;
    uint32_t present = (uint32_t)(len - VS_STATE_HEADER_SIZE);
    uint32_t declared = (uint32_t)get_le(blob + 16, 4);
    uint32_t stored = (uint32_t)get_le(blob + 20, 4);
    if (crc_for_payload(blob, present) != stored) {
        /* Not authentic as given. A prefix of a longer blob is truncated; a blob followed by
         * extra bytes is rejected (the length must match exactly); anything else is corrupt. */
        if (declared > present) return VS_E_STATE_TRUNCATED;
        if (declared < present && crc_for_payload(blob, declared) == stored)
            return VS_E_STATE_CORRUPT;
        return VS_E_STATE_BAD_CHECKSUM;
    }
    /* Header and payload are as written, except possibly the length field itself. */
    if (declared != present) return VS_E_STATE_BAD_CHECKSUM;
    info->format_version = (uint16_t)get_le(blob + 4, 2);
    info->module_id = (uint16_t)get_le(blob + 6, 2);
    info->fs_hz = bits_f64(get_le(blob + 8, 8));
    info->payload_size = declared;
    if (info->format_version == 0) return VS_E_STATE_CORRUPT;
    if (info->format_version > VS_STATE_FORMAT_VERSION) return VS_E_STATE_NEWER_VERSION;
    return VS_OK;
}

VS_API vs_status vs_state_inspect(const uint8_t *blob, size_t len, vs_state_info *info)
{
    vs_state_info tmp;
    if (!info) return VS_E_NULL_ARG;
    vs_status st = parse_header(blob, len, &tmp);
    if (st == VS_OK) *info = tmp;
    return st;
}

vs_status vs_blob_open(vs_blob_reader *r, const uint8_t *blob, size_t len, vs_module_id module,
                       double fs_hz, uint16_t *format_version)
{
    vs_state_info info;
    vs_status st = parse_header(blob, len, &info);
    if (st != VS_OK) return st;
    if (info.module_id != (uint16_t)module) return VS_E_STATE_WRONG_MODULE;
    if (!(info.fs_hz == fs_hz)) return VS_E_STATE_MISMATCH;
    r->p = blob + VS_STATE_HEADER_SIZE;
    r->len = info.payload_size;
    r->pos = 0;
    r->error = 0;
    if (format_version) *format_version = info.format_version;
    return VS_OK;
}

static uint64_t take(vs_blob_reader *r, int nbytes) { return vs_blob_take_le(r, nbytes); }

uint8_t vs_blob_get_u8(vs_blob_reader *r) { return (uint8_t)take(r, 1); }
uint32_t vs_blob_get_u32(vs_blob_reader *r) { return (uint32_t)take(r, 4); }
uint64_t vs_blob_get_u64(vs_blob_reader *r) { return take(r, 8); }
int32_t vs_blob_get_i32(vs_blob_reader *r) { return (int32_t)(uint32_t)take(r, 4); }
int64_t vs_blob_get_i64(vs_blob_reader *r) { return (int64_t)take(r, 8); }

double vs_blob_get_f64(vs_blob_reader *r)
{
    double d = bits_f64(take(r, 8));
    if (!isfinite(d)) { r->error = 1; return 0.0; }
    return d;
}

void vs_blob_require(vs_blob_reader *r, int cond)
{
    if (!cond) r->error = 1;
}

vs_status vs_blob_close(const vs_blob_reader *r)
{
    if (r->error || r->pos != r->len) return VS_E_STATE_CORRUPT;
    return VS_OK;
}
