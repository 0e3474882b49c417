/* test_abi.c — the binary interface that bindings (cffi, Emscripten, ctypes) rely on:
 *   - sizes and field offsets of every public struct are pinned, and equal what the library's
 *     vs_<type>_struct_size() functions report;
 *   - status codes keep their fixed numbers; vs_strerror gives a distinct static string for each
 *     and a string for unknown codes;
 *   - version macros == run-time version; constants-as-functions == their macros.
 *
 * Functions of modules are looked up with dlsym in the built libvitalstream.so (as a binding
 * would), so a function that is declared but not yet implemented fails this test at run time
 * rather than breaking the build. Lists of status codes and struct-size functions come from
 * abi_generated.h, generated from the public headers by tests/CMakeLists.txt. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vitalstream/vitalstream.h"
#include "vitalstream/io.h"
#ifdef VS_ABI_HAVE_GENERATED
#include "abi_generated.h"
#endif

#ifndef VS_ABI_STATUS_CODES
#define VS_ABI_STATUS_CODES(X)
#endif
#ifndef VS_ABI_STRUCT_SIZE_FUNCS
#define VS_ABI_STRUCT_SIZE_FUNCS(X)
#endif
#ifndef VS_ABI_STRUCT_SIZE_NO_TYPE
#define VS_ABI_STRUCT_SIZE_NO_TYPE(X)
#endif

/* ---- dlopen helpers ---------------------------------------------------------------------- */
static void *g_lib;

static int open_lib(void **state)
{
    (void)state;
#ifdef VS_ABI_SHARED_LIB
    g_lib = dlopen(VS_ABI_SHARED_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!g_lib) fprintf(stderr, "dlopen(%s): %s\n", VS_ABI_SHARED_LIB, dlerror());
#endif
    return 0;
}

static int close_lib(void **state)
{
    (void)state;
    if (g_lib) dlclose(g_lib);
    g_lib = NULL;
    return 0;
}

typedef size_t (*size_fn)(void);
typedef unsigned (*unsigned_fn)(void);

/* POSIX guarantees that a data pointer returned by dlsym can be converted to a function pointer;
 * memcpy keeps strict C compilers quiet about it. */
static void *sym(const char *name)
{
    if (!g_lib) {
        fail_msg("libvitalstream.so could not be opened (see stderr)");
        return NULL;
    }
    void *p = dlsym(g_lib, name);
    if (!p) fail_msg("%s is declared in a public header but not exported by libvitalstream.so",
                     name);
    return p;
}

static size_t call_size_fn(const char *name)
{
    void *p = sym(name);
    size_fn f;
    memcpy(&f, &p, sizeof f);
    return f();
}

static unsigned call_unsigned_fn(const char *name)
{
    void *p = sym(name);
    unsigned_fn f;
    memcpy(&f, &p, sizeof f);
    return f();
}

/* ---- struct layouts ------------------------------------------------------------------------ */
#define CHECK_SIZE(type, n) assert_int_equal(sizeof(type), (n))
#define CHECK_OFF(type, field, n) assert_int_equal(offsetof(type, field), (n))

static void test_vs_beat_layout(void **state)
{
    (void)state;
    CHECK_SIZE(vs_beat, 32);
    CHECK_OFF(vs_beat, sample_idx, 0);
    CHECK_OFF(vs_beat, decided_idx, 8);
    CHECK_OFF(vs_beat, amplitude_mv, 16);
    CHECK_OFF(vs_beat, rr_ms, 20);
    CHECK_OFF(vs_beat, flags, 24);
    CHECK_OFF(vs_beat, reserved, 28);
    assert_int_equal(call_size_fn("vs_beat_struct_size"), sizeof(vs_beat));
}

static void test_core_struct_layouts(void **state)
{
    (void)state;
    CHECK_SIZE(vs_biquad_coeffs, 40);
    CHECK_OFF(vs_biquad_coeffs, b0, 0);
    CHECK_OFF(vs_biquad_coeffs, b1, 8);
    CHECK_OFF(vs_biquad_coeffs, b2, 16);
    CHECK_OFF(vs_biquad_coeffs, a1, 24);
    CHECK_OFF(vs_biquad_coeffs, a2, 32);

    CHECK_SIZE(vs_state_info, 16);
    CHECK_OFF(vs_state_info, format_version, 0);
    CHECK_OFF(vs_state_info, module_id, 2);
    CHECK_OFF(vs_state_info, payload_size, 4);
    CHECK_OFF(vs_state_info, fs_hz, 8);

    /* documented in annotation.h: 280 bytes, no implicit padding */
    CHECK_SIZE(vs_annotation, 280);
    CHECK_OFF(vs_annotation, sample_idx, 0);
    CHECK_OFF(vs_annotation, code, 8);
    CHECK_OFF(vs_annotation, subtype, 10);
    CHECK_OFF(vs_annotation, channel, 12);
    CHECK_OFF(vs_annotation, num, 14);
    CHECK_OFF(vs_annotation, aux_len, 16);
    CHECK_OFF(vs_annotation, aux, 18);
    CHECK_OFF(vs_annotation, reserved, 274);
    assert_int_equal(sizeof(((vs_annotation *)0)->aux), 256);
    assert_int_equal(call_size_fn("vs_annot_struct_size"), sizeof(vs_annotation));

    /* enums are int-sized in the C ABI the bindings assume */
    assert_int_equal(sizeof(vs_status), sizeof(int));
    assert_int_equal(sizeof(vs_filter_kind), sizeof(int));
    assert_int_equal(sizeof(vs_qrs_param), sizeof(int));
}

