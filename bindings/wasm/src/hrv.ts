// hrv.ts — heart-rate variability (include/vitalstream/hrv.h): hrv() over an RR series and
// HrvWindow, the rolling window over a beat stream.
import { check, exportsOrThrow, heapU8, heapView, mallocOrThrow, Status, VitalStreamError } from './core.js';
import { NativeObject, paramBoundsOf, restore } from './lifetime.js';
import { describe } from './args.js';
import type { StateBytes } from './args.js';

/** vs_hrv_options (see hrv.h for meaning and bounds); omitted fields keep the defaults. The
 *  names are the C (and Python) field names in camelCase; unknown names are a TypeError. */
export interface HrvOptions {
  minRrMs: number;
  maxRrMs: number;
  maxRelChange: number;
  entropyR: number;
  lombDfHz: number;
  welchFsHz: number;
  welchSegmentS: number;
  /** HrvPsdMethod, or its name 'lomb' / 'welch' (as in Python) */
  psdMethod: number | 'lomb' | 'welch';
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

const OPTION_NAMES: Array<keyof HrvOptions> = [...OPTION_DOUBLES, 'psdMethod', 'entropyM'];

/** @internal The options checked: an object with known names and number values. */
function checkHrvOptions(opt: unknown, what: string): Partial<HrvOptions> {
  if (opt === null || typeof opt !== 'object' || Array.isArray(opt)) {
    throw new TypeError(`${what}: options must be an object, not ${describe(opt)}`);
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(opt as Record<string, unknown>)) {
    if (!(OPTION_NAMES as string[]).includes(k)) {
      throw new TypeError(`${what}: unknown HRV option '${k}' (known: ${OPTION_NAMES.join(', ')})`);
    }
    if (k === 'psdMethod' && typeof v === 'string') {
      const m = v.toLowerCase();
      if (m !== 'lomb' && m !== 'welch') {
        throw new VitalStreamError(Status.INVALID_ARG, `${what}: psdMethod must be 'lomb' or 'welch', not '${v}'`);
      }
      out[k] = m === 'welch' ? HrvPsdMethod.WELCH : HrvPsdMethod.LOMB;
      continue;
    }
    if (typeof v !== 'number') throw new TypeError(`${what}: option ${k} must be a number, not ${describe(v)}`);
    if ((k === 'psdMethod' || k === 'entropyM') && !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
      throw new VitalStreamError(Status.INVALID_ARG, `${what}: option ${k} must be a non-negative integer, not ${v}`);
    }
    out[k] = v;
  }
  return out as Partial<HrvOptions>;
}

/** @internal Writes vs_hrv_options at p (defaults overridden by `opt`, already checked). */
export function writeHrvOptions(p: number, opt: Partial<HrvOptions>): void {
  const full = { ...hrvDefaultOptions(), ...opt };
  const dv = heapView();
  OPTION_DOUBLES.forEach((k, i) => dv.setFloat64(p + 8 * i, full[k] as number, true));
  dv.setUint32(p + 56, full.psdMethod as number, true);
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

/** Runs fn(optionsPtr | 0, resultPtr) with heap memory freed on every path. No NN interval
 *  left (VS_E_INSUFFICIENT_DATA) is an error, as in Python (docs/CONTRACT.md). */
/** @internal */
export function withHrvResult(options: unknown, what: string,
  fn: (optPtr: number, resPtr: number) => number): HrvResult {
  const e = exportsOrThrow();
  const opt = options === undefined ? undefined : checkHrvOptions(options, what);
  const p = mallocOrThrow(HRV_OPTIONS_BYTES + HRV_RESULT_BYTES, what);
  try {
    if (opt) writeHrvOptions(p, opt);
    const st = fn(opt ? p : 0, p + HRV_OPTIONS_BYTES);
    if (st === Status.INSUFFICIENT_DATA) {
      const r = decodeHrvResult(p + HRV_OPTIONS_BYTES);
      throw new VitalStreamError(st, `${what}: no NN interval left (${r.nInput} given, ` +
        `${r.nExcluded} excluded, ${r.nOutOfBounds} out of bounds, ${r.nRelChange} over the relative-change limit)`);
    }
    check(st, what);
    return decodeHrvResult(p + HRV_OPTIONS_BYTES);
  } finally {
    e.free(p);
  }
}

/** The RR intervals checked: numbers, each finite and > 0 (else the index and value). */
function checkRr(rrMs: unknown, what: string): Float64Array {
  const ok = Array.isArray(rrMs) || (ArrayBuffer.isView(rrMs) && !(rrMs instanceof DataView) &&
    !(rrMs instanceof BigInt64Array) && !(rrMs instanceof BigUint64Array));
  if (!ok) throw new TypeError(`${what}: rrMs must be an array or typed array of numbers, not ${describe(rrMs)}`);
  const src = rrMs as ArrayLike<unknown>;
  const rr = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== 'number') throw new TypeError(`${what}: rrMs[${i}] is ${describe(v)}, not a number`);
    if (!(Number.isFinite(v) && v > 0)) {
      throw new VitalStreamError(Status.INVALID_ARG, `${what}: rrMs[${i}] = ${v} is not an RR interval (finite, > 0 ms)`);
    }
    rr[i] = v;
  }
  return rr;
}

/** HRV indices of an RR series in ms. exclude[i] truthy marks the beat ending interval i as
 *  ectopic or an artifact (hrv.h: NN selection). */
export function hrv(rrMs: Float64Array | readonly number[], options?: Partial<HrvOptions>,
  exclude?: ArrayLike<number | boolean>): HrvResult {
  const e = exportsOrThrow();
  const rr = checkRr(rrMs, 'hrv');
  const n = rr.length;
  if (exclude !== undefined) {
    if (!Array.isArray(exclude) && !(ArrayBuffer.isView(exclude) && !(exclude instanceof DataView))) {
      throw new TypeError(`hrv: exclude must be an array of flags, not ${describe(exclude)}`);
    }
    if (exclude.length !== n) {
      throw new VitalStreamError(Status.INVALID_ARG, `hrv: exclude has ${exclude.length} flags for ${n} intervals`);
    }
  }
  if (options !== undefined) checkHrvOptions(options, 'hrv');
  const rrPtr = mallocOrThrow(n * 8, 'hrv');
  let exPtr = 0;
  try {
    if (exclude) exPtr = mallocOrThrow(n, 'hrv');
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

  static fromState(bytes: StateBytes): HrvWindow {
    return restore((fs) => new HrvWindow(fs), bytes, 'HrvWindow.fromState');
  }

  static paramBounds(param: number): { min: number; max: number; default: number } {
    return paramBoundsOf('vs_hrv_window', param);
  }

  /** Adds the beat at sample rSampleIdx (strictly increasing); isNormal false = ectopic/artifact. */
  push(rSampleIdx: number, isNormal = true): void {
    if (typeof rSampleIdx !== 'number' || !Number.isSafeInteger(rSampleIdx)) {
      throw new TypeError(`HrvWindow.push: rSampleIdx must be an integer, not ${typeof rSampleIdx === 'number' ? rSampleIdx : describe(rSampleIdx)}`);
    }
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
