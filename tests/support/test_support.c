#include "test_support.h"
#include <stdio.h>
#include <stdlib.h>

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
