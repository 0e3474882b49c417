/* io_host.c — what the WebAssembly build of vitalstream_io (src/io + libcsv) needs beyond the
 * library itself: file opening delegated to the JavaScript host, and the struct layouts the
 * TypeScript wrapper decodes.
 *
 * Emscripten's standalone libc reads and seeks through WASI (fd_read, fd_seek, fd_close), which
 * the host implements over in-memory files, but its open() only knows the standard streams.
 * Its __syscall_open is weak so that a build can supply its own: ours asks the host, which
 * answers with a file descriptor of a file it holds (bytes the caller passed, or a file it read
 * from disk under Node) or with -errno. The C reader code runs unchanged. */
#include <stddef.h>
#include <stdint.h>
#include "vitalstream/io.h"

__attribute__((import_module("env"), import_name("vs_host_open")))
extern int32_t vs_host_open(const char *path, int32_t flags);

long __syscall_open(const char *path, long flags, ...);
long __syscall_open(const char *path, long flags, ...)
{
    return vs_host_open(path, (int32_t)flags);
}

/* Offsets and sizes of vs_wfdb_header, vs_wfdb_signal and vs_io_error, in the order of
 * LAYOUT_FIELDS in bindings/wasm/src/io.ts. Returns how many values were written. */
#define F(type, field) (int32_t) offsetof(type, field)
__attribute__((visibility("default"))) int32_t vsw_io_layout(int32_t *out, int32_t cap)
{
    const int32_t v[] = {
        (int32_t)sizeof(vs_wfdb_header),
        F(vs_wfdb_header, record_name), F(vs_wfdb_header, n_segments),
        F(vs_wfdb_header, n_signals), F(vs_wfdb_header, fs_hz),
        F(vs_wfdb_header, counter_freq_hz), F(vs_wfdb_header, base_counter),
        F(vs_wfdb_header, n_samples), F(vs_wfdb_header, base_time),
        F(vs_wfdb_header, base_date), F(vs_wfdb_header, signals),
        F(vs_wfdb_header, comments),
        (int32_t)sizeof(vs_wfdb_signal),
        F(vs_wfdb_signal, file_name), F(vs_wfdb_signal, format),
        F(vs_wfdb_signal, samples_per_frame), F(vs_wfdb_signal, skew),
        F(vs_wfdb_signal, byte_offset), F(vs_wfdb_signal, gain_adu_per_mv),
        F(vs_wfdb_signal, gain_given), F(vs_wfdb_signal, adc_resolution_bits),
        F(vs_wfdb_signal, adc_zero), F(vs_wfdb_signal, baseline_adu),
        F(vs_wfdb_signal, initial_value), F(vs_wfdb_signal, checksum),
        F(vs_wfdb_signal, block_size), F(vs_wfdb_signal, units),
        F(vs_wfdb_signal, description),
        (int32_t)sizeof(vs_io_error),
        F(vs_io_error, status), F(vs_io_error, line), F(vs_io_error, file),
        F(vs_io_error, message),
        (int32_t)sizeof(((vs_wfdb_header *)0)->record_name),
        (int32_t)sizeof(((vs_wfdb_header *)0)->comments),
        (int32_t)sizeof(((vs_wfdb_signal *)0)->file_name),
        (int32_t)sizeof(((vs_wfdb_signal *)0)->units),
        (int32_t)sizeof(((vs_wfdb_signal *)0)->description),
        (int32_t)sizeof(((vs_io_error *)0)->message),
        VS_WFDB_MAX_SIGNALS,
    };
    int32_t n = (int32_t)(sizeof v / sizeof v[0]);
    for (int32_t i = 0; i < n && i < cap; i++) out[i] = v[i];
    return n;
}
#undef F

/* The column vs_csv_parse_column reads when the caller names none. */
__attribute__((visibility("default"))) int32_t vsw_csv_default_column(void)
{
#ifdef VS_CSV_COLUMN_AUTO
    return VS_CSV_COLUMN_AUTO;
#else
    return 0;
#endif
}
