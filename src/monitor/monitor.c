/* monitor.c — vs_monitor: QRS -> classifier -> quality gate -> rhythm -> HRV in one object.
 *
 * The pipeline, read from the bottom of this file up (C defines helpers first):
 *   vs_monitor_process  input in blocks                                   -> run_block
 *   run_block           1. QRS over the whole block (vs_qrs_process); then per beat, in order:
 *                       2. the samples up to the beat's decided_idx feed the classifier's ring
 *                          and signal quality (feed_timed -> feed_side), quality changes become
 *                          events, and time-driven alarms are checked at their deadlines
 *   take_beat           3. the beat, stamped with the quality level, goes to the classifier,
 *                          which may release earlier beats with their class; the QRS shape of
 *                          the beat it now holds is matched with its predecessor (run_shape.c)
 *   deliver_beat        4. each released beat: gated by quality (unreadable: not reported),
 *                          reported as an event, then 5. rhythm (episodes, alarms) and
 *                          6. the rolling HRV window
 *   vs_monitor_finish   the beats the QRS detector still holds (steps 3-6), then those the
 *                       classifier holds, and open episodes closed.
 * Where the monitor lives (create/init_static, reset, accessors): monitor_memory.c; its state
 * blob: monitor_state.c; time-driven alarms: monitor_timer.c; P-wave evidence: atrial.c; shape
 * match of ventricular-run beats: run_shape.c.
 *
 * Chunk invariance: every child is chunk-invariant on its own, and the monitor feeds the
 * classifier and the quality module in pieces that end exactly at each beat's decided_idx (a
 * property of the stream, not of the caller's chunking), then hands the beat over. Events are
 * emitted in the order they become final, so the concatenated event stream is the same for any
 * chunking. Input is processed in internal blocks of at most VS_MONITOR_BLOCK samples
 * (vs_monitor_block_len), so that the block scratch has a fixed size inside the monitor's own
 * memory (monitor_memory.c: no malloc on the processing path). */
#include <string.h>

#include "monitor_impl.h"
#include "run_shape.h"
#include "vitalstream/annotation.h"
#include "state/blob.h"

_Static_assert(VS_MONITOR_RHYTHM_OUT >= VS_RHYTHM_MAX_EVENTS_PER_BEAT, "rhythm scratch too small");
_Static_assert(sizeof(vs_event) == 56, "vs_event layout is part of the ABI");

VS_API size_t vs_event_struct_size(void) { return sizeof(vs_event); }

VS_API size_t vs_monitor_max_events(const vs_monitor *m, size_t n)
{
    if (!m) return 0;
    /* Per beat: the classified beat released by it, plus the rhythm events it can trigger; the
     * classifier holds at most VS_MONITOR_CLS_OUT beats back, released at once on finish. */
    size_t per_beat = 1 + vs_rhythm_max_events_per_beat();
    size_t beats = vs_qrs_max_events(m->qrs, n) + VS_MONITOR_CLS_OUT;
    size_t quality = vs_quality_max_events(m->qual, n);
    /* time-driven alarms: a silence (started by a beat, a quality change, or earlier) raises at
     * most pause and asystole; a quality change at most ends and raises a technical alarm */
    size_t timed = 2 * (beats + quality + 1);
    return beats * per_beat + quality + timed + vs_rhythm_max_events_per_beat();
}

/* ---- event construction ---------------------------------------------------------------------- */

