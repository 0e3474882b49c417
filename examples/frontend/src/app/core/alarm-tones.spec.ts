import { tonePattern } from './alarm-tones';

describe('tonePattern', () => {
  it('gives high priority a ten-pulse burst, medium three pulses and low two', () => {
    expect(tonePattern('high').pulses.length).toBe(10);
    expect(tonePattern('medium').pulses.length).toBe(3);
    expect(tonePattern('low').pulses.length).toBe(2);
  });

  it('orders urgency by pitch and repetition, and repeats faster when escalated', () => {
    const hi = tonePattern('high');
    const mid = tonePattern('medium');
    const lo = tonePattern('low');
    expect(hi.pulses[0].frequencyHz).toBeGreaterThan(mid.pulses[0].frequencyHz);
    expect(mid.pulses[0].frequencyHz).toBeGreaterThan(lo.pulses[0].frequencyHz);
    expect(hi.repeatS).toBeLessThan(mid.repeatS);
    expect(mid.repeatS).toBeLessThan(lo.repeatS);
    expect(tonePattern('high', true).repeatS).toBeLessThan(hi.repeatS);
  });

  it('keeps pulses inside the burst, non-overlapping and in the 150-1000 Hz band', () => {
    for (const p of ['high', 'medium', 'low'] as const) {
      const pat = tonePattern(p);
      const pulses = pat.pulses;
      for (let i = 0; i < pulses.length; i++) {
        expect(pulses[i].frequencyHz).toBeGreaterThanOrEqual(150);
        expect(pulses[i].frequencyHz).toBeLessThanOrEqual(1000);
        if (i) expect(pulses[i].at).toBeGreaterThanOrEqual(pulses[i - 1].at + pulses[i - 1].durationS);
      }
      const last = pulses[pulses.length - 1];
      expect(last.at + last.durationS).toBeLessThan(pat.repeatS);
    }
  });

  it('groups the high-priority burst as 3 + 2 pulses, twice', () => {
    const p = tonePattern('high').pulses;
    const gaps = p.slice(1).map((x, i) => +(x.at - p[i].at - p[i].durationS).toFixed(3));
    const long = gaps.map((g, i) => (g > 0.15 ? i : -1)).filter((i) => i >= 0);
    expect(long).toEqual([2, 4, 7]);
  });
});
