/* golden.c — native side of the cross-runtime golden tests (bindings/wasm/test/golden.test.mjs).
 *
 *   golden run    KIND INPUT OUTDIR CHUNK MID
 *       feeds INPUT to a KIND object (qrs: vs_qrs, monitor: vs_monitor) in calls of CHUNK
 *       samples, saves the state after MID samples (OUTDIR/mid.state) and at the end
 *       (final.state); writes the input as raw little-endian float32 (signal.f32) and every
 *       event as its struct (32-byte vs_beat / 56-byte vs_event) to events.bin. The monitor's
 *       vs_monitor_finish events follow, after final.state and hrv.bin (its vs_monitor_hrv
 *       result, default options, as the 288-byte vs_hrv_result) were taken.
 *   golden resume KIND INPUT STATEFILE START CHUNK OUTFILE
 *       restores a KIND object from STATEFILE (written by any runtime), feeds INPUT[START:]
 *       (then finishes, for the monitor) and writes the events of those calls to OUTFILE.
 *
 * INPUT is "wfdb:RECORD" (channel 0, physical units as `vitalstream detect` reads it) or
 * "synth:key=value,..." with vs_synth_config field names (fs_hz, duration_s, ..., seed).
 * The byte layouts are x86-64's, which are also wasm32's: little-endian, vs_beat is 32 bytes. */
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/io.h"
#include "vitalstream/monitor.h"
#include "vitalstream/qrs.h"
#include "vitalstream/synth.h"

static int die(const char *what, vs_status st)
{
    fprintf(stderr, "golden: %s: %s\n", what, vs_strerror(st));
    return 1;
}

static int set_field(vs_synth_config *c, const char *key, const char *val)
{
    static const struct { const char *name; size_t off; } f[] = {
#define F(x) { #x, offsetof(vs_synth_config, x) }
        F(fs_hz), F(duration_s), F(hr_bpm), F(hrv_std_ms), F(lf_hf_ratio), F(r_amplitude_mv),
        F(noise_mv), F(emg_mv), F(baseline_mv), F(resp_hz), F(motion_per_min), F(motion_mv),
        F(pvc_per_min), F(af_start_s), F(af_duration_s),
#undef F
    };
    if (!strcmp(key, "seed")) { c->seed = strtoull(val, NULL, 10); return 1; }
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(key, f[i].name)) {
            *(double *)((char *)c + f[i].off) = strtod(val, NULL);
            return 1;
        }
    return 0;
}

/* "artefacts=1" in a synth spec: the edits of golden_core.mjs's withArtefacts, the same on every
 * runtime: a long run of NaN (a gap) at n / 5, 1e6 mV samples at 2 n / 3, and just before n / 2
 * (the golden case saves its mid state there, with these still in the classifier's ring) a
 * short run of NaN, +-Inf and a 60 mV step. */
static void add_artefacts(float *x, size_t n)
{
    for (size_t i = n / 5; i < n / 5 + 400; i++) x[i] = NAN;
    for (size_t i = 2 * n / 3; i < 2 * n / 3 + 20; i++) x[i] = 1e6f;
    for (size_t i = n / 2 - 300; i < n / 2 - 295; i++) x[i] = NAN;
    x[n / 2 - 200] = INFINITY;
    x[n / 2 - 199] = -INFINITY;
    for (size_t i = n / 2 - 150; i < n / 2; i++) x[i] += 60.0f;
}

