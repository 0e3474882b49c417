/**
 * Alarm sound patterns in the spirit of IEC 60601-1-8 (not a certified implementation):
 *  - high priority:   10 pulses as 3 + 2 + 3 + 2, repeated every 5 s (2.5 s once escalated)
 *  - medium priority: 3 pulses, repeated every 8 s
 *  - low priority:    2 pulses, repeated every 20 s
 * Pulses are harmonic-rich (triangle waves) in the 150–1000 Hz band the standard asks for, with
 * short ramps so they are not clicks; the priorities differ in rhythm, pitch and urgency.
 */
export type AlarmPriority = 'high' | 'medium' | 'low';

export interface TonePulse {
  /** Start within the burst, seconds. */
  at: number;
  durationS: number;
  frequencyHz: number;
}

export interface TonePattern {
  pulses: TonePulse[];
  /** Seconds from the start of one burst to the start of the next. */
  repeatS: number;
}

const PULSE_SPACING_S = 0.1; // gap between pulses of a group

function group(start: number, count: number, durationS: number, frequencyHz: number): TonePulse[] {
  return Array.from({ length: count }, (_, i) => ({
    at: start + i * (durationS + PULSE_SPACING_S),
    durationS,
    frequencyHz,
  }));
}

export function tonePattern(priority: AlarmPriority, escalated = false): TonePattern {
  switch (priority) {
    case 'high': {
      const d = 0.12;
      const f = 880;
      const step = d + PULSE_SPACING_S;
      // 3 + 2, a pause of 0.35 s, then 3 + 2 again (the "ten-pulse burst").
      const half = [...group(0, 3, d, f), ...group(3 * step + 0.25, 2, d, f)];
      const halfLen = 5 * step + 0.25;
      const second = half.map((p) => ({ ...p, at: p.at + halfLen + 0.35 }));
      return { pulses: [...half, ...second], repeatS: escalated ? 2.5 : 5 };
    }
    case 'medium':
      return { pulses: group(0, 3, 0.18, 660), repeatS: escalated ? 4 : 8 };
    case 'low':
      return { pulses: group(0, 2, 0.2, 440), repeatS: 20 };
  }
}

export const PRIORITY_RANK: Record<AlarmPriority, number> = { high: 3, medium: 2, low: 1 };
