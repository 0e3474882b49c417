/* rhythm_af.c — RR-only evidence of atrial fibrillation from the newest beat intervals (the
 * beat history vs_rhythm already keeps: no state of its own). Needs no atrial activity, so it
 * works when P or f waves cannot be measured.
 *
 * 1. Irregular: the coefficient of sample entropy (COSEn, Lake & Moorman, Am J Physiol Heart
 *    Circ Physiol 2011; own implementation). Sample entropy with template length m = 1 and
 *    tolerance r: B counts the pairs of intervals within r of each other, A the pairs whose
 *    successors match too; SampEn = ln(B / A). Dividing the match probability by the volume of
 *    the tolerance region (2r) and by the mean interval makes it a density that compares
 *    across heart rates: COSEn = SampEn + ln(2r) - ln(mean RR). Sinus rhythm and flutter with
 *    fixed or alternating block repeat their intervals (COSEn about -2.5 .. -1.5); AF does not
 *    (about -1 .. 1).
 * 2. Without pattern: AF intervals are close to independent, while respiratory sinus
 *    arrhythmia is a sampled oscillation, bigeminy an alternation and a rate change a trend,
 *    all of which correlate intervals 1-6 beats apart. The portmanteau (Ljung-Box) statistic
 *    Q = n (n + 2) sum_k r_k^2 / (n - k) over lags 1-6 is chi-squared with 6 degrees of freedom
 *    for independent intervals; Q above its 1 % point says the intervals follow a pattern.
 * 3. Not multiples of one atrial cycle: atrial flutter with variable block (2:1, 3:1, 4:1 ...)
 *    conducts every k-th flutter wave, so its intervals lie near whole multiples (k >= 2) of
 *    one cycle of 150-300 ms (flutter at 200-400/min); a random mix of 2-4 such levels can
 *    pass COSEn by chance, since 24 intervals hold few repeated pairs. AF has no such
 *    structure: for a cycle T each interval lands within r of a multiple with probability
 *    2r / T <= 0.4, so 3/4 of 24 intervals do by chance with probability < 1e-3 per cycle
 *    tried. It only holds back the start of AF (a chance hit: by one beat), never ends it.
 * 4. Irregular between N beats: the share of consecutive interval pairs with a large |dRR|,
 *    counted only where all three beats are clean N, so that the classifier's S and V labels
 *    rather than prematurity keep ectopy out (vs_rhythm's votes leave out every interval
 *    shorter than PREMATURE_RATIO x the median and the two after it: in AF about 1 in 5
 *    intervals is that short, which leaves a 30 s paroxysm of about 40 beats some 14 votes,
 *    the more regular ones). */
#include <math.h>

#include "rhythm_impl.h"

/* Lake & Moorman's tolerance: 30 ms, fixed (COSEn's normalisation makes it rate-independent). */
#define COSEN_TOLERANCE_S 0.030
/* Fewest intervals for a judgement (Lake & Moorman score segments of 12 beats). */
#define MIN_INTERVALS 12
/* "Clearly irregular" from COSEn >= this. Tuned on MIT-BIH DS1 only: windows of 24 reference
 * beat intervals, AF against every other rhythm, the best Youden index (Se 99.0 %, Sp 95.8 %;
 * bench/af/cosen_ds1.py prints the table). Lake & Moorman's own AF threshold is -1.4. */
#define COSEN_CLEAR (-1.0)
#define PATTERN_LAGS 6
/* 1 % point of chi-squared with 6 degrees of freedom (a statistical constant, not tuned). Six
 * lags (n / 4 for 24 intervals) reach a whole breath at 4-6 beats per breath. */
#define PATTERN_Q_MAX 16.812
/* Flutter cycles tried, in COSEN_TOLERANCE_S units: 5-10, i.e. 150-300 ms (physiology: atrial
 * flutter at 200-400/min); intervals "on" a multiple within one tolerance, all but 1 in 4 of
 * them (see 3. above; a QRS 160 ms after its flutter wave +- 20 ms moves an interval by up to
 * 40 ms). Not tuned on MIT-BIH. */
#define FLUTTER_CYCLE_MIN_TOL 5
#define FLUTTER_CYCLE_MAX_TOL 10

/* The usable newest intervals, oldest first: those longer than long_limit (if > 0) and those
 * touching a ventricular beat (not the ventricles' response to the atria) left out. */
static uint32_t newest_intervals(const struct vs_rhythm *r, double long_limit, int32_t *v)
{
    uint32_t n = 0;
    for (uint32_t j = r->beat_count; j > 0; j--) {
        int32_t x = r->beat_delta[(r->beat_pos + VS_RHY_BEAT_RING - j) % VS_RHY_BEAT_RING];
        /* the interval j - 1 back from the newest joins beats j and j - 1 of v_hist (bit 0:
         * the newest beat) */
        if ((r->v_hist >> (j - 1)) & 3u) continue;
        if (x <= 0 || (long_limit > 0.0 && (double)x > long_limit)) continue;
        v[n++] = x;
    }
    return n;
}

