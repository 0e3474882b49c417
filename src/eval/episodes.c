/* episodes.c — AF episode-by-episode comparison, scoring as PhysioNet's `epicmp -A` does.
 *
 * Rules (read from WFDB app/epicmp.c, revision of 24 April 2020; restated in our own words,
 * the implementation is independent):
 *   - Times are samples; seconds convert like WFDB strtim(): (int64_t)(s * fs + 0.5). Default
 *     start "5:0" (300 s), default end "e" = record length from the header.
 *   - An episode begins at a RHYTHM annotation whose aux starts with "(AFIB" and ends at the
 *     next RHYTHM annotation whose aux does not; later "(AFIB" annotations inside it do not
 *     end it. If the list ends first, the episode ends at the later of the last annotation read
 *     and the end of scoring.
 *   - One pass per statistic. In the Se pass the reference defines the windows, in the +P pass
 *     the test does. Windows that end before the start are skipped; the first window kept is
 *     clipped to the start; windows are processed while they start before the end and are
 *     clipped to it. A window shorter than the minimum length is left out. Its duration adds
 *     to the pass's duration; the overlap with the other list's episodes (which are never
 *     clipped themselves) is summed; overlap > 0 counts a match, else a mismatch.
 *   - Overlap search keeps a cursor on the other list: episodes ending before the window are
 *     skipped; an episode reaching past the window end stays current for the next window.
 *   - With -x (exclude_afl), reference "(AFL" episodes are cut out of test windows in the +P
 *     pass. epicmp lengthens the duration when a window starts inside an exclusion (its sign
 *     slip); we subtract the excluded part instead. Not used by EC57 scoring (the default).
 *   - epicmp treats an episode starting at sample 0 as absent in the overlap search (0 doubles
 *     as "none"); we do not, so such an episode counts. Reference files never start AF at 0.
 *   - The gross figures pool counts and durations over records.
 */
#include <string.h>
#include "vitalstream/eval.h"

_Static_assert(sizeof(vs_epi_result) == 11 * 8, "vs_epi_result layout");

typedef struct epi_cursor {
    const vs_annotation *a;
    size_t n, pos;
    int64_t end_time; /* 0: no limit */
    int afl;          /* 0: AF episodes, 1: AFL episodes */
    int has;
    int64_t start, end;
} epi_cursor;

static int has_prefix(const vs_annotation *a, const char *p, size_t len)
{
    return a->code == VS_ANN_RHYTHM && a->aux_len >= len && memcmp(a->aux, p, len) == 0;
}

static int starts_episode(const epi_cursor *c, const vs_annotation *a)
{
    return c->afl ? has_prefix(a, "(AFL", 4) : has_prefix(a, "(AFIB", 5);
}

static int ends_episode(const epi_cursor *c, const vs_annotation *a)
{
    return a->code == VS_ANN_RHYTHM && !starts_episode(c, a);
}

static void cursor_init(epi_cursor *c, const vs_annotation *a, size_t n, int64_t end_time,
                        int afl)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->n = n;
    c->end_time = end_time;
    c->afl = afl;
}

static void next_episode(epi_cursor *c)
{
    c->has = 0;
    c->start = c->end = 0;
    int found = 0;
    while (c->pos < c->n) {
        const vs_annotation *x = &c->a[c->pos++];
        if (starts_episode(c, x)) {
            c->start = x->sample_idx;
            found = 1;
            break;
        }
    }
    if (!found) return;
    int64_t last = c->start;
    c->has = 1;
    while (c->pos < c->n) {
        const vs_annotation *x = &c->a[c->pos++];
        last = x->sample_idx;
        if (ends_episode(c, x)) {
            c->end = last;
            return;
        }
    }
    c->end = c->end_time > last ? c->end_time : last;
}

typedef struct epi_params {
    int64_t start, end, min_len;
    int ignore_short;
} epi_params;

