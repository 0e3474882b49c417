/* annotation.h — one annotation as in WFDB's MIT format, and the standard codes (ecgcodes.h
 * numbering). In the core library: detectors and the evaluator use it; io.h reads/writes it. */
#ifndef VITALSTREAM_ANNOTATION_H
#define VITALSTREAM_ANNOTATION_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vs_annotation_code {
    VS_ANN_NOTQRS = 0, VS_ANN_NORMAL = 1, VS_ANN_LBBB = 2, VS_ANN_RBBB = 3, VS_ANN_ABERR = 4,
    VS_ANN_PVC = 5, VS_ANN_FUSION = 6, VS_ANN_NPC = 7, VS_ANN_APC = 8, VS_ANN_SVPB = 9,
    VS_ANN_VESC = 10, VS_ANN_NESC = 11, VS_ANN_PACE = 12, VS_ANN_UNKNOWN = 13, VS_ANN_NOISE = 14,
    VS_ANN_ARFCT = 16, VS_ANN_STCH = 18, VS_ANN_TCH = 19, VS_ANN_SYSTOLE = 20,
    VS_ANN_DIASTOLE = 21, VS_ANN_NOTE = 22, VS_ANN_MEASURE = 23, VS_ANN_PWAVE = 24,
    VS_ANN_BBB = 25, VS_ANN_PACESP = 26, VS_ANN_TWAVE = 27, VS_ANN_RHYTHM = 28,
    VS_ANN_UWAVE = 29, VS_ANN_LEARN = 30, VS_ANN_FLWAV = 31, VS_ANN_VFON = 32, VS_ANN_VFOFF = 33,
    VS_ANN_AESC = 34, VS_ANN_SVESC = 35, VS_ANN_LINK = 36, VS_ANN_NAPC = 37, VS_ANN_PFUS = 38,
    VS_ANN_WFON = 39, VS_ANN_WFOFF = 40, VS_ANN_RONT = 41
};

typedef struct vs_annotation {
    int64_t sample_idx;
    int16_t code;        /* enum vs_annotation_code */
    int8_t subtype;
    uint8_t channel;
    int16_t num;
    uint16_t aux_len;    /* bytes of aux used (0 = none) */
    char aux[256];       /* NUL-terminated copy of the aux bytes */
} vs_annotation;

/* One-letter mnemonic of a code as in WFDB ("N", "V", "+", "~", ...), "?" if unknown. */
VS_API const char *vs_annot_code_mnemonic(int code);
/* 1 if the code is a beat annotation in the EC57 sense (N L R a V F J A S E j / Q e n f). */
VS_API int vs_annot_is_beat(int code);

#ifdef __cplusplus
}
#endif
#endif
