// lifetime.ts — ownership of C objects: dispose() frees at once; a FinalizationRegistry frees
// objects that were dropped without dispose() (a backstop only: collection time is unspecified).
import { check, exportsOrThrow, isLoaded, readF64, readU32, scratch, Status, VitalStreamError, withBytes } from './core.js';

type Held = { destroy: string; ptr: number };

const registry: FinalizationRegistry<Held> | null =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Held>((held) => {
      if (isLoaded() && held.ptr) exportsOrThrow()[held.destroy](held.ptr);
    })
    : null;

/** Base class of every wrapper that owns a C object. */
export class Disposable {
  private ptr = 0;
  private held: Held | null = null;
  constructor(private readonly kind: string, private readonly destroyFn: string) {}

  /** Takes ownership of a created C object. */
  protected adopt(ptr: number): void {
    this.ptr = ptr;
    this.held = { destroy: this.destroyFn, ptr };
    registry?.register(this, this.held, this);
  }

  /** The C pointer; throws once disposed. */
  protected handle(): number {
    if (!this.ptr) {
      throw new VitalStreamError(Status.NULL_ARG, `${this.kind}: used after dispose()`);
    }
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
    exportsOrThrow()[this.destroyFn](p);
  }
}

/** Sampling rate recorded in a state blob's header (vs_state_inspect; checks the CRC too). */
export function stateFs(bytes: Uint8Array): number {
  return inspectState(bytes).fsHz;
}

/** Header of a portable state blob (vs_state_info). */
export interface StateInfo {
  formatVersion: number;
  moduleId: number;
  payloadSize: number;
  fsHz: number;
}

/** Validates a blob's header, length and checksum and describes it, without any object. */
export function inspectState(bytes: Uint8Array): StateInfo {
  const e = exportsOrThrow();
  const info = scratch(); // vs_state_info: u16 version, u16 module, u32 payload, f64 fs (16 B)
  return withBytes(bytes, 'inspectState', (p, len) => {
    check(e.vs_state_inspect(p, len, info), 'inspectState');
    const w = readU32(info);
    return { formatVersion: w & 0xffff, moduleId: w >>> 16, payloadSize: readU32(info + 4), fsHz: readF64(info + 8) };
  });
}
