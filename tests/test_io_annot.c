/* test_io_annot.c — MIT-format annotations: hand-made encodings of every pseudo-annotation,
 * error handling, code helpers, and (when present) the 48 MIT-BIH .atr files: byte-identical
 * round trip and the beat counts of the database's reference table. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_support.h"
#include "vitalstream/io.h"

static vs_annotation ann(int64_t t, int code)
{
    vs_annotation a;
    memset(&a, 0, sizeof a);
    a.sample_idx = t;
    a.code = (int16_t)code;
    return a;
}

static void set_aux(vs_annotation *a, const char *bytes, uint16_t n)
{
    memcpy(a->aux, bytes, n);
    a->aux[n] = '\0';
    a->aux_len = n;
}

static void test_codes(void **state)
{
    (void)state;
    assert_int_equal(vs_annot_struct_size(), sizeof(vs_annotation));
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_NORMAL), "N");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_PVC), "V");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_PACE), "/");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_NOISE), "~");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_ARFCT), "|");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_NOTE), "\"");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_RHYTHM), "+");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_FLWAV), "!");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_VFON), "[");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_VFOFF), "]");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_AESC), "e");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_SVESC), "n");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_NAPC), "x");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_PFUS), "f");
    assert_string_equal(vs_annot_code_mnemonic(VS_ANN_LEARN), "?");
    assert_string_equal(vs_annot_code_mnemonic(15), "[15]");
    assert_string_equal(vs_annot_code_mnemonic(64), "?");
    assert_string_equal(vs_annot_code_mnemonic(-1), "?");
    const char *beats = "NLRaVFJASEj/Qenf";
    int n_beat = 0;
    for (int c = -5; c < 70; c++) {
        int b = vs_annot_is_beat(c);
        if (b) {
            n_beat++;
            assert_non_null(strchr(beats, vs_annot_code_mnemonic(c)[0]));
        }
    }
    assert_int_equal(n_beat, 16);
    assert_false(vs_annot_is_beat(VS_ANN_FLWAV));
    assert_false(vs_annot_is_beat(VS_ANN_NAPC));
    assert_false(vs_annot_is_beat(VS_ANN_NOTQRS));
    assert_true(vs_annot_is_beat(VS_ANN_PFUS));
}

/* Every pseudo-annotation, written by hand. */
static const uint8_t k_hand[] = {
    0x12, 0x70,             /* RHYTHM (28), +18 */
    0x03, 0xFC, '(', 'N', 0x00, 0x00, /* AUX len 3 "(N\0" + pad */
    0x3B, 0x04,             /* NORMAL, +59 -> 77 */
    0x00, 0xEC, 0x00, 0x00, 0x10, 0x00, /* SKIP +16 (high word 0, low 16) */
    0x00, 0x14,             /* PVC, +0 -> 93 */
    0x02, 0xF4,             /* SUB 2 */
    0x01, 0xF8,             /* CHN 1 */
    0xFF, 0xF3,             /* NUM -1 (0x3FF) */
    0x00, 0xEC, 0xFF, 0xFF, 0xF6, 0xFF, /* SKIP -10 */
    0x00, 0x04,             /* NORMAL -> 83, chan 1 and num -1 carried over */
    0x00, 0xEC, 0x01, 0x00, 0x00, 0x00, /* SKIP +65536 */
    0x00, 0x58,             /* NOTE (22) -> 65619 */
    0x00, 0xF8,             /* CHN 0 */
    0x00, 0xF0,             /* NUM 0 */
    0x04, 0xFC, 'M', 'I', 'S', 'S', /* AUX len 4, no NUL, even */
    0xFF, 0x07,             /* NORMAL +1023 -> 66642 */
    0x00, 0x00              /* end */
};

