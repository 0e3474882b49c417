/* module_state.c — state_size/save/load mechanics shared by the modules (see module_state.h). */
#include "module_state.h"

#include <string.h>

/* One code path for counting (buf == NULL) and writing, so size and save cannot disagree. */
static vs_status emit(vs_module_id module, double fs_hz, vs_payload_writer write,
                      const void *obj, uint8_t *buf, size_t capacity, size_t *written)
{
    vs_blob_writer w;
    vs_blob_begin(&w, buf, capacity, module, fs_hz);
    write(obj, &w);
    return vs_blob_end(&w, written);
}

size_t vs_module_state_size(vs_module_id module, double fs_hz, vs_payload_writer write,
                            const void *obj)
{
    size_t n = 0;
    emit(module, fs_hz, write, obj, NULL, 0, &n);
    return n;
}

vs_status vs_module_state_save(vs_module_id module, double fs_hz, vs_payload_writer write,
                               const void *obj, uint8_t *buf, size_t capacity, size_t *written)
{
    if (capacity < vs_module_state_size(module, fs_hz, write, obj)) return VS_E_BUFFER_TOO_SMALL;
    return emit(module, fs_hz, write, obj, buf, capacity, written);
}

vs_status vs_module_state_load(vs_module_id module, double fs_hz, vs_payload_reader read,
                               void *obj, void *scratch, size_t obj_size, const uint8_t *buf,
                               size_t len)
{
    vs_blob_reader r;
    uint16_t version = 0;
    vs_status st = vs_blob_open(&r, buf, len, module, fs_hz, &version);
    if (st != VS_OK) return st;
    memcpy(scratch, obj, obj_size);
    read(scratch, &r, version);
    st = vs_blob_close(&r);
    if (st == VS_OK) memcpy(obj, scratch, obj_size);
    return st;
}
