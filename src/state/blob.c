/* blob.c — portable little-endian state blobs with a CRC-32 (format described in state.h). */
#include "blob.h"

#include <math.h>
#include <string.h>

static const uint8_t k_magic[4] = {'V', 'S', 'S', 'T'};

/* CRC-32 (reflected 0xEDB88320) lookup table: a save+load between every pair of 1-sample
 * chunks must stay cheap. */
static const uint32_t k_crc_table[256] = {
    0x00000000u, 0x77073096u, 0xEE0E612Cu, 0x990951BAu, 0x076DC419u, 0x706AF48Fu,
    0xE963A535u, 0x9E6495A3u, 0x0EDB8832u, 0x79DCB8A4u, 0xE0D5E91Eu, 0x97D2D988u,
    0x09B64C2Bu, 0x7EB17CBDu, 0xE7B82D07u, 0x90BF1D91u, 0x1DB71064u, 0x6AB020F2u,
    0xF3B97148u, 0x84BE41DEu, 0x1ADAD47Du, 0x6DDDE4EBu, 0xF4D4B551u, 0x83D385C7u,
    0x136C9856u, 0x646BA8C0u, 0xFD62F97Au, 0x8A65C9ECu, 0x14015C4Fu, 0x63066CD9u,
    0xFA0F3D63u, 0x8D080DF5u, 0x3B6E20C8u, 0x4C69105Eu, 0xD56041E4u, 0xA2677172u,
    0x3C03E4D1u, 0x4B04D447u, 0xD20D85FDu, 0xA50AB56Bu, 0x35B5A8FAu, 0x42B2986Cu,
    0xDBBBC9D6u, 0xACBCF940u, 0x32D86CE3u, 0x45DF5C75u, 0xDCD60DCFu, 0xABD13D59u,
    0x26D930ACu, 0x51DE003Au, 0xC8D75180u, 0xBFD06116u, 0x21B4F4B5u, 0x56B3C423u,
    0xCFBA9599u, 0xB8BDA50Fu, 0x2802B89Eu, 0x5F058808u, 0xC60CD9B2u, 0xB10BE924u,
    0x2F6F7C87u, 0x58684C11u, 0xC1611DABu, 0xB6662D3Du, 0x76DC4190u, 0x01DB7106u,
    0x98D220BCu, 0xEFD5102Au, 0x71B18589u, 0x06B6B51Fu, 0x9FBFE4A5u, 0xE8B8D433u,
    0x7807C9A2u, 0x0F00F934u, 0x9609A88Eu, 0xE10E9818u, 0x7F6A0DBBu, 0x086D3D2Du,
    0x91646C97u, 0xE6635C01u, 0x6B6B51F4u, 0x1C6C6162u, 0x856530D8u, 0xF262004Eu,
    0x6C0695EDu, 0x1B01A57Bu, 0x8208F4C1u, 0xF50FC457u, 0x65B0D9C6u, 0x12B7E950u,
    0x8BBEB8EAu, 0xFCB9887Cu, 0x62DD1DDFu, 0x15DA2D49u, 0x8CD37CF3u, 0xFBD44C65u,
    0x4DB26158u, 0x3AB551CEu, 0xA3BC0074u, 0xD4BB30E2u, 0x4ADFA541u, 0x3DD895D7u,
    0xA4D1C46Du, 0xD3D6F4FBu, 0x4369E96Au, 0x346ED9FCu, 0xAD678846u, 0xDA60B8D0u,
    0x44042D73u, 0x33031DE5u, 0xAA0A4C5Fu, 0xDD0D7CC9u, 0x5005713Cu, 0x270241AAu,
    0xBE0B1010u, 0xC90C2086u, 0x5768B525u, 0x206F85B3u, 0xB966D409u, 0xCE61E49Fu,
    0x5EDEF90Eu, 0x29D9C998u, 0xB0D09822u, 0xC7D7A8B4u, 0x59B33D17u, 0x2EB40D81u,
    0xB7BD5C3Bu, 0xC0BA6CADu, 0xEDB88320u, 0x9ABFB3B6u, 0x03B6E20Cu, 0x74B1D29Au,
    0xEAD54739u, 0x9DD277AFu, 0x04DB2615u, 0x73DC1683u, 0xE3630B12u, 0x94643B84u,
    0x0D6D6A3Eu, 0x7A6A5AA8u, 0xE40ECF0Bu, 0x9309FF9Du, 0x0A00AE27u, 0x7D079EB1u,
    0xF00F9344u, 0x8708A3D2u, 0x1E01F268u, 0x6906C2FEu, 0xF762575Du, 0x806567CBu,
    0x196C3671u, 0x6E6B06E7u, 0xFED41B76u, 0x89D32BE0u, 0x10DA7A5Au, 0x67DD4ACCu,
    0xF9B9DF6Fu, 0x8EBEEFF9u, 0x17B7BE43u, 0x60B08ED5u, 0xD6D6A3E8u, 0xA1D1937Eu,
    0x38D8C2C4u, 0x4FDFF252u, 0xD1BB67F1u, 0xA6BC5767u, 0x3FB506DDu, 0x48B2364Bu,
    0xD80D2BDAu, 0xAF0A1B4Cu, 0x36034AF6u, 0x41047A60u, 0xDF60EFC3u, 0xA867DF55u,
    0x316E8EEFu, 0x4669BE79u, 0xCB61B38Cu, 0xBC66831Au, 0x256FD2A0u, 0x5268E236u,
    0xCC0C7795u, 0xBB0B4703u, 0x220216B9u, 0x5505262Fu, 0xC5BA3BBEu, 0xB2BD0B28u,
    0x2BB45A92u, 0x5CB36A04u, 0xC2D7FFA7u, 0xB5D0CF31u, 0x2CD99E8Bu, 0x5BDEAE1Du,
    0x9B64C2B0u, 0xEC63F226u, 0x756AA39Cu, 0x026D930Au, 0x9C0906A9u, 0xEB0E363Fu,
    0x72076785u, 0x05005713u, 0x95BF4A82u, 0xE2B87A14u, 0x7BB12BAEu, 0x0CB61B38u,
    0x92D28E9Bu, 0xE5D5BE0Du, 0x7CDCEFB7u, 0x0BDBDF21u, 0x86D3D2D4u, 0xF1D4E242u,
    0x68DDB3F8u, 0x1FDA836Eu, 0x81BE16CDu, 0xF6B9265Bu, 0x6FB077E1u, 0x18B74777u,
    0x88085AE6u, 0xFF0F6A70u, 0x66063BCAu, 0x11010B5Cu, 0x8F659EFFu, 0xF862AE69u,
    0x616BFFD3u, 0x166CCF45u, 0xA00AE278u, 0xD70DD2EEu, 0x4E048354u, 0x3903B3C2u,
    0xA7672661u, 0xD06016F7u, 0x4969474Du, 0x3E6E77DBu, 0xAED16A4Au, 0xD9D65ADCu,
    0x40DF0B66u, 0x37D83BF0u, 0xA9BCAE53u, 0xDEBB9EC5u, 0x47B2CF7Fu, 0x30B5FFE9u,
    0xBDBDF21Cu, 0xCABAC28Au, 0x53B39330u, 0x24B4A3A6u, 0xBAD03605u, 0xCDD70693u,
    0x54DE5729u, 0x23D967BFu, 0xB3667A2Eu, 0xC4614AB8u, 0x5D681B02u, 0x2A6F2B94u,
    0xB40BBE37u, 0xC30C8EA1u, 0x5A05DF1Bu, 0x2D02EF8Du,
};

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = k_crc_table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

