/* noise_stress — the in-house noise stress test (EVALUATION.md, "Noise stress test").
 *
 * For every record, noise kind and SNR: adds synthetic noise (nst_noise.h) to channel 0 in nst's
 * standard protocol, runs vs_monitor, scores its beats (EC57 from 5:00) and counts its "(VT" /
 * "(AFIB" episodes, alarms and the time it reported noisy; the clean record is run too, as the
 * baseline. One tab-separated line per run on stdout (bench/noise/report.py makes the tables).
 *
 *   noise_stress [--db DIR] [--records LIST|ds1|ds2] [--noise em,ma,bw] [--snr 24,18,12,6,0,-6]
 *                [--seed N] [--dump DIR] [--peer DIR]
 *
 * --dump DIR writes each noisy signal as DIR/<rec>_<noise>_<snr>.f32 (float32, little-endian,
 * mV) for a peer detector; --peer DIR scores the peer's beats from DIR/<rec>_<noise>_<snr>.beats
 * (one sample index per line) with the same comparator and adds them to the line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nst_noise.h"
#include "nst_run.h"

#define MAX_LIST 64

static const char *const k_ds1[] = {"101", "106", "108", "109", "112", "114", "115", "116",
                                    "118", "119", "122", "124", "201", "203", "205", "207",
                                    "208", "209", "215", "220", "223", "230"};
static const char *const k_ds2[] = {"100", "103", "105", "111", "113", "117", "121", "123",
                                    "200", "202", "210", "212", "213", "214", "219", "221",
                                    "222", "228", "231", "232", "233", "234"};

static size_t split(char *s, char **items, size_t cap)
{
    size_t n = 0;
    for (char *t = strtok(s, ","); t && n < cap; t = strtok(NULL, ",")) items[n++] = t;
    return n;
}

static int usage(void)
{
    fprintf(stderr, "usage: noise_stress [--db DIR] [--records LIST|ds1|ds2] [--noise em,ma,bw] "
                    "[--snr 24,18,12,6,0,-6] [--seed N] [--dump DIR] [--peer DIR]\n");
    return 2;
}

static int dump_signal(const char *dir, const char *tag, const float *x, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.f32", dir, tag);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(x, sizeof *x, n, f) != n) {
        fprintf(stderr, "noise_stress: cannot write %s: %s\n", path, strerror(errno));
        if (f) fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* Peer beats of one run; returns 0 and fills *r, 1 when the file is absent, -1 on error. */
static int peer_score(const char *dir, const char *tag, const vs_nst_record *rec, vs_ec57_result *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.beats", dir, tag);
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    size_t n = 0, cap = 4096;
    int64_t *b = malloc(cap * sizeof *b);
    long long v;
    while (b && fscanf(f, "%lld", &v) == 1) {
        if (n == cap) {
            int64_t *p = realloc(b, 2 * cap * sizeof *p);
            if (!p) { free(b); b = NULL; break; }
            b = p;
            cap *= 2;
        }
        b[n++] = (int64_t)v;
    }
    fclose(f);
    int rc = b ? vs_nst_score_beats(rec, b, n, r) : -1;
    free(b);
    return rc;
}

static void print_line(const vs_nst_record *rec, const char *noise, const char *snr,
                       const vs_nst_outcome *o, const vs_ec57_result *peer)
{
    printf("%s\t%s\t%s\t%lld\t%lld\t%lld\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%.3f", rec->name,
           noise, snr, (long long)o->qrs.tp, (long long)o->qrs.fn, (long long)o->qrs.fp,
           o->vt_episodes, o->vt_false, o->af_episodes, o->alarms, o->critical_alarms, o->noisy_in_s,
           o->noisy_out_s, o->burst_s, o->clean_s, rec->has_ref_vt,
           (double)rec->n / rec->fs_hz / 60.0);
    if (peer) printf("\t%lld\t%lld\t%lld", (long long)peer->tp, (long long)peer->fn, (long long)peer->fp);
    else printf("\t\t\t");
    printf("\t%d\t%d\n", o->vt_ref_hit, o->vt_ref_n);
}

