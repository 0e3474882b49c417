/* rhythm_timer.c — the time-driven alarms of vs_rhythm (rhythm.h, vs_rhythm_advance): pause and
 * asystole while readable signal has no beat, and the technical alarm "signal lost / leads off".
 * Time is a sample index given by the caller, and every threshold is turned into a whole number
 * of samples, so decisions are the same on every platform and for every chunking. */
#include <math.h>

#include "rhythm_impl.h"

#define P(r, id) ((r)->param[(id) - 1])

/* The fewest samples e with e / fs >= seconds: the same test the beat-driven pause uses. */
static int64_t samples_for(const struct vs_rhythm *r, vs_rhythm_param id)
{
    double s = P(r, id);
    int64_t e = (int64_t)ceil(s * r->fs_hz);
    while (e > 1 && (double)(e - 1) / r->fs_hz >= s) e--;
    while ((double)e / r->fs_hz < s) e++;
    return e;
}

/* The newest beat known: detected (maybe not pushed yet) or pushed. */
static int64_t newest(const struct vs_rhythm *r, int64_t last_beat_idx)
{
    return r->prev_idx > last_beat_idx ? r->prev_idx : last_beat_idx;
}

/* Start of the current silence: the newest beat, or the return of readable signal. */
static int64_t silence_start(const struct vs_rhythm *r, int64_t last_beat_idx, int64_t since)
{
    int64_t from = newest(r, last_beat_idx);
    if (since > from) from = since;
    return from < 0 ? 0 : from;
}

/* Level time has raised for silence[i]: 0, 1 pause, 2 asystole. */
static unsigned level_of(const struct vs_rhythm *r, int i)
{
    unsigned shift = i == 0 ? 0u : VS_RHY_LEVEL1_SHIFT;
    return (r->timer_flags >> shift) & VS_RHY_LEVEL_MASK;
}

/* Level time has raised for the silence starting at from. */
static unsigned silence_level(const struct vs_rhythm *r, int64_t from)
{
    return r->silence[0] == from ? level_of(r, 0) : 0u;
}

static void set_levels(struct vs_rhythm *r, unsigned level0, unsigned level1)
{
    r->timer_flags = (uint8_t)((r->timer_flags & (VS_RHY_LOST | VS_RHY_LOST_ALARM)) | level0 |
                               (level1 << VS_RHY_LEVEL1_SHIFT));
}

unsigned vs_rhythm_silence_consumed(struct vs_rhythm *r, int64_t sample_idx)
{
    unsigned found = 0, level[VS_RHY_SILENCES];
    for (int i = 0; i < VS_RHY_SILENCES; i++) {
        level[i] = level_of(r, i);
        if (r->silence[i] < 0 || r->silence[i] >= sample_idx) continue;
        if (r->silence[i] >= r->prev_idx && level[i] > found) found = level[i];
        r->silence[i] = -1;
        level[i] = 0;
    }
    /* keep the survivors newest first */
    if (r->silence[0] < 0) {
        r->silence[0] = r->silence[1];
        r->silence[1] = -1;
        level[0] = level[1];
        level[1] = 0;
    }
    set_levels(r, level[0], level[1]);
    return found;
}

/* An event whose value is the time the condition has lasted, in ms: so far (alarm) or in all
 * (end). */
static void emit_timed(vs_rhythm_event *out, size_t *n, int kind, int type, int severity,
                       int64_t onset, int64_t offset, int64_t now, double fs)
{
    double ms = (double)((offset >= 0 ? offset + 1 : now) - onset) * 1000.0 / fs;
    vs_rhythm_emit(out, n, kind, type, severity, onset, offset, now, ms);
}

/* An episode of no usable signal starts with unreadable signal (lost_from) and lasts until the
 * readable signal shows two beats (one pushed, one newer: the detector is back, and one false
 * beat in a short readable gap of an artefact burst does not end the episode), or has been
 * readable for ASYSTOLE_S (then the beat timers speak for it). Waiting a fixed time instead made
 * the end trail the returned signal by 4 s and more. */
