/* cmd_synth.c — placeholder, being written. */
#include <stdio.h>
#include "cli.h"
int vs_cli_synth(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "vitalstream: 'synth' is not available yet\n");
    return VS_EXIT_USAGE;
}