/* One run (clean when kind < 0). Returns 0 or -1. */
static int run_one(const vs_nst_record *rec, int kind, double snr, uint64_t seed,
                   const char *dump, const char *peer)
{
    char snr_s[32], tag[96];
    const char *noise = kind < 0 ? "clean" : vs_noise_kind_name(kind);
    if (kind < 0) snprintf(snr_s, sizeof snr_s, "clean");
    else snprintf(snr_s, sizeof snr_s, "%g", snr);
    snprintf(tag, sizeof tag, "%s_%s_%s", rec->name, noise, snr_s);
    float *x = kind < 0 ? rec->x : vs_nst_make_noisy(rec, kind, seed, snr);
    if (!x) return -1;
    vs_nst_outcome o;
    int rc = vs_nst_run_monitor(rec, x, &o);
    if (rc == 0 && dump) rc = dump_signal(dump, tag, x, rec->n);
    vs_ec57_result pr;
    int have_peer = 0;
    if (rc == 0 && peer) {
        int p = peer_score(peer, tag, rec, &pr);
        if (p < 0) rc = -1;
        have_peer = p == 0;
    }
    if (rc == 0) print_line(rec, noise, snr_s, &o, have_peer ? &pr : NULL);
    if (x != rec->x) free(x);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db = getenv("VITALSTREAM_MITDB"), *dump = NULL, *peer = NULL;
    if (!db || !*db) db = VS_MITDB_DEFAULT;
    char records_buf[1024] = "ds2", noise_buf[64] = "em,ma,bw", snr_buf[128] = "24,18,12,6,0,-6";
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) return usage();
        if (strcmp(a, "--db") == 0) db = v;
        else if (strcmp(a, "--records") == 0) snprintf(records_buf, sizeof records_buf, "%s", v);
        else if (strcmp(a, "--noise") == 0) snprintf(noise_buf, sizeof noise_buf, "%s", v);
        else if (strcmp(a, "--snr") == 0) snprintf(snr_buf, sizeof snr_buf, "%s", v);
        else if (strcmp(a, "--seed") == 0) seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--dump") == 0) dump = v;
        else if (strcmp(a, "--peer") == 0) peer = v;
        else return usage();
    }
    char *rec_items[MAX_LIST], *noise_items[MAX_LIST], *snr_items[MAX_LIST];
    size_t n_rec;
    const char *const *recs;
    if (strcmp(records_buf, "ds1") == 0) { recs = k_ds1; n_rec = sizeof k_ds1 / sizeof *k_ds1; }
    else if (strcmp(records_buf, "ds2") == 0) { recs = k_ds2; n_rec = sizeof k_ds2 / sizeof *k_ds2; }
    else { n_rec = split(records_buf, rec_items, MAX_LIST); recs = (const char *const *)rec_items; }
    size_t n_noise = split(noise_buf, noise_items, MAX_LIST);
    size_t n_snr = split(snr_buf, snr_items, MAX_LIST);
    int kinds[MAX_LIST];
    double snrs[MAX_LIST];
    for (size_t k = 0; k < n_noise; k++)
        if ((kinds[k] = vs_noise_kind_parse(noise_items[k])) < 0) {
            fprintf(stderr, "noise_stress: unknown noise kind '%s' (bw, em, ma)\n", noise_items[k]);
            return 2;
        }
    for (size_t k = 0; k < n_snr; k++) {
        char *end = NULL;
        snrs[k] = strtod(snr_items[k], &end);
        if (!end || *end || snrs[k] < -30.0 || snrs[k] > 60.0) {
            fprintf(stderr, "noise_stress: bad SNR '%s' (dB, -30..60)\n", snr_items[k]);
            return 2;
        }
    }
    printf("record\tnoise\tsnr\ttp\tfn\tfp\tvt\tvt_false\taf\talarms\tcritical\tnoisy_in_s\tnoisy_out_s\t"
           "burst_s\tclean_s\tref_vt\tminutes\tpeer_tp\tpeer_fn\tpeer_fp\tvt_ref_hit\tvt_ref_n\n");
    for (size_t r = 0; r < n_rec; r++) {
        vs_nst_record rec;
        if (vs_nst_record_load(db, recs[r], &rec) != 0) return 1;
        /* the same noise at every SNR of a record (as nst reuses one noise record), a different
         * stretch for each record */
        uint64_t rseed = (uint64_t)seed * 1000003u + (uint64_t)strtoul(recs[r], NULL, 10);
        int rc = run_one(&rec, -1, 0.0, rseed, dump, peer);
        for (size_t k = 0; rc == 0 && k < n_noise; k++)
            for (size_t s = 0; rc == 0 && s < n_snr; s++)
                rc = run_one(&rec, kinds[k], snrs[s], rseed, dump, peer);
        vs_nst_record_free(&rec);
        fflush(stdout);
        if (rc != 0) {
            fprintf(stderr, "noise_stress: record %s failed\n", recs[r]);
            return 1;
        }
    }
    return 0;
}
