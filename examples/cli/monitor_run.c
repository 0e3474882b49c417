/* monitor_run.c — runs vs_monitor over a whole signal for the CLI (detect --classify, analyze,
 * eval --classes/--rhythm) and turns its events into WFDB annotations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Save -> destroy -> create -> load: what a stateless worker does between two chunks (the
 * parameters travel in the blob). */
static vs_status monitor_roundtrip(vs_monitor **m, double fs_hz, size_t *max_state)
{
    size_t size = vs_monitor_state_size(*m), written = 0;
    if (size > *max_state) *max_state = size;
    uint8_t *blob = malloc(size);
    if (!blob) return VS_E_NO_MEMORY;
    vs_status st = vs_monitor_state_save(*m, blob, size, &written);
    vs_monitor_destroy(*m);
    *m = NULL;
    if (st == VS_OK) st = vs_monitor_create(m, fs_hz);
    if (st == VS_OK) st = vs_monitor_state_load(*m, blob, written);
    free(blob);
    return st;
}

static vs_status append_events(vs_cli_events *out, const vs_event *ev, size_t n)
{
    if (n == 0) return VS_OK;
    if (out->count + n > out->cap) {
        size_t cap = out->cap ? out->cap : 1024;
        while (cap < out->count + n) cap *= 2;
        vs_event *p = realloc(out->ev, cap * sizeof *p);
        if (!p) return VS_E_NO_MEMORY;
        out->ev = p;
        out->cap = cap;
    }
    memcpy(out->ev + out->count, ev, n * sizeof *ev);
    out->count += n;
    return VS_OK;
}

int vs_cli_run_monitor(const char *name, const float *x, int64_t n, double fs, size_t chunk,
                       int roundtrip, const vs_cli_rhythm_params *rp, vs_cli_events *out)
{
    memset(out, 0, sizeof *out);
    out->fs_hz = fs;
    out->n = n;
    vs_monitor *m = NULL;
    vs_status st = vs_monitor_create(&m, fs);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: cannot analyze at %g Hz: %s\n", name, fs, vs_strerror(st));
        return VS_EXIT_INPUT;
    }
    for (int k = 0; rp && k < rp->count && st == VS_OK; k++)
        st = vs_rhythm_set_param(vs_monitor_rhythm(m), (vs_rhythm_param)rp->id[k], rp->value[k]);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: rhythm parameter: %s\n", name, vs_strerror(st));
        vs_monitor_destroy(m);
        return VS_EXIT_INPUT;
    }
    if (chunk == 0 || chunk > ((size_t)1 << 16)) chunk = (size_t)1 << 16; /* bounded buffer */
    size_t cap = vs_monitor_max_events(m, chunk);
    vs_event *buf = malloc(cap * sizeof *buf);
    if (!buf) st = VS_E_NO_MEMORY;
    for (int64_t pos = 0; pos < n && st == VS_OK;) {
        size_t len = (size_t)(n - pos) < chunk ? (size_t)(n - pos) : chunk;
        size_t got = 0;
        st = vs_monitor_process(m, x + pos, len, buf, cap, &got);
        if (st == VS_OK) st = append_events(out, buf, got);
        pos += (int64_t)len;
        size_t sz = vs_monitor_state_size(m);
        if (sz > out->state_bytes_max) out->state_bytes_max = sz;
        if (roundtrip && pos < n && st == VS_OK) st = monitor_roundtrip(&m, fs, &out->state_bytes_max);
        vs_cli_progress(name, pos, n);
    }
    vs_cli_progress_end();
    if (st == VS_OK) {
        size_t got = 0;
        st = vs_monitor_finish(m, buf, cap, &got);
        if (st == VS_OK) st = append_events(out, buf, got);
    }
    if (st == VS_OK) {
        out->hrv_status = vs_monitor_hrv(m, NULL, &out->hrv_window);
        out->state_bytes_end = vs_monitor_state_size(m);
    }
    free(buf);
    vs_monitor_destroy(m);
    if (st != VS_OK) {
        fprintf(stderr, "vitalstream: %s: analysis failed: %s\n", name, vs_strerror(st));
        vs_cli_events_free(out);
        return VS_EXIT_INPUT;
    }
    return VS_EXIT_OK;
}

void vs_cli_events_free(vs_cli_events *ev)
{
    free(ev->ev);
    ev->ev = NULL;
    ev->count = ev->cap = 0;
}

/* Order in the file: by time; at the same sample, NOISE and RHYTHM before the beat (as in the
 * MIT-BIH .atr files, where a rhythm label precedes the beat it starts with). */
static int annot_rank(const vs_annotation *a)
{
    return a->code == VS_ANN_NOISE ? 0 : a->code == VS_ANN_RHYTHM ? 1 : 2;
}

static int annot_before(const vs_annotation *a, const vs_annotation *b)
{
    if (a->sample_idx != b->sample_idx) return a->sample_idx < b->sample_idx;
    return annot_rank(a) < annot_rank(b);
}

/* Stable insertion sort: events arrive nearly in time order (only back-dated rhythm onsets and
 * quality changes move), so this is close to linear. */
static void sort_annotations(vs_annotation_list *list)
{
    for (size_t i = 1; i < list->count; i++) {
        if (!annot_before(&list->items[i], &list->items[i - 1])) continue;
        vs_annotation tmp = list->items[i];
        size_t j = i;
        while (j > 0 && annot_before(&tmp, &list->items[j - 1])) {
            list->items[j] = list->items[j - 1];
            j--;
        }
        list->items[j] = tmp;
    }
}

int vs_cli_rhythm_annotation(int type, int64_t onset, vs_annotation *a)
{
    const char *aux = vs_rhythm_aux_string(type);
    if (!aux || !aux[0]) return 0;
    memset(a, 0, sizeof *a);
    a->sample_idx = onset;
    a->code = VS_ANN_RHYTHM;
    a->aux_len = (uint16_t)strlen(aux);
    memcpy(a->aux, aux, a->aux_len);
    return 1;
}

vs_status vs_cli_events_to_annotations(const vs_cli_events *ev, vs_annotation_list *list)
{
    vs_status st = VS_OK;
    for (size_t i = 0; i < ev->count && st == VS_OK; i++) {
        const vs_event *e = &ev->ev[i];
        vs_annotation a;
        memset(&a, 0, sizeof a);
        a.sample_idx = e->sample_idx;
        if (e->type == VS_EVENT_BEAT) {
            a.code = (int16_t)e->wfdb_code;
        } else if (e->type == VS_EVENT_RHYTHM) {
            /* onsets only: the next onset ends it */
            if (e->end_idx >= 0 || !vs_cli_rhythm_annotation((int)e->code, e->sample_idx, &a)) continue;
        } else if (e->type == VS_EVENT_QUALITY) {
            a.code = VS_ANN_NOISE;
            a.subtype = (int16_t)e->subtype;
        } else {
            continue; /* alarms are listed by `analyze`, not written as annotations */
        }
        st = vs_annot_append(list, &a);
    }
    if (st == VS_OK) sort_annotations(list);
    return st;
}