static int load_input(const char *spec, float **x, size_t *n, double *fs)
{
    if (!strncmp(spec, "wfdb:", 5)) {
        vs_io_error err;
        int64_t len = 0;
        vs_status st = vs_wfdb_read_signal(spec + 5, 0, x, &len, fs, &err);
        if (st != VS_OK) return die(err.message[0] ? err.message : spec, st);
        *n = (size_t)len;
        return 0;
    }
    if (strncmp(spec, "synth:", 6)) { fprintf(stderr, "golden: bad input %s\n", spec); return 1; }
    vs_synth_config c;
    vs_synth_default_config(&c);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", spec + 6);
    int artefacts = 0;
    for (char *kv = strtok(buf, ","); kv; kv = strtok(NULL, ",")) {
        char *eq = strchr(kv, '=');
        if (!eq) { fprintf(stderr, "golden: bad field %s\n", kv); return 1; }
        *eq = '\0';
        if (!strcmp(kv, "artefacts")) artefacts = atoi(eq + 1);
        else if (!set_field(&c, kv, eq + 1)) { fprintf(stderr, "golden: unknown field %s\n", kv); return 1; }
    }
    vs_status st = vs_synth_num_samples(&c, n);
    if (st != VS_OK) return die("synth config", st);
    *x = malloc(*n * sizeof **x);
    if (!*x) return die("synth", VS_E_NO_MEMORY);
    st = vs_synth_generate(&c, *x, *n, NULL, 0, NULL);
    if (st != VS_OK) return die("synth", st);
    if (artefacts) add_artefacts(*x, *n);
    *fs = c.fs_hz;
    return 0;
}

