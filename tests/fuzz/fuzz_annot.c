/* fuzz_annot.c — libFuzzer target: vs_annot_parse on arbitrary bytes. Whatever parses must
 * encode, and the encoding must parse back to the same annotations (canonical round trip). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vitalstream/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const vs_annotation *a, const vs_annotation *b)
{
    return a->sample_idx == b->sample_idx && a->code == b->code && a->subtype == b->subtype &&
           a->channel == b->channel && a->num == b->num && a->aux_len == b->aux_len &&
           memcmp(a->aux, b->aux, a->aux_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vs_annotation_list l = {0}, r = {0};
    vs_io_error e;
    vs_status st = vs_annot_parse(data, size, "fuzz.atr", &l, &e);
    if (st != e.status) abort();
    if (st == VS_OK) {
        uint8_t *out = NULL;
        size_t n = 0;
        /* parsed annotations are always representable, except NOTQRS (code 0) after a SKIP
         * or with a zero step, which the writer refuses instead of writing an end word */
        st = vs_annot_encode(&l, &out, &n, &e);
        if (st == VS_OK) {
            if (vs_annot_parse(out, n, "re.atr", &r, &e) != VS_OK) abort();
            if (r.count != l.count) abort();
            for (size_t i = 0; i < l.count; i++)
                if (!same(&l.items[i], &r.items[i])) abort();
            /* the canonical encoding is a fixed point */
            uint8_t *out2 = NULL;
            size_t n2 = 0;
            if (vs_annot_encode(&r, &out2, &n2, &e) != VS_OK) abort();
            if (n2 != n || memcmp(out, out2, n) != 0) abort();
            vs_io_free(out2);
        } else if (st != VS_E_INVALID_ARG) {
            abort();
        }
        vs_io_free(out);
    } else if (l.count != 0) {
        abort();
    }
    vs_annot_list_free(&l);
    vs_annot_list_free(&r);
    return 0;
}
