/* monitor_timer.c — feeds vs_rhythm's time-driven alarms (rhythm.h, vs_rhythm_advance) from the
 * monitor's stream: the newest detected beat, the readable/unreadable stretch from the quality
 * module, and the sample index reached. Nothing here is saved: the newest detected beat is the
 * classifier's pending beat, the stretch lives in vs_rhythm, the standing-still run in
 * vs_quality, so the state blob (and its 4096-byte budget) is unchanged by the timer. */
#include <math.h>

#include "monitor_impl.h"
#include "common/units.h"

/* R position of the newest beat the QRS detector gave (the classifier holds it until the next
 * one, so vs_rhythm has not seen it yet); -1 for none. */
static int64_t newest_beat(const struct vs_monitor *m)
{
    vs_beat b;
    return vs_classifier_pending(m->cls, &b, NULL, NULL) ? b.sample_idx : -1;
}

static int signal_lost(const struct vs_monitor *m) { return vs_rhythm_signal_stretch(m->rhy, NULL); }

/* First sample of the current readable / unreadable stretch (kept by vs_rhythm). */
static int64_t signal_since(const struct vs_monitor *m)
{
    int64_t since = 0;
    vs_rhythm_signal_stretch(m->rhy, &since);
    return since;
}

/* How far behind the input the QRS detector's normal decisions lag (R to decision: integrator,
 * then the refractory wait before a candidate is final; 0.35 s at 360 Hz on MIT-BIH, 99th
 * percentile). No beat is known to be absent from the last samples before this lag has passed,
 * so the pause/asystole timer runs this much behind the input: without it a beat 3.8 s after the
 * last one, decided at 4.1 s, would have been called asystole at 4.0 s. */
static int64_t decision_lag(const struct vs_monitor *m)
{
    double refractory_ms = 200.0;
    vs_qrs_get_param(m->qrs, VS_QRS_REFRACTORY_MS, &refractory_ms);
    return (int64_t)ceil(vs_ms_in_samples(refractory_ms + 200.0, m->fs_hz));
}

int64_t vs_monitor_timer_deadline(const struct vs_monitor *m)
{
    int lost = signal_lost(m);
    int64_t d = vs_rhythm_next_deadline(m->rhy, newest_beat(m), lost, signal_since(m));
    if (d != INT64_MAX && !lost) d += decision_lag(m);
    return d < m->n ? m->n : d;
}

size_t vs_monitor_quality_horizon(const struct vs_monitor *m)
{
    return vs_quality_segment_remaining(m->qual);
}

static void advance(struct vs_monitor *m, int64_t now_idx, int lost, int64_t since,
                    vs_event_sink *s)
{
    vs_rhythm_event rev[VS_MONITOR_RHYTHM_OUT];
    size_t nr = 0;
    /* beats are known up to here (see decision_lag); a lost signal needs no such wait */
    int64_t known = lost ? now_idx : now_idx - decision_lag(m);
    if (known < since) known = since;
    if (known < vs_rhythm_last_beat(m->rhy)) known = vs_rhythm_last_beat(m->rhy);
    vs_status st = vs_rhythm_advance(m->rhy, known, newest_beat(m), lost, since, rev,
                                     VS_MONITOR_RHYTHM_OUT, &nr);
    if (st != VS_OK) {
        s->st = st;
        return;
    }
    for (size_t i = 0; i < nr; i++) vs_monitor_emit_rhythm(s, &rev[i], now_idx);
}

void vs_monitor_timer_check(struct vs_monitor *m, int64_t now_idx, int still_guard,
                            vs_event_sink *s)
{
    int lost = signal_lost(m);
    if (still_guard && !lost) {
        double ms = 0.0;
        vs_quality_get_param(m->qual, VS_QUALITY_SATURATION_MS, &ms);
        if ((double)vs_quality_still_samples(m->qual) >= vs_ms_in_samples(ms, m->fs_hz)) return;
    }
    advance(m, now_idx, lost, signal_since(m), s);
}

void vs_monitor_timer_quality(struct vs_monitor *m, const vs_quality_event *q,
                              vs_event_sink *s)
{
    int lost = q->level == VS_QUALITY_UNREADABLE;
    /* good <-> noisy keeps the stretch (both readable); only readable <-> unreadable starts one.
     * A lost stretch counts from its onset (in the past: the technical alarm is not late); a
     * readable one from now, when the QRS detector is only starting to see beats again. */
    int64_t since = signal_since(m);
    if (lost != signal_lost(m)) since = lost ? q->sample_idx : q->decided_idx;
    advance(m, q->decided_idx, lost, since, s);
}
