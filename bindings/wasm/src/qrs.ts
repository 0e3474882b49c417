// qrs.ts — QrsDetector over vs_qrs (include/vitalstream/qrs.h).
import { exportsOrThrow, heapView } from './core.js';
import { NativeObject, paramBoundsOf, restore } from './lifetime.js';
import type { Samples, StateBytes } from './args.js';

/** One detected beat (vs_beat). Sample indices count from the first sample fed to the detector
 *  (since creation or the last reset), across calls. */
export interface Beat {
  /** R position, 0-based index into the stream. */
  sampleIdx: number;
  /** Index of the input sample at which the beat was reported. */
  decidedIdx: number;
  /** Signed R deflection relative to the local baseline, in input units (mV). */
  amplitudeMv: number;
  /** Interval to the previous beat in ms, 0 for the first beat. */
  rrMs: number;
  /** BeatFlags bits. */
  flags: number;
}

/** vs_beat flags. */
export const BeatFlags = {
  /** Found by search-back with the lowered threshold. */
  SEARCHBACK: 0x1,
  /** First beat after missing/flat/saturated input. */
  AFTER_GAP: 0x2,
  /** Set by the monitor: decided while the signal was noisy. */
  NOISY: 0x4,
  /** Set by the monitor: decided while the signal was unreadable. */
  UNREADABLE: 0x8,
} as const;

/** Tunables of vs_qrs_set_param. */
export const QrsParam = {
  REFRACTORY_MS: 1,
  SEARCHBACK_RR: 2,
  TWAVE_WINDOW_MS: 3,
  MIN_AMPLITUDE_MV: 4,
} as const;
export type QrsParamId = (typeof QrsParam)[keyof typeof QrsParam];

/** @internal */
export const BEAT_BYTES = 32;

/** @internal Decodes `count` vs_beat structs at `ptr` (layout checked at load: 32 bytes). */
export function decodeBeats(ptr: number, count: number, out: Beat[]): void {
  const dv = heapView();
  for (let i = 0; i < count; i++) {
    const p = ptr + i * BEAT_BYTES;
    out.push({
      sampleIdx: Number(dv.getBigInt64(p, true)),
      decidedIdx: Number(dv.getBigInt64(p + 8, true)),
      amplitudeMv: dv.getFloat32(p + 16, true),
      rrMs: dv.getFloat32(p + 20, true),
      flags: dv.getUint32(p + 24, true),
    });
  }
}

/** Streaming QRS detector: feed ECG samples (one lead, mV) in chunks of any size. */
export class QrsDetector extends NativeObject {
  /** Creates a detector for sampling rate fsHz (100..1000 Hz). Needs `await ready` first. */
  constructor(fsHz: number) {
    super('QrsDetector', 'vs_qrs');
    this.create(fsHz);
  }

  /** Restores a detector from a blob of saveState() (from any runtime: C, Python, WASM). */
  static fromState(bytes: StateBytes): QrsDetector {
    return restore((fs) => new QrsDetector(fs), bytes, 'QrsDetector.fromState');
  }

  /** Default, minimum and maximum of a parameter. */
  static paramBounds(param: QrsParamId): { min: number; max: number; default: number } {
    return paramBoundsOf('vs_qrs', param);
  }

  /** Sampling rate in Hz. */
  get fsHz(): number { return exportsOrThrow().vs_qrs_fs_hz(this.handle()); }

  /** Samples fed since creation or the last reset. */
  get samplesSeen(): number { return Number(exportsOrThrow().vs_qrs_samples_seen(this.handle())); }

  /** Most samples between an R position and the call that reports it. */
  get maxLatencySamples(): number {
    return exportsOrThrow().vs_qrs_max_latency_samples(this.handle()) >>> 0;
  }

  /** Feeds samples (mV; NaN = missing) and returns the beats decided during this call. */
  process(samples: Samples): Beat[] {
    return this.feed(samples, BEAT_BYTES, decodeBeats);
  }

  /** End of stream: the beats still waiting for more signal (the last QRS of a recording, or
   *  the beats of a stream shorter than the 2 s learning period), decided as if the signal ended
   *  here. Input fed afterwards continues the stream. */
  finish(): Beat[] {
    return this.drain(BEAT_BYTES, decodeBeats);
  }

  setParam(param: QrsParamId, value: number): void { this.setParamOf('vs_qrs', this.handle(), param, value); }
  getParam(param: QrsParamId): number { return this.getParamOf('vs_qrs', this.handle(), param); }
}
