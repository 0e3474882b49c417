#include "test_support.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vitalstream/state.h"
#ifdef VS_TEST_HAVE_IO
#include "vitalstream/io.h"
#endif

const char *vs_test_mitdb_dir(void)
{
    static char dir[4096];
    const char *env = getenv("VITALSTREAM_MITDB");
    snprintf(dir, sizeof dir, "%s", (env && *env) ? env : VS_MITDB_DEFAULT);
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/100.hea", dir);
    FILE *f = fopen(probe, "rb");
    if (!f) {
        fprintf(stderr, "SKIP: MIT-BIH database not found at %s "
                        "(set VITALSTREAM_MITDB to its folder)\n", dir);
        return NULL;
    }
    fclose(f);
    return dir;
}

const char *vs_test_data_path(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", VS_TEST_DATA_DIR, name);
    return buf;
}

void vs_test_state_reseal(uint8_t *blob, size_t len)
{
    uint32_t payload = (uint32_t)(len - VS_STATE_HEADER_SIZE);
    for (int i = 0; i < 4; i++) blob[16 + i] = (uint8_t)(payload >> (8 * i));
    uint8_t *tmp = malloc(len);
    assert_non_null(tmp);
    memcpy(tmp, blob, 20);
    memcpy(tmp + 20, blob + VS_STATE_HEADER_SIZE, payload);
    uint32_t crc = vs_crc32(tmp, len - 4);
    free(tmp);
    for (int i = 0; i < 4; i++) blob[20 + i] = (uint8_t)(crc >> (8 * i));
}

#ifdef VS_TEST_HAVE_IO
float *vs_test_read_mitdb(const char *db, const char *record, int64_t *n, double *fs_hz)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", db, record);
    float *x = NULL;
    vs_io_error err;
    memset(&err, 0, sizeof err);
    if (vs_wfdb_read_signal(path, 0, &x, n, fs_hz, &err) != VS_OK)
        fail_msg("%s: %s", path, err.message);
    return x;
}
#endif
