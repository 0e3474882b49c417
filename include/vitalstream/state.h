/* state.h — the portable state blob shared by every stateful object.
 *
 * Layout (all integers little-endian, floats as IEEE-754 bit patterns):
 *   offset  size  field
 *        0     4  magic "VSST"
 *        4     2  format version (this library writes VS_STATE_FORMAT_VERSION)
 *        6     2  module id (vs_module_id)
 *        8     8  fs_hz (binary64) — must match the loading object
 *       16     4  payload length in bytes
 *       20     4  CRC-32 (IEEE 802.3, reflected, as zlib) of bytes 0..19 followed by the payload
 *       24     …  payload: the module's fields, each little-endian, in a documented order
 * The header layout and the CRC are the same in every format version, so the checksum is
 * verified before any other header field is believed. Loading checks, in this order:
 *   len >= 24 (VS_E_STATE_TRUNCATED); magic (BAD_MAGIC: not a state blob at all);
 *   CRC over the len - 24 bytes after the header — on a mismatch: the declared length is longer
 *   than len (TRUNCATED), the blob is followed by extra bytes (CORRUPT: the length must match
 *   exactly), else BAD_CHECKSUM; declared length == len - 24 (else BAD_CHECKSUM: only the length
 *   field was damaged); version 1..ours (CORRUPT / NEWER_VERSION); module id (WRONG_MODULE);
 *   fs (MISMATCH); then every field's range and the payload consumed exactly (CORRUPT).
 * So one damaged byte anywhere after the magic reports BAD_CHECKSUM.
 * A failed load leaves the object exactly as it was. */
#ifndef VITALSTREAM_STATE_H
#define VITALSTREAM_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VS_STATE_HEADER_SIZE 24
/* Versions: 1 first release; 2 the vs_qrs payload (also nested in vs_monitor) gains the
 * position of the latest input gap (VS_BEAT_AFTER_GAP); 3 the vs_rhythm payload (also nested)
 * gains VS_RHYTHM_VT_REALARM_S and the last VT alarm, and the vs_monitor payload the P-wave
 * level and atrial wave size (junctional beats, large atrial waves); 4 the vs_qrs payload gains
 * its artefact state (learning end, artefact evidence, amplitude history), and the vs_rhythm
 * payload VS_RHYTHM_SIGNAL_LOST_S and the time-driven alarm state (signal stretch, silences);
 * 5 the vs_monitor payload gains the shape match of the beat its classifier holds back (one
 * byte) and the vs_rhythm payload stores its ventricular run length as u16 (was u32).
 * Every older version keeps loading. */
#define VS_STATE_FORMAT_VERSION 5

typedef enum vs_module_id {
    VS_MODULE_IIR = 1,
    VS_MODULE_QRS = 2,
    VS_MODULE_MONITOR = 3,
    VS_MODULE_HRV = 4,       /* vs_hrv_window (rolling HRV window) */
    VS_MODULE_CLASSIFY = 5,  /* vs_classifier (beat classes) */
    VS_MODULE_RHYTHM = 6,    /* vs_rhythm (episodes and alarms) */
    VS_MODULE_QUALITY = 7    /* vs_quality (signal quality) */
} vs_module_id;

typedef struct vs_state_info {
    uint16_t format_version;
    uint16_t module_id;
    uint32_t payload_size;
    double fs_hz;
} vs_state_info;

/* Validates header, length and checksum of a blob and describes it, without any object. */
VS_API vs_status vs_state_inspect(const uint8_t *blob, size_t len, vs_state_info *info);

/* CRC-32 as used in the blob (polynomial 0xEDB88320, init and final xor 0xFFFFFFFF). */
VS_API uint32_t vs_crc32(const uint8_t *data, size_t n);

VS_API unsigned vs_state_format_version(void);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_STATE_H */
