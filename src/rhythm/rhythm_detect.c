/* rhythm_detect.c — the per-beat logic of vs_rhythm (what each detector does is described in
 * rhythm.h). Integer sample arithmetic wherever a decision is taken, so the output is the same
 * on every platform. */
#include <math.h>
#include <string.h>

#include "rhythm_impl.h"

#define P(r, id) ((r)->param[(id) - 1])

enum { CLS_N = 0, CLS_S = 1, CLS_V = 2, CLS_F = 3, CLS_Q = 4 };

static uint16_t clamp_u16(int64_t d)
{
    return d < 0 ? 0 : (d > 65535 ? 65535 : (uint16_t)d);
}

static int popcount32(uint32_t x)
{
    int c = 0;
    for (; x; x &= x - 1) c++;
    return c;
}

/* Median of the clean RR ring (samples); 0 when fewer than 3 intervals. */
static int32_t rr_median(const struct vs_rhythm *r)
{
    if (r->rr_count < 3) return 0;
    int32_t v[VS_RHY_RR_RING];
    uint32_t n = r->rr_count;
    memcpy(v, r->rr_ring, sizeof v);
    for (uint32_t i = 1; i < n; i++) {
        int32_t x = v[i];
        uint32_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v[n / 2];
}

/* Mean heart rate of the newest k clean intervals (bpm), 0 if there are fewer. */
static double rate_bpm(const struct vs_rhythm *r, uint32_t k)
{
    if (r->rr_count < k || k == 0) return 0.0;
    int64_t sum = 0;
    for (uint32_t j = 0; j < k; j++)
        sum += r->rr_ring[(r->rr_pos + VS_RHY_RR_RING - 1 - j) % VS_RHY_RR_RING];
    return sum > 0 ? 60.0 * r->fs_hz * (double)k / (double)sum : 0.0;
}

/* Sample index of the beat k beats before the newest one (k < beat_count + 1). */
static int64_t beat_back(const struct vs_rhythm *r, uint32_t k)
{
    int64_t t = r->prev_idx;
    if (k > r->beat_count) k = r->beat_count;
    for (uint32_t j = 0; j < k; j++)
        t -= r->beat_delta[(r->beat_pos + VS_RHY_BEAT_RING - 1 - j) % VS_RHY_BEAT_RING];
    return t < r->first_idx ? r->first_idx : t;
}

int vs_rhythm_couplet_pending(const struct vs_rhythm *r)
{
    /* two clean V beats, and the beat before them (if any) was not one: the same beats as a run
     * of length 2, whatever shapes the two have */
    return r->hist_count >= 2 && (r->v_hist & 3u) == 3u && (r->hist_count == 2 || !(r->v_hist & 4u));
}

/* Time of the vote k votes before the newest. */
static int64_t vote_back(const struct vs_rhythm *r, uint32_t k)
{
    int64_t t = r->last_vote_idx;
    for (uint32_t j = 0; j < k && j + 1 < r->n_votes; j++)
        t -= r->vote_delta[(r->vote_pos + VS_RHY_VOTE_RING - 1 - j) % VS_RHY_VOTE_RING];
    return t < 0 ? 0 : t;
}

/* Fraction of irregular votes among the newest min(k, n_votes) votes. */
static double vote_fraction(const struct vs_rhythm *r, uint32_t k)
{
    if (k > r->n_votes) k = r->n_votes;
    if (k == 0) return 0.0;
    uint32_t mask = k >= 32 ? 0xFFFFFFFFu : ((1u << k) - 1u);
    return (double)popcount32(r->vote_bits & mask) / (double)k;
}

/* Lag-1 autocorrelation of the beat-to-beat intervals in the history ring, intervals longer
 * than long_limit samples left out; 0 when fewer than 8 remain or no variance. */
static double rr_corr1(const struct vs_rhythm *r, double long_limit)
{
    double v[VS_RHY_BEAT_RING];
    uint32_t n = 0;
    for (uint32_t j = r->beat_count; j > 0; j--) { /* oldest first */
        double x = r->beat_delta[(r->beat_pos + VS_RHY_BEAT_RING - j) % VS_RHY_BEAT_RING];
        if (long_limit <= 0.0 || x <= long_limit) v[n++] = x;
    }
    if (n < 8) return 0.0;
    double mean = 0.0;
    for (uint32_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    double var = 0.0, cov = 0.0;
    for (uint32_t i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
    for (uint32_t i = 1; i < n; i++) cov += (v[i] - mean) * (v[i - 1] - mean);
    if (var <= 0.0) return 0.0;
    return (cov / (double)(n - 1)) / (var / (double)n);
}

/* Where the newest stretch of votes denser (want_irregular) or sparser (!want_irregular) in
 * irregular votes than theta begins: the split maximising the weighted sum over the newest s
 * votes. Returns s (number of newest votes in the stretch, >= 1). */
static uint32_t vote_split(const struct vs_rhythm *r, uint32_t w, double theta, int want_irregular)
{
    double sum = 0.0, best = -1.0e30;
    uint32_t best_s = 1;
    for (uint32_t j = 0; j < w; j++) {
        int irr = (int)((r->vote_bits >> j) & 1u);
        int good = want_irregular ? irr : !irr;
        double wt = want_irregular ? theta : 1.0 - theta;
        sum += good ? 1.0 - wt : -wt;
        if (sum >= best) {
            best = sum;
            best_s = j + 1;
        }
    }
    return best_s;
}

void vs_rhythm_emit(vs_rhythm_event *out, size_t *n, int kind, int type, int severity,
                    int64_t onset, int64_t offset, int64_t emitted, double value)
{
    vs_rhythm_event *e = &out[(*n)++];
    memset(e, 0, sizeof *e);
    e->onset_idx = onset;
    e->offset_idx = offset;
    e->emitted_idx = emitted;
    e->kind = kind;
    e->type = type;
    e->severity = severity;
    e->value = (float)value;
}

static int episode_severity(int type)
{
    switch (type) {
    case VS_RHYTHM_VT: return VS_RHYTHM_CRITICAL;
    case VS_RHYTHM_AFIB: case VS_RHYTHM_BRADY: case VS_RHYTHM_TACHY: return VS_RHYTHM_WARNING;
    case VS_RHYTHM_BIGEMINY: case VS_RHYTHM_TRIGEMINY: return VS_RHYTHM_WARNING;
    default: return VS_RHYTHM_INFO;
    }
}

static void update_af(struct vs_rhythm *r, int64_t idx, int cls, int q, int64_t rr, int clean,
                      int shape_new)
{
    int32_t m = rr_median(r);
    /* "prem" marks an interval that may not vote and makes the next one not vote either:
     * premature (ectopic coupling), too long (pause, missed beat), or unreadable */
    int prem = !clean || m == 0 || (double)rr < P(r, VS_RHYTHM_PREMATURE_RATIO) * (double)m ||
               (double)rr > P(r, VS_RHYTHM_LONG_RATIO) * (double)m;
    /* S labels are not excluded: in AF every conducted beat looks "premature" to a classifier;
     * supraventricular ectopy is handled by the prematurity rule below instead. A beat whose
     * QRS is of another origin than the one before it (VS_RHYTHM_SHAPE_NEW: paced beside
     * conducted beats that a classifier at a low sampling rate calls N alike) is not either:
     * the detector's fiducial points of the two shapes lie up to ~100 ms apart, which makes
     * regular paced rhythm look irregular */
    int usable = clean && !shape_new && (cls == CLS_N || cls == CLS_S) &&
                 (r->prev_class == CLS_N || r->prev_class == CLS_S);
    (void)q;
    if (usable && !prem && r->prev_usable && (r->prem_hist & 3u) == 0 && r->prev_rr > 0) {
        int64_t d = rr - r->prev_rr;
        if (d < 0) d = -d;
        int irr = (double)d > P(r, VS_RHYTHM_AF_DRR_RATIO) * (double)m;
        /* alternation (see rhythm.h) blocks the start of AF */
        double long_limit = P(r, VS_RHYTHM_LONG_RATIO) * (double)m;
        int64_t t = r->prev_idx;
        r->vote_delta[r->vote_pos] = clamp_u16(r->last_vote_idx >= 0 ? t - r->last_vote_idx : 0);
        r->vote_pos = (r->vote_pos + 1) % VS_RHY_VOTE_RING;
        r->vote_bits = (r->vote_bits << 1) | (uint32_t)irr;
        if (r->n_votes < VS_RHY_VOTE_RING) r->n_votes++;
        r->last_vote_idx = t;
        if (irr) r->last_irregular_idx = t;

        uint32_t w = (uint32_t)P(r, VS_RHYTHM_AF_WINDOW);
        if (r->n_votes >= VS_RHY_AF_MIN_VOTES) {
            double on = P(r, VS_RHYTHM_AF_ON_FRACTION), off = P(r, VS_RHYTHM_AF_OFF_FRACTION);
            double theta = 0.5 * (on + off);
            double frac = vote_fraction(r, w);
            /* AF starts only from clearly irregular RR (COSEn and no pattern, rhythm_af.c)
             * backed by irregular votes: a full window of them, or enough among the newest
             * few (AF from the first beats of a recording, and short paroxysms). Atrial
             * activity never vetoes that; it only refines the end: organised atrial activity
             * (coherent P waves, or waves too large for fibrillation, which vs_monitor reports
             * as coherence 1) ends AF once the intervals are no longer clearly irregular.
             * Few irregular votes do not end AF either while the intervals stay clearly
             * irregular: the votes leave out premature intervals and the ones after them, so in
             * AF with a narrow spread of RR they can thin out while COSEn still says AF (210
             * with AF_DRR_RATIO 0.15 and AF_ON_FRACTION 0.6, as the leave-one-record-out grid
             * chose them: AF ended at 1047 s and started again only at 1273 s). Intervals near
             * multiples of one flutter cycle (variable block, rhythm_af.c) start no AF, but
             * they do not end it either: by chance AF's intervals can look so for a window. */
            int p_back = r->atrial > P(r, VS_RHYTHM_AF_END_ATRIAL);
            /* Where the votes are too thin (short paroxysms: the prematurity rule withholds
             * three votes for each short interval, and AF has many), the pairs of intervals
             * between clean N beats may back the start instead (rhythm_af.c, 4.): ectopy left
             * out by the classifier's labels only, so only while atrial activity is measured
             * and not organised (atrial flutter and nodal rhythm in 222 have N-labelled
             * irregular RR as well, with coherence about 1) */
            int votes_ok = (r->n_votes >= w && frac >= on) ||
                           vote_fraction(r, VS_RHY_AF_FAST_VOTES) >= on ||
                           (r->atrial <= P(r, VS_RHYTHM_AF_END_ATRIAL) &&
                            vs_rhythm_af_n_pairs_irregular(
                                r, long_limit, P(r, VS_RHYTHM_AF_DRR_RATIO) * (double)m, on));
            uint32_t span = r->n_votes < w ? r->n_votes : w;
            /* "clear" (vs_rhythm_af_rr_clear: COSEn pair counts over the beat ring, quadratic in
             * its length) and the RR correlation are asked for only where the decision needs
             * them, last: in sinus rhythm AF has no votes to start from, and neither is needed */
            if (r->af_active == AF_ENDING) {
                /* the end becomes final only if AF would not start again at this vote and
                 * RR is still not clearly irregular (one window that looks regular or patterned
                 * by chance does not end AF); a restart right away would write a zero-length
                 * "(N" between two "(AFIB". Starting needs clear too, so clear decides. */
                r->af_active = vs_rhythm_af_rr_clear(r, long_limit, 0) ? AF_ON : AF_OFF;
            } else if (r->af_active == AF_OFF && votes_ok &&
                       rr_corr1(r, long_limit) >= P(r, VS_RHYTHM_AF_MIN_RR_CORR) &&
                       vs_rhythm_af_rr_clear(r, long_limit, 1) == 1) {
                r->af_active = AF_ON;
                uint32_t s = vote_split(r, span, theta, 1);
                int64_t onset = vote_back(r, s - 1);
                /* every vote since the first beats (the ring has dropped none) is as irregular
                 * as the stretch: AF from the start of the recording */
                if (r->n_votes < VS_RHY_VOTE_RING && vote_fraction(r, r->n_votes) >= theta)
                    onset = r->first_idx;
                if (onset < r->af_end) onset = r->af_end;
                r->af_onset = onset;
            } else if (r->af_active == AF_ON && (frac <= off || p_back) &&
                       !vs_rhythm_af_rr_clear(r, long_limit, 0)) {
                r->af_active = AF_ENDING;
                uint32_t s = vote_split(r, span, theta, 0);
                int64_t end = vote_back(r, s < span ? s : span - 1);
                if (end <= r->af_onset) end = r->af_onset + 1;
                if (end > idx) end = idx;
                r->af_end = end;
            }
        }
    }
    r->prem_hist = (uint8_t)(((r->prem_hist << 1) | (uint32_t)prem) & 3u);
    r->prev_usable = (uint8_t)usable;
    r->prev_rr = clean ? (int32_t)(rr > 0x7FFFFFFF ? 0x7FFFFFFF : rr) : 0;
}

/* Bigeminy / trigeminy from the clean N/V history (bit0 = newest beat). */
static int pattern_matches(const struct vs_rhythm *r, uint32_t len, uint32_t period)
{
    if (r->hist_count < len) return 0;
    for (uint32_t phase = 0; phase < period; phase++) {
        int ok = 1;
        for (uint32_t j = 0; j < len && ok; j++) {
            int want_v = (j % period) == phase;
            uint32_t bit = 1u << j;
            ok = want_v ? (r->v_hist & bit) != 0 : (r->n_hist & bit) != 0;
        }
        if (ok) return 1;
    }
    return 0;
}

static void update_patterns(struct vs_rhythm *r)
{
    uint32_t c = (uint32_t)P(r, VS_RHYTHM_BIGEMINY_CYCLES);
    if (!r->big_active) {
        if (pattern_matches(r, 2 * c, 2)) {
            r->big_active = 1;
            r->big_onset = beat_back(r, 2 * c - 1);
        }
    } else if (!pattern_matches(r, 3, 2)) {
        r->big_active = 0;
    }
    if (!r->trig_active) {
        if (!r->big_active && pattern_matches(r, 3 * c, 3)) {
            r->trig_active = 1;
            r->trig_onset = beat_back(r, 3 * c - 1);
        }
    } else if (!pattern_matches(r, 4, 3)) {
        r->trig_active = 0;
    }
}

static void update_rate(struct vs_rhythm *r)
{
    double hr = rate_bpm(r, VS_RHY_RATE_BEATS);
    if (hr <= 0.0) return;
    double lo = P(r, VS_RHYTHM_BRADY_BPM), hi = P(r, VS_RHYTHM_TACHY_BPM);
    uint8_t s = r->rate_state;
    if (s == 1 && hr > lo + 5.0) s = 0;
    if (s == 2 && hr < hi - 5.0) s = 0;
    if (s == 0) {
        if (hr < lo) s = 1;
        else if (hr > hi) s = 2;
        if (s) r->rate_onset = beat_back(r, VS_RHY_RATE_BEATS);
    }
    r->rate_state = s;
}

static int choose_rhythm(const struct vs_rhythm *r, int64_t *onset, int64_t idx)
{
    if (r->vt_active) { *onset = r->run_start; return VS_RHYTHM_VT; }
    if (r->af_active) { *onset = r->af_onset; return VS_RHYTHM_AFIB; }
    if (r->big_active) { *onset = r->big_onset; return VS_RHYTHM_BIGEMINY; }
    if (r->trig_active) { *onset = r->trig_onset; return VS_RHYTHM_TRIGEMINY; }
    if (r->rate_state == 1) { *onset = r->rate_onset; return VS_RHYTHM_BRADY; }
    if (r->rate_state == 2) { *onset = r->rate_onset; return VS_RHYTHM_TACHY; }
    if (r->rr_count >= VS_RHY_RATE_BEATS || r->cur_type) {
        if (r->cur_type == 0) *onset = r->first_idx;
        else if (r->cur_type == VS_RHYTHM_AFIB) *onset = r->af_end;
        else *onset = idx;
        return VS_RHYTHM_SINUS;
    }
    *onset = -1;
    return 0;
}

VS_API vs_status vs_rhythm_push_beat(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                     int quality, vs_rhythm_event *out, size_t cap,
                                     size_t *n_out)
{
    return vs_rhythm_push_beat_atrial(r, sample_idx, aami_class, quality, NAN, out, cap, n_out);
}

VS_API vs_status vs_rhythm_push_beat_atrial(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                            int quality, double atrial_coherence,
                                            vs_rhythm_event *out, size_t cap, size_t *n_out)
{
    return vs_rhythm_push_beat_shaped(r, sample_idx, aami_class, quality, atrial_coherence, 0,
                                      out, cap, n_out);
}

/* The class a beat counts as, from its shape evidence (rhythm.h, VS_RHYTHM_SHAPE_*); *restart:
 * the V beat starts a new ventricular run instead of extending the current one. */
static int run_class(const struct vs_rhythm *r, int aami_class, uint32_t shape, int *restart)
{
    *restart = 0;
    if (aami_class != CLS_V) return aami_class;
    if (shape & VS_RHYTHM_SHAPE_ODD) return CLS_Q;
    if (r->vt_active) return CLS_V;
    if ((shape & VS_RHYTHM_SHAPE_USUAL) && r->run_len + 1 >= P(r, VS_RHYTHM_VT_MIN_BEATS))
        return CLS_Q;
    *restart = r->run_len > 0 && (shape & VS_RHYTHM_SHAPE_NEW);
    return CLS_V;
}

VS_API vs_status vs_rhythm_push_beat_shaped(vs_rhythm *r, int64_t sample_idx, int aami_class,
                                            int quality, double atrial_coherence, uint32_t shape,
                                            vs_rhythm_event *out, size_t cap, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!r || !n_out || !out) return VS_E_NULL_ARG;
    if (cap < VS_RHY_MAX_EVENTS) return VS_E_BUFFER_TOO_SMALL;
    if (sample_idx < 0 || aami_class < 0 || aami_class > 4 || quality < 0 || quality > 2 ||
        (shape & ~(VS_RHYTHM_SHAPE_ODD | VS_RHYTHM_SHAPE_USUAL | VS_RHYTHM_SHAPE_NEW)) ||
        (r->prev_idx >= 0 && sample_idx <= r->prev_idx))
        return VS_E_INVALID_ARG;
    size_t n = 0;
    int has_prev = r->prev_idx >= 0;
    int64_t rr = has_prev ? sample_idx - r->prev_idx : 0;
    int readable = has_prev && quality < 2 && r->prev_quality < 2;
    int clean = has_prev && quality == 0 && r->prev_quality == 0;
    int restart_req;
    int cls = run_class(r, aami_class, shape, &restart_req);

    /* pause / asystole at the beat that ends the interval, unless time already raised as much
     * for a silence inside it (vs_rhythm_advance) */
    unsigned timed = vs_rhythm_silence_consumed(r, sample_idx);
    /* only readable signal counts: after a stretch of unreadable signal (vs_rhythm_advance), the
     * interval is counted from the moment the signal was readable again */
    int64_t quiet = r->signal_since > r->prev_idx ? sample_idx - r->signal_since : rr;
    if (readable && quiet > 0) {
        double rr_s = (double)quiet / r->fs_hz;
        double ms = rr_s * 1000.0;
        if (rr_s >= P(r, VS_RHYTHM_ASYSTOLE_S) && timed < 2)
            vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE, VS_RHYTHM_CRITICAL,
                 sample_idx - quiet, sample_idx, sample_idx, ms);
        else if (rr_s >= P(r, VS_RHYTHM_PAUSE_S) && rr_s < P(r, VS_RHYTHM_ASYSTOLE_S) && timed < 1)
            vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE, VS_RHYTHM_WARNING,
                 sample_idx - quiet, sample_idx, sample_idx, ms);
    }

    /* AF votes use the median before this interval joins the ring */
    r->atrial = atrial_coherence;
    if (has_prev) update_af(r, sample_idx, cls, quality, rr, clean, (shape & VS_RHYTHM_SHAPE_NEW) != 0);
    /* rate and reference RR from supraventricular beats only (a VT run is not tachycardia) */
    if (clean && cls != CLS_V && r->prev_class != CLS_V) {
        r->rr_ring[r->rr_pos] = (int32_t)(rr > 0x7FFFFFFF ? 0x7FFFFFFF : rr);
        r->rr_pos = (r->rr_pos + 1) % VS_RHY_RR_RING;
        if (r->rr_count < VS_RHY_RR_RING) r->rr_count++;
    }

    /* ventricular runs (noisy V beats break them: no VT from noise); a V beat of another shape
     * than the run's previous beat starts a new run (run_class) */
    int is_v = cls == CLS_V && quality == 0;
    int restart = restart_req && !r->vt_active;
    int vt_alarm = 0;
    if (is_v) {
        if (r->run_len > 0 && !restart) {
            if (r->run_len < 0xFFFFu) r->run_len++; /* saved as u16 (rhythm_state.c) */
            r->run_rr_sum += rr;
        } else {
            r->run_len = 1;
            r->run_start = sample_idx;
            r->run_rr_sum = 0;
        }
        if (!r->vt_active && r->run_len >= (uint32_t)P(r, VS_RHYTHM_VT_MIN_BEATS) &&
            r->run_rr_sum > 0) {
            double bpm = 60.0 * r->fs_hz * (double)(r->run_len - 1) / (double)r->run_rr_sum;
            if (bpm >= P(r, VS_RHYTHM_VT_RATE_BPM)) {
                r->vt_active = 1;
                vt_alarm = 1;
            }
        }
    } else {
        if (vs_rhythm_couplet_pending(r))
            vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET, VS_RHYTHM_WARNING,
                 beat_back(r, 1), r->prev_idx, sample_idx, 2.0);
        r->run_len = 0;
        r->run_rr_sum = 0;
        r->vt_active = 0;
    }

    /* beat history */
    if (has_prev) {
        r->beat_delta[r->beat_pos] = clamp_u16(rr);
        r->beat_pos = (r->beat_pos + 1) % VS_RHY_BEAT_RING;
        if (r->beat_count < VS_RHY_BEAT_RING) r->beat_count++;
    } else {
        r->first_idx = sample_idx;
    }
    r->prev_idx = sample_idx;
    r->prev_class = (uint8_t)cls;
    r->prev_quality = (uint8_t)quality;
    r->v_hist = (r->v_hist << 1) | (uint32_t)is_v;
    r->n_hist = (r->n_hist << 1) | (uint32_t)(cls == CLS_N && quality == 0);
    if (r->hist_count < 32) r->hist_count++;
    r->n_beats++;

    update_patterns(r);
    update_rate(r);

    int64_t onset = -1;
    int type = choose_rhythm(r, &onset, sample_idx);
    if (type != r->cur_type && type != 0) {
        /* a rhythm that has just ended keeps its time: the next one starts at its end */
        int64_t old_end = -1;
        if (r->cur_type == VS_RHYTHM_AFIB && r->af_active == AF_OFF) old_end = r->af_end;
        else if (r->cur_type == VS_RHYTHM_VT || r->cur_type == VS_RHYTHM_BIGEMINY ||
                 r->cur_type == VS_RHYTHM_TRIGEMINY)
            old_end = sample_idx;
        if (onset < old_end) onset = old_end;
        if (r->cur_type != 0 && onset <= r->cur_onset) onset = r->cur_onset + 1;
        if (onset > sample_idx) onset = sample_idx;
        if (onset < 0) onset = sample_idx;
        double hr = rate_bpm(r, VS_RHY_RATE_BEATS);
        if (r->cur_type != 0)
            vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_EPISODE_END, r->cur_type, episode_severity(r->cur_type),
                 r->cur_onset, onset, sample_idx, hr);
        if (type == VS_RHYTHM_VT)
            hr = r->run_rr_sum > 0 ? 60.0 * r->fs_hz * (double)(r->run_len - 1) /
                                         (double)r->run_rr_sum
                                   : 0.0;
        vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_EPISODE_START, type, episode_severity(type), onset, -1,
             sample_idx, hr);
        r->cur_type = type;
        r->cur_onset = onset;
    }
    if (vt_alarm && (r->last_vt_alarm_idx < 0 ||
                     (double)(sample_idx - r->last_vt_alarm_idx) >=
                         P(r, VS_RHYTHM_VT_REALARM_S) * r->fs_hz)) {
        vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_VT, VS_RHYTHM_CRITICAL, r->run_start,
             sample_idx, sample_idx, (double)r->run_len);
        r->last_vt_alarm_idx = sample_idx;
    }
    *n_out = n;
    return VS_OK;
}

VS_API vs_status vs_rhythm_finish(vs_rhythm *r, int64_t end_idx, vs_rhythm_event *out,
                                  size_t cap, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!r || !n_out || !out) return VS_E_NULL_ARG;
    if (cap < VS_RHY_MAX_EVENTS) return VS_E_BUFFER_TOO_SMALL;
    if (end_idx < 0 || end_idx < r->prev_idx) return VS_E_INVALID_ARG;
    size_t n = 0;
    if (vs_rhythm_couplet_pending(r))
        vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_COUPLET, VS_RHYTHM_WARNING,
             beat_back(r, 1), r->prev_idx, end_idx, 2.0);
    if (r->cur_type != 0) {
        int64_t off = end_idx > r->cur_onset ? end_idx : r->cur_onset;
        vs_rhythm_emit(out, &n, VS_RHYTHM_KIND_EPISODE_END, r->cur_type, episode_severity(r->cur_type),
             r->cur_onset, off, end_idx, rate_bpm(r, VS_RHY_RATE_BEATS));
    }
    vs_rhythm_clear(r);
    *n_out = n;
    return VS_OK;
}
