/* cli.h — shared pieces of the vitalstream command-line program. */
#ifndef VS_CLI_H
#define VS_CLI_H
#include <stdint.h>
#include <stdio.h>

/* Exit statuses: 0 ok, 1 usage error, 2 input error (message names the file and problem). */
enum { VS_EXIT_OK = 0, VS_EXIT_USAGE = 1, VS_EXIT_INPUT = 2 };

int vs_cli_detect(int argc, char **argv);
/* Each subcommand's --help text (also printed, all together, by vitalstream --help). */
void vs_cli_detect_usage(FILE *f);
void vs_cli_analyze_usage(FILE *f);
void vs_cli_eval_usage(FILE *f);
void vs_cli_eval_rhythm_usage(FILE *f);
void vs_cli_synth_usage(FILE *f);
int vs_cli_eval(int argc, char **argv);
int vs_cli_eval_rhythm(int argc, char **argv); /* eval --rhythm (cmd_eval_rhythm.c) */
/* A number of seconds >= 0 for option opt; prints why and returns 0 when s is not one. */
int vs_cli_parse_seconds(const char *opt, const char *s, double *out);
/* s as a JSON string literal (quotes, backslashes and control characters escaped). */
void vs_cli_json_string(FILE *f, const char *s);
int vs_cli_analyze(int argc, char **argv);
int vs_cli_synth(int argc, char **argv);

/* Progress bar on stderr, only when stderr is a terminal. done/total in any unit. */
void vs_cli_progress(const char *label, int64_t done, int64_t total);
void vs_cli_progress_end(void);

/* Loads channel `channel` of RECORD (WFDB path without extension, or a .csv file with fs_hz
 * given, channel = column index, or column name if column_name != NULL). channel -1: signal 0
 * of a record, the first signal column of a CSV file (VS_CSV_COLUMN_AUTO).
 * Prints "vitalstream: FILE: problem" and returns 2 on failure (1 when an option does not fit
 * the kind of input, e.g. --fs for a WFDB record). */
int vs_cli_load_signal(const char *record, int channel, const char *column_name, double csv_fs_hz,
                       float **signal, int64_t *n, double *fs_hz);
/* The same with the CSV column's gain in ADC units per mV: 0 decides from the values (a column
 * of integers only, spanning more than any ECG in mV, is read as ADC units at WFDB's default
 * gain of 200 per mV, with a note on stderr); 1 takes the values as mV. */
int vs_cli_load_signal_gain(const char *record, int channel, const char *column_name,
                            double csv_fs_hz, double csv_gain, float **signal, int64_t *n,
                            double *fs_hz);

/* ---- the options that choose the input signal (signal_opts.c) --------------------------------- */
typedef struct vs_cli_signal_opts {
    int channel;         /* -c/--channel; -1 when not given */
    const char *column;  /* --column NAME (CSV) */
    double fs_hz;        /* --fs HZ (CSV); 0 when not given */
    double gain;         /* --gain ADU_PER_MV (CSV); 0 when not given: decided from the values */
} vs_cli_signal_opts;
void vs_cli_signal_opts_init(vs_cli_signal_opts *o);
/* argv[*i] is -c/--channel, --column, --fs or --gain: consumes its value (++*i) and returns 1; prints why
 * and returns -1 when the value is missing or bad; returns 0 for any other argument. */
int vs_cli_signal_option(int argc, char **argv, int *i, vs_cli_signal_opts *o);
/* The help lines of RECORD, -c, --column, --fs and --gain. */
void vs_cli_signal_opts_help(FILE *f);
/* A sampling rate within the library's range for option opt; prints why and returns 0 if not. */
int vs_cli_parse_fs(const char *opt, const char *s, double *out);

/* ---- whole-pipeline runs (monitor_run.c) ------------------------------------------------------ */
#include "vitalstream/io.h"
#include "vitalstream/monitor.h"

