/* cmd_eval.c — placeholder, being written. */
#include <stdio.h>
#include "cli.h"
int vs_cli_eval(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "vitalstream: 'eval' is not available yet\n");
    return VS_EXIT_USAGE;
}
