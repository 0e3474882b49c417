/* qrs_support.h — shared helpers of the QRS tests: synthetic records, whole-signal detection
 * (optionally chunked with a state round trip between chunks) and simple beat matching. */
#ifndef VS_QRS_SUPPORT_H
#define VS_QRS_SUPPORT_H
#include <stddef.h>
#include <stdint.h>
#include "vitalstream/qrs.h"
#include "vitalstream/synth.h"

typedef struct vs_test_record {
    float *x;
    size_t n;
    double fs_hz;
    vs_synth_beat *truth;
    size_t n_truth;
} vs_test_record;

/* Synthesizes a record from cfg (asserts success). */
void vs_test_synth(const vs_synth_config *cfg, vs_test_record *rec);
void vs_test_record_free(vs_test_record *rec);

/* Length of the next chunk when `remaining` samples are left: chunk 0 = all of them, > 0 = at
 * most chunk, < 0 = pseudo-random in [1, -chunk] drawn from *seed (splitmix64). */
size_t vs_test_chunk_len(long chunk, size_t remaining, uint64_t *seed);

/* Saves q's state, destroys q, creates a detector at fs_hz and loads the state into it
 * (asserts every step); returns the new detector. */
vs_qrs *vs_test_qrs_reload(vs_qrs *q, double fs_hz);

/* Runs a fresh detector over x. chunk 0 = one call; chunk > 0 = fixed chunk size;
 * chunk < 0 = pseudo-random chunk sizes in [1, -chunk] (seeded). With roundtrip, the state is
 * saved, the detector destroyed, a new one created and loaded between every pair of chunks.
 * Returns a malloc'ed beat array (asserts every call succeeded). */
vs_beat *vs_test_detect(const float *x, size_t n, double fs_hz, long chunk, int roundtrip,
                        size_t *n_beats);

/* Counts matches between detected beats and truth within window_s (each used once). */
void vs_test_match(const vs_beat *beats, size_t n_beats, const vs_synth_beat *truth,
                   size_t n_truth, double fs_hz, double window_s, int64_t from_idx,
                   size_t *tp, size_t *fn, size_t *fp);
#endif
