/* annotation.c — annotation codes: mnemonics (WFDB annstr table) and the beat predicate. */
#include "vitalstream/annotation.h"

_Static_assert(sizeof(vs_annotation) == 280, "vs_annotation layout changed");
_Static_assert(offsetof(vs_annotation, code) == 8, "vs_annotation layout changed");
_Static_assert(offsetof(vs_annotation, aux_len) == 16, "vs_annotation layout changed");
_Static_assert(offsetof(vs_annotation, aux) == 18, "vs_annotation layout changed");

/* Index = code. Standard codes use WFDB's one-character mnemonics; the others are "[n]" as
 * WFDB's annstr() prints them. */
static const char *const k_mnemonic[64] = {
    " ", "N", "L", "R", "a", "V", "F", "J",
    "A", "S", "E", "j", "/", "Q", "~", "[15]",
    "|", "[17]", "s", "T", "*", "D", "\"", "=",
    "p", "B", "^", "t", "+", "u", "?", "!",
    "[", "]", "e", "n", "@", "x", "f", "(",
    ")", "r", "[42]", "[43]", "[44]", "[45]", "[46]", "[47]",
    "[48]", "[49]", "[50]", "[51]", "[52]", "[53]", "[54]", "[55]",
    "[56]", "[57]", "[58]", "[59]", "[60]", "[61]", "[62]", "[63]",
};

VS_API size_t vs_annot_struct_size(void) { return sizeof(vs_annotation); }

VS_API const char *vs_annot_code_mnemonic(int code)
{
    if (code < 0 || code > 63) return "?";
    return k_mnemonic[code];
}

VS_API int vs_annot_is_beat(int code)
{
    switch (code) {
    case VS_ANN_NORMAL: case VS_ANN_LBBB: case VS_ANN_RBBB: case VS_ANN_ABERR: case VS_ANN_PVC:
    case VS_ANN_FUSION: case VS_ANN_NPC: case VS_ANN_APC: case VS_ANN_SVPB: case VS_ANN_VESC:
    case VS_ANN_NESC: case VS_ANN_PACE: case VS_ANN_UNKNOWN: case VS_ANN_AESC: case VS_ANN_SVESC:
    case VS_ANN_PFUS:
        return 1;
    default:
        return 0;
    }
}