/* COSEn >= COSEN_CLEAR, compared without logarithms: B * 2r / (A * mean) >= exp(COSEN_CLEAR).
 * tol: r in whole samples, so that the matches are integer comparisons. */
static int cosen_clear(const int32_t *v, uint32_t n, int32_t tol)
{
    int64_t a = 0, b = 0, sum = 0;
    for (uint32_t i = 0; i < n; i++) sum += v[i];
    /* counted without branches (whether a pair matches is unpredictable): exact integers */
    for (uint32_t i = 0; i + 1 < n; i++) { /* templates: the first n - 1 intervals */
        int32_t bi = 0, ai = 0;
        for (uint32_t k = i + 1; k + 1 < n; k++) {
            int32_t d = v[i] - v[k], d1 = v[i + 1] - v[k + 1];
            int32_t m = (d >= -tol) & (d <= tol);
            bi += m;
            ai += m & (d1 >= -tol) & (d1 <= tol);
        }
        b += bi;
        a += ai;
    }
    if (a == 0) return 1; /* not one repeated pair of intervals: as irregular as it gets */
    double mean = (double)sum / (double)n;
    return (double)b * 2.0 * (double)tol >= (double)a * mean * exp(COSEN_CLEAR);
}

/* Ljung-Box Q over lags 1..PATTERN_LAGS <= PATTERN_Q_MAX (no variance: a pattern). */
static int no_pattern(const int32_t *v, uint32_t n)
{
    double mean = 0.0;
    for (uint32_t i = 0; i < n; i++) mean += v[i];
    mean /= (double)n;
    double var = 0.0;
    for (uint32_t i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
    if (var <= 0.0) return 0;
    double q = 0.0;
    for (uint32_t k = 1; k <= PATTERN_LAGS; k++) {
        double c = 0.0;
        for (uint32_t i = k; i < n; i++) c += (v[i] - mean) * (v[i - k] - mean);
        double rk = c / var;
        q += rk * rk / (double)(n - k);
    }
    q *= (double)n * (double)(n + 2);
    return q <= PATTERN_Q_MAX;
}

/* 1 when all but n / 4 intervals lie within tol of a multiple k >= 2 of one cycle. */
static int flutter_multiples(const int32_t *v, uint32_t n, int32_t tol)
{
    for (int32_t c = FLUTTER_CYCLE_MIN_TOL * tol; c <= FLUTTER_CYCLE_MAX_TOL * tol; c++) {
        uint32_t misses = 0;
        for (uint32_t i = 0; i < n; i++) {
            int32_t k = (v[i] + c / 2) / c, d = v[i] - k * c;
            misses += k < 2 || (uint32_t)(d + tol) > (uint32_t)(2 * tol); /* |d| > tol */
        }
        if (misses <= n / 4) return 1;
    }
    return 0;
}

int vs_rhythm_af_rr_clear(const struct vs_rhythm *r, double long_limit, int check_flutter)
{
    int32_t v[VS_RHY_BEAT_RING];
    uint32_t n = newest_intervals(r, long_limit, v);
    /* in whole samples (3 or more: fs >= 100 Hz), so that matches are integer comparisons */
    int32_t tol = (int32_t)(COSEN_TOLERANCE_S * r->fs_hz + 0.5);
    if (n < MIN_INTERVALS || !cosen_clear(v, n, tol) || !no_pattern(v, n)) return 0;
    return check_flutter && flutter_multiples(v, n, tol) ? 2 : 1;
}

int vs_rhythm_af_n_pairs_irregular(const struct vs_rhythm *r, double long_limit, double limit,
                                   double fraction)
{
    uint32_t n = 0, irr = 0;
    /* the interval j - 1 back from the newest joins beats j and j - 1 (bit 0 of n_hist: the
     * newest beat), so the pair of intervals j - 1 and j - 2 back spans beats j .. j - 2 */
    for (uint32_t j = r->beat_count; j >= 2; j--) {
        if (((r->n_hist >> (j - 2)) & 7u) != 7u) continue;
        int32_t a = r->beat_delta[(r->beat_pos + VS_RHY_BEAT_RING - j) % VS_RHY_BEAT_RING];
        int32_t b = r->beat_delta[(r->beat_pos + VS_RHY_BEAT_RING - j + 1) % VS_RHY_BEAT_RING];
        if (a <= 0 || b <= 0 || (double)a > long_limit || (double)b > long_limit) continue;
        int32_t d = b - a;
        n++;
        irr += (double)(d < 0 ? -d : d) > limit;
    }
    return n >= MIN_INTERVALS && (double)irr >= fraction * (double)n;
}
