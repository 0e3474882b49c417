/* cli.h — shared pieces of the vitalstream command-line program. */
#ifndef VS_CLI_H
#define VS_CLI_H
#include <stdint.h>
#include <stdio.h>

/* Exit statuses: 0 ok, 1 usage error, 2 input error (message names the file and problem). */
enum { VS_EXIT_OK = 0, VS_EXIT_USAGE = 1, VS_EXIT_INPUT = 2 };

int vs_cli_detect(int argc, char **argv);
int vs_cli_eval(int argc, char **argv);
int vs_cli_eval_rhythm(int argc, char **argv); /* eval --rhythm (cmd_eval_rhythm.c) */
int vs_cli_analyze(int argc, char **argv);
int vs_cli_synth(int argc, char **argv);

/* Progress bar on stderr, only when stderr is a terminal. done/total in any unit. */
void vs_cli_progress(const char *label, int64_t done, int64_t total);
void vs_cli_progress_end(void);

/* Loads channel `channel` of RECORD (WFDB path without extension, or a .csv file with fs_hz
 * given, channel = column index, or column name if column_name != NULL).
 * Prints "vitalstream: FILE: problem" and returns 2 on failure. */
int vs_cli_load_signal(const char *record, int channel, const char *column_name, double csv_fs_hz,
                       float **signal, int64_t *n, double *fs_hz);
#endif