/* vs_io_error is filled by every vitalstream_io call and read by bindings of the CLI tools.
 * (The WFDB header structs are plain data of the static io library and not pinned here.)
 * Sizes hold for LP64 (x86-64/aarch64 Linux): the struct contains a long. */
static void test_io_struct_layouts(void **state)
{
    (void)state;
#if UINTPTR_MAX != UINT64_MAX || LONG_MAX != INT64_MAX
    skip();
#endif
    CHECK_SIZE(vs_io_error, 528);
    CHECK_OFF(vs_io_error, status, 0);
    CHECK_OFF(vs_io_error, line, 8);
    CHECK_OFF(vs_io_error, file, 16);
    CHECK_OFF(vs_io_error, message, 272);
}

/* Every vs_<type>_struct_size() declared in a core header reports sizeof(vs_<type>). */
static void test_struct_size_functions(void **state)
{
    (void)state;
    int checked = 0;
#define VS_CHECK_STRUCT_SIZE(prefix, type)                                                      \
    do {                                                                                        \
        size_t got = call_size_fn(#prefix "_struct_size");                                      \
        if (got != sizeof(type))                                                                \
            fail_msg(#prefix "_struct_size() = %zu but sizeof(" #type ") = %zu", got,          \
                     sizeof(type));                                                             \
        checked++;                                                                              \
    } while (0);
    VS_ABI_STRUCT_SIZE_FUNCS(VS_CHECK_STRUCT_SIZE)
#undef VS_CHECK_STRUCT_SIZE
#define VS_NO_TYPE(type) fail_msg(#type "_struct_size() is declared but no type " #type " exists");
    VS_ABI_STRUCT_SIZE_NO_TYPE(VS_NO_TYPE)
#undef VS_NO_TYPE
    print_message("checked %d vs_*_struct_size() functions\n", checked);
    assert_true(checked >= 1); /* at least vs_beat_struct_size */
}

/* ---- status codes ---------------------------------------------------------------------------- */
static void test_status_numbers_fixed(void **state)
{
    (void)state;
    /* Numbers are part of the ABI and are never reused. */
    assert_int_equal(VS_OK, 0);
    assert_int_equal(VS_E_NULL_ARG, 1);
    assert_int_equal(VS_E_INVALID_ARG, 2);
    assert_int_equal(VS_E_NO_MEMORY, 3);
    assert_int_equal(VS_E_BUFFER_TOO_SMALL, 4);
    assert_int_equal(VS_E_FS_OUT_OF_RANGE, 5);
    assert_int_equal(VS_E_UNKNOWN_PARAM, 6);
    assert_int_equal(VS_E_PARAM_OUT_OF_RANGE, 7);
    assert_int_equal(VS_E_UNSTABLE_FILTER, 8);
    assert_int_equal(VS_E_STATE_TRUNCATED, 20);
    assert_int_equal(VS_E_STATE_BAD_MAGIC, 21);
    assert_int_equal(VS_E_STATE_NEWER_VERSION, 22);
    assert_int_equal(VS_E_STATE_WRONG_MODULE, 23);
    assert_int_equal(VS_E_STATE_MISMATCH, 24);
    assert_int_equal(VS_E_STATE_BAD_CHECKSUM, 25);
    assert_int_equal(VS_E_STATE_CORRUPT, 26);
    assert_int_equal(VS_E_IO, 40);
    assert_int_equal(VS_E_PARSE, 41);
    assert_int_equal(VS_E_UNSUPPORTED_FORMAT, 42);
    assert_int_equal(VS_E_TRUNCATED_FILE, 43);
    assert_int_equal(VS_E_NOT_FOUND, 44);
}

typedef struct code_entry {
    const char *name;
    int value;
} code_entry;

static const code_entry k_codes[] = {
#define VS_CODE_ENTRY(name, value) {#name, value},
    VS_ABI_STATUS_CODES(VS_CODE_ENTRY)
#undef VS_CODE_ENTRY
    {NULL, -1}};

static int is_known_code(int v)
{
    for (const code_entry *c = k_codes; c->name; c++)
        if (c->value == v) return 1;
    return 0;
}

static void test_strerror_distinct(void **state)
{
    (void)state;
    size_t n = sizeof k_codes / sizeof k_codes[0] - 1;
    assert_true(n >= 21); /* VS_OK + 20 errors at the time of writing; new ones are generated */
    const char *unknown = vs_strerror((vs_status)-1);
    assert_non_null(unknown);
    for (size_t i = 0; i < n; i++) {
        /* the generated list is the header's: its numbers equal the enum's */
        const char *s = vs_strerror((vs_status)k_codes[i].value);
        if (!s || !*s) fail_msg("vs_strerror(%s) is NULL or empty", k_codes[i].name);
        if (!strcmp(s, unknown))
            fail_msg("vs_strerror(%s) gives the unknown-code text \"%s\"", k_codes[i].name, s);
        for (size_t j = 0; j < i; j++) {
            if (k_codes[j].value == k_codes[i].value)
                fail_msg("%s and %s share number %d", k_codes[i].name, k_codes[j].name,
                         k_codes[i].value);
            if (!strcmp(s, vs_strerror((vs_status)k_codes[j].value)))
                fail_msg("vs_strerror(%s) == vs_strerror(%s) == \"%s\"", k_codes[i].name,
                         k_codes[j].name, s);
        }
        /* static storage: the same pointer every time */
        assert_ptr_equal(s, vs_strerror((vs_status)k_codes[i].value));
    }
}

static void test_strerror_unknown(void **state)
{
    (void)state;
    const int probes[] = {-1, -1000, INT_MIN, INT_MAX, 9, 19, 27, 39, 45, 99, 1000, 65536};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        if (is_known_code(probes[i])) continue; /* a future code took this number */
        const char *s = vs_strerror((vs_status)probes[i]);
        if (!s || !*s) fail_msg("vs_strerror(%d) is NULL or empty", probes[i]);
    }
}