typedef struct vs_cli_events {
    vs_event *ev;            /* every event of the record, in emission order */
    size_t count, cap;
    double fs_hz;
    int64_t n;               /* samples analysed */
    vs_status hrv_status;    /* of hrv_window (the monitor's rolling window at the end) */
    vs_hrv_result hrv_window;
    size_t state_bytes_max;  /* largest monitor state blob seen between chunks */
    size_t state_bytes_end;  /* monitor state blob size at the end */
} vs_cli_events;

/* vs_rhythm parameters to set before a run (rhythm.h numbering). */
#define VS_CLI_MAX_RHYTHM_PARAMS 16
typedef struct vs_cli_rhythm_params {
    int count;
    int id[VS_CLI_MAX_RHYTHM_PARAMS];
    double value[VS_CLI_MAX_RHYTHM_PARAMS];
} vs_cli_rhythm_params;

/* Runs vs_monitor over x in chunks of `chunk` samples (0: whole signal), optionally with a state
 * save -> destroy -> create -> load between chunks, with the rhythm parameters rp (NULL: the
 * defaults). Prints "vitalstream: NAME: problem" and returns 2 on failure. */
int vs_cli_run_monitor(const char *name, const float *x, int64_t n, double fs, size_t chunk,
                       int roundtrip, const vs_cli_rhythm_params *rp, vs_cli_events *out);
void vs_cli_events_free(vs_cli_events *ev);
/* Beats (their class code), RHYTHM onsets (aux "(N", "(AFIB", ...) and NOISE changes, in time
 * order, as a WFDB annotation list. */
vs_status vs_cli_events_to_annotations(const vs_cli_events *ev, vs_annotation_list *list);
/* The RHYTHM annotation that marks the onset of a vs_rhythm type (its MIT-BIH aux string) at
 * sample onset; 0 if the type has no aux string. */
int vs_cli_rhythm_annotation(int type, int64_t onset, vs_annotation *a);

/* ---- what eval and eval --rhythm share (eval_records.c) --------------------------------------- */
/* Record names longer than this - 1 characters are refused (the result tables hold them). */
#define VS_CLI_RECORD_NAME_MAX 128

typedef struct vs_cli_names {
    char **items;
    size_t count, cap;
} vs_cli_names;

/* The names of list (comma-separated, blanks trimmed) or, when list is NULL, the lines of
 * DB/RECORDS. Returns 0, or prints why and returns 1 (a bad list) or 2 (the RECORDS file), with
 * *out empty. */
int vs_cli_read_record_names(const char *db, const char *list, vs_cli_names *out);
void vs_cli_names_free(vs_cli_names *l);

typedef struct vs_cli_eval_record {
    char base[4096];         /* DB/RECORD: the WFDB path without extension */
    double fs_hz;            /* from DB/RECORD.hea */
    int64_t length_samples;  /* from DB/RECORD.hea; 0 when it does not say */
    vs_annotation_list ref;  /* DB/RECORD.atr */
    vs_annotation_list test; /* DB/RECORD.EXT when ann (EXT) is given; else empty, for the caller */
} vs_cli_eval_record;

/* The checks both eval commands make once the options are parsed, in this order: --db given,
 * --ann an extension (ann_example is the one the message suggests), --records not empty (only
 * when check_records), --end not before --start. Returns 1, or prints why and returns 0. */
int vs_cli_eval_check_args(const char *db, const char *ann, const char *ann_example,
                           const char *records, int check_records, double start_s,
                           double end_s);

/* Reads the header, the reference annotations and, with ann, the test annotations of RECORD in
 * DB. Returns 0, or prints "vitalstream: FILE: problem" and returns 2 with nothing to free. */
int vs_cli_eval_record_load(const char *db, const char *rec, const char *ann,
                            vs_cli_eval_record *r);
void vs_cli_eval_record_free(vs_cli_eval_record *r);
/* Channel 0 of RECORD through the whole monitor (vs_cli_run_monitor with rp, NULL: defaults),
 * appended to out as vs_cli_events_to_annotations gives it: the file `detect --classify` writes.
 * Prints "vitalstream: FILE: problem" and returns 2 on failure. */
int vs_cli_monitor_annotations(const char *record, const vs_cli_rhythm_params *rp,
                               vs_annotation_list *out);
#endif
