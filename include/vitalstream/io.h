/* io.h — file formats (library vitalstream_io, links libcsv): WFDB headers, signals in
 * formats 212 and 16, MIT-format annotation files, and CSV.
 *
 * Every call that reads or writes a file fills a vs_io_error (err may be NULL) naming the file,
 * the line (0 when not line-based) and the problem, so programs can print one clear message:
 * err.message is complete on its own, e.g. "100.hea:3: gain 'abc' is not a number" or
 * "100.dat: file has 1200 bytes but the header declares 650000 samples (1950000 bytes)".
 * On success err->status is VS_OK and err->message is "".
 *
 * Memory: arrays returned through `float **out` / `int32_t **out` / `uint8_t **out` are
 * malloc'ed by the library; free them with vs_io_free. On failure *out is NULL.
 * Sizes are bounded: a signal or CSV column holds at most VS_IO_MAX_VALUES values, an
 * annotation list at most VS_ANNOT_MAX_COUNT entries; larger inputs are rejected. */
#ifndef VITALSTREAM_IO_H
#define VITALSTREAM_IO_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "annotation.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VS_IO_MAX_VALUES 536870912    /* 2^29 samples in one read (all signals together) */
#define VS_ANNOT_MAX_COUNT 4194304    /* 2^22 annotations in one list */

typedef struct vs_io_error {
    vs_status status;
    long line;          /* 1-based line of a text file, 0 if not applicable */
    char file[256];     /* the file as named by the caller (or name_for_errors) */
    char message[256];  /* "100.hea:3: gain is not a number" style, complete on its own */
} vs_io_error;

/* ---- WFDB header (.hea) ----
 * Record line:  name[/nseg] nsig [fs[/counterfreq][(basecounter)]] [nsamp] [hh:mm:ss] [dd/mm/yyyy]
 * Signal lines: file fmt[xspf][:skew][+offset] gain[(baseline)][/units] adcres adczero initval
 *               checksum blksize description
 * Trailing fields may be omitted (WFDB rules). Defaults: fs 250 Hz when omitted or 0; gain 200
 * adu/mV when omitted or 0 (gain_given tells which); baseline = adczero; units "mV"; adcres by
 * format (12 for 212, 16 for 16, 10 for 8/80/310/311, else 0); initval = adczero.
 * Lines starting with '#' are comments (collected in order, '#' and leading blanks removed);
 * blank lines are ignored; CRLF and LF line ends are both accepted. */
#define VS_WFDB_MAX_SIGNALS 32
typedef struct vs_wfdb_signal {
    char file_name[128];
    int format;             /* 212, 16, ... (only 212 and 16 can be read or written) */
    int samples_per_frame;  /* 1 unless "fmtxN" (only 1 can be read) */
    int skew;               /* ":N" (only 0 can be read) */
    int64_t byte_offset;    /* "+N": bytes to skip at the start of the signal file */
    double gain_adu_per_mv; /* 200 if the header omits it or gives 0 (WFDB default) */
    int gain_given;         /* 1 if the header gave a nonzero gain */
    int adc_resolution_bits;
    int adc_zero;
    double baseline_adu;    /* defaults to adc_zero */
    int initial_value;
    int checksum;           /* 16-bit signed sum of all samples, as in the header */
    int block_size;
    char units[32];         /* "mV" default */
    char description[128];
} vs_wfdb_signal;

typedef struct vs_wfdb_header {
    char record_name[128];
    int n_segments;          /* 0 for a single-segment record, N for "name/N" (not readable;
                              * its segment lines are skipped and signals[] stays zeroed) */
    int n_signals;
    double fs_hz;            /* 250 if omitted (WFDB default) */
    double counter_freq_hz;  /* 0 if not given */
    double base_counter;     /* 0 if not given */
    int64_t n_samples;       /* per signal; 0 if not given */
    char base_time[32];      /* "" if not given */
    char base_date[32];      /* "" if not given */
    vs_wfdb_signal signals[VS_WFDB_MAX_SIGNALS];
    char comments[2048];     /* '#' lines joined with '\n', without the '#' */
    int comments_truncated;  /* 1 if comments did not fit (whole lines are kept) */
} vs_wfdb_header;

VS_API vs_status vs_wfdb_read_header(const char *hea_path, vs_wfdb_header *hdr, vs_io_error *err);
VS_API vs_status vs_wfdb_parse_header(const char *text, size_t len, const char *name_for_errors,
                                      vs_wfdb_header *hdr, vs_io_error *err);

/* Reads all samples of one signal of a record (record path without extension, e.g.
 * "/data/mitdb/100"), converted to physical units: (adu - baseline) / gain. WFDB's invalid
 * sample (the lowest code of the format: -2048 in format 212, -32768 in format 16, written by
 * recorders for lead-off or out-of-range samples) is returned as NaN, never as a voltage; the
 * detectors treat NaN as missing input. *out is malloc'ed
 * (free with vs_io_free); *n_out samples. Also returns fs (fs_hz may be NULL). Signal files are
 * looked up in the directory of the record. When the header gives no sample count, every
 * complete frame in the file is read; when it does and the file is shorter, the result is
 * VS_E_TRUNCATED_FILE. Formats other than 212 and 16: VS_E_UNSUPPORTED_FORMAT. */
VS_API vs_status vs_wfdb_read_signal(const char *record, int channel, float **out, int64_t *n_out,
                                     double *fs_hz, vs_io_error *err);
/* Signal files must stay in the record's folder: a header whose signal file name is absolute
 * (/x, \x, C:x) or contains ".." is refused (VS_E_UNSUPPORTED_FORMAT, nothing opened), so that
 * a server reading an uploaded record never opens another file. vs_wfdb_read_signal and
 * vs_wfdb_read_adc always refuse; the _ex variants accept such names with this flag. */