/* Sum of the parts of b's episodes inside [ws, we]. */
static int64_t find_overlap(epi_cursor *b, int64_t ws, int64_t we, const epi_params *p)
{
    int64_t overlap = 0;
    if (!b->has) return 0;
    while (b->end < ws) {
        next_episode(b);
        if (!b->has) return 0;
    }
    if (b->start > we) return 0;
    do {
        if (p->ignore_short && b->end - b->start < p->min_len) {
            next_episode(b);
            continue;
        }
        int64_t os = b->start < ws ? ws : b->start;
        int64_t oe = b->end > we ? we : b->end;
        overlap += oe - os;
        if (b->end >= we) break;
        next_episode(b);
    } while (b->has && b->start < we);
    return overlap;
}

/* Cuts reference AFL out of the window [*ws, *we]; returns the adjusted duration, -1 when the
 * whole window is excluded. */
static int64_t apply_exclusions(const vs_annotation *ref, size_t n_ref, int64_t *ws, int64_t *we,
                                int64_t duration, const epi_params *p)
{
    epi_cursor e;
    cursor_init(&e, ref, n_ref, p->end, 1);
    do {
        next_episode(&e);
    } while (e.has && e.end < p->start);
    for (; e.has && (p->end == 0 || e.start < p->end); next_episode(&e)) {
        if (*we <= e.start) break;
        if (e.start <= *ws && *ws <= e.end) {
            if (*we <= e.end) return -1;
            duration -= e.end - *ws;
            *ws = e.end;
        } else if (*ws <= e.start && e.start <= *we) {
            if (e.end < *we) {
                duration -= e.end - e.start;
            } else {
                duration -= *we - e.start;
                *we = e.start;
            }
        }
    }
    return duration;
}

/* One pass: windows from list a, overlaps with list b. */
static void epi_pass(const vs_annotation *a, size_t na, const vs_annotation *b, size_t nb,
                     const vs_annotation *ref, size_t n_ref, int exclude, const epi_params *p,
                     int64_t *match, int64_t *mismatch, int64_t *total_dur, int64_t *total_ov)
{
    epi_cursor ca, cb;
    *match = *mismatch = *total_dur = *total_ov = 0;
    cursor_init(&ca, a, na, p->end, 0);
    cursor_init(&cb, b, nb, p->end, 0);
    do {
        next_episode(&ca);
    } while (ca.has && ca.end < p->start);
    if (!ca.has) return;
    if (ca.start < p->start) ca.start = p->start;
    next_episode(&cb);
    while (ca.has && (p->end == 0 || ca.start < p->end)) {
        if (p->end > 0 && ca.end > p->end) ca.end = p->end;
        int64_t ws = ca.start, we = ca.end;
        int64_t duration = we - ws;
        if (exclude) duration = apply_exclusions(ref, n_ref, &ws, &we, duration, p);
        if (duration < p->min_len) {
            next_episode(&ca);
            continue;
        }
        *total_dur += duration;
        int64_t ov = find_overlap(&cb, ws, we, p);
        if (ov > 0) {
            (*match)++;
            *total_ov += ov;
        } else {
            (*mismatch)++;
        }
        next_episode(&ca);
    }
}

static int sorted_ok(const vs_annotation *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].sample_idx < 0) return 0;
        if (i && a[i].sample_idx < a[i - 1].sample_idx) return 0;
    }
    return 1;
}

static int64_t to_samples(double s, double fs, int *ok)
{
    double x = s * fs + 0.5;
    if (!(x >= 0.0 && x < 9.0e18)) {
        *ok = 0;
        return 0;
    }
    return (int64_t)x;
}

VS_API void vs_epi_default_options(vs_epi_options *opt)
{
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->start_s = 300.0;
    opt->end_s = -1.0;
}

