/* synth_eval_check.c — links the static vitalstream_synth and vitalstream_eval libraries from an
 * installed package: 60 s of synthetic ECG with premature ventricular beats (vs_synth), the QRS
 * detector over it, and the EC57 beat-by-beat comparison of its beats with the generator's
 * (vs_ec57_compare). Prints Se and +P; exit status 1 on any library error.
 * Build with pkg-config:
 *   cc -std=c11 synth_eval_check.c $(pkg-config --cflags --libs vitalstream_synth vitalstream_eval)
 * or with CMake: vitalstream::vitalstream_synth and vitalstream::vitalstream_eval. */
#include <stdio.h>
#include <stdlib.h>
#include <vitalstream/vitalstream.h>

static int check(vs_status s, const char *what)
{
    if (s != VS_OK) fprintf(stderr, "synth_eval_check: %s: %s\n", what, vs_strerror(s));
    return s != VS_OK;
}

int main(void)
{
    vs_synth_config cfg;
    size_t n = 0, max_truth = 0, n_truth = 0;
    if (check(vs_synth_default_config(&cfg), "vs_synth_default_config")) return 1;
    cfg.duration_s = 60.0;
    cfg.pvc_per_min = 4.0;
    cfg.seed = 42;
    if (check(vs_synth_num_samples(&cfg, &n), "vs_synth_num_samples") ||
        check(vs_synth_max_beats(&cfg, &max_truth), "vs_synth_max_beats"))
        return 1;
    float *ecg = malloc(n * sizeof *ecg);
    vs_synth_beat *truth = malloc(max_truth * sizeof *truth);
    vs_qrs *q = NULL;
    if (!ecg || !truth || check(vs_qrs_create(&q, cfg.fs_hz), "vs_qrs_create")) return 1;
    size_t cap = vs_qrs_max_events(q, n), got = 0;
    vs_beat *beats = malloc((cap ? cap : 1) * sizeof *beats);
    vs_annotation *ref = calloc(max_truth ? max_truth : 1, sizeof *ref);
    vs_annotation *test = calloc(cap ? cap : 1, sizeof *test);
    if (!beats || !ref || !test) return 1;
    if (check(vs_synth_generate(&cfg, ecg, n, truth, max_truth, &n_truth), "vs_synth_generate") ||
        check(vs_qrs_process(q, ecg, n, beats, cap, &got), "vs_qrs_process"))
        return 1;

    for (size_t i = 0; i < n_truth; i++) {
        ref[i].sample_idx = truth[i].sample_idx;
        ref[i].code = truth[i].label;
    }
    for (size_t i = 0; i < got; i++) {
        test[i].sample_idx = beats[i].sample_idx;
        test[i].code = VS_ANN_NORMAL;
    }
    vs_ec57_options opt;
    vs_ec57_default_options(&opt);
    opt.start_s = 0.0; /* score from the start: EC57's 5-minute learning period is longer */
    vs_ec57_result res;
    vs_ec57_stats st;
    if (check(vs_ec57_compare(ref, n_truth, test, got, cfg.fs_hz, &opt, &res), "vs_ec57_compare") ||
        check(vs_ec57_result_stats(&res, &st), "vs_ec57_result_stats"))
        return 1;
    printf("synth %zu beats, detected %zu: QRS Se %.2f %% +P %.2f %%\n", n_truth, got,
           st.qrs_se, st.qrs_ppv);
    vs_qrs_destroy(q);
    free(test);
    free(ref);
    free(beats);
    free(truth);
    free(ecg);
    return 0;
}
