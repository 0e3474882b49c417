/* nst_run.c — one noise-stress trial (nst_run.h). */
#include "nst_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nst_noise.h"
#include "vitalstream/io.h"
#include "vitalstream/monitor.h"
#include "vitalstream/rhythm.h"

static int append_interval(vs_nst_record *rec, int64_t a, int64_t b, size_t *cap)
{
    if (rec->n_vrun + 2 > *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        int64_t *p = realloc(rec->vrun, c * sizeof *p);
        if (!p) return -1;
        rec->vrun = p;
        *cap = c;
    }
    int64_t pad = (int64_t)(rec->fs_hz + 0.5);
    rec->vrun[rec->n_vrun++] = a - pad;
    rec->vrun[rec->n_vrun++] = b + pad;
    return 0;
}

/* Reference ventricular intervals: "(VT" / "(VFL" episodes and runs of >= 3 V beats. */
static int ventricular_intervals(vs_nst_record *rec)
{
    size_t cap = 0, run = 0;
    int64_t run_from = 0, run_to = 0, epi_from = -1;
    for (size_t i = 0; i <= rec->n_ref; i++) {
        const vs_annotation *a = i < rec->n_ref ? &rec->ref[i] : NULL;
        if (!a || a->code == VS_ANN_RHYTHM) {
            if (epi_from >= 0 && append_interval(rec, epi_from, a ? a->sample_idx : (int64_t)rec->n, &cap))
                return -1;
            epi_from = -1;
            if (a && a->aux_len >= 3 && (strncmp(a->aux, "(VT", 3) == 0 || strncmp(a->aux, "(VF", 3) == 0)) {
                epi_from = a->sample_idx;
                rec->has_ref_vt = 1;
            }
        }
        if (a && !vs_ec57_is_beat(a->code)) continue;
        if (a && vs_ec57_code_class(a->code) == VS_EC57_V) {
            if (run++ == 0) run_from = a->sample_idx;
            run_to = a->sample_idx;
            continue;
        }
        if (run >= 3 && append_interval(rec, run_from, run_to, &cap)) return -1;
        run = 0;
    }
    return 0;
}

int vs_nst_record_load(const char *db, const char *name, vs_nst_record *rec)
{
    memset(rec, 0, sizeof *rec);
    snprintf(rec->name, sizeof rec->name, "%s", name);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", db, name);
    vs_io_error err;
    memset(&err, 0, sizeof err);
    int64_t n = 0;
    if (vs_wfdb_read_signal(path, 0, &rec->x, &n, &rec->fs_hz, &err) != VS_OK) {
        fprintf(stderr, "noise_stress: %s: %s\n", path, err.message);
        return -1;
    }
    rec->n = (size_t)n;
    snprintf(path, sizeof path, "%s/%s.atr", db, name);
    vs_annotation_list list = {0};
    if (vs_annot_read(path, &list, &err) != VS_OK) {
        fprintf(stderr, "noise_stress: %s: %s\n", path, err.message);
        vs_nst_record_free(rec);
        return -1;
    }
    rec->ref = list.items;
    rec->n_ref = list.count;
    /* nst sizes the signal from normal beats; records with few of them (paced, bundle branch
     * block) fall back to every beat */
    int64_t *beats = malloc((rec->n_ref + 1) * sizeof *beats);
    size_t nb = 0;
    for (int pass = 0; pass < 2 && nb < 30; pass++) {
        nb = 0;
        for (size_t i = 0; beats && i < rec->n_ref; i++) {
            const vs_annotation *a = &rec->ref[i];
            if (pass == 0 ? a->code == VS_ANN_NORMAL : vs_ec57_is_beat(a->code))
                beats[nb++] = a->sample_idx;
        }
    }
    if (ventricular_intervals(rec)) {
        free(beats);
        vs_nst_record_free(rec);
        return -1;
    }
    rec->signal_power = beats ? vs_nst_signal_power(rec->x, rec->n, rec->fs_hz, beats, nb) : 0.0;
    free(beats);
    return rec->signal_power > 0.0 ? 0 : -1;
}