VS_API vs_status vs_epi_compare_af(const vs_annotation *ref, size_t n_ref,
                                   const vs_annotation *test, size_t n_test, double fs_hz,
                                   const vs_epi_options *opt, vs_epi_result *result)
{
    if (!result) return VS_E_NULL_ARG;
    memset(result, 0, sizeof *result);
    if ((!ref && n_ref) || (!test && n_test)) return VS_E_NULL_ARG;
    vs_epi_options o;
    if (opt) o = *opt;
    else vs_epi_default_options(&o);
    if (!(fs_hz > 0.0 && fs_hz < 1.0e7)) return VS_E_INVALID_ARG;
    if (!(o.start_s >= 0.0) || !(o.min_length_s >= 0.0) || o.end_s != o.end_s ||
        o.record_length_samples < 0 || (o.ignore_short_in_overlap != 0 &&
                                         o.ignore_short_in_overlap != 1) ||
        (o.exclude_afl != 0 && o.exclude_afl != 1))
        return VS_E_INVALID_ARG;
    if (!sorted_ok(ref, n_ref) || !sorted_ok(test, n_test)) return VS_E_INVALID_ARG;
    int ok = 1;
    epi_params p;
    p.start = to_samples(o.start_s, fs_hz, &ok);
    p.min_len = to_samples(o.min_length_s, fs_hz, &ok);
    if (o.end_s < 0.0) p.end = o.record_length_samples;
    else p.end = to_samples(o.end_s, fs_hz, &ok);
    p.ignore_short = o.ignore_short_in_overlap;
    if (!ok || (p.end > 0 && p.end < p.start)) return VS_E_INVALID_ARG;

    vs_epi_result r;
    memset(&r, 0, sizeof r);
    epi_pass(ref, n_ref, test, n_test, ref, n_ref, 0, &p, &r.ref_matched, &r.ref_missed,
             &r.ref_duration, &r.ref_overlap);
    epi_pass(test, n_test, ref, n_ref, ref, n_ref, o.exclude_afl, &p, &r.test_matched,
             &r.test_false, &r.test_duration, &r.test_overlap);
    r.start_sample = p.start;
    r.end_sample = p.end;
    r.fs_hz = fs_hz;
    *result = r;
    return VS_OK;
}

VS_API vs_status vs_epi_result_stats(const vs_epi_result *r, vs_epi_stats *s)
{
    if (!r || !s) return VS_E_NULL_ARG;
    s->episode_se = vs_ec57_percent(r->ref_matched, r->ref_matched + r->ref_missed);
    s->episode_ppv = vs_ec57_percent(r->test_matched, r->test_matched + r->test_false);
    s->duration_se = vs_ec57_percent(r->ref_overlap, r->ref_duration);
    s->duration_ppv = vs_ec57_percent(r->test_overlap, r->test_duration);
    return VS_OK;
}

VS_API void vs_epi_summary_init(vs_epi_summary *s)
{
    if (s) memset(s, 0, sizeof *s);
}

VS_API vs_status vs_epi_summary_add(vs_epi_summary *s, const vs_epi_result *r)
{
    if (!s || !r) return VS_E_NULL_ARG;
    vs_epi_result *g = &s->gross;
    g->ref_matched += r->ref_matched;
    g->ref_missed += r->ref_missed;
    g->test_matched += r->test_matched;
    g->test_false += r->test_false;
    g->ref_duration += r->ref_duration;
    g->ref_overlap += r->ref_overlap;
    g->test_duration += r->test_duration;
    g->test_overlap += r->test_overlap;
    if (s->n_records == 0) g->fs_hz = r->fs_hz;
    s->n_records++;
    return VS_OK;
}

VS_API vs_status vs_epi_summary_stats(const vs_epi_summary *s, vs_epi_stats *gross)
{
    if (!s || !gross) return VS_E_NULL_ARG;
    return vs_epi_result_stats(&s->gross, gross);
}

VS_API size_t vs_epi_result_struct_size(void) { return sizeof(vs_epi_result); }
