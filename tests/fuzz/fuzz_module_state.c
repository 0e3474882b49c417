/* fuzz_module_state.c — arbitrary payloads behind a VALID header (magic, version, checksum), so
 * that the fuzzer reaches every field check of the issue-3 modules instead of stopping at the
 * CRC: byte 0 of the input picks the module (monitor, classifier, quality, rhythm, HRV window),
 * the rest is the payload. Never a crash; a blob that loads saves back to identical bytes and the
 * object keeps running. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/blob.h"
#include "vitalstream/monitor.h"
#include "vitalstream/state.h"

#define FS 360.0

static uint8_t *with_header(vs_module_id module, const uint8_t *payload, size_t n, size_t *len)
{
    vs_blob_writer w;
    uint8_t *blob = malloc(VS_STATE_HEADER_SIZE + n + 1);
    vs_blob_begin(&w, blob, VS_STATE_HEADER_SIZE + n + 1, module, FS);
    for (size_t i = 0; i < n; i++) vs_blob_u8(&w, payload[i]);
    if (vs_blob_end(&w, len) != VS_OK) abort();
    return blob;
}

/* One module: create, load, and on success check save -> load -> save is stable. */
#define CHECK_MODULE(T, create, destroy, load, size, save)                                     \
    do {                                                                                       \
        T *a = NULL, *b = NULL;                                                                \
        if (create(&a, FS) != VS_OK || create(&b, FS) != VS_OK) abort();                       \
        if (load(a, blob, len) == VS_OK) {                                                     \
            size_t cap = size(a), n1 = 0, n2 = 0;                                              \
            uint8_t *s1 = malloc(cap), *s2 = malloc(cap);                                      \
            if (save(a, s1, cap, &n1) != VS_OK || load(b, s1, n1) != VS_OK) abort();          \
            if (save(b, s2, cap, &n2) != VS_OK || n1 != n2 || memcmp(s1, s2, n1)) abort();     \
            free(s1);                                                                          \
            free(s2);                                                                          \
            ok = 1;                                                                            \
        }                                                                                      \
        destroy(a);                                                                            \
        destroy(b);                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const vs_module_id modules[] = {VS_MODULE_MONITOR, VS_MODULE_CLASSIFY,
                                           VS_MODULE_QUALITY, VS_MODULE_RHYTHM, VS_MODULE_HRV};
    vs_module_id module = modules[data[0] % 5];
    size_t len = 0;
    uint8_t *blob = with_header(module, data + 1, size - 1, &len);
    int ok = 0;
    switch (module) {
    case VS_MODULE_MONITOR:
        CHECK_MODULE(vs_monitor, vs_monitor_create, vs_monitor_destroy, vs_monitor_state_load,
                     vs_monitor_state_size, vs_monitor_state_save);
        if (ok) { /* a loaded monitor keeps running */
            vs_monitor *m = NULL;
            if (vs_monitor_create(&m, FS) != VS_OK || vs_monitor_state_load(m, blob, len) != VS_OK)
                abort();
            float x[720];
            for (int i = 0; i < 720; i++) x[i] = (float)((i * 37) % 11) * 0.1f;
            size_t cap = vs_monitor_max_events(m, 720), got = 0;
            vs_event *ev = malloc(cap * sizeof *ev);
            vs_status st = vs_monitor_process(m, x, 720, ev, cap, &got);
            if (st != VS_OK && st != VS_E_INVALID_ARG) abort(); /* INVALID_ARG: finished */
            free(ev);
            vs_monitor_destroy(m);
        }
        break;
    case VS_MODULE_CLASSIFY:
        CHECK_MODULE(vs_classifier, vs_classifier_create, vs_classifier_destroy,
                     vs_classifier_state_load, vs_classifier_state_size, vs_classifier_state_save);
        break;
    case VS_MODULE_QUALITY:
        CHECK_MODULE(vs_quality, vs_quality_create, vs_quality_destroy, vs_quality_state_load,
                     vs_quality_state_size, vs_quality_state_save);
        break;
    case VS_MODULE_RHYTHM:
        CHECK_MODULE(vs_rhythm, vs_rhythm_create, vs_rhythm_destroy, vs_rhythm_state_load,
                     vs_rhythm_state_size, vs_rhythm_state_save);
        break;
    default:
        CHECK_MODULE(vs_hrv_window, vs_hrv_window_create, vs_hrv_window_destroy,
                     vs_hrv_window_state_load, vs_hrv_window_state_size,
                     vs_hrv_window_state_save);
        break;
    }
    free(blob);
    return 0;
}
