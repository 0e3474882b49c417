#include "qrs_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

void vs_test_synth(const vs_synth_config *cfg, vs_test_record *rec)
{
    memset(rec, 0, sizeof *rec);
    size_t n = 0, max_beats = 0;
    assert_int_equal(vs_synth_num_samples(cfg, &n), VS_OK);
    assert_int_equal(vs_synth_max_beats(cfg, &max_beats), VS_OK);
    rec->x = malloc(n * sizeof *rec->x);
    rec->truth = malloc(max_beats * sizeof *rec->truth);
    assert_non_null(rec->x);
    assert_non_null(rec->truth);
    assert_int_equal(vs_synth_generate(cfg, rec->x, n, rec->truth, max_beats, &rec->n_truth),
                     VS_OK);
    rec->n = n;
    rec->fs_hz = cfg->fs_hz;
}

void vs_test_record_free(vs_test_record *rec)
{
    free(rec->x);
    free(rec->truth);
    memset(rec, 0, sizeof *rec);
}

static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

size_t vs_test_chunk_len(long chunk, size_t remaining, uint64_t *seed)
{
    size_t len = remaining;
    if (chunk > 0 && (size_t)chunk < len) len = (size_t)chunk;
    if (chunk < 0) {
        size_t r = 1 + (size_t)(next_rand(seed) % (uint64_t)(-chunk));
        if (r < len) len = r;
    }
    return len;
}

vs_qrs *vs_test_qrs_reload(vs_qrs *q, double fs_hz)
{
    size_t size = vs_qrs_state_size(q), written = 0;
    uint8_t *blob = malloc(size);
    assert_non_null(blob);
    assert_int_equal(vs_qrs_state_save(q, blob, size, &written), VS_OK);
    assert_int_equal(written, size);
    vs_qrs_destroy(q);
    vs_qrs *fresh = NULL;
    assert_int_equal(vs_qrs_create(&fresh, fs_hz), VS_OK);
    assert_int_equal(vs_qrs_state_load(fresh, blob, written), VS_OK);
    free(blob);
    return fresh;
}

vs_beat *vs_test_detect(const float *x, size_t n, double fs_hz, long chunk, int roundtrip,
                        size_t *n_beats)
{
    vs_qrs *q = NULL;
    assert_int_equal(vs_qrs_create(&q, fs_hz), VS_OK);
    size_t total_cap = vs_qrs_max_events(q, n) + 16, count = 0;
    vs_beat *all = malloc(total_cap * sizeof *all);
    assert_non_null(all);
    uint64_t seed = 12345;
    size_t pos = 0;
    while (pos < n) {
        size_t len = vs_test_chunk_len(chunk, n - pos, &seed);
        size_t cap = vs_qrs_max_events(q, len), got = 0;
        vs_beat *tmp = malloc(cap * sizeof *tmp);
        assert_non_null(tmp);
        assert_int_equal(vs_qrs_process(q, x + pos, len, tmp, cap, &got), VS_OK);
        assert_true(count + got <= total_cap);
        memcpy(all + count, tmp, got * sizeof *tmp);
        count += got;
        free(tmp);
        pos += len;
        if (roundtrip && pos < n) q = vs_test_qrs_reload(q, fs_hz);
    }
    vs_qrs_destroy(q);
    *n_beats = count;
    return all;
}

void vs_test_match(const vs_beat *beats, size_t n_beats, const vs_synth_beat *truth,
                   size_t n_truth, double fs_hz, double window_s, int64_t from_idx,
                   size_t *tp, size_t *fn, size_t *fp)
{
    int64_t win = (int64_t)(window_s * fs_hz + 0.5);
    char *used = calloc(n_beats + 1, 1);
    size_t t = 0, f = 0, j = 0;
    for (size_t i = 0; i < n_truth; i++) {
        int64_t r = truth[i].sample_idx;
        if (r < from_idx) continue;
        while (j < n_beats && beats[j].sample_idx < r - win) j++;
        size_t best = n_beats;
        int64_t bd = win + 1;
        for (size_t k = j; k < n_beats && beats[k].sample_idx <= r + win; k++) {
            int64_t d = beats[k].sample_idx - r;
            if (d < 0) d = -d;
            if (!used[k] && d < bd) { bd = d; best = k; }
        }
        if (best < n_beats) { used[best] = 1; t++; } else f++;
    }
    size_t extra = 0;
    for (size_t k = 0; k < n_beats; k++)
        if (!used[k] && beats[k].sample_idx >= from_idx) extra++;
    free(used);
    *tp = t;
    *fn = f;
    *fp = extra;
}
