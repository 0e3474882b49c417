/* fuzz_state_load.c — arbitrary bytes into vs_qrs_state_load (and vs_state_inspect): never a
 * crash, and a blob that loads must save back to a blob that loads and gives the same bytes,
 * process more input and finish. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/qrs.h"
#include "vitalstream/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vs_state_info info;
    (void)vs_state_inspect(data, size, &info);
    vs_qrs *q = NULL;
    if (vs_qrs_create(&q, 360.0) != VS_OK) return 0;
    if (vs_qrs_state_load(q, data, size) == VS_OK) {
        size_t cap = vs_qrs_state_size(q), n1 = 0, n2 = 0;
        uint8_t *a = malloc(cap), *b = malloc(cap);
        if (vs_qrs_state_save(q, a, cap, &n1) != VS_OK) abort();
        vs_qrs *r = NULL;
        if (vs_qrs_create(&r, 360.0) != VS_OK || vs_qrs_state_load(r, a, n1) != VS_OK) abort();
        if (vs_qrs_state_save(r, b, cap, &n2) != VS_OK || n1 != n2 || memcmp(a, b, n1)) abort();
        /* and it keeps running */
        float x[64];
        for (int i = 0; i < 64; i++) x[i] = (float)((i * 37) % 11) * 0.1f;
        size_t ecap = vs_qrs_max_events(r, 64), got;
        vs_beat *beats = malloc(ecap * sizeof *beats);
        if (vs_qrs_process(r, x, 64, beats, ecap, &got) != VS_OK) abort();
        /* and ends: both the restored detector after more input and the loaded one as it is
         * (vs_qrs_finish reads the loaded rings and levels) */
        if (vs_qrs_finish(r, beats, ecap, &got) != VS_OK) abort();
        size_t qcap = vs_qrs_max_events(q, 0);
        vs_beat *tail = malloc(qcap * sizeof *tail);
        if (vs_qrs_finish(q, tail, qcap, &got) != VS_OK || got > qcap) abort();
        free(tail);
        free(beats);
        vs_qrs_destroy(r);
        free(a);
        free(b);
    }
    vs_qrs_destroy(q);
    return 0;
}