static int write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4096];
    if (name) snprintf(path, sizeof path, "%s/%s", dir, name);
    else snprintf(path, sizeof path, "%s", dir);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f)) {
        fprintf(stderr, "golden: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* The two kinds of object behind one interface: both follow the same verbs (qrs.h, monitor.h). */
typedef struct obj {
    int monitor; /* 0: vs_qrs, 1: vs_monitor */
    vs_qrs *q;
    vs_monitor *m;
} obj;

static vs_status obj_create(obj *o, double fs)
{
    return o->monitor ? vs_monitor_create(&o->m, fs) : vs_qrs_create(&o->q, fs);
}
static void obj_destroy(obj *o) { vs_monitor_destroy(o->m); vs_qrs_destroy(o->q); }
static size_t obj_event_size(const obj *o) { return o->monitor ? sizeof(vs_event) : sizeof(vs_beat); }
static size_t obj_max_events(const obj *o, size_t n)
{
    return o->monitor ? vs_monitor_max_events(o->m, n) : vs_qrs_max_events(o->q, n);
}
static vs_status obj_process(obj *o, const float *x, size_t n, void *ev, size_t cap, size_t *got)
{
    return o->monitor ? vs_monitor_process(o->m, x, n, ev, cap, got)
                      : vs_qrs_process(o->q, x, n, ev, cap, got);
}
static size_t obj_state_size(const obj *o)
{
    return o->monitor ? vs_monitor_state_size(o->m) : vs_qrs_state_size(o->q);
}
static vs_status obj_state_save(const obj *o, uint8_t *buf, size_t cap, size_t *written)
{
    return o->monitor ? vs_monitor_state_save(o->m, buf, cap, written)
                      : vs_qrs_state_save(o->q, buf, cap, written);
}
static vs_status obj_state_load(obj *o, const uint8_t *buf, size_t len)
{
    return o->monitor ? vs_monitor_state_load(o->m, buf, len) : vs_qrs_state_load(o->q, buf, len);
}

/* The monitor's rolling-window HRV as the bytes of vs_hrv_result (nothing for the detector). */
static int obj_hrv(const obj *o, const char *dir)
{
    if (!o->monitor) return 0;
    vs_hrv_result r;
    memset(&r, 0, sizeof r);
    vs_status st = vs_monitor_hrv(o->m, NULL, &r);
    if (st != VS_OK && st != VS_E_INSUFFICIENT_DATA) return die("hrv", st);
    return write_file(dir, "hrv.bin", &r, sizeof r);
}

/* The monitor's end-of-stream events (nothing for the QRS detector). */
static int obj_finish(obj *o, FILE *f)
{
    if (!o->monitor) return 0;
    size_t cap = vs_monitor_max_events(o->m, 0), got = 0;
    vs_event *ev = malloc((cap ? cap : 1) * sizeof *ev);
    if (!ev) return die("finish", VS_E_NO_MEMORY);
    vs_status st = vs_monitor_finish(o->m, ev, cap, &got);
    int rc = st != VS_OK ? die("finish", st) : (got && fwrite(ev, sizeof *ev, got, f) != got);
    free(ev);
    return rc;
}

static int save_state(const obj *o, const char *dir, const char *name)
{
    size_t size = obj_state_size(o), written = 0;
    uint8_t *blob = malloc(size);
    if (!blob) return die("state", VS_E_NO_MEMORY);
    vs_status st = obj_state_save(o, blob, size, &written);
    int rc = st != VS_OK ? die("state_save", st) : write_file(dir, name, blob, written);
    free(blob);
    return rc;
}

/* Feeds x[from:to) in calls of chunk samples, appending the events to f. */
static int feed(obj *o, const float *x, size_t from, size_t to, size_t chunk, FILE *f)
{
    size_t cap = obj_max_events(o, chunk), size = obj_event_size(o);
    void *ev = malloc(cap * size);
    if (!ev) return die("feed", VS_E_NO_MEMORY);
    for (size_t pos = from; pos < to; pos += chunk) {
        size_t len = to - pos < chunk ? to - pos : chunk, got = 0;
        vs_status st = obj_process(o, x + pos, len, ev, cap, &got);
        if (st != VS_OK) { free(ev); return die("process", st); }
        if (got && fwrite(ev, size, got, f) != got) { free(ev); return 1; }
    }
    free(ev);
    return 0;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    _Static_assert(sizeof(vs_beat) == 32, "vs_beat layout");
    _Static_assert(sizeof(vs_event) == 56, "vs_event layout");
    _Static_assert(sizeof(vs_hrv_result) == 288, "vs_hrv_result layout");
    float *x = NULL;
    size_t n = 0;
    double fs = 0;
    obj o = {0};
    int rc = 1;
    if (argc >= 3) o.monitor = !strcmp(argv[2], "monitor");
    if (argc >= 3 && !o.monitor && strcmp(argv[2], "qrs")) argc = 0; /* unknown kind: usage */
    if (argc == 7 && !strcmp(argv[1], "run")) {
        size_t chunk = strtoul(argv[5], NULL, 10), mid = strtoul(argv[6], NULL, 10);
        if (load_input(argv[3], &x, &n, &fs)) return 1;
        vs_status st = obj_create(&o, fs);
        if (st != VS_OK) return die("create", st);
        char path[4096];
        snprintf(path, sizeof path, "%s/events.bin", argv[4]);
        FILE *f = fopen(path, "wb");
        if (!f || !chunk || mid > n) { fprintf(stderr, "golden: bad arguments\n"); return 1; }
        rc = write_file(argv[4], "signal.f32", x, n * sizeof *x) || feed(&o, x, 0, mid, chunk, f) ||
             save_state(&o, argv[4], "mid.state") || feed(&o, x, mid, n, chunk, f) ||
             save_state(&o, argv[4], "final.state") || obj_hrv(&o, argv[4]) || obj_finish(&o, f);
        if (fclose(f)) rc = 1;
    } else if (argc == 8 && !strcmp(argv[1], "resume")) {
        size_t start = strtoul(argv[5], NULL, 10), chunk = strtoul(argv[6], NULL, 10), len = 0;
        if (load_input(argv[3], &x, &n, &fs)) return 1;
        uint8_t *blob = read_all(argv[4], &len);
        if (!blob) { fprintf(stderr, "golden: cannot read %s\n", argv[4]); return 1; }
        vs_status st = obj_create(&o, fs);
        if (st == VS_OK) st = obj_state_load(&o, blob, len);
        free(blob);
        if (st != VS_OK) return die("state_load", st);
        FILE *f = fopen(argv[7], "wb");
        if (!f || !chunk || start > n) { fprintf(stderr, "golden: bad arguments\n"); return 1; }
        rc = feed(&o, x, start, n, chunk, f) || obj_finish(&o, f);
        if (fclose(f)) rc = 1;
    } else {
        fprintf(stderr, "usage: golden run qrs|monitor INPUT OUTDIR CHUNK MID\n"
                        "       golden resume qrs|monitor INPUT STATEFILE START CHUNK OUTFILE\n");
        return 2;
    }
    obj_destroy(&o);
    free(x);
    return rc;
}