static void test_hand_made(void **state)
{
    (void)state;
    vs_annotation_list l = {0};
    vs_io_error e;
    assert_int_equal(vs_annot_parse(k_hand, sizeof k_hand, "hand.atr", &l, &e), VS_OK);
    assert_int_equal(l.count, 6);
    const vs_annotation *a = l.items;
    assert_int_equal(a[0].sample_idx, 18);
    assert_int_equal(a[0].code, VS_ANN_RHYTHM);
    assert_int_equal(a[0].aux_len, 3);
    assert_memory_equal(a[0].aux, "(N\0", 3);
    assert_int_equal(a[1].sample_idx, 77);
    assert_int_equal(a[1].aux_len, 0);
    assert_int_equal(a[2].sample_idx, 93);
    assert_int_equal(a[2].code, VS_ANN_PVC);
    assert_int_equal(a[2].subtype, 2);
    assert_int_equal(a[2].channel, 1);
    assert_int_equal(a[2].num, -1);
    assert_int_equal(a[3].sample_idx, 83);
    assert_int_equal(a[3].subtype, 0);
    assert_int_equal(a[3].channel, 1);
    assert_int_equal(a[3].num, -1);
    assert_int_equal(a[4].sample_idx, 65619);
    assert_int_equal(a[4].code, VS_ANN_NOTE);
    assert_int_equal(a[4].channel, 0);
    assert_int_equal(a[4].num, 0);
    assert_int_equal(a[4].aux_len, 4);
    assert_string_equal(a[4].aux, "MISS");
    assert_int_equal(a[5].sample_idx, 66642);
    /* SKIP +16 above is not what the writer emits (16 fits in 10 bits): expect that word
     * pair replaced by a plain +16 increment, everything else identical */
    uint8_t *out;
    size_t n;
    assert_int_equal(vs_annot_encode(&l, &out, &n, &e), VS_OK);
    assert_int_equal(n, sizeof k_hand - 6);
    assert_memory_equal(out, k_hand, 10);
    assert_int_equal(out[10], 0x10);
    assert_int_equal(out[11], 0x14);
    assert_memory_equal(out + 12, k_hand + 18, sizeof k_hand - 18);
    vs_io_free(out);

    /* building a list by hand and writing it to a file, then reading it back */
    vs_annotation_list w = {0};
    vs_annotation x = ann(5, VS_ANN_NORMAL);
    assert_int_equal(vs_annot_append(&w, &x), VS_OK);
    x = ann(5000000000LL, VS_ANN_PVC); /* a step that needs more than 32 bits */
    assert_int_equal(vs_annot_append(&w, &x), VS_OK);
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_E_INVALID_ARG);
    w.items[1].sample_idx = 2000000000LL;
    w.items[1].subtype = -3;
    set_aux(&w.items[1], "odd", 3);
    char path[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/vs_io_annot_%ld.atr", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    assert_int_equal(vs_annot_write(path, &w, &e), VS_OK);
    vs_annotation_list r = {0};
    assert_int_equal(vs_annot_read(path, &r, &e), VS_OK);
    remove(path);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.items[1].sample_idx, 2000000000LL);
    assert_int_equal(r.items[1].subtype, -3);
    assert_string_equal(r.items[1].aux, "odd");
    vs_annot_list_free(&r);
    vs_annot_list_free(&w);
    vs_annot_list_free(&l);
    assert_null(l.items);
    assert_int_equal(l.count, 0);
}

static void test_parse_errors(void **state)
{
    (void)state;
    vs_annotation_list l = {0};
    vs_io_error e;
    static const uint8_t skip_cut[] = {0x00, 0xEC, 0x00, 0x00};
    static const uint8_t aux_cut[] = {0x01, 0x04, 0x05, 0xFC, 'a', 'b'};
    static const uint8_t odd[] = {0x01, 0x04, 0x01};
    static const uint8_t num_first[] = {0x01, 0xF0, 0x01, 0x04, 0, 0};
    static const uint8_t no_end[] = {0x01, 0x04, 0x02, 0x04};
    static const uint8_t trailing[] = {0x01, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56};
    assert_int_equal(vs_annot_parse(skip_cut, sizeof skip_cut, "a.atr", &l, &e),
                     VS_E_TRUNCATED_FILE);
    assert_non_null(strstr(e.message, "a.atr: "));
    assert_non_null(strstr(e.message, "SKIP"));
    assert_int_equal(vs_annot_parse(aux_cut, sizeof aux_cut, "a.atr", &l, &e),
                     VS_E_TRUNCATED_FILE);
    assert_non_null(strstr(e.message, "AUX"));
    assert_int_equal(l.count, 0);
    assert_int_equal(vs_annot_parse(odd, sizeof odd, "a.atr", &l, &e), VS_E_TRUNCATED_FILE);
    assert_int_equal(vs_annot_parse(num_first, sizeof num_first, "a.atr", &l, &e), VS_E_PARSE);
    assert_int_equal(vs_annot_parse(odd, 0, "a.atr", &l, &e), VS_E_PARSE);
    assert_non_null(strstr(e.message, "empty"));
    /* tolerated: no end word, bytes after the end word */
    assert_int_equal(vs_annot_parse(no_end, sizeof no_end, "a.atr", &l, &e), VS_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[1].sample_idx, 3);
    assert_int_equal(vs_annot_parse(trailing, sizeof trailing, "a.atr", &l, &e), VS_OK);
    assert_int_equal(l.count, 1);
    vs_annot_list_free(&l);
    /* missing file */
    assert_int_equal(vs_annot_read("/nonexistent/x.atr", &l, &e), VS_E_IO);
    assert_non_null(strstr(e.message, "/nonexistent/x.atr"));

    /* writer rejections */
    vs_annotation_list w = {0};
    vs_annotation x = ann(0, VS_ANN_NOTQRS); /* would be the end word */
    vs_annot_append(&w, &x);
    uint8_t *out;
    size_t n;
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_E_INVALID_ARG);
    assert_null(out);
    w.items[0].sample_idx = 3; /* NOTQRS with a nonzero step is representable */
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_OK);
    vs_io_free(out);
    w.items[0].code = 60;
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_E_INVALID_ARG);
    w.items[0].code = 1;
    w.items[0].num = 600;
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_E_INVALID_ARG);
    w.items[0].num = 0;
    w.items[0].aux_len = 300;
    assert_int_equal(vs_annot_encode(&w, &out, &n, &e), VS_E_INVALID_ARG);
    assert_int_equal(vs_annot_write("/nonexistent/dir/x.atr", &w, &e), VS_E_INVALID_ARG);
    assert_non_null(strstr(e.message, "/nonexistent/dir/x.atr: annotation 0"));
    x.aux_len = 256;
    assert_int_equal(vs_annot_append(&w, &x), VS_E_INVALID_ARG);
    vs_annot_list_free(&w);
}

