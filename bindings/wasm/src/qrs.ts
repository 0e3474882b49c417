// qrs.ts — QrsDetector over vs_qrs (include/vitalstream/qrs.h).
import {
  check, exportsOrThrow, heapF32, heapView, inputBuffer, outputBuffer, readF64, readU32,
  readOut, scratch, withBytes, Status, VitalStreamError,
} from './core.js';
import { Disposable, stateFs } from './lifetime.js';

/** One detected beat (vs_beat). Sample indices count from the first sample ever fed to the
 *  detector, across calls, resets excluded (reset starts again at 0). */
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

/** Largest number of samples handed to C in one call: bounds the shared heap buffers. The beats
 *  do not depend on the chunking (qrs.h). */
export const MAX_CHUNK_SAMPLES = 1 << 16;
export const BEAT_BYTES = 32;

/** Decodes `count` vs_beat structs at `ptr` (layout checked at load: 32 bytes). */
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
export class QrsDetector extends Disposable {
  /** Creates a detector for sampling rate fsHz (100..1000 Hz). Needs `await ready` first. */
  constructor(fsHz: number) {
    super('QrsDetector', 'vs_qrs_destroy');
    const e = exportsOrThrow();
    const out = scratch();
    check(e.vs_qrs_create(out, fsHz), `QrsDetector(${fsHz})`);
    this.adopt(readU32(out));
  }

  /** Restores a detector from a blob of saveState() (from any runtime: C, Python, WASM). */
  static fromState(bytes: Uint8Array): QrsDetector {
    const d = new QrsDetector(stateFs(bytes));
    try {
      d.loadState(bytes);
    } catch (err) {
      d.dispose();
      throw err;
    }
    return d;
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
  process(samples: Float32Array | ArrayLike<number>): Beat[] {
    const e = exportsOrThrow();
    const h = this.handle();
    const beats: Beat[] = [];
    const total = samples.length;
    for (let pos = 0; pos < total; pos += MAX_CHUNK_SAMPLES) {
      const n = Math.min(MAX_CHUNK_SAMPLES, total - pos);
      const cap = e.vs_qrs_max_events(h, n) >>> 0;
      // reserve() may grow the memory: take views only after both reservations.
      const outPtr = outputBuffer.reserve(cap * BEAT_BYTES);
      const inPtr = inputBuffer.reserve(n * 4);
      const chunk = samples instanceof Float32Array ? samples.subarray(pos, pos + n)
        : Float32Array.from(Array.prototype.slice.call(samples, pos, pos + n) as number[]);
      heapF32().set(chunk, inPtr >>> 2);
      const nOut = scratch();
      check(e.vs_qrs_process(h, inPtr, n, outPtr, cap, nOut), 'QrsDetector.process');
      decodeBeats(outPtr, readU32(nOut), beats);
    }
    return beats;
  }

  /** Forgets the signal (sample indices restart at 0), keeps the parameters. */
  reset(): void { exportsOrThrow().vs_qrs_reset(this.handle()); }

  setParam(param: QrsParamId, value: number): void {
    check(exportsOrThrow().vs_qrs_set_param(this.handle(), param, value), `QrsDetector.setParam(${param})`);
  }

  getParam(param: QrsParamId): number {
    const out = scratch();
    check(exportsOrThrow().vs_qrs_get_param(this.handle(), param, out), `QrsDetector.getParam(${param})`);
    return readF64(out);
  }

  /** Portable state blob (state.h): load it here or in any other runtime to continue exactly. */
  saveState(): Uint8Array {
    const e = exportsOrThrow();
    const h = this.handle();
    const size = e.vs_qrs_state_size(h) >>> 0;
    return readOut(size, 'QrsDetector.saveState', (p, cap) => {
      const written = scratch();
      check(e.vs_qrs_state_save(h, p, cap, written), 'QrsDetector.saveState');
      return readU32(written);
    });
  }

  /** Replaces this detector's state with a saved one; on error the detector is unchanged. */
  loadState(bytes: Uint8Array): void {
    const e = exportsOrThrow();
    const h = this.handle();
    withBytes(bytes, 'QrsDetector.loadState', (p, len) =>
      check(e.vs_qrs_state_load(h, p, len), 'QrsDetector.loadState'));
  }

  /** Default, minimum and maximum of a parameter. */
  static paramBounds(param: QrsParamId): { min: number; max: number; default: number } {
    const e = exportsOrThrow();
    const s = scratch();
    check(e.vs_qrs_param_bounds(param, s, s + 8, s + 16), `QrsDetector.paramBounds(${param})`);
    return { min: readF64(s), max: readF64(s + 8), default: readF64(s + 16) };
  }
}

export { Status, VitalStreamError };
