/* main.c — `vitalstream` command-line program: dispatch to subcommands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "vitalstream/common.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream COMMAND [options]     (vitalstream COMMAND --help: one command)\n"
            "commands:\n"
            "  detect    QRS detection (or, with --classify, the whole monitor) -> annotation file\n"
            "  analyze   the whole monitor over one record: beats, HRV, rhythm, alarms, quality\n"
            "  eval      EC57 scores against reference annotations (beats, classes, AF episodes)\n"
            "  synth     write a synthetic ECG record with reference annotations\n"
            "  version   print the library version (also --version)\n"
            "  help      this text (also -h, --help)\n"
            "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

/* Every command with every option: what `vitalstream --help` prints. */
static void full_help(FILE *f)
{
    usage(f);
    void (*const each[])(FILE *) = {vs_cli_detect_usage, vs_cli_analyze_usage, vs_cli_eval_usage,
                                     vs_cli_eval_rhythm_usage, vs_cli_synth_usage};
    for (size_t i = 0; i < sizeof each / sizeof each[0]; i++) {
        fputc('\n', f);
        each[i](f);
    }
}

static int run(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return VS_EXIT_USAGE; }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "detect")) return vs_cli_detect(argc - 1, argv + 1);
    if (!strcmp(cmd, "eval")) return vs_cli_eval(argc - 1, argv + 1);
    if (!strcmp(cmd, "analyze")) return vs_cli_analyze(argc - 1, argv + 1);
    if (!strcmp(cmd, "synth")) return vs_cli_synth(argc - 1, argv + 1);
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("vitalstream %s\n", vs_version_string());
        return VS_EXIT_OK;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        full_help(stdout);
        return VS_EXIT_OK;
    }
    fprintf(stderr, "vitalstream: unknown command '%s'\n", cmd);
    usage(stderr);
    return VS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    int rc = run(argc, argv);
    /* Results go to stdout: a full disk or a closed pipe must not look like success. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vitalstream: standard output: %s\n",
                errno ? strerror(errno) : "write error");
        if (rc == VS_EXIT_OK) rc = VS_EXIT_INPUT;
    }
    return rc;
}
