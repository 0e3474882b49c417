/* test_support.h — helpers shared by the cmocka tests. */
#ifndef VS_TEST_SUPPORT_H
#define VS_TEST_SUPPORT_H
#include <stddef.h>

/* Directory of the MIT-BIH database: $VITALSTREAM_MITDB, else ../shared/data/mitdb beside the
 * repository. Returns NULL (and prints why) when 100.hea is not there. */
const char *vs_test_mitdb_dir(void);

/* Path of a file under tests/data. */
const char *vs_test_data_path(const char *name, char *buf, size_t cap);

#endif
