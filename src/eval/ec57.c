/* ec57.c — EC57 beat-by-beat comparison, reproducing PhysioNet bxb's counts exactly.
 *
 * ---------------------------------------------------------------------------------------------
 * The scoring rules (read from WFDB app/bxb.c, revision of 27 April 2020, and lib/ecgmap.h,
 * lib/signal.c; restated here in our own words, our implementation is independent):
 *
 * Units. All times are sample numbers. WFDB's strtim() converts seconds with
 *   (WFDB_Time)(seconds * fs + 0.5), so the default window ".15" is 54 samples at 360 Hz,
 *   the default start "5:0" is 108000, and the default end "e" is the record length from the
 *   header (650000 for MIT-BIH). bxb init(): -w, -f, -t override them. If the end is known and
 *   earlier than the start bxb refuses ("improper interval").
 *
 * Which annotations are beats (getref()/gettest()). An annotation is a beat iff WFDB's isqrs()
 *   table says so: codes 1-13 (N L R a V F J A S E j / Q), 25 (BBB), 30 (LEARN), 31 (FLWAV '!'),
 *   34 (e), 35 (n), 38 (f), 41 (r). Each beat gets a class via bxb's amap() (SVEB variant, as
 *   in -L/-S/-C): N L R BBB -> N; J A S a j e n (NPC APC SVPB ABERR NESC AESC SVESC) -> S;
 *   V r E -> V; F -> F; Q / f LEARN -> Q; anything else (so FLWAV '!') -> O, i.e. a "beat"
 *   of the non-beat class: it takes part in the matching but a pair (O, o) counts nowhere.
 *   Note: bxb puts j and e in S, unlike the AAMI table which puts them in N.
 * Non-beat annotations are skipped, except:
 *   - VFON '[' : this and every following annotation up to and including the next VFOFF ']'
 *     are skipped (beats inside VF/flutter do not exist for bxb). The VF interval
 *     [VFON, VFOFF] is remembered (the current and the previous one only). EOF inside VF ends
 *     the stream.
 *   - NOISE with (subtype & 0x30) == 0x30 (e.g. subtype -1): start of shutdown (unreadable).
 *     The annotation right after it is read: if it is a NOISE whose subtype lacks one of those
 *     bits it marks the end of shutdown (and is consumed); otherwise (AHA style) the shutdown
 *     is taken to run from window after the current beat (or after the last VFOFF if that is
 *     later) to window before that next annotation (clamped so start <= end), and that next
 *     annotation is put back. Current and previous shutdown intervals are remembered. EOF right
 *     after a reference shutdown start ends the stream with an open-ended shutdown.
 * Each stream is read with one annotation of look-ahead: current (T, A) and next (T', A').
 *
 * Start of scoring (main()). The reference is advanced until its current beat T >= start.
 *   The test is advanced until its NEXT beat t' >= start, so its current beat t is the last
 *   test beat before start (or a dummy at time 0 with no class). Then:
 *   - if T - t < |T - t'| and T - t <= window: the pre-start test beat is paired with T
 *     (counted, unless both are dummies) and both streams advance;
 *   - otherwise the test stream advances once, and if that new t is within window of start and
 *     the following test beat t' is strictly closer to T (|T - t'| < |T - t|), it is dropped
 *     uncounted (advance once more).
 * The main loop (four cases, one pair per iteration):
 *   while (end > 0 ? (T <= end || t <= end) : end == -1 ? T != EOF : (T != EOF && t != EOF))
 *     if t < T:   (1) if T - t <= window and (T - t < |T - t'| or |T' - t'| < |T - t'|):
 *                     pair (A, a), advance both;
 *                 (2) else pair (rpann(t), a): test beat unmatched, advance test.
 *     else:       (3) if t - T <= window and (t - T < |t - T'| or |t' - T'| < |t - T'|):
 *                     pair (A, a), advance both;
 *                 (4) else pair (A, tpann(T)): reference beat unmatched, advance reference.
 *   So ties (t == T) are handled as "reference first"; the window edge is inclusive
 *   (|dt| <= 54 samples matches); a candidate is refused when the other stream's next beat is
 *   at least as close, unless that next beat is itself closer to its own next partner (the
 *   2002 Pardey fix). With end > 0 beats after the end can still be paired with beats before
 *   it, and are never counted as FN/FP on their own. EOF is time INT64_MAX with class '*'.
 *   The default end is the record length, so test beats after the last reference beat are FP.
 * Pseudo-beats. rpann(t) (extra test beat): '*' if t lies in the current reference VF interval
 *   (open-ended while VFOFF not yet seen) or in the previous one -> not counted at all (test
 *   beats in reference-marked VF are ignored); else 'X' if t lies in the current (open-ended)
 *   or previous reference shutdown -> row X; else 'O'. tpann(T) (missed reference beat): 'X'
 *   if T lies in the current/previous test shutdown, else 'O' (no VF exemption for the test).
 * Counts (print_results()). Matrix rows N S V F Q O X (reference), columns n s v f q o x.
 *   QRS TP = sum of rows N..Q x columns n..q; FN = rows N..Q x columns o, x; FP = rows O, X x
 *   columns n..q. So Q (unclassifiable, paced, LEARN) beats count for QRS detection, and a
 *   test beat matched to a reference '!' (class O) is an FP, a reference beat matched to a
 *   test '!' an FN. VEB Se = Vv/(Vn+Vs+Vv+Vf+Vq+Vo+Vx); VEB +P = Vv/(Vv+Nv+Sv+Ov+Xv) (Fv, Qv
 *   left out); VEB FPR = (Nv+Sv+Ov+Xv)/(that + all cells of rows N S F Q O X outside column v);
 *   SVEB Se = Ss/(Sn+Ss+Sv+Sf+Sq+So+Sx); SVEB +P = Ss/(Ss+Ns+Vs+Fs+Os+Xs) (Qs left out).
 *   RR error: every pair() call (even uncounted ones) adds (RR - rr)^2 when both the current
 *   reference and test RR intervals are valid (> 0): an interval is invalid for the first
 *   beat, at EOF, or when a VF or shutdown onset (current or previous) lies in
 *   [previous beat, beat). RMS in ms = sqrt(sum/n) * 1000 / fs.
 * sumstats. Gross = figures of the summed line-format columns; average = mean of per-record
 *   fractions over the records where the denominator is non-zero. Its -L columns merge Fs+Qs,
 *   which the SVEB +P formula then leaves out (per-record bxb keeps Fs).
 * ---------------------------------------------------------------------------------------------
 */
