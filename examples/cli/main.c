/* main.c — `vitalstream` command-line program: dispatch to subcommands. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "vitalstream/common.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vitalstream COMMAND [options]\n"
            "commands:\n"
            "  detect RECORD [-c CHANNEL] [-o OUTFILE] [--chunk N] [--roundtrip-state] [--fs HZ]\n"
            "  eval --db DIR [--records R1,R2,...] [--ann EXT] [--json]\n"
            "  analyze RECORD [-c CHANNEL] [--fs HZ]\n"
            "  synth -o NAME [options]   (vitalstream synth --help)\n"
            "  version\n"
            "Exit status: 0 ok, 1 usage error, 2 input error.\n");
}

int main(int argc, char **argv)
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
        usage(stdout);
        return VS_EXIT_OK;
    }
    fprintf(stderr, "vitalstream: unknown command '%s'\n", cmd);
    usage(stderr);
    return VS_EXIT_USAGE;
}