#define VS_WFDB_ALLOW_ANY_SIGNAL_PATH 1u
VS_API vs_status vs_wfdb_read_signal_ex(const char *record, int channel, unsigned flags,
                                        float **out, int64_t *n_out, double *fs_hz,
                                        vs_io_error *err);
/* Raw ADC values of all signals, interleaved frame by frame (n_samples * n_signals ints),
 * invalid samples included as their code (-2048 / -32768). hdr receives the parsed header
 * (required). */
VS_API vs_status vs_wfdb_read_adc(const char *record, vs_wfdb_header *hdr, int32_t **out,
                                  int64_t *n_samples, vs_io_error *err);
VS_API vs_status vs_wfdb_read_adc_ex(const char *record, unsigned flags, vs_wfdb_header *hdr,
                                     int32_t **out, int64_t *n_samples, vs_io_error *err);
/* Writes RECORD.hea + signal file(s) from interleaved ADC values (n_samples frames of
 * hdr->n_signals values). Signals are grouped by file_name (consecutive signals with the same
 * name share a file; an empty name means "<record base name>.dat"); every signal of a group
 * must have the same format, 16 or 212, and values must fit it (212: -2048..2047). The header
 * written uses n_samples, initial values and checksums computed from adc, byte offset 0, one
 * sample per frame and no skew; the other fields are taken from hdr. Reading the record back
 * gives the same header fields and the same ADC values. */
VS_API vs_status vs_wfdb_write_record(const char *record, const vs_wfdb_header *hdr,
                                      const int32_t *adc, int64_t n_samples, vs_io_error *err);

/* ---- MIT-format annotations (struct and codes in annotation.h) ----
 * Reading: 16-bit little-endian words, code = top 6 bits, time increment = low 10 bits;
 * SKIP (59) + 32-bit interval (high 16-bit word first), NUM (60), SUB (61), CHN (62) and AUX
 * (63: length byte, bytes, pad to even) modify the annotation before them; channel and num
 * carry over from one annotation to the next; the word 0 ends the file (a file may also simply
 * end after a complete annotation). Bytes after the end word are ignored.
 * Writing (the encoding of WFDB's putann): SKIP when the increment is negative or above 1023,
 * SUB when subtype != 0, CHN / NUM when they differ from the previous annotation (initially 0),
 * AUX when aux_len > 0, then the end word 0. A file in this canonical encoding is reproduced
 * byte for byte; all 48 MIT-BIH .atr files are canonical (tests/test_io_annot.c checks it).
 *
 * Lists: {0}-initialise a vs_annotation_list; read/parse replace its contents (on failure it
 * is left empty); free with vs_annot_list_free. */
typedef struct vs_annotation_list {
    vs_annotation *items;
    size_t count;
    size_t capacity;
} vs_annotation_list;

VS_API vs_status vs_annot_read(const char *path, vs_annotation_list *list, vs_io_error *err);
VS_API vs_status vs_annot_parse(const uint8_t *data, size_t len, const char *name_for_errors,
                                vs_annotation_list *list, vs_io_error *err);
/* Writes the list in MIT format; identical output for a list read from a file (round trip).
 * Rejects (VS_E_INVALID_ARG, nothing written) codes outside 0..58, code 0 where the format
 * would read it as the end word, fields outside their ranges, increments beyond 32 bits. */
VS_API vs_status vs_annot_write(const char *path, const vs_annotation_list *list, vs_io_error *err);
/* The bytes vs_annot_write would write; *out malloc'ed (vs_io_free). */
VS_API vs_status vs_annot_encode(const vs_annotation_list *list, uint8_t **out, size_t *out_len,
                                 vs_io_error *err);
VS_API vs_status vs_annot_append(vs_annotation_list *list, const vs_annotation *a);
VS_API void vs_annot_list_free(vs_annotation_list *list);

/* ---- CSV (libcsv) ----
 * Reads one numeric column. column_name (matched ignoring surrounding ' or " quotes and blanks,
 * e.g. 'MLII' in MIT-BIH exports) takes precedence; else column_index (0-based). Leading rows
 * whose chosen field is not a number are header rows (at most 2: names, then units); the name is
 * looked up in the first. Comma-separated, fields may be double-quoted, CRLF or LF.
 * Errors: empty file or no data rows, a non-numeric or empty cell in the chosen column, a row
 * with a different number of fields than the first row -> VS_E_PARSE with the line;
 * column name not in the header or index beyond the row -> VS_E_NOT_FOUND.
 *
 * column_name NULL and column_index VS_CSV_COLUMN_AUTO: the first signal column. A leading
 * sample-number or time column is skipped when it is named so (sample..., time..., elapsed...,
 * index, #, t, ... — e.g. 'sample #' and 'Elapsed time' of PhysioNet's rdsamp -c -v), holds clock
 * times (0:00.003), or, without a header row, increases in equal steps over the first 8 rows
 * (exactly for integers, to within the last printed digit for fractions such as seconds).
 * The chosen column is the first remaining one whose first data cell is a number; a header row
 * is one with no number in any field (at most 2: names, then units). When no column qualifies:
 * VS_E_NOT_FOUND, and the message lists the columns. */
#define VS_CSV_COLUMN_AUTO (-1)
VS_API vs_status vs_csv_read_column(const char *path, const char *column_name, int column_index,
                                    float **out, int64_t *n_out, vs_io_error *err);
VS_API vs_status vs_csv_parse_column(const char *text, size_t len, const char *name_for_errors,
                                     const char *column_name, int column_index,
                                     float **out, int64_t *n_out, vs_io_error *err);

VS_API void vs_io_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_IO_H */