static const struct { int rec, beats, all; } k_table[48] = {
    {100, 2273, 2274}, {101, 1865, 1874}, {102, 2187, 2192}, {103, 2084, 2091},
    {104, 2229, 2311}, {105, 2572, 2691}, {106, 2027, 2098}, {107, 2137, 2140},
    {108, 1763, 1824}, {109, 2532, 2535}, {111, 2124, 2133}, {112, 2539, 2550},
    {113, 1795, 1796}, {114, 1879, 1890}, {115, 1953, 1962}, {116, 2412, 2421},
    {117, 1535, 1539}, {118, 2278, 2301}, {119, 1987, 2094}, {121, 1863, 1876},
    {122, 2476, 2479}, {123, 1518, 1519}, {124, 1619, 1634}, {200, 2601, 2792},
    {201, 1963, 2039}, {202, 2136, 2146}, {203, 2980, 3108}, {205, 2656, 2672},
    {207, 1860, 2385}, {208, 2955, 3040}, {209, 3005, 3052}, {210, 2650, 2685},
    {212, 2748, 2763}, {213, 3251, 3294}, {214, 2262, 2297}, {215, 3363, 3400},
    {217, 2208, 2280}, {219, 2154, 2312}, {220, 2048, 2069}, {221, 2427, 2462},
    {222, 2483, 2634}, {223, 2605, 2643}, {228, 2053, 2141}, {230, 2256, 2466},
    {231, 1571, 2011}, {232, 1780, 1816}, {233, 3079, 3152}, {234, 2753, 2764},
};

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n < 0) {
        fclose(f);
        return NULL;
    }
    uint8_t *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static void test_mitdb_roundtrip_and_beats(void **state)
{
    (void)state;
    const char *db = vs_test_mitdb_dir();
    if (!db) {
        skip();
        return;
    }
    char tmp[256];
    const char *t = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/vs_io_rt_%ld.atr", t && *t ? t : "/tmp", (long)getpid());
    long total_beats = 0, total_all = 0;
    vs_annotation_list l = {0};
    for (int r = 0; r < 48; r++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%d.atr", db, k_table[r].rec);
        vs_io_error e;
        if (vs_annot_read(path, &l, &e) != VS_OK) fail_msg("%s", e.message);
        long beats = 0;
        for (size_t i = 0; i < l.count; i++) beats += vs_annot_is_beat(l.items[i].code);
        if (beats != k_table[r].beats || (long)l.count != k_table[r].all)
            fail_msg("record %d: %ld beats / %zu annotations, table says %d / %d",
                     k_table[r].rec, beats, l.count, k_table[r].beats, k_table[r].all);
        total_beats += beats;
        total_all += (long)l.count;
        assert_int_equal(vs_annot_write(tmp, &l, &e), VS_OK);
        size_t n0 = 0, n1 = 0;
        uint8_t *orig = slurp(path, &n0), *back = slurp(tmp, &n1);
        assert_non_null(orig);
        assert_non_null(back);
        if (n0 != n1 || memcmp(orig, back, n0) != 0) {
            size_t k = 0;
            while (k < n0 && k < n1 && orig[k] == back[k]) k++;
            fail_msg("record %d: written file differs at byte %zu (sizes %zu, %zu)",
                     k_table[r].rec, k, n0, n1);
        }
        free(orig);
        free(back);
    }
    remove(tmp);
    vs_annot_list_free(&l);
    assert_int_equal(total_beats, 109494);
    assert_int_equal(total_all, 112647);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_hand_made),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_mitdb_roundtrip_and_beats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