#include <math.h>
#include <string.h>
#include "vitalstream/eval.h"

#define EC57_EOF INT64_MAX
/* Labels carried through the walk: the classes, plus pseudo labels. */
enum { LBL_NONE = -1, LBL_STAR = -2 }; /* dummy before the first beat; EOF / VF pseudo-beat */

typedef struct ec57_stream {
    const vs_annotation *ann;
    size_t n, pos;
    int is_ref;
    int64_t cur_t, next_t, prev_t;
    int cur_c, next_c;
    int64_t rr;
    int64_t sd_on, sd_off, psd_on, psd_off; /* shutdown: current and previous */
    int64_t vf_on, vf_off, pvf_on, pvf_off; /* ventricular fibrillation/flutter */
} ec57_stream;

VS_API int vs_ec57_is_beat(int code)
{
    switch (code) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10:
    case 11: case 12: case 13: case 25: case 30: case 31: case 34: case 35: case 38: case 41:
        return 1;
    default:
        return 0;
    }
}

VS_API int vs_ec57_code_class(int code)
{
    switch (code) {
    case VS_ANN_NORMAL: case VS_ANN_LBBB: case VS_ANN_RBBB: case VS_ANN_BBB:
        return VS_EC57_N;
    case VS_ANN_NPC: case VS_ANN_APC: case VS_ANN_SVPB: case VS_ANN_ABERR: case VS_ANN_NESC:
    case VS_ANN_AESC: case VS_ANN_SVESC:
        return VS_EC57_S;
    case VS_ANN_PVC: case VS_ANN_RONT: case VS_ANN_VESC:
        return VS_EC57_V;
    case VS_ANN_FUSION:
        return VS_EC57_F;
    case VS_ANN_UNKNOWN: case VS_ANN_PACE: case VS_ANN_PFUS: case VS_ANN_LEARN:
        return VS_EC57_Q;
    default:
        return VS_EC57_O;
    }
}

static int is_shutdown_start(const vs_annotation *a)
{
    return a->code == VS_ANN_NOISE && (((int)a->subtype) & 0x30) == 0x30;
}

static void stream_init(ec57_stream *s, const vs_annotation *ann, size_t n, int is_ref)
{
    memset(s, 0, sizeof *s);
    s->ann = ann;
    s->n = n;
    s->is_ref = is_ref;
    s->cur_c = s->next_c = LBL_NONE;
    s->sd_on = s->sd_off = s->psd_on = s->psd_off = -1;
    s->vf_on = s->vf_off = s->pvf_on = s->pvf_off = -1;
}

static int64_t i64abs(int64_t x) { return x >= 0 ? x : -x; }

