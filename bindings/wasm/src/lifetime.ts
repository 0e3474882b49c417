// lifetime.ts — ownership of C objects and what every stateful wrapper shares: dispose() frees
// at once, a FinalizationRegistry frees objects dropped without dispose() (a backstop only:
// collection time is unspecified), and the vs_<prefix>_{reset,state_size,state_save,state_load,
// process} calls that all modules spell the same way.
import {
  check, exportsOrThrow, heapF32, inputBuffer, isLoaded, outputBuffer, readF64, readOut, readU32,
  scratch, Status, VitalStreamError, withBytes,
} from './core.js';
import { checkFs, checkParam, Samples, StateBytes, toSamples, toStateBytes } from './args.js';

type Held = { destroy: string; ptr: number };

const registry: FinalizationRegistry<Held> | null =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Held>((held) => {
      if (isLoaded() && held.ptr) exportsOrThrow()[held.destroy](held.ptr);
    })
    : null;

/** Largest number of samples handed to C in one call: bounds the shared heap buffers. Results
 *  never depend on the chunking (every module guarantees it). */
/** @internal */
export const MAX_CHUNK_SAMPLES = 1 << 16;

/** Base class of every wrapper that owns a C object `vs_<prefix>`. */
export class NativeObject {
  private ptr = 0;
  private held: Held | null = null;
  constructor(private readonly kind: string, protected readonly prefix: string) {}

  /** Creates the C object with vs_<prefix>_create(&out, fsHz) and takes ownership. */
  protected create(fsHz: number): void {
    checkFs(fsHz, this.kind);
    const out = scratch();
    check(exportsOrThrow()[`${this.prefix}_create`](out, fsHz), `${this.kind}(${fsHz})`);
    this.ptr = readU32(out);
    this.held = { destroy: `${this.prefix}_destroy`, ptr: this.ptr };
    registry?.register(this, this.held, this);
  }

  /** The C pointer; throws once disposed. */
  protected handle(): number {
    if (!this.ptr) throw new VitalStreamError(Status.NULL_ARG, `${this.kind}: used after dispose()`);
    return this.ptr;
  }

  /** True until dispose(). */
  get alive(): boolean { return this.ptr !== 0; }

  /** Frees the C object now. Safe to call twice. */
  dispose(): void {
    if (!this.ptr) return;
    registry?.unregister(this);
    const p = this.ptr;
    this.ptr = 0;
    if (this.held) this.held.ptr = 0;
    exportsOrThrow()[`${this.prefix}_destroy`](p);
  }

  /** Forgets the signal (sample indices restart at 0), keeps the parameters. */
  reset(): void { exportsOrThrow()[`${this.prefix}_reset`](this.handle()); }

  /** Portable state blob (state.h): load it here or in any other runtime (C, Python, WASM) to
   *  continue exactly where this object is. */
  saveState(): Uint8Array {
    const e = exportsOrThrow();
    const h = this.handle();
    const what = `${this.kind}.saveState`;
    return readOut(e[`${this.prefix}_state_size`](h) >>> 0, what, (p, cap) => {
      const written = scratch();
      check(e[`${this.prefix}_state_save`](h, p, cap, written), what);
      return readU32(written);
    });
  }

  /** Replaces this object's state with a saved one; on error the object is unchanged. */
  loadState(bytes: StateBytes): void {
    const e = exportsOrThrow();
    const h = this.handle();
    const what = `${this.kind}.loadState`;
    withBytes(toStateBytes(bytes, what), what, (p, len) => check(e[`${this.prefix}_state_load`](h, p, len), what));
  }

  /** Feeds samples through vs_<prefix>_process in chunks, decoding `eventBytes`-sized events. */
  protected feed<T>(input: Samples, eventBytes: number,
    decode: (ptr: number, count: number, out: T[]) => void): T[] {
    const e = exportsOrThrow();
    const h = this.handle();
    // The whole input is checked before any of it is fed: a rejected call changes nothing.
    const samples = toSamples(input, `${this.kind}.process`);
    const maxEvents = e[`${this.prefix}_max_events`];
    const process = e[`${this.prefix}_process`];
    const out: T[] = [];
    const total = samples.length;
    for (let pos = 0; pos < total; pos += MAX_CHUNK_SAMPLES) {
      const n = Math.min(MAX_CHUNK_SAMPLES, total - pos);
      const cap = maxEvents(h, n) >>> 0;
      // reserve() may grow the memory: take views only after both reservations.
      const outPtr = outputBuffer.reserve(cap * eventBytes);
      const inPtr = inputBuffer.reserve(n * 4);
      heapF32().set(samples.subarray(pos, pos + n), inPtr >>> 2);
      const nOut = scratch();
      check(process(h, inPtr, n, outPtr, cap, nOut), `${this.kind}.process`);
      decode(outPtr, readU32(nOut), out);
    }
    return out;
  }