VS_API uint32_t vs_crc32(const uint8_t *data, size_t n)
{
    if (!data) return 0;
    return crc32_update(0, data, n);
}

VS_API unsigned vs_state_format_version(void) { return VS_STATE_FORMAT_VERSION; }

static void put_le(vs_blob_writer *w, uint64_t v, int nbytes)
{
    if (w->buf) {
        if (w->pos + (size_t)nbytes > w->capacity) {
            w->overflow = 1;
        } else {
            for (int i = 0; i < nbytes; i++) w->buf[w->pos + (size_t)i] = (uint8_t)(v >> (8 * i));
        }
    }
    w->pos += (size_t)nbytes;
}

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
void vs_blob_u16(vs_blob_writer *w, uint16_t v) { put_le(w, v, 2); }
void vs_blob_u32(vs_blob_writer *w, uint32_t v) { put_le(w, v, 4); }
void vs_blob_u64(vs_blob_writer *w, uint64_t v) { put_le(w, v, 8); }
void vs_blob_i32(vs_blob_writer *w, int32_t v) { put_le(w, (uint32_t)v, 4); }
void vs_blob_i64(vs_blob_writer *w, int64_t v) { put_le(w, (uint64_t)v, 8); }
void vs_blob_f32(vs_blob_writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    put_le(w, u, 4);
}
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

static uint64_t take(vs_blob_reader *r, int nbytes)
{
    if (r->error || r->pos + (size_t)nbytes > r->len) {
        r->error = 1;
        return 0;
    }
    uint64_t v = get_le(r->p + r->pos, nbytes);
    r->pos += (size_t)nbytes;
    return v;
}

uint8_t vs_blob_get_u8(vs_blob_reader *r) { return (uint8_t)take(r, 1); }
uint16_t vs_blob_get_u16(vs_blob_reader *r) { return (uint16_t)take(r, 2); }
uint32_t vs_blob_get_u32(vs_blob_reader *r) { return (uint32_t)take(r, 4); }
uint64_t vs_blob_get_u64(vs_blob_reader *r) { return take(r, 8); }
int32_t vs_blob_get_i32(vs_blob_reader *r) { return (int32_t)(uint32_t)take(r, 4); }
int64_t vs_blob_get_i64(vs_blob_reader *r) { return (int64_t)take(r, 8); }

float vs_blob_get_f32(vs_blob_reader *r)
{
    uint32_t u = (uint32_t)take(r, 4);
    float f;
    memcpy(&f, &u, 4);
    if (!isfinite(f)) { r->error = 1; return 0.0f; }
    return f;
}

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
