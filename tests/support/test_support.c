#include "test_support.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
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