/* Shift next -> current and read the following beat (getref()/gettest()). */
static void stream_advance(ec57_stream *s, int64_t win)
{
    int64_t prev = s->cur_t;
    s->prev_t = prev;
    s->cur_t = s->next_t;
    s->cur_c = s->next_c;
    int64_t cur = s->cur_t;
    if (prev == 0 || cur == EC57_EOF ||
        (prev <= s->vf_on && s->vf_on < cur) || (prev <= s->sd_on && s->sd_on < cur) ||
        (prev <= s->pvf_on && s->pvf_on < cur) || (prev <= s->psd_on && s->psd_on < cur))
        s->rr = 0;
    else
        s->rr = cur - prev;

    while (s->pos < s->n) {
        const vs_annotation *a = &s->ann[s->pos++];
        if (vs_ec57_is_beat(a->code)) {
            s->next_t = a->sample_idx;
            s->next_c = vs_ec57_code_class(a->code);
            return;
        }
        if (a->code == VS_ANN_NOISE) {
            if (!is_shutdown_start(a)) continue;
            s->psd_on = s->sd_on;
            s->psd_off = s->sd_off;
            s->sd_on = a->sample_idx;
            if (s->pos >= s->n) { /* shutdown never ends */
                s->next_t = EC57_EOF;
                if (s->is_ref) s->sd_off = EC57_EOF;
                s->next_c = LBL_STAR;
                return;
            }
            const vs_annotation *b = &s->ann[s->pos++];
            if (b->code == VS_ANN_NOISE && !is_shutdown_start(b)) {
                s->sd_off = b->sample_idx;
            } else { /* single shutdown mark: infer the interval, re-read b */
                s->sd_on = (s->vf_off > cur ? s->vf_off : cur) + win;
                s->sd_off = b->sample_idx - win;
                if (s->sd_on > s->sd_off) s->sd_on = s->sd_off;
                s->pos--;
            }
        } else if (a->code == VS_ANN_VFON) {
            s->pvf_on = s->vf_on;
            s->pvf_off = s->vf_off;
            s->vf_on = a->sample_idx;
            for (;;) {
                if (s->pos >= s->n) {
                    s->next_t = EC57_EOF;
                    s->next_c = LBL_STAR;
                    return;
                }
                const vs_annotation *b = &s->ann[s->pos++];
                if (b->code == VS_ANN_VFOFF) {
                    s->vf_off = b->sample_idx;
                    break;
                }
            }
        }
    }
    s->next_t = EC57_EOF;
    s->next_c = LBL_STAR;
}

static int in_interval(int64_t t, int64_t on, int64_t off, int open_ok)
{
    return on != -1 && on <= t && (t <= off || (open_ok && off == -1));
}

/* Pseudo-label for an unmatched test beat at t (rpann). */
static int ref_pseudo(const ec57_stream *r, int64_t t)
{
    if (in_interval(t, r->vf_on, r->vf_off, 1) || in_interval(t, r->pvf_on, r->pvf_off, 0))
        return LBL_STAR;
    if (in_interval(t, r->sd_on, r->sd_off, 1) || in_interval(t, r->psd_on, r->psd_off, 0))
        return VS_EC57_X;
    return VS_EC57_O;
}

/* Pseudo-label for an unmatched reference beat at t (tpann). */
static int test_pseudo(const ec57_stream *s, int64_t t)
{
    if (in_interval(t, s->sd_on, s->sd_off, 1) || in_interval(t, s->psd_on, s->psd_off, 0))
        return VS_EC57_X;
    return VS_EC57_O;
}

static void count_pair(vs_ec57_result *res, const ec57_stream *r, const ec57_stream *s,
                       int ref_lbl, int test_lbl)
{
    if (ref_lbl >= 0 && test_lbl >= 0 &&
        !(ref_lbl >= VS_EC57_O && test_lbl >= VS_EC57_O))
        res->matrix[ref_lbl][test_lbl]++;
    if (r->rr > 0 && s->rr > 0) {
        double d = (double)(r->rr - s->rr);
        res->rr_error_sum_sq += d * d;
        res->rr_error_count++;
    }
}

VS_API void vs_ec57_default_options(vs_ec57_options *opt)
{
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->match_window_s = 0.15;
    opt->start_s = 300.0;
    opt->end_s = -1.0;
    opt->record_length_samples = 0;
}

/* Seconds -> samples like WFDB strtim(); -1 when out of range. */
static int64_t to_samples(double sec, double fs)
{
    double x = sec * fs + 0.5;
    if (!(x >= 0.0) || x > 4.0e18) return -1;
    return (int64_t)x;
}

