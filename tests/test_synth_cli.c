/* test_synth_cli.c — end to end: `vitalstream synth` writes a WFDB record and reference
 * annotations that read back (io library) to exactly what vs_synth_generate produces.
 * The program is looked up as $VITALSTREAM_CLI, else ../vitalstream beside this test's
 * directory (the build tree layout); the tests are skipped when it is not there. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vitalstream/io.h"
#include "vitalstream/synth.h"

static char g_cli[1024];
static char g_dir[512];

static int run(const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' synth %s >/dev/null 2>&1", g_cli, args);
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

static void test_roundtrip(void **state)
{
    (void)state;
    if (!g_cli[0]) skip();
    char rec[1024], args[2048], atr[1100];
    snprintf(rec, sizeof rec, "%s/syn1", g_dir);
    snprintf(args, sizeof args,
             "-o '%s' --fs 250 --duration 90 --hr 80 --pvc-per-min 5 --af 30:25 --seed 42", rec);
    assert_int_equal(run(args), 0);

    vs_synth_config c;
    vs_synth_default_config(&c);
    c.fs_hz = 250;
    c.duration_s = 90;
    c.hr_bpm = 80;
    c.pvc_per_min = 5;
    c.af_start_s = 30;
    c.af_duration_s = 25;
    c.seed = 42;
    size_t n = 0, cap = 0, nb = 0, n_ep = 0;
    assert_int_equal(vs_synth_num_samples(&c, &n), VS_OK);
    assert_int_equal(vs_synth_max_beats(&c, &cap), VS_OK);
    float *x = malloc(n * sizeof *x);
    vs_synth_beat *beats = malloc(cap * sizeof *beats);
    assert_int_equal(vs_synth_generate(&c, x, n, beats, cap, &nb), VS_OK);
    vs_synth_episode ep[3];
    assert_int_equal(vs_synth_rhythm_episodes(&c, ep, 3, &n_ep), VS_OK);
    assert_int_equal(n_ep, 3);

    float *y = NULL;
    int64_t ny = 0;
    double fs = 0;
    vs_io_error err;
    assert_int_equal(vs_wfdb_read_signal(rec, 0, &y, &ny, &fs, &err), VS_OK);
    assert_int_equal(ny, (int64_t)n);
    assert_true(fs == 250.0);
    for (size_t i = 0; i < n; i++) assert_true(fabsf(y[i] - x[i]) <= 0.0005f + 1e-6f);
    vs_io_free(y);

    snprintf(atr, sizeof atr, "%s.atr", rec);
    vs_annotation_list list = { 0 };
    assert_int_equal(vs_annot_read(atr, &list, &err), VS_OK);
    assert_int_equal(list.count, nb + n_ep);
    size_t b = 0, e = 0;
    for (size_t i = 0; i < list.count; i++) {
        const vs_annotation *a = &list.items[i];
        if (i) assert_true(a->sample_idx >= list.items[i - 1].sample_idx);
        if (a->code == VS_ANN_RHYTHM) {
            assert_true(e < n_ep);
            assert_int_equal(a->sample_idx, ep[e].onset_idx);
            assert_string_equal(a->aux, vs_synth_rhythm_aux(ep[e].rhythm));
            e++;
        } else {
            assert_true(b < nb);
            assert_int_equal(a->sample_idx, beats[b].sample_idx);
            assert_int_equal(a->code, beats[b].label);
            b++;
        }
    }
    assert_int_equal(b, nb);
    assert_int_equal(e, n_ep);
    assert_string_equal(list.items[0].aux, "(N");
    vs_annot_list_free(&list);

    vs_wfdb_header hdr;
    char hea[1100];
    snprintf(hea, sizeof hea, "%s.hea", rec);
    assert_int_equal(vs_wfdb_read_header(hea, &hdr, &err), VS_OK);
    assert_int_equal(hdr.n_signals, 1);
    assert_int_equal(hdr.signals[0].format, 16);
    assert_true(hdr.signals[0].gain_adu_per_mv == 1000.0);
    assert_true(hdr.signals[0].baseline_adu == 0.0);
    free(x);
    free(beats);
}

static void test_exit_codes(void **state)
{
    (void)state;
    if (!g_cli[0]) skip();
    char args[2048];
    assert_int_equal(run(""), 1);                         /* no -o */
    snprintf(args, sizeof args, "-o '%s/u1' --fs 50", g_dir);
    assert_int_equal(run(args), 1);
    snprintf(args, sizeof args, "-o '%s/u1' --af 10", g_dir);
    assert_int_equal(run(args), 1);
    snprintf(args, sizeof args, "-o '%s/u1' --duration nan", g_dir);
    assert_int_equal(run(args), 1);
    snprintf(args, sizeof args, "-o '%s/u1' --signals 3", g_dir);
    assert_int_equal(run(args), 1);
    snprintf(args, sizeof args, "-o '%s/u1' --no-such-option 3", g_dir);
    assert_int_equal(run(args), 1);
    snprintf(args, sizeof args, "-o '%s/missing/dir/rec' --duration 5", g_dir);
    assert_int_equal(run(args), 2);                       /* cannot create the files */
    assert_int_equal(run("--help"), 0);
}

int main(int argc, char **argv)
{
    const char *env = getenv("VITALSTREAM_CLI");
    if (env && *env) {
        snprintf(g_cli, sizeof g_cli, "%s", env);
    } else if (argc > 0) {
        char self[900];
        snprintf(self, sizeof self, "%s", argv[0]);
        char *slash = strrchr(self, '/');
        if (slash) *slash = '\0'; else snprintf(self, sizeof self, ".");
        snprintf(g_cli, sizeof g_cli, "%s/../vitalstream", self);
    }
    if (access(g_cli, X_OK) != 0) {
        printf("vitalstream program not found at '%s': CLI tests skipped\n", g_cli);
        g_cli[0] = '\0';
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/vs_synth_cli.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_exit_codes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
    return rc;
}