void vs_nst_record_free(vs_nst_record *rec)
{
    vs_io_free(rec->x);
    vs_io_free(rec->ref);
    free(rec->vrun);
    memset(rec, 0, sizeof *rec);
}

float *vs_nst_make_noisy(const vs_nst_record *rec, int kind, uint64_t seed, double snr_db)
{
    float *noise = malloc(rec->n * sizeof *noise), *out = malloc(rec->n * sizeof *out);
    if (!noise || !out || vs_noise_generate(kind, seed, rec->fs_hz, noise, rec->n) != 0) {
        free(noise);
        free(out);
        return NULL;
    }
    double g = vs_nst_gain(rec->signal_power, vs_nst_noise_power(noise, rec->n, rec->fs_hz), snr_db);
    vs_nst_mix(rec->x, noise, rec->n, rec->fs_hz, g, out);
    free(noise);
    return out;
}

static vs_ec57_options score_options(const vs_nst_record *rec)
{
    vs_ec57_options o;
    vs_ec57_default_options(&o);
    o.record_length_samples = (int64_t)rec->n;
    return o;
}

/* Seconds of [a, b) that lie inside / outside the protocol's noise bursts. */
static void split_time(int64_t a, int64_t b, double fs, double *in, double *out)
{
    int64_t step = (int64_t)(fs + 0.5);
    for (int64_t i = a; i < b; i += step) {
        int64_t e = i + step < b ? i + step : b;
        *(vs_nst_is_noisy(i, fs) ? in : out) += (double)(e - i) / fs;
    }
}

