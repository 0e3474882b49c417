// args.ts — the argument checks of the binding contract (docs/CONTRACT.md), shared by every
// class: wrong types are TypeError before anything reaches C, values C would reject are
// VitalStreamError with the C status, and a rejected call changes nothing.
import { Status, VitalStreamError } from './core.js';

/** ECG samples in mV: a Float32Array (used as it is), another real-valued typed array, or an
 *  array of numbers. NaN and ±Infinity mean "no signal" (missing samples). */
export type Samples = Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray |
  Int16Array | Uint16Array | Int32Array | Uint32Array | readonly number[];

/** Bytes of a state blob: a Uint8Array, an ArrayBuffer, or any other view (its bytes). */
export type StateBytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/** @internal How a value is named in a TypeError ("a string", "an object (DataView)", ...). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const name = (v as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof v === 'string') return `a string ('${v.length > 20 ? `${v.slice(0, 20)}...` : v}')`;
  return `a ${typeof v}`;
}

const REAL_ARRAYS = [Float64Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array,
  Uint16Array, Int32Array, Uint32Array];

/** @internal Samples as a Float32Array (no copy for a Float32Array). Finite values beyond the
 *  float32 range cannot be represented: VitalStreamError INVALID_ARG naming the first. */
export function toSamples(x: unknown, what: string): Float32Array {
  if (x instanceof Float32Array) return x;
  let out: Float32Array;
  if (REAL_ARRAYS.some((T) => x instanceof T)) {
    out = Float32Array.from(x as ArrayLike<number>);
  } else if (Array.isArray(x)) {
    out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v !== 'number') {
        throw new TypeError(`${what}: samples[${i}] is ${describe(v)}, not a number`);
      }
      out[i] = v;
    }
  } else {
    throw new TypeError(`${what}: samples must be a Float32Array, another real typed array or an array of numbers, not ${describe(x)}`);
  }
  for (let i = 0; i < out.length; i++) {
    const f = out[i];
    if (f === Infinity || f === -Infinity) {
      const v = (x as ArrayLike<number>)[i];
      if (Number.isFinite(v)) {
        throw new VitalStreamError(Status.INVALID_ARG,
          `${what}: samples[${i}] = ${v} is outside the float32 range (|x| <= 3.4e38); use NaN for a missing sample`);
      }
    }
  }
  return out;
}

/** @internal A sampling rate: any number (range checked by C: FS_OUT_OF_RANGE). */
export function checkFs(fs: unknown, what: string): number {
  if (typeof fs !== 'number') throw new TypeError(`${what}: fsHz must be a number, not ${describe(fs)}`);
  return fs;
}

/** @internal The bytes of a state blob. */
export function toStateBytes(b: unknown, what: string): Uint8Array {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw new TypeError(`${what}: a state blob must be a Uint8Array, an ArrayBuffer or another ArrayBufferView, not ${describe(b)}`);
}

/** @internal A parameter id (an integer; unknown ids are UNKNOWN_PARAM from C) and value. */
export function checkParam(id: unknown, value: unknown, what: string): void {
  if (typeof id !== 'number' || !Number.isInteger(id)) {
    throw new TypeError(`${what}: the parameter id must be an integer, not ${describe(id)}`);
  }
  if (value !== undefined && typeof value !== 'number') {
    throw new TypeError(`${what}: the value must be a number, not ${describe(value)}`);
  }
}
