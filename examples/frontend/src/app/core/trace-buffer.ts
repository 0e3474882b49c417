/** Seconds of signal kept per patient for drawing (the patient view shows the longest span). */
export const TRACE_KEEP_S = 30;

export interface TraceBeat {
  sample: number;
  label: string;
}

/**
 * The most recent samples of one patient's live ECG, addressed by absolute sample index
 * (the session's `start_sample` numbering), plus the recent beats. Gaps (lost chunks) read as NaN,
 * so the trace shows a break instead of joining unrelated samples.
 */
export class TraceBuffer {
  readonly capacity: number;
  private readonly ring: Float32Array;
  /** One past the newest sample index written; -1 before the first chunk. */
  private end = -1;
  private beatList: TraceBeat[] = [];

  constructor(readonly fs: number, keepS = TRACE_KEEP_S) {
    if (!(fs > 0) || !Number.isFinite(fs)) throw new RangeError(`bad sampling rate ${fs}`);
    this.capacity = Math.ceil(fs * keepS);
    this.ring = new Float32Array(this.capacity).fill(NaN);
  }

  /** Index one past the newest sample (-1 when empty). */
  get endIdx(): number {
    return this.end;
  }

  /** Oldest index still held. */
  get startIdx(): number {
    return this.end < 0 ? -1 : Math.max(0, this.end - this.capacity);
  }

  /** Appends a chunk starting at absolute index `start`. Older or overlapping data is ignored;
   *  a forward gap is filled with NaN. */
  push(start: number, samples: ArrayLike<number | null>): void {
    if (!Number.isInteger(start) || start < 0) return;
    if (this.end >= 0 && start + samples.length <= this.end) return;
    if (this.end >= 0 && start > this.end) {
      const gap = Math.min(start - this.end, this.capacity);
      for (let i = 0; i < gap; i++) this.ring[(start - gap + i) % this.capacity] = NaN;
    }
    const from = this.end >= 0 && start < this.end ? this.end - start : 0;
    for (let i = from; i < samples.length; i++) {
      const v = samples[i];
      this.ring[(start + i) % this.capacity] = v !== null && Number.isFinite(v) ? v : NaN;
    }
    this.end = start + samples.length;
    this.dropOldBeats();
  }

  /** Fills older history (e.g. from the archive when a view opens): writes only samples still
   *  missing inside the held window, so live data already received is never overwritten. */
  backfill(start: number, samples: ArrayLike<number | null>): void {
    if (this.end < 0) {
      this.push(start, samples);
      return;
    }
    const lo = Math.max(start, this.end - this.capacity);
    const hi = Math.min(start + samples.length, this.end);
    for (let i = lo; i < hi; i++) {
      const slot = i % this.capacity;
      const v = samples[i - start];
      if (Number.isNaN(this.ring[slot]) && v !== null && Number.isFinite(v)) this.ring[slot] = v;
    }
  }

  /** Sample at absolute index (NaN outside the held range). */
  at(idx: number): number {
    if (this.end < 0 || idx < this.startIdx || idx >= this.end) return NaN;
    return this.ring[idx % this.capacity];
  }

  addBeats(beats: readonly TraceBeat[]): void {
    for (const b of beats) {
      if (Number.isFinite(b.sample)) this.beatList.push(b);
    }
    this.beatList.sort((a, b) => a.sample - b.sample);
    this.dropOldBeats();
  }

  /** Beats with from <= sample < to. */
  beatsIn(from: number, to: number): TraceBeat[] {
    return this.beatList.filter((b) => b.sample >= from && b.sample < to);
  }

  private dropOldBeats(): void {
    const oldest = this.startIdx;
    if (this.beatList.length && this.beatList[0].sample < oldest) {
      this.beatList = this.beatList.filter((b) => b.sample >= oldest);
    }
  }
}
