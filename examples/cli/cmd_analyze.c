/* cmd_analyze.c — placeholder, being written. */
#include <stdio.h>
#include "cli.h"
int vs_cli_analyze(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "vitalstream: 'analyze' is not available yet\n");
    return VS_EXIT_USAGE;
}
