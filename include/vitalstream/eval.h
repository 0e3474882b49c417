/* eval.h — placeholder, being written. */
#ifndef VITALSTREAM_EVAL_H
#define VITALSTREAM_EVAL_H
#include "common.h"
#endif