int vs_nst_run_monitor(const vs_nst_record *rec, const float *x, vs_nst_outcome *out)
{
    memset(out, 0, sizeof *out);
    vs_monitor *m = NULL;
    if (vs_monitor_create(&m, rec->fs_hz) != VS_OK) return -1;
    size_t chunk = 65536, cap = vs_monitor_max_events(m, chunk), nb = 0, beat_cap = 4096;
    vs_event *ev = malloc(cap * sizeof *ev);
    vs_annotation *beats = malloc(beat_cap * sizeof *beats);
    unsigned char *ref_hit = calloc(rec->n_vrun / 2 + 1, 1);
    int rc = (ev && beats && ref_hit) ? 0 : -1;
    int level = 0;
    int64_t level_from = 0;
    split_time(0, (int64_t)rec->n, rec->fs_hz, &out->burst_s, &out->clean_s);
    for (size_t pos = 0; rc == 0 && pos <= rec->n;) {
        size_t len = rec->n - pos < chunk ? rec->n - pos : chunk, got = 0;
        vs_status st = len ? vs_monitor_process(m, x + pos, len, ev, cap, &got)
                           : vs_monitor_finish(m, ev, cap, &got);
        if (st != VS_OK) rc = -1;
        for (size_t i = 0; rc == 0 && i < got; i++) {
            const vs_event *e = &ev[i];
            if (e->type == VS_EVENT_BEAT) {
                if (nb == beat_cap) {
                    vs_annotation *p = realloc(beats, 2 * beat_cap * sizeof *p);
                    if (!p) { rc = -1; break; }
                    beats = p;
                    beat_cap *= 2;
                }
                memset(&beats[nb], 0, sizeof beats[nb]);
                beats[nb].sample_idx = e->sample_idx;
                beats[nb].num = (int16_t)(e->flags & 0xFF); /* for the verbose listing */
                beats[nb++].code = (int16_t)e->wfdb_code;
            } else if (e->type == VS_EVENT_RHYTHM && e->end_idx >= 0 && e->code == VS_RHYTHM_VT) {
                int hit = 0;
                for (size_t k = 0; k + 1 < rec->n_vrun; k += 2)
                    if (e->sample_idx <= rec->vrun[k + 1] && e->end_idx >= rec->vrun[k]) {
                        hit = 1;
                        ref_hit[k / 2] = 1;
                    }
                out->vt_false += !hit;
                if (!hit && getenv("NOISE_STRESS_VERBOSE")) {
                    fprintf(stderr, "%s false VT %.1f-%.1f s:", rec->name, (double)e->sample_idx / rec->fs_hz,
                            (double)e->end_idx / rec->fs_hz);
                    for (size_t k = 0; k < nb; k++)
                        if (beats[k].sample_idx >= e->sample_idx - (int64_t)(2 * rec->fs_hz) &&
                            beats[k].sample_idx <= e->end_idx + (int64_t)rec->fs_hz)
                            fprintf(stderr, " %.2f%s%s", (double)beats[k].sample_idx / rec->fs_hz,
                                    vs_annot_code_mnemonic(beats[k].code), (beats[k].num & 4) ? "~" : "");
                    fprintf(stderr, "\n");
                }
            } else if (e->type == VS_EVENT_RHYTHM && e->end_idx < 0) {
                out->vt_episodes += e->code == VS_RHYTHM_VT;
                out->af_episodes += e->code == VS_RHYTHM_AFIB;
            } else if (e->type == VS_EVENT_ALARM) {
                out->alarms++;
                out->critical_alarms += e->severity == VS_RHYTHM_CRITICAL;
            } else if (e->type == VS_EVENT_QUALITY) {
                if (level > 0) split_time(level_from, e->sample_idx, rec->fs_hz, &out->noisy_in_s, &out->noisy_out_s);
                level = (int)e->code;
                level_from = e->sample_idx;
            }
        }
        if (len == 0) break;
        pos += len;
    }
    if (level > 0) split_time(level_from, (int64_t)rec->n, rec->fs_hz, &out->noisy_in_s, &out->noisy_out_s);
    out->vt_ref_n = (int)(rec->n_vrun / 2);
    for (size_t k = 0; ref_hit && k < rec->n_vrun / 2; k++) out->vt_ref_hit += ref_hit[k];
    vs_ec57_options o = score_options(rec);
    /* beats come out in decision order; the comparator wants them sorted */
    for (size_t i = 1; rc == 0 && i < nb; i++)
        for (size_t k = i; k > 0 && beats[k].sample_idx < beats[k - 1].sample_idx; k--) {
            vs_annotation t = beats[k];
            beats[k] = beats[k - 1];
            beats[k - 1] = t;
        }
    if (rc == 0 && vs_ec57_compare(rec->ref, rec->n_ref, beats, nb, rec->fs_hz, &o, &out->qrs) != VS_OK)
        rc = -1;
    free(ev);
    free(beats);
    free(ref_hit);
    vs_monitor_destroy(m);
    return rc;
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

int vs_nst_score_beats(const vs_nst_record *rec, const int64_t *idx, size_t n_beats,
                       vs_ec57_result *out)
{
    int64_t *s = malloc((n_beats + 1) * sizeof *s);
    vs_annotation *a = calloc(n_beats + 1, sizeof *a);
    int rc = (s && a) ? 0 : -1;
    size_t m = 0;
    if (rc == 0) {
        memcpy(s, idx, n_beats * sizeof *s);
        qsort(s, n_beats, sizeof *s, cmp_i64);
        for (size_t i = 0; i < n_beats; i++) {
            if (s[i] < 0 || s[i] >= (int64_t)rec->n) continue;
            a[m].sample_idx = s[i];
            a[m++].code = VS_ANN_NORMAL;
        }
        vs_ec57_options o = score_options(rec);
        if (vs_ec57_compare(rec->ref, rec->n_ref, a, m, rec->fs_hz, &o, out) != VS_OK) rc = -1;
    }
    free(s);
    free(a);
    return rc;
}