  /** vs_<prefix>_finish: what the object still holds at the end of the stream, in a buffer of
   *  vs_<prefix>_max_events(h, 0), the bound the C headers give for finish. */
  protected drain<T>(eventBytes: number,
    decode: (ptr: number, count: number, out: T[]) => void): T[] {
    const e = exportsOrThrow();
    const h = this.handle();
    const cap = e[`${this.prefix}_max_events`](h, 0) >>> 0;
    const outPtr = outputBuffer.reserve(cap * eventBytes);
    const nOut = scratch();
    check(e[`${this.prefix}_finish`](h, outPtr, cap, nOut), `${this.kind}.finish`);
    const out: T[] = [];
    decode(outPtr, readU32(nOut), out);
    return out;
  }

  /** vs_<fnPrefix>_set_param / get_param on `target` (this object or a child of it). */
  protected setParamOf(fnPrefix: string, target: number, param: number, value: number): void {
    const what = `${this.kind}.setParam(${fnPrefix}, ${param})`;
    checkParam(param, value, what);
    if (Number.isNaN(value)) throw new VitalStreamError(Status.PARAM_OUT_OF_RANGE, `${what}: the value is NaN`);
    check(exportsOrThrow()[`${fnPrefix}_set_param`](target, param, value), `${this.kind}.setParam(${fnPrefix}, ${param})`);
  }

  protected getParamOf(fnPrefix: string, target: number, param: number): number {
    checkParam(param, undefined, `${this.kind}.getParam(${fnPrefix}, ${param})`);
    const out = scratch();
    check(exportsOrThrow()[`${fnPrefix}_get_param`](target, param, out), `${this.kind}.getParam(${fnPrefix}, ${param})`);
    return readF64(out);
  }
}

/** @internal Default, minimum and maximum of a parameter of module `fnPrefix` (vs_<x>_param_bounds). */
export function paramBoundsOf(fnPrefix: string, param: number): { min: number; max: number; default: number } {
  checkParam(param, undefined, `paramBounds(${fnPrefix})`);
  const s = scratch();
  check(exportsOrThrow()[`${fnPrefix}_param_bounds`](param, s, s + 8, s + 16), `paramBounds(${fnPrefix}, ${param})`);
  return { min: readF64(s), max: readF64(s + 8), default: readF64(s + 16) };
}

/** Header of a portable state blob (vs_state_info). */
export interface StateInfo {
  formatVersion: number;
  /** vs_module_id: 2 QRS, 3 monitor, 4 HRV window, ... */
  moduleId: number;
  payloadSize: number;
  fsHz: number;
}

/** Validates a blob's header, length and checksum and describes it, without any object. */
export function inspectState(bytes: StateBytes): StateInfo {
  const e = exportsOrThrow();
  const info = scratch(); // vs_state_info: u16 version, u16 module, u32 payload, f64 fs (16 B)
  return withBytes(toStateBytes(bytes, 'inspectState'), 'inspectState', (p, len) => {
    check(e.vs_state_inspect(p, len, info), 'inspectState');
    const w = readU32(info);
    return { formatVersion: w & 0xffff, moduleId: w >>> 16, payloadSize: readU32(info + 4), fsHz: readF64(info + 8) };
  });
}

/** Creates an object at the blob's sampling rate and loads the blob into it (disposing it if
 *  the load fails). */
/** @internal */
export function restore<T extends NativeObject>(make: (fsHz: number) => T, input: StateBytes, what: string): T {
  const bytes = toStateBytes(input, what);
  const obj = make(inspectState(bytes).fsHz);
  try {
    obj.loadState(bytes);
  } catch (err) {
    obj.dispose();
    throw err;
  }
  return obj;
}
