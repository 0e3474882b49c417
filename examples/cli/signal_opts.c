/* signal_opts.c — the options that choose the input signal (-c, --column, --fs, --gain), shared by
 * detect and analyze so that both parse, check and describe them the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vitalstream/common.h"

void vs_cli_signal_opts_init(vs_cli_signal_opts *o)
{
    o->channel = -1;
    o->column = NULL;
    o->fs_hz = 0.0;
    o->gain = 0.0;
}

int vs_cli_parse_fs(const char *opt, const char *s, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= vs_fs_min_hz() && v <= vs_fs_max_hz())) {
        fprintf(stderr, "vitalstream: %s needs a sampling rate from %g to %g Hz, not '%s'\n", opt,
                vs_fs_min_hz(), vs_fs_max_hz(), s);
        return 0;
    }
    *out = v;
    return 1;
}

int vs_cli_signal_option(int argc, char **argv, int *i, vs_cli_signal_opts *o)
{
    const char *a = argv[*i];
    int is_channel = !strcmp(a, "-c") || !strcmp(a, "--channel");
    if (!is_channel && strcmp(a, "--column") && strcmp(a, "--fs") && strcmp(a, "--gain")) return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "vitalstream: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (is_channel) {
        char *end = NULL;
        long c = strtol(v, &end, 10);
        if (end == v || *end || c < 0 || c > 4095) {
            fprintf(stderr, "vitalstream: %s needs a signal number 0..4095, not '%s'\n", a, v);
            return -1;
        }
        o->channel = (int)c;
    } else if (!strcmp(a, "--column")) {
        if (!*v) {
            fprintf(stderr, "vitalstream: --column needs a column name\n");
            return -1;
        }
        o->column = v;
    } else if (!strcmp(a, "--gain")) {
        char *end = NULL;
        double g = strtod(v, &end);
        if (end == v || *end || !(g > 0.0 && g <= 1e7)) {
            fprintf(stderr, "vitalstream: --gain needs ADC units per mV above 0 (1: values are "
                            "mV), not '%s'\n", v);
            return -1;
        }
        o->gain = g;
    } else if (!vs_cli_parse_fs(a, v, &o->fs_hz)) {
        return -1;
    }
    return 1;
}

void vs_cli_signal_opts_help(FILE *f)
{
    fprintf(f,
            "  RECORD       a WFDB record path without extension (e.g. mitdb/100; 100.hea and\n"
            "               100.dat are accepted too), or a .csv file\n"
            "  -c, --channel N  signal number of a WFDB record, or 0-based column of a CSV file;\n"
            "               default: signal 0, or the first signal column of a CSV file (a\n"
            "               leading sample-number or time column is skipped)\n"
            "  --column NAME    CSV column by its header name (e.g. MLII)\n"
            "  --fs HZ      sampling rate of a CSV file, %g..%g Hz (required for .csv)\n"
            "  --gain G     ADC units per mV of a CSV column (1: the values are mV); default:\n"
            "               mV, unless the column holds integers only spanning more than 20, as\n"
            "               rdsamp without -p writes: then ADC units at WFDB's default gain 200\n",
            vs_fs_min_hz(), vs_fs_max_hz());
}
