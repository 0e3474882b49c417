/* test_crc32.c — vs_crc32 (state.h), the checksum of every state blob, equals a bitwise CRC-32
 * (reflected 0xEDB88320, inverted in and out) at every length up to 1100 bytes and every start
 * offset modulo 8: on x86-64 this covers the carry-less-multiply path (64 bytes and more), the
 * table path and the tail the tables finish after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vitalstream/state.h"

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
    uint32_t c = ~0u;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static void test_known_value(void **state)
{
    (void)state;
    assert_int_equal(vs_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    assert_int_equal(vs_crc32((const uint8_t *)"", 0), 0);
    assert_int_equal(vs_crc32(NULL, 10), 0);
}

static void test_every_length_and_offset(void **state)
{
    (void)state;
    static uint8_t buf[1200];
    uint64_t s = 1;
    for (size_t i = 0; i < sizeof buf; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (uint8_t)(s >> 33);
    }
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n + off <= 1100; n++)
            if (vs_crc32(buf + off, n) != crc32_bitwise(buf + off, n))
                fail_msg("length %zu at offset %zu", n, off);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_value),
        cmocka_unit_test(test_every_length_and_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
