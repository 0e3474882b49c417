// core.ts — loading the WebAssembly module, the shared heap buffers and errors.
//
// The module is a standalone Emscripten build (build.sh): its only import is the memory-growth
// notification, so a dozen lines replace Emscripten's generated loader and the same code runs in
// browsers, workers and Node. Memory can grow during any call, which detaches every typed array
// over the old buffer: views are never cached, each access takes a fresh one (heapU8() ...).

import { Status } from './status.generated.js';

export { Status };

/** Raw exports of the module (C signatures in include/vitalstream/*.h; size_t and pointers are
 *  32-bit and may come back negative from wasm, so they go through `>>> 0`). */
/** @internal */
export interface Exports {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  _initialize?: () => void;
  [name: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let ex: Exports | null = null;
let scratchPtr = 0; // 64 bytes for out-parameters, reused by every call (JS is single-threaded)
const SCRATCH_BYTES = 64;

/** An error reported by the library: `code` is the vs_status number, `message` vs_strerror's
 *  text (with the operation that failed in front). */
export class VitalStreamError extends Error {
  readonly code: number;
  constructor(code: number, message?: string) {
    super(message ?? statusMessage(code));
    this.name = 'VitalStreamError';
    this.code = code;
  }
}

/** @internal vs_strerror(code), or a fixed text before the module is loaded. */
export function statusMessage(code: number): string {
  if (!ex) return `vitalstream status ${code}`;
  return cString(ex.vs_strerror(code) >>> 0);
}

/** @internal Throws VitalStreamError unless status is VS_OK. */
export function check(status: number, what: string): void {
  if (status !== 0) throw new VitalStreamError(status, `${what}: ${statusMessage(status)}`);
}

/** @internal */
export function exportsOrThrow(): Exports {
  if (!ex) {
    throw new VitalStreamError(Status.NULL_ARG,
      'vitalstream: the WebAssembly module is not loaded yet (await ready first)');
  }
  return ex;
}

/** @internal */
export function isLoaded(): boolean {
  return ex !== null;
}

// ---- heap access (fresh views every time: memory may have grown) ------------------------------
/** @internal */
export function heapU8(): Uint8Array { return new Uint8Array(exportsOrThrow().memory.buffer); }
/** @internal */
export function heapView(): DataView { return new DataView(exportsOrThrow().memory.buffer); }
/** @internal */
export function heapF32(): Float32Array { return new Float32Array(exportsOrThrow().memory.buffer); }

/** @internal */
export function cString(ptr: number): string {
  const u8 = new Uint8Array(exportsOrThrow().memory.buffer);
  let end = ptr;
  while (end < u8.length && u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.subarray(ptr, end));
}

/** @internal Address of the shared out-parameter area (SCRATCH_BYTES bytes, 8-aligned). */
export function scratch(): number { exportsOrThrow(); return scratchPtr; }
/** @internal */
export function readU32(ptr: number): number { return heapView().getUint32(ptr, true); }
/** @internal */
export function readF64(ptr: number): number { return heapView().getFloat64(ptr, true); }

/** @internal malloc that throws VitalStreamError(NO_MEMORY) instead of returning 0. */
export function mallocOrThrow(bytes: number, what: string): number {
  const p = exportsOrThrow().malloc(Math.max(bytes, 1)) >>> 0;
  if (p === 0) throw new VitalStreamError(Status.NO_MEMORY, `${what}: out of WebAssembly memory`);
  return p;
}

/** @internal A heap buffer reused across calls and grown (never shrunk) on demand. */
export class HeapBuffer {
  private ptr = 0;
  private cap = 0;
  constructor(private readonly what: string) {}
  /** Address of at least `bytes` bytes. The contents are not kept across a grow. */
  reserve(bytes: number): number {
    if (bytes > this.cap || this.ptr === 0) {
      const want = Math.max(bytes, 4096, this.cap * 2);
      const p = mallocOrThrow(want, this.what); // allocate first: on failure the old one stays
      if (this.ptr) exportsOrThrow().free(this.ptr);
      this.ptr = p;
      this.cap = want;
    }
    return this.ptr;
  }
}

// Input samples and output events of every object go through these two buffers: all calls are
// synchronous, so one of each per module instance suffices whatever the number of objects.
/** @internal */
export const inputBuffer = new HeapBuffer('input buffer');
/** @internal */
export const outputBuffer = new HeapBuffer('output buffer');

/** @internal Copies bytes into a fresh heap allocation, runs fn(ptr, len) and frees it on every path. */
export function withBytes<T>(bytes: Uint8Array, what: string, fn: (ptr: number, len: number) => T): T {
  const p = mallocOrThrow(bytes.length, what);
  try {
    heapU8().set(bytes, p);
    return fn(p, bytes.length);
  } finally {
    exportsOrThrow().free(p);
  }
}

/** @internal Allocates `size` bytes, runs fill(ptr, size) -> bytes written, returns a copy; frees always. */
export function readOut(size: number, what: string, fill: (ptr: number, cap: number) => number): Uint8Array {
  const p = mallocOrThrow(size, what);
  try {
    const written = fill(p, size);
    return heapU8().slice(p, p + written);
  } finally {
    exportsOrThrow().free(p);
  }
}

// ---- loading ----------------------------------------------------------------------------------
/** A URL object (anything with an href). */
export interface UrlLike { readonly href: string }
/** A fetch() Response. */
export interface ResponseLike { readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }
/** Where to get the module from: the bytes of vitalstream.wasm, a URL (string or object) or a
 *  fetch() Response to load them from, or a compiled WebAssembly.Module. Declared structurally so
 *  that the type declarations need neither the DOM library nor @types/node. */
export type WasmSource = ArrayBuffer | ArrayBufferView | string | UrlLike | ResponseLike | object;

/** @internal Node (or Deno/Bun with Node's modules): true when node:fs can be imported. */
export function isNodeLike(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** @internal Imports a Node built-in by name. The specifier is built at run time so browser
 *  bundlers do not try to resolve it. */
export async function importNode(name: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const spec = ['node', name].join(':');
  return import(/* @vite-ignore */ /* webpackIgnore: true */ spec);
}

async function defaultBytes(file: string): Promise<ArrayBuffer | Uint8Array | Response> {
  const url = new URL(`./${file}`, import.meta.url);
  if (url.protocol === 'file:') {
    // Node (or Deno/Bun) running the package from disk: fetch() does not read file: URLs there.
    const fs = await importNode('fs/promises');
    return fs.readFile(url) as Promise<Uint8Array>;
  }
  return fetch(url);
}

async function instantiate(source: WasmSource, imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  let src: unknown = source;
  if (src instanceof WebAssembly.Module) return WebAssembly.instantiate(src, imports);
  if (typeof src === 'string' || src instanceof URL) src = await fetch(src);
  if (typeof Response !== 'undefined' && src instanceof Response) {
    if (!src.ok) throw new Error(`vitalstream: cannot load the WebAssembly module: HTTP ${src.status} ${src.url}`);
    const ct = src.headers.get('content-type') || '';
    if (typeof WebAssembly.instantiateStreaming === 'function' && ct.startsWith('application/wasm')) {
      return (await WebAssembly.instantiateStreaming(src, imports)).instance;
    }
    src = await src.arrayBuffer();
  }
  return (await WebAssembly.instantiate(src as BufferSource, imports)).instance;
}

/** @internal Instantiates a module of the package from `source`, or from `file` next to this
 *  script, and runs its reactor initialiser. */
export async function loadInstance(source: WasmSource | undefined, file: string,
  imports: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  const instance = await instantiate(source ?? await defaultBytes(file), imports);
  const init = instance.exports._initialize;
  if (typeof init === 'function') (init as () => void)();
  return instance;
}

let loading: Promise<void> | null = null;

/** Loads the module once (later calls return the same promise). Without a source it loads
 *  vitalstream.wasm next to this file (fetch in browsers and workers, the file system in Node). */
export function init(source?: WasmSource): Promise<void> {
  if (!loading) {
    loading = (async () => {
      const imports = {
        env: { emscripten_notify_memory_growth: (_index: number) => { /* views are never cached */ } },
      };
      const instance = await loadInstance(source, 'vitalstream.wasm', imports);
      const e = instance.exports as unknown as Exports;
      ex = e;
      scratchPtr = mallocOrThrow(SCRATCH_BYTES, 'scratch');
      checkLayouts(e);
    })();
    loading.catch(() => { loading = null; }); // a failed load may be retried with init(source)
  }
  return loading;
}

/** Struct sizes the wrapper decodes by hand: a header change must not go unnoticed. */
function checkLayouts(e: Exports): void {
  const expect: Array<[string, number]> = [['vs_beat_struct_size', 32], ['vs_event_struct_size', 56],
    ['vs_hrv_options_struct_size', 64], ['vs_hrv_result_struct_size', 288]];
  for (const [fn, size] of expect) {
    if (typeof e[fn] !== 'function') continue; // module not in this build
    const got = e[fn]() >>> 0;
    if (got !== size) {
      ex = null;
      throw new Error(`vitalstream: ${fn}() is ${got}, the wrapper decodes ${size} bytes`);
    }
  }
}

/** The library's version string (vs_version_string). */
export function version(): string {
  return cString(exportsOrThrow().vs_version_string() >>> 0);
}
