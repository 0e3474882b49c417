/* test_support.h — helpers shared by the cmocka tests. */
#ifndef VS_TEST_SUPPORT_H
#define VS_TEST_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/* Directory of the MIT-BIH database: $VITALSTREAM_MITDB, else ../shared/data/mitdb beside the
 * repository. Returns NULL (and prints why) when 100.hea is not there. */
const char *vs_test_mitdb_dir(void);

/* Path of a file under tests/data. */
const char *vs_test_data_path(const char *name, char *buf, size_t cap);

/* Rewrites the length field (len - 24) and the CRC of a state blob after a deliberate edit, so
 * that a test reaches the check behind the checksum (version, module, fs, field ranges). */
void vs_test_state_reseal(uint8_t *blob, size_t len);

#ifdef VS_TEST_HAVE_IO
/* Channel 0 of db/record (asserts it reads); free with vs_io_free. */
float *vs_test_read_mitdb(const char *db, const char *record, int64_t *n, double *fs_hz);
#endif

#endif
