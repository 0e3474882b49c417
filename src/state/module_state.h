/* module_state.h (private) — the mechanics shared by every module's public state_size,
 * state_save and state_load: header, payload, length/CRC, scratch copy and commit.
 * A module keeps its own NULL checks (they need the object before its fs_hz can be read) and
 * passes its payload writer/reader through a small static adapter, because C cannot call a
 * `void (*)(const struct vs_qrs *, …)` through a `void (*)(const void *, …)` pointer. */
#ifndef VITALSTREAM_SRC_STATE_MODULE_STATE_H
#define VITALSTREAM_SRC_STATE_MODULE_STATE_H

#include "blob.h"

typedef void (*vs_payload_writer)(const void *obj, vs_blob_writer *w);
typedef void (*vs_payload_reader)(void *obj, vs_blob_reader *r, unsigned format_version);

/* Size of the whole blob (header included) that vs_module_state_save would write. */
size_t vs_module_state_size(vs_module_id module, double fs_hz, vs_payload_writer write,
                            const void *obj);

/* VS_E_BUFFER_TOO_SMALL (nothing written, *written untouched) when capacity is short of
 * vs_module_state_size; otherwise writes the blob and sets *written (may be NULL). */
vs_status vs_module_state_save(vs_module_id module, double fs_hz, vs_payload_writer write,
                               const void *obj, uint8_t *buf, size_t capacity, size_t *written);

/* Opens the blob, reads the payload into scratch (a copy of the obj_size bytes at obj) and
 * copies it back over obj only when the whole payload was valid: a failed load leaves obj
 * exactly as it was. read must touch only state fields of its object (it gets a full copy). */
vs_status vs_module_state_load(vs_module_id module, double fs_hz, vs_payload_reader read,
                               void *obj, void *scratch, size_t obj_size, const uint8_t *buf,
                               size_t len);

#endif
