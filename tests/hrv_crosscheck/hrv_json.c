/* hrv_json.c — prints vs_hrv_compute's result as JSON for an RR series read from a text file.
 * Input: one interval per line, "rr_ms [flag]" (flag 1 = the beat ending this interval is not
 * normal). Usage: hrv_json FILE [lomb|welch] [min_rr_ms max_rr_ms max_rel_change]
 * Used by scripts/test_hrv_crosscheck.sh (comparison with NeuroKit2). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/hrv.h"

static void field(const char *name, double v, int last)
{
    if (isfinite(v))
        printf("  \"%s\": %.17g%s\n", name, v, last ? "" : ",");
    else
        printf("  \"%s\": null%s\n", name, last ? "" : ",");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [lomb|welch] [min_rr max_rr max_rel]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t cap = 1024, n = 0;
    double *rr = malloc(cap * sizeof *rr);
    uint8_t *ex = malloc(cap);
    char line[256];
    while (rr && ex && fgets(line, sizeof line, f)) {
        double v;
        int flag = 0;
        if (sscanf(line, "%lf %d", &v, &flag) < 1) continue;
        if (n == cap) {
            cap *= 2;
            rr = realloc(rr, cap * sizeof *rr);
            ex = realloc(ex, cap);
            if (!rr || !ex) break;
        }
        rr[n] = v;
        ex[n] = (uint8_t)(flag != 0);
        n++;
    }
    fclose(f);
    if (!rr || !ex) return 2;
    vs_hrv_options o;
    vs_hrv_default_options(&o);
    if (argc > 2 && strcmp(argv[2], "welch") == 0) o.psd_method = VS_HRV_PSD_WELCH;
    if (argc > 5) {
        o.min_rr_ms = atof(argv[3]);
        o.max_rr_ms = atof(argv[4]);
        o.max_rel_change = atof(argv[5]);
    }
    vs_hrv_result r;
    vs_status st = vs_hrv_compute(rr, ex, n, &o, &r);
    if (st != VS_OK) {
        fprintf(stderr, "vs_hrv_compute: %s\n", vs_strerror(st));
        return 1;
    }
    printf("{\n  \"n_input\": %u,\n  \"n_nn\": %u,\n  \"n_excluded\": %u,\n", r.n_input, r.n_nn,
           r.n_excluded);
    const struct { const char *k; double v; } fs[] = {
        {"MeanNN", r.mean_nn_ms}, {"SDNN", r.sdnn_ms}, {"RMSSD", r.rmssd_ms},
        {"SDSD", r.sdsd_ms}, {"pNN50", r.pnn50_pct}, {"pNN20", r.pnn20_pct}, {"CVNN", r.cvnn},
        {"MedianNN", r.median_nn_ms}, {"IQRNN", r.iqr_nn_ms}, {"MinNN", r.min_nn_ms},
        {"MaxNN", r.max_nn_ms}, {"HR_mean", r.hr_mean_bpm}, {"HR_min", r.hr_min_bpm},
        {"HR_max", r.hr_max_bpm}, {"HTI", r.triangular_index}, {"TINN", r.tinn_ms},
        {"duration_s", r.duration_s}, {"VLF", r.vlf_ms2}, {"LF", r.lf_ms2}, {"HF", r.hf_ms2},
        {"TP", r.total_power_ms2}, {"LFHF", r.lf_hf}, {"LFn", r.lfn_nu}, {"HFn", r.hfn_nu},
        {"LF_peak", r.lf_peak_hz}, {"HF_peak", r.hf_peak_hz}, {"SD1", r.sd1_ms},
        {"SD2", r.sd2_ms}, {"SD1SD2", r.sd1_sd2}, {"SampEn", r.sampen}, {"ApEn", r.apen},
        {"DFA_alpha1", r.dfa_alpha1}, {"DFA_alpha2", r.dfa_alpha2},
    };
    size_t k = sizeof fs / sizeof fs[0];
    for (size_t i = 0; i < k; i++) field(fs[i].k, fs[i].v, i + 1 == k);
    printf("}\n");
    free(rr);
    free(ex);
    return 0;
}