static int check_sorted(const vs_annotation *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].sample_idx < 0 || a[i].sample_idx >= EC57_EOF / 4) return 0;
        if (i > 0 && a[i].sample_idx < a[i - 1].sample_idx) return 0;
    }
    return 1;
}

VS_API vs_status vs_ec57_compare(const vs_annotation *ref, size_t n_ref,
                                 const vs_annotation *test, size_t n_test, double fs_hz,
                                 const vs_ec57_options *opt, vs_ec57_result *result)
{
    if (!result) return VS_E_NULL_ARG;
    memset(result, 0, sizeof *result);
    if ((!ref && n_ref) || (!test && n_test)) return VS_E_NULL_ARG;
    vs_ec57_options o;
    if (opt) o = *opt;
    else vs_ec57_default_options(&o);
    if (!(fs_hz > 0.0) || !isfinite(fs_hz) || fs_hz > 1.0e9) return VS_E_INVALID_ARG;
    if (!isfinite(o.match_window_s) || !isfinite(o.start_s) || !isfinite(o.end_s))
        return VS_E_INVALID_ARG;
    if (o.record_length_samples < 0) return VS_E_INVALID_ARG;
    int64_t win = to_samples(o.match_window_s, fs_hz);
    int64_t start = to_samples(o.start_s, fs_hz);
    if (win < 0 || win > INT32_MAX || start < 0) return VS_E_INVALID_ARG;
    int64_t end;
    if (o.end_s < 0.0) {
        end = o.record_length_samples > 0 ? o.record_length_samples : -1;
    } else {
        end = to_samples(o.end_s, fs_hz);
        if (end < 0) return VS_E_INVALID_ARG;
    }
    if (end > 0 && end < start) return VS_E_INVALID_ARG;
    if (!check_sorted(ref, n_ref) || !check_sorted(test, n_test)) return VS_E_INVALID_ARG;

    result->match_window_samples = win;
    result->start_sample = start;
    result->end_sample = end;
    result->fs_hz = fs_hz;

    ec57_stream R, S;
    stream_init(&R, ref, n_ref, 1);
    stream_init(&S, test, n_test, 0);

    do stream_advance(&R, win); while (R.cur_t < start);
    do stream_advance(&S, win); while (S.next_t < start);

    /* The last test beat of the learning period may match the first scored reference beat. */
    if (R.cur_t - S.cur_t < i64abs(R.cur_t - S.next_t) && R.cur_t - S.cur_t <= win) {
        if (R.cur_c != LBL_NONE || S.cur_c != LBL_NONE)
            count_pair(result, &R, &S, R.cur_c, S.cur_c);
        stream_advance(&R, win);
        stream_advance(&S, win);
    } else {
        stream_advance(&S, win);
        if (S.cur_t - start <= win && i64abs(R.cur_t - S.next_t) < i64abs(R.cur_t - S.cur_t))
            stream_advance(&S, win);
    }

    for (;;) {
        int64_t T = R.cur_t, t = S.cur_t;
        int go;
        if (end > 0) go = (T <= end || t <= end);
        else if (end == -1) go = (T != EC57_EOF);
        else go = (T != EC57_EOF && t != EC57_EOF);
        if (!go) break;
        if (t < T) {
            if (T - t <= win &&
                (T - t < i64abs(T - S.next_t) ||
                 i64abs(R.next_t - S.next_t) < i64abs(T - S.next_t))) {
                count_pair(result, &R, &S, R.cur_c, S.cur_c);
                stream_advance(&R, win);
                stream_advance(&S, win);
            } else {
                count_pair(result, &R, &S, ref_pseudo(&R, t), S.cur_c);
                stream_advance(&S, win);
            }
        } else {
            if (t - T <= win &&
                (t - T < i64abs(t - R.next_t) ||
                 i64abs(S.next_t - R.next_t) < i64abs(t - R.next_t))) {
                count_pair(result, &R, &S, R.cur_c, S.cur_c);
                stream_advance(&S, win);
                stream_advance(&R, win);
            } else {
                count_pair(result, &R, &S, R.cur_c, test_pseudo(&S, T));
                stream_advance(&R, win);
            }
        }
    }

    for (int i = VS_EC57_N; i <= VS_EC57_Q; i++) {
        for (int j = VS_EC57_N; j <= VS_EC57_Q; j++) result->tp += result->matrix[i][j];
        result->fn += result->matrix[i][VS_EC57_O] + result->matrix[i][VS_EC57_X];
        result->fp += result->matrix[VS_EC57_O][i] + result->matrix[VS_EC57_X][i];
    }
    return VS_OK;
}