vs_event *vs_monitor_sink_next(vs_event_sink *s)
{
    if (s->n >= s->cap) {
        s->st = VS_E_BUFFER_TOO_SMALL; /* cannot happen when cap >= vs_monitor_max_events */
        return NULL;
    }
    vs_event *e = &s->ev[s->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static void emit_quality(vs_event_sink *s, const vs_quality_event *q, int64_t decided_idx)
{
    vs_event *e = vs_monitor_sink_next(s);
    if (!e) return;
    e->type = VS_EVENT_QUALITY;
    e->sample_idx = q->sample_idx;
    e->end_idx = -1;
    e->decided_idx = decided_idx;
    e->code = q->level;
    e->wfdb_code = VS_ANN_NOISE;
    e->subtype = q->level == VS_QUALITY_UNREADABLE ? 0x30u
                 : q->level == VS_QUALITY_NOISY     ? 0x01u
                                                    : 0x00u;
    e->flags = q->reasons;
    e->value = q->score;
}

void vs_monitor_emit_rhythm(vs_event_sink *s, const vs_rhythm_event *r, int64_t decided_idx)
{
    vs_event *e = vs_monitor_sink_next(s);
    if (!e) return;
    e->type = r->kind == VS_RHYTHM_KIND_ALARM ? VS_EVENT_ALARM : VS_EVENT_RHYTHM;
    e->sample_idx = r->onset_idx;
    e->end_idx = r->offset_idx;
    e->decided_idx = decided_idx;
    e->code = r->type;
    if (r->kind == VS_RHYTHM_KIND_ALARM_END) e->type = VS_EVENT_ALARM_END;
    e->wfdb_code = e->type == VS_EVENT_RHYTHM ? VS_ANN_RHYTHM : VS_ANN_NOTE;
    if (e->type != VS_EVENT_RHYTHM && r->type >= VS_RHYTHM_TECH_FIRST) e->flags = VS_ALARM_TECHNICAL;
    e->severity = r->severity;
    e->value = r->value;
}

/* What vs_rhythm needs to know about a beat's shape (rhythm.h, VS_RHYTHM_SHAPE_*): the
 * classifier's odd/usual-shape flags, and whether its QRS differs from the beat before it
 * (run_shape.h): for a V beat, noise detections and distorted beats beside a PVC or a couplet;
 * for any other beat, a QRS of another origin (paced beside conducted), whose interval is no AF
 * evidence.
 * shape: the beat's vs_run_shape_match with its predecessor. */
static uint32_t shape_evidence(const vs_classified_beat *cb, uint8_t shape)
{
    uint32_t e = 0;
    if (cb->beat.flags & VS_BEAT_ODD_SHAPE) e |= VS_RHYTHM_SHAPE_ODD;
    if (cb->beat.flags & VS_BEAT_USUAL_SHAPE) e |= VS_RHYTHM_SHAPE_USUAL;
    int lim = cb->aami_class == VS_AAMI_V ? vs_run_shape_quantise(VS_RUN_SHAPE_MIN_CORR)
                                          : vs_run_shape_quantise(VS_RUN_SHAPE_OTHER_ORIGIN_CORR);
    if (vs_run_shape_below(shape, lim)) e |= VS_RHYTHM_SHAPE_NEW;
    return e;
}

/* A classified beat leaves the classifier: gate it by quality, report it, feed rhythm + HRV. */
static void deliver_beat(struct vs_monitor *m, const vs_classified_beat *cb, int64_t decided_idx,
                         double atrial, uint8_t shape, vs_event_sink *s)
{
    vs_quality_level quality = (cb->beat.flags & VS_BEAT_UNREADABLE) ? VS_QUALITY_UNREADABLE
                               : (cb->beat.flags & VS_BEAT_NOISY)    ? VS_QUALITY_NOISY
                                                                     : VS_QUALITY_GOOD;
    if (quality != VS_QUALITY_UNREADABLE) {
        vs_event *e = vs_monitor_sink_next(s);
        if (!e) return;
        /* the class reported: no SVEB while AF is under way (classify.h); vs_rhythm gets the
         * classifier's own class, as its AF and run rules were built on */
        int rhythm_type = 0;
        int in_af = vs_rhythm_current(m->rhy, &rhythm_type, NULL) == VS_OK &&
                    rhythm_type == VS_RHYTHM_AFIB;
        int reported = vs_aami_class_in_af(cb->aami_class, in_af);
        e->type = VS_EVENT_BEAT;
        e->sample_idx = cb->beat.sample_idx;
        e->end_idx = cb->beat.sample_idx;
        e->decided_idx = decided_idx;
        e->code = reported;
        e->wfdb_code = reported == cb->aami_class ? cb->wfdb_code : vs_aami_class_wfdb_code(reported);
        e->flags = cb->beat.flags;
        e->value = cb->beat.rr_ms;
        e->amplitude_mv = cb->beat.amplitude_mv;
    }
    /* atrial waves too large for fibrillation: organised activity for certain (rhythm.h) */
    if (vs_atrial_large_waves(&m->atrial)) atrial = 1.0;
    vs_rhythm_event rev[VS_MONITOR_RHYTHM_OUT];
    size_t nr = 0;
    vs_status st = vs_rhythm_push_beat_shaped(m->rhy, cb->beat.sample_idx, cb->aami_class, quality,
                                              atrial, shape_evidence(cb, shape), rev,
                                              VS_MONITOR_RHYTHM_OUT, &nr);
    if (st != VS_OK) { s->st = st; return; }
    for (size_t i = 0; i < nr; i++) vs_monitor_emit_rhythm(s, &rev[i], decided_idx);
    st = vs_hrv_window_push(m->hrv, cb->beat.sample_idx,
                            quality == VS_QUALITY_GOOD && cb->aami_class == VS_AAMI_N);
    if (st != VS_OK) s->st = st;
}

/* Feeds x[0..len) (absolute start index m->n) to the classifier ring and the quality module. */
static void feed_side(struct vs_monitor *m, const float *x, size_t len, vs_event_sink *s)
{
    if (!len) return;
    vs_classifier_push_samples(m->cls, x, len);
    size_t nq = 0;
    vs_status st = vs_quality_process(m->qual, x, len, m->qual_events, VS_MONITOR_QUALITY_CAP, &nq);
    if (st != VS_OK) { s->st = st; return; }
    m->n += (int64_t)len;
    for (size_t i = 0; i < nq && s->st == VS_OK; i++) {
        emit_quality(s, &m->qual_events[i], m->qual_events[i].decided_idx);
        vs_monitor_timer_quality(m, &m->qual_events[i], s);
    }
}

/* feed_side in pieces that end at every timer deadline, evaluating the timer there, and at
 * every possible quality change (which can move the deadlines); a deadline at the last sample
 * when a beat decided there follows is left to the check after that beat. */
static void feed_timed(struct vs_monitor *m, const float *x, size_t len, int beat_follows,
                       vs_event_sink *s)
{
    while (len > 0 && s->st == VS_OK) {
        int64_t dl = vs_monitor_timer_deadline(m);
        size_t piece = len, horizon = vs_monitor_quality_horizon(m);
        if (piece > horizon) piece = horizon;
        int at_deadline = dl - m->n < (int64_t)piece;
        if (at_deadline) piece = (size_t)(dl - m->n) + 1;
        feed_side(m, x, piece, s);
        x += piece;
        len -= piece;
        if (at_deadline && !(beat_follows && len == 0) && s->st == VS_OK)
            vs_monitor_timer_check(m, dl, 1, s);
    }
}

/* Steps 3-6 for one beat from the QRS detector, once the side modules have seen the samples
 * through its decided_idx: stamp it with the quality level, hand it to the classifier, and deliver
 * the beats the classifier releases. */
static void take_beat(struct vs_monitor *m, vs_beat b, vs_event_sink *s)
{
    int level = vs_quality_current(m->qual);
    if (level == VS_QUALITY_UNREADABLE) b.flags |= VS_BEAT_UNREADABLE;
    else if (level == VS_QUALITY_NOISY) b.flags |= VS_BEAT_NOISY;
    vs_classified_beat out[VS_MONITOR_CLS_OUT];
    size_t nc = 0;
    vs_status st = vs_classifier_push_beat(m->cls, &b, out, VS_MONITOR_CLS_OUT, &nc);
    if (st != VS_OK) { s->st = st; return; }
    double atrial = vs_atrial_update(&m->atrial, m->cls);
    /* the beat released had been held with the match measured then; the beat now held is
     * measured against it (both are in the classifier's ring now) */
    uint8_t shape = m->pend_shape;
    m->pend_shape = nc > 0 ? vs_run_shape_match(m->cls, out[nc - 1].beat.sample_idx, b.sample_idx)
                           : VS_RUN_SHAPE_UNKNOWN;
    for (size_t k = 0; k < nc; k++)
        deliver_beat(m, &out[k], b.decided_idx, atrial, k + 1 == nc ? shape : VS_RUN_SHAPE_UNKNOWN, s);
}

static void run_block(struct vs_monitor *m, const float *x, size_t len, vs_event_sink *s)
{
    size_t nb = 0;
    vs_status st = vs_qrs_process(m->qrs, x, len, m->beats, VS_MONITOR_BEAT_CAP, &nb);
    if (st != VS_OK) { s->st = st; return; }
    int64_t base = m->n;
    size_t pos = 0;
    for (size_t i = 0; i < nb && s->st == VS_OK; i++) {
        vs_beat b = m->beats[i];
        size_t upto = (size_t)(b.decided_idx - base + 1); /* samples through decided_idx */
        if (upto > len) upto = len;
        if (upto > pos) {
            feed_timed(m, x + pos, upto - pos, 1, s);
            pos = upto;
        }
        take_beat(m, b, s);
        /* the timer sees every beat decided at this sample first */
        int last_here = i + 1 == nb || m->beats[i + 1].decided_idx != b.decided_idx;
        if (last_here && s->st == VS_OK) vs_monitor_timer_check(m, b.decided_idx, 1, s);
    }
    if (pos < len && s->st == VS_OK) feed_timed(m, x + pos, len - pos, 0, s);
}

VS_API vs_status vs_monitor_process(vs_monitor *m, const float *x, size_t n, vs_event *events,
                                    size_t capacity, size_t *n_events)
{
    if (n_events) *n_events = 0;
    if (!m || !n_events || (n && !x) || (!events && capacity)) return VS_E_NULL_ARG;
    if (m->finished) return VS_E_INVALID_ARG;
    if (capacity < vs_monitor_max_events(m, n)) return VS_E_BUFFER_TOO_SMALL;
    vs_event_sink s = {events, capacity, 0, VS_OK};
    size_t block = n ? vs_monitor_block_len(m) : 0;
    for (size_t pos = 0; pos < n && s.st == VS_OK;) {
        size_t len = n - pos < block ? n - pos : block;
        run_block(m, x + pos, len, &s);
        pos += len;
    }
    *n_events = s.n;
    return s.st;
}

VS_API vs_status vs_monitor_finish(vs_monitor *m, vs_event *events, size_t capacity,
                                   size_t *n_events)
{
    if (n_events) *n_events = 0;
    if (!m || !n_events || (!events && capacity)) return VS_E_NULL_ARG;
    if (m->finished) return VS_E_INVALID_ARG;
    if (capacity < vs_monitor_max_events(m, 0)) return VS_E_BUFFER_TOO_SMALL;
    vs_event_sink s = {events, capacity, 0, VS_OK};
    int64_t last = m->n > 0 ? m->n - 1 : 0;
    /* the beats the QRS detector still holds (decided at the last sample: the side modules have
     * seen every sample) go the way of every beat, then the classifier lets go of its own */
    size_t nb = 0;
    vs_status st = vs_qrs_finish(m->qrs, m->beats, VS_MONITOR_BEAT_CAP, &nb);
    if (st != VS_OK) return st;
    for (size_t i = 0; i < nb && s.st == VS_OK; i++) take_beat(m, m->beats[i], &s);
    if (s.st != VS_OK) return s.st;
    vs_classified_beat out[VS_MONITOR_CLS_OUT];
    size_t nc = 0;
    st = vs_classifier_finish(m->cls, out, VS_MONITOR_CLS_OUT, &nc);
    if (st != VS_OK) return st;
    double atrial = vs_atrial_coherence(&m->atrial);
    uint8_t shape = m->pend_shape;
    m->pend_shape = VS_RUN_SHAPE_UNKNOWN;
    for (size_t k = 0; k < nc && s.st == VS_OK; k++)
        deliver_beat(m, &out[k], last, atrial, k + 1 == nc ? shape : VS_RUN_SHAPE_UNKNOWN, &s);
    vs_rhythm_event rev[VS_MONITOR_RHYTHM_OUT];
    size_t nr = 0;
    if (s.st == VS_OK) s.st = vs_rhythm_finish(m->rhy, m->n, rev, VS_MONITOR_RHYTHM_OUT, &nr);
    for (size_t i = 0; i < nr && s.st == VS_OK; i++) vs_monitor_emit_rhythm(&s, &rev[i], last);
    m->finished = 1;
    *n_events = s.n;
    return s.st;
}

VS_API vs_status vs_monitor_hrv(const vs_monitor *m, const vs_hrv_options *opt,
                                vs_hrv_result *out)
{
    if (!m || !out) return VS_E_NULL_ARG;
    return vs_hrv_window_compute(m->hrv, opt, out);
}
