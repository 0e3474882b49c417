/* io_check.c — links vitalstream::vitalstream_io (and through it libcsv) from an installed
 * package: parses a WFDB header from memory and, if a path is given, reads the CSV file's signal
 * column (the first one after a sample-number or time column) and prints its values. */
#include <stdio.h>
#include <string.h>
#include <vitalstream/vitalstream.h>
#include <vitalstream/io.h>

int main(int argc, char **argv)
{
    static const char hea[] = "100 2 360 650000\n"
                              "100.dat 212 200 11 1024 995 -22131 0 MLII\n"
                              "100.dat 212 200 11 1024 1011 20052 0 V5\n";
    static vs_wfdb_header hdr;
    vs_io_error err;
    vs_status s = vs_wfdb_parse_header(hea, strlen(hea), "inline.hea", &hdr, &err);
    if (s != VS_OK) {
        fprintf(stderr, "io_check: %s\n", err.message);
        return 1;
    }
    printf("WFDB header: record %s, %d signals at %.0f Hz, %lld samples, lead 0 '%s'\n",
           hdr.record_name, hdr.n_signals, hdr.fs_hz, (long long)hdr.n_samples,
           hdr.signals[0].description);
    if (argc > 1) {
        float *col = NULL;
        int64_t n = 0;
        s = vs_csv_read_column(argv[1], NULL, VS_CSV_COLUMN_AUTO, &col, &n, &err);
        if (s != VS_OK) {
            fprintf(stderr, "io_check: %s\n", err.message);
            return 1;
        }
        printf("CSV %s: %lld values:", argv[1], (long long)n);
        for (int64_t i = 0; i < n; i++) printf(" %g", col[i]);
        printf("\n");
        vs_io_free(col);
    }
    return 0;
}
