/* vitalstream.h — umbrella header of libvitalstream (core). File formats live in io.h
 * (library vitalstream_io). */
#ifndef VITALSTREAM_H
#define VITALSTREAM_H
#include "common.h"
#include "vitalstream/version.h"
#include "state.h"
#include "filter.h"
#include "qrs.h"
#include "annotation.h"
#include "eval.h"
#include "synth.h"
#include "hrv.h"
#include "classify.h"
#include "quality.h"
#include "rhythm.h"
#include "monitor.h"
#endif
