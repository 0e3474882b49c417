// hrv.ts — heart-rate variability (include/vitalstream/hrv.h): hrv() over an RR series and
// HrvWindow, the rolling window over a beat stream.
import { check, exportsOrThrow, heapU8, heapView, mallocOrThrow, Status } from './core.js';
import { NativeObject, paramBoundsOf, restore } from './lifetime.js';

/** vs_hrv_options (see hrv.h for meaning and bounds); omitted fields keep the defaults. */
export interface HrvOptions {
  minRrMs: number;
  maxRrMs: number;
  maxRelChange: number;
  entropyR: number;
  lombDfHz: number;
  welchFsHz: number;
  welchSegmentS: number;
  /** HrvPsdMethod */
  psdMethod: number;
  entropyM: number;
}

export const HrvPsdMethod = { LOMB: 0, WELCH: 1 } as const;

/** vs_hrv_result: counts, then time-domain, frequency-domain and nonlinear indices (NaN when
 *  undefined for the data, see hrv.h). */
export interface HrvResult {
  nInput: number; nNn: number; nExcluded: number; nOutOfBounds: number; nRelChange: number;
  psdMethod: number;
  meanNnMs: number; sdnnMs: number; rmssdMs: number; sdsdMs: number; pnn50Pct: number;
  pnn20Pct: number; cvnn: number; medianNnMs: number; iqrNnMs: number; minNnMs: number;
  maxNnMs: number; hrMeanBpm: number; hrMinBpm: number; hrMaxBpm: number;
  triangularIndex: number; tinnMs: number; durationS: number;
  vlfMs2: number; lfMs2: number; hfMs2: number; totalPowerMs2: number; lfHf: number;
  lfnNu: number; hfnNu: number; lfPeakHz: number; hfPeakHz: number;
  sd1Ms: number; sd2Ms: number; sd1Sd2: number; sampen: number; apen: number;
  dfaAlpha1: number; dfaAlpha2: number;
}

const OPTION_DOUBLES: Array<keyof HrvOptions> = ['minRrMs', 'maxRrMs', 'maxRelChange', 'entropyR',
  'lombDfHz', 'welchFsHz', 'welchSegmentS'];
const RESULT_COUNTS: Array<keyof HrvResult> = ['nInput', 'nNn', 'nExcluded', 'nOutOfBounds',
  'nRelChange', 'psdMethod'];
const RESULT_DOUBLES: Array<keyof HrvResult> = ['meanNnMs', 'sdnnMs', 'rmssdMs', 'sdsdMs',
  'pnn50Pct', 'pnn20Pct', 'cvnn', 'medianNnMs', 'iqrNnMs', 'minNnMs', 'maxNnMs', 'hrMeanBpm',
  'hrMinBpm', 'hrMaxBpm', 'triangularIndex', 'tinnMs', 'durationS', 'vlfMs2', 'lfMs2', 'hfMs2',
  'totalPowerMs2', 'lfHf', 'lfnNu', 'hfnNu', 'lfPeakHz', 'hfPeakHz', 'sd1Ms', 'sd2Ms', 'sd1Sd2',
  'sampen', 'apen', 'dfaAlpha1', 'dfaAlpha2'];
/** @internal */
export const HRV_OPTIONS_BYTES = 64;
/** @internal */
export const HRV_RESULT_BYTES = 24 + 8 * RESULT_DOUBLES.length; // 288, checked at load

/** The library's default HRV options. */
export function hrvDefaultOptions(): HrvOptions {
  const e = exportsOrThrow();
  const p = mallocOrThrow(HRV_OPTIONS_BYTES, 'hrvDefaultOptions');
  try {
    check(e.vs_hrv_default_options(p), 'hrvDefaultOptions');
    const dv = heapView();
    const o = {} as Record<string, number>;
    OPTION_DOUBLES.forEach((k, i) => { o[k] = dv.getFloat64(p + 8 * i, true); });
    o.psdMethod = dv.getUint32(p + 56, true);
    o.entropyM = dv.getUint32(p + 60, true);
    return o as unknown as HrvOptions;
  } finally {
    e.free(p);
  }
}

/** @internal Writes vs_hrv_options at p (defaults overridden by `opt`). */
export function writeHrvOptions(p: number, opt: Partial<HrvOptions>): void {
  const full = { ...hrvDefaultOptions(), ...opt };
  const dv = heapView();
  OPTION_DOUBLES.forEach((k, i) => dv.setFloat64(p + 8 * i, full[k], true));
  dv.setUint32(p + 56, full.psdMethod, true);
  dv.setUint32(p + 60, full.entropyM, true);
}

