/** Intervals between animation frames (ms): what a user perceives as smoothness. */
export class FrameMeter {
  private last = 0;
  private readonly intervals: number[] = [];
  private pos = 0;

  constructor(private readonly size = 4000) {}

  tick(t: number): void {
    if (this.last) {
      const dt = t - this.last;
      if (this.intervals.length < this.size) this.intervals.push(dt);
      else this.intervals[this.pos++ % this.size] = dt;
    }
    this.last = t;
  }

  reset(): void {
    this.last = 0;
    this.intervals.length = 0;
    this.pos = 0;
  }

  stats(): FrameStats {
    return percentiles(this.intervals);
  }
}

export interface FrameStats {
  frames: number;
  mean: number;
  p50: number;
  p95: number;
}

export function percentiles(values: readonly number[]): FrameStats {
  const v = values.slice().sort((a, b) => a - b);
  const q = (p: number): number => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : NaN);
  const mean = v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  return { frames: v.length, mean, p50: q(0.5), p95: q(0.95) };
}