/* ---- versions and constants ------------------------------------------------------------------ */
static void test_version(void **state)
{
    (void)state;
    assert_int_equal(VITALSTREAM_VERSION_NUMBER, VITALSTREAM_VERSION_MAJOR * 10000 +
                                                     VITALSTREAM_VERSION_MINOR * 100 +
                                                     VITALSTREAM_VERSION_PATCH);
    assert_true(VITALSTREAM_VERSION_MINOR < 100 && VITALSTREAM_VERSION_PATCH < 100);
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", VITALSTREAM_VERSION_MAJOR,
             VITALSTREAM_VERSION_MINOR, VITALSTREAM_VERSION_PATCH);
    assert_string_equal(VITALSTREAM_VERSION_STRING, expect);
    /* statically linked library */
    assert_int_equal(vs_version_number(), VITALSTREAM_VERSION_NUMBER);
    assert_non_null(vs_version_string());
    assert_string_equal(vs_version_string(), VITALSTREAM_VERSION_STRING);
    /* shared library */
    assert_int_equal(call_unsigned_fn("vs_version_number"), VITALSTREAM_VERSION_NUMBER);
    void *p = sym("vs_version_string");
    const char *(*vstr)(void);
    memcpy(&vstr, &p, sizeof vstr);
    assert_string_equal(vstr(), VITALSTREAM_VERSION_STRING);
}

static void test_constants_as_functions(void **state)
{
    (void)state;
    assert_true(vs_fs_min_hz() == VS_FS_MIN_HZ);
    assert_true(vs_fs_max_hz() == VS_FS_MAX_HZ);
    assert_true(VS_FS_MIN_HZ == 100.0 && VS_FS_MAX_HZ == 1000.0);
    assert_int_equal(call_unsigned_fn("vs_state_format_version"), VS_STATE_FORMAT_VERSION);
    assert_int_equal(VS_STATE_HEADER_SIZE, 24);
    assert_int_equal(call_size_fn("vs_iir_max_sections"), VS_IIR_MAX_SECTIONS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_beat_layout),
        cmocka_unit_test(test_core_struct_layouts),
        cmocka_unit_test(test_io_struct_layouts),
        cmocka_unit_test(test_struct_size_functions),
        cmocka_unit_test(test_status_numbers_fixed),
        cmocka_unit_test(test_strerror_distinct),
        cmocka_unit_test(test_strerror_unknown),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_constants_as_functions),
    };
    return cmocka_run_group_tests(tests, open_lib, close_lib);
}
