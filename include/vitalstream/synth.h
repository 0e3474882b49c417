/* synth.h — placeholder, being written. */
#ifndef VITALSTREAM_SYNTH_H
#define VITALSTREAM_SYNTH_H
#include "common.h"
#endif
