/* io.h — file formats (library vitalstream_io, links libcsv): WFDB headers, signals in
 * formats 212 and 16, MIT-format annotation files, and CSV.
 *
 * Every call that reads a file fills a vs_io_error naming the file, the line (0 when not
 * line-based) and the problem, so programs can print one clear message. */
#ifndef VITALSTREAM_IO_H
#define VITALSTREAM_IO_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "annotation.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vs_io_error {
    vs_status status;
    long line;          /* 1-based line of a text file, 0 if not applicable */
    char file[256];
    char message[256];  /* "100.hea:3: gain is not a number" style detail */
} vs_io_error;

/* ---- WFDB header (.hea) ---- */
#define VS_WFDB_MAX_SIGNALS 32
typedef struct vs_wfdb_signal {
    char file_name[128];
    int format;          /* 212, 16, ... (only 212 and 16 can be read) */
    double gain_adu_per_mv; /* 200 if the header omits it (WFDB default) */
    int adc_resolution_bits;
    int adc_zero;
    double baseline_adu; /* defaults to adc_zero */
    int initial_value;
    int checksum;
    int block_size;
    char units[32];      /* "mV" default */
    char description[128];
} vs_wfdb_signal;

typedef struct vs_wfdb_header {
    char record_name[128];
    int n_signals;
    double fs_hz;        /* 250 if omitted (WFDB default) */
    int64_t n_samples;   /* per signal; 0 if not given */
    vs_wfdb_signal signals[VS_WFDB_MAX_SIGNALS];
    char comments[2048]; /* '#' lines joined with '\n', without the '#' */
} vs_wfdb_header;

VS_API vs_status vs_wfdb_read_header(const char *hea_path, vs_wfdb_header *hdr, vs_io_error *err);
VS_API vs_status vs_wfdb_parse_header(const char *text, size_t len, const char *name_for_errors,
                                      vs_wfdb_header *hdr, vs_io_error *err);

/* Reads all samples of one signal of a record (record path without extension, e.g.
 * "/data/mitdb/100"), converted to physical units: (adu - baseline) / gain. *out is malloc'ed
 * (free with vs_io_free); *n_out samples. Also returns fs. */
VS_API vs_status vs_wfdb_read_signal(const char *record, int channel, float **out, int64_t *n_out,
                                     double *fs_hz, vs_io_error *err);
/* Raw ADC values of all signals, interleaved frame by frame (n_samples * n_signals ints). */
VS_API vs_status vs_wfdb_read_adc(const char *record, vs_wfdb_header *hdr, int32_t **out,
                                  int64_t *n_samples, vs_io_error *err);
/* Writes RECORD.hea + RECORD.dat (format 16 or 212) from interleaved ADC values. */
VS_API vs_status vs_wfdb_write_record(const char *record, const vs_wfdb_header *hdr,
                                      const int32_t *adc, int64_t n_samples, vs_io_error *err);

/* ---- MIT-format annotations (struct and codes in annotation.h) ---- */
typedef struct vs_annotation_list {
    vs_annotation *items;
    size_t count;
    size_t capacity;
} vs_annotation_list;

VS_API vs_status vs_annot_read(const char *path, vs_annotation_list *list, vs_io_error *err);
VS_API vs_status vs_annot_parse(const uint8_t *data, size_t len, const char *name_for_errors,
                                vs_annotation_list *list, vs_io_error *err);
/* Writes the list in MIT format; identical output for a list read from a file (round trip). */
VS_API vs_status vs_annot_write(const char *path, const vs_annotation_list *list, vs_io_error *err);
VS_API vs_status vs_annot_append(vs_annotation_list *list, const vs_annotation *a);
VS_API void vs_annot_list_free(vs_annotation_list *list);

/* ---- CSV (libcsv) ---- */
/* Reads one numeric column of a CSV file. column_name (matched with or without quotes, e.g.
 * 'MLII' in MIT-BIH exports) takes precedence; else column_index (0-based). A header row is
 * detected when its chosen field is not numeric. */
VS_API vs_status vs_csv_read_column(const char *path, const char *column_name, int column_index,
                                    float **out, int64_t *n_out, vs_io_error *err);

VS_API void vs_io_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* VITALSTREAM_IO_H */