/** @internal */
export function decodeHrvResult(p: number): HrvResult {
  const dv = heapView();
  const r = {} as Record<string, number>;
  RESULT_COUNTS.forEach((k, i) => { r[k] = dv.getUint32(p + 4 * i, true); });
  RESULT_DOUBLES.forEach((k, i) => { r[k] = dv.getFloat64(p + 24 + 8 * i, true); });
  return r as unknown as HrvResult;
}

/** Runs fn(optionsPtr | 0, resultPtr) with heap memory freed on every path. VS_E_INSUFFICIENT_DATA
 *  still returns the (NaN-filled) result with its counts, as the C API does. */
/** @internal */
export function withHrvResult(opt: Partial<HrvOptions> | undefined, what: string,
  fn: (optPtr: number, resPtr: number) => number): HrvResult {
  const e = exportsOrThrow();
  const p = mallocOrThrow(HRV_OPTIONS_BYTES + HRV_RESULT_BYTES, what);
  try {
    if (opt) writeHrvOptions(p, opt);
    const st = fn(opt ? p : 0, p + HRV_OPTIONS_BYTES);
    if (st !== Status.INSUFFICIENT_DATA) check(st, what);
    return decodeHrvResult(p + HRV_OPTIONS_BYTES);
  } finally {
    e.free(p);
  }
}

/** HRV indices of an RR series in ms. exclude[i] truthy marks the beat ending interval i as
 *  ectopic or an artifact (hrv.h: NN selection). */
export function hrv(rrMs: Float64Array | ArrayLike<number>, options?: Partial<HrvOptions>,
  exclude?: ArrayLike<number | boolean>): HrvResult {
  const e = exportsOrThrow();
  const n = rrMs.length;
  if (exclude && exclude.length !== n) {
    throw new RangeError(`hrv: exclude has ${exclude.length} flags for ${n} intervals`);
  }
  const rrPtr = mallocOrThrow(n * 8, 'hrv');
  let exPtr = 0;
  try {
    if (exclude) exPtr = mallocOrThrow(n, 'hrv');
    const rr = new Float64Array(n);
    for (let i = 0; i < n; i++) rr[i] = rrMs[i];
    new Float64Array(e.memory.buffer, rrPtr, n).set(rr);
    if (exclude) {
      const u8 = heapU8();
      for (let i = 0; i < n; i++) u8[exPtr + i] = exclude[i] ? 1 : 0;
    }
    return withHrvResult(options, 'hrv', (o, r) => e.vs_hrv_compute(rrPtr, exPtr, n, o, r));
  } finally {
    e.free(rrPtr);
    if (exPtr) e.free(exPtr);
  }
}

export const HrvWindowParam = { LENGTH_S: 1 } as const;

/** Rolling HRV window over a beat stream (last 300 s by default, at most 640 intervals). */
export class HrvWindow extends NativeObject {
  constructor(fsHz: number) {
    super('HrvWindow', 'vs_hrv_window');
    this.create(fsHz);
  }

  static fromState(bytes: Uint8Array): HrvWindow {
    return restore((fs) => new HrvWindow(fs), bytes);
  }

  static paramBounds(param: number): { min: number; max: number; default: number } {
    return paramBoundsOf('vs_hrv_window', param);
  }

  /** Adds the beat at sample rSampleIdx (strictly increasing); isNormal false = ectopic/artifact. */
  push(rSampleIdx: number, isNormal = true): void {
    check(exportsOrThrow().vs_hrv_window_push(this.handle(), BigInt(rSampleIdx), isNormal ? 1 : 0),
      'HrvWindow.push');
  }

  /** Intervals currently held (used or excluded). */
  get count(): number { return exportsOrThrow().vs_hrv_window_count(this.handle()) >>> 0; }

  compute(options?: Partial<HrvOptions>): HrvResult {
    const e = exportsOrThrow();
    const h = this.handle();
    return withHrvResult(options, 'HrvWindow.compute', (o, r) => e.vs_hrv_window_compute(h, o, r));
  }

  setParam(param: number, value: number): void { this.setParamOf('vs_hrv_window', this.handle(), param, value); }
  getParam(param: number): number { return this.getParamOf('vs_hrv_window', this.handle(), param); }
}
