/* units.h (private) — the sampling-rate check and ms -> samples conversions every module uses.
 *
 * Each conversion computes ms * 1e-3 * fs_hz in that order, so a module that switches to these
 * gets the same bits as its former local copy. */
#ifndef VITALSTREAM_SRC_COMMON_UNITS_H
#define VITALSTREAM_SRC_COMMON_UNITS_H

#include <math.h>
#include <stdint.h>

#include "vitalstream/common.h"

/* fs_hz within [VS_FS_MIN_HZ, VS_FS_MAX_HZ]; false for NaN and infinities. */
static inline int vs_fs_in_range(double fs_hz)
{
    return fs_hz >= VS_FS_MIN_HZ && fs_hz <= VS_FS_MAX_HZ;
}

/* A duration in samples, unrounded (for comparisons with sample counts). */
static inline double vs_ms_in_samples(double ms, double fs_hz)
{
    return ms * 1e-3 * fs_hz;
}

/* A duration rounded to whole samples (half away from zero); 0 ms gives 0. */
static inline int32_t vs_ms_to_samples(double ms, double fs_hz)
{
    return (int32_t)lround(vs_ms_in_samples(ms, fs_hz));
}

/* The length of a window or segment: the rounded duration, but at least one sample. */
static inline uint32_t vs_ms_to_window(double ms, double fs_hz)
{
    int32_t v = vs_ms_to_samples(ms, fs_hz);
    return v < 1 ? 1u : (uint32_t)v;
}

#endif
