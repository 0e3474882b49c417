/* annotation.h — one annotation as in WFDB's MIT format, and the standard codes (ecgcodes.h
 * numbering). In the core library: detectors and the evaluator use it; io.h reads/writes it.
 *
 * The struct models exactly what the MIT annotation format can carry, so that a file read with
 * vs_annot_read and written back with vs_annot_write is byte-identical (see io.h):
 *   - code     6-bit annotation type, 0..58 (59..63 are the SKIP/NUM/SUB/CHN/AUX pseudo codes)
 *   - subtype  10-bit SUB field, sign-extended (-512..511); belongs to this annotation only
 *   - channel  10-bit CHN field (0..1023); carried over from the previous annotation in a file
 *   - num      10-bit NUM field, sign-extended (-512..511); carried over like channel
 *   - aux      0..255 raw bytes (aux_len), stored with an extra NUL after them; WFDB writers
 *              usually include a terminating NUL inside aux_len (e.g. "(N\0", aux_len 3), and
 *              that byte is kept as data so it is written back the same way.
 * Detectors fill sample_idx and code and zero the rest ({0}-initialise the struct). */
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
    VS_ANN_WFON = 39, VS_ANN_WFOFF = 40, VS_ANN_RONT = 41,
    VS_ANN_MAX_CODE = 58 /* largest code the MIT format can store as an annotation */
};

#define VS_ANNOT_AUX_MAX 255

/* 280 bytes, no implicit padding (checked with _Static_assert; see vs_annot_struct_size). */
typedef struct vs_annotation {
    int64_t sample_idx;  /* offset 0: time in samples from the record start */
    int16_t code;        /* offset 8: enum vs_annotation_code, 0..VS_ANN_MAX_CODE */
    int16_t subtype;     /* offset 10: -512..511 (0 = none) */
    uint16_t channel;    /* offset 12: 0..1023 */
    int16_t num;         /* offset 14: -512..511 */
    uint16_t aux_len;    /* offset 16: bytes of aux used, 0..VS_ANNOT_AUX_MAX (0 = none) */
    char aux[256];       /* offset 18: aux bytes, then a NUL */
    uint8_t reserved[6]; /* offset 274: keep zero */
} vs_annotation;

/* sizeof(vs_annotation) as compiled into the library (bindings check their layout with it). */
VS_API size_t vs_annot_struct_size(void);

/* Mnemonic of a code as in WFDB's annstr() ("N", "V", "+", "~", "!", ...). Code 0 (NOTQRS) is
 * " " as in WFDB; codes 0..63 without a standard meaning give "[15]"-style strings like WFDB;
 * anything outside 0..63 gives "?". Always a static string, never NULL. */
VS_API const char *vs_annot_code_mnemonic(int code);
/* 1 if the code is a beat annotation in the EC57 sense (N L R a V F J A S E j / Q e n f:
 * codes 1-13, 34, 35, 38), else 0. */
VS_API int vs_annot_is_beat(int code);

#ifdef __cplusplus
}
#endif
#endif