static void track_signal(struct vs_rhythm *r, int64_t now_idx, int64_t last_beat_idx,
                         int signal_lost, int64_t signal_since, vs_rhythm_event *out, size_t *n)
{
    if (signal_lost != ((r->timer_flags & VS_RHY_LOST) != 0) || signal_since != r->signal_since) {
        r->timer_flags &= (uint8_t)~VS_RHY_LOST;
        if (signal_lost) r->timer_flags |= VS_RHY_LOST;
        r->signal_since = signal_since;
    }
    if (signal_lost) {
        if (r->lost_from < 0) r->lost_from = signal_since;
    } else if (r->lost_from >= 0 &&
               ((r->prev_idx >= signal_since && last_beat_idx > r->prev_idx) ||
                now_idx - signal_since >= samples_for(r, VS_RHYTHM_ASYSTOLE_S))) {
        if (r->timer_flags & VS_RHY_LOST_ALARM) {
            int64_t end = signal_since > r->lost_from ? signal_since - 1 : r->lost_from;
            emit_timed(out, n, VS_RHYTHM_KIND_ALARM_END, VS_RHYTHM_TECH_SIGNAL_LOST,
                       VS_RHYTHM_WARNING, r->lost_from, end, now_idx, r->fs_hz);
        }
        r->timer_flags &= (uint8_t)~VS_RHY_LOST_ALARM;
        r->lost_from = -1;
    }
    if (r->lost_from >= 0 && !(r->timer_flags & VS_RHY_LOST_ALARM) &&
        now_idx - r->lost_from >= samples_for(r, VS_RHYTHM_SIGNAL_LOST_S)) {
        /* IEC 60601-2-27 asks for at least a low-priority technical alarm: medium here, since
         * nothing can be monitored meanwhile */
        emit_timed(out, n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_TECH_SIGNAL_LOST, VS_RHYTHM_WARNING,
                   r->lost_from, -1, now_idx, r->fs_hz);
        r->timer_flags |= VS_RHY_LOST_ALARM;
    }
}

VS_API vs_status vs_rhythm_advance(vs_rhythm *r, int64_t now_idx, int64_t last_beat_idx,
                                   int signal_lost, int64_t signal_since, vs_rhythm_event *out,
                                   size_t cap, size_t *n_out)
{
    if (n_out) *n_out = 0;
    if (!r || !n_out || !out) return VS_E_NULL_ARG;
    if (cap < VS_RHY_MAX_EVENTS) return VS_E_BUFFER_TOO_SMALL;
    if (now_idx < 0 || now_idx < r->prev_idx || (signal_lost != 0 && signal_lost != 1) ||
        signal_since < 0 || signal_since > now_idx)
        return VS_E_INVALID_ARG;
    size_t n = 0;
    track_signal(r, now_idx, last_beat_idx, signal_lost, signal_since, out, &n);
    if (signal_lost) {
        *n_out = n;
        return VS_OK;
    }
    int64_t from = silence_start(r, last_beat_idx, signal_since);
    int64_t quiet = now_idx - from;
    unsigned want = quiet >= samples_for(r, VS_RHYTHM_ASYSTOLE_S) ? 2u
                    : quiet >= samples_for(r, VS_RHYTHM_PAUSE_S)  ? 1u
                                                                   : 0u;
    if (want > silence_level(r, from)) {
        unsigned older = level_of(r, 1);
        if (r->silence[0] != from) {
            older = level_of(r, 0);
            r->silence[1] = r->silence[0];
            r->silence[0] = from;
        }
        set_levels(r, want, older);
        if (want == 2)
            emit_timed(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_ASYSTOLE,
                       VS_RHYTHM_CRITICAL, from, -1, now_idx, r->fs_hz);
        else
            emit_timed(out, &n, VS_RHYTHM_KIND_ALARM, VS_RHYTHM_ALARM_PAUSE, VS_RHYTHM_WARNING,
                       from, -1, now_idx, r->fs_hz);
    }
    *n_out = n;
    return VS_OK;
}

static int64_t earlier(int64_t a, int64_t b) { return a < b ? a : b; }

VS_API int64_t vs_rhythm_next_deadline(const vs_rhythm *r, int64_t last_beat_idx,
                                       int signal_lost, int64_t signal_since)
{
    if (!r || signal_since < 0) return INT64_MAX;
    int64_t d = INT64_MAX;
    int64_t lost_from = r->lost_from >= 0 ? r->lost_from : (signal_lost ? signal_since : -1);
    if (lost_from >= 0 && !(r->timer_flags & VS_RHY_LOST_ALARM))
        d = lost_from + samples_for(r, VS_RHYTHM_SIGNAL_LOST_S);
    if (signal_lost) return d;
    int64_t tp = samples_for(r, VS_RHYTHM_PAUSE_S), ta = samples_for(r, VS_RHYTHM_ASYSTOLE_S);
    if (lost_from >= 0) /* the episode's end without beats (with two, the beat's check ends it) */
        d = earlier(d, signal_since + ta);
    int64_t from = silence_start(r, last_beat_idx, signal_since);
    switch (silence_level(r, from)) {
    case 0: return earlier(d, from + earlier(tp, ta));
    case 1: return earlier(d, from + ta);
    default: return d;
    }
}
