/* fuzz_wfdb_header.c — libFuzzer target: vs_wfdb_parse_header on arbitrary text. Checks that
 * a success yields a consistent header and a failure a complete error message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vs_wfdb_header h; /* 7 KB: keep it off the stack */
    vs_io_error e;
    vs_status st = vs_wfdb_parse_header((const char *)data, size, "fuzz.hea", &h, &e);
    if (st != e.status) abort();
    if (st == VS_OK) {
        if (h.n_signals < 0 || h.n_signals > VS_WFDB_MAX_SIGNALS) abort();
        if (!(h.fs_hz > 0)) abort();
        if (h.n_samples < 0) abort();
        if (memchr(h.comments, '\0', sizeof h.comments) == NULL) abort();
        for (int i = 0; h.n_segments == 0 && i < h.n_signals; i++)
            if (h.signals[i].gain_adu_per_mv == 0) abort();
    } else if (strncmp(e.message, "fuzz.hea", 8) != 0) {
        abort();
    }
    return 0;
}
