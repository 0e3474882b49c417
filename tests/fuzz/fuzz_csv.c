/* fuzz_csv.c — libFuzzer target: vs_csv_parse_column on arbitrary text, choosing the column by
 * index, by name or automatically from the first input byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char *const names[] = {"MLII", "'V5'", "sample #", "a"};
    const uint8_t sel = data[0];
    const char *name = (sel & 0x80) ? names[sel & 3] : NULL;
    /* index 0..6, or 7 = VS_CSV_COLUMN_AUTO (the held-back rows and the column choice) */
    const int index = (sel & 7) == 7 ? VS_CSV_COLUMN_AUTO : sel & 7;
    float *y = NULL;
    int64_t n = -1;
    vs_io_error e;
    vs_status st = vs_csv_parse_column((const char *)data + 1, size - 1, "fuzz.csv", name, index,
                                       &y, &n, &e);
    if (st != e.status) abort();
    if (st == VS_OK) {
        if (!y || n <= 0) abort();
        volatile float sink = 0;
        for (int64_t i = 0; i < n; i++) sink += y[i]; /* every value is readable */
        (void)sink;
    } else if (y || n != 0 || strncmp(e.message, "fuzz.csv", 8) != 0) {
        abort();
    }
    vs_io_free(y);
    return 0;
}
