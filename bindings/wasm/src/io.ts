// io.ts — WFDB and CSV readers: the project's C I/O library (src/io, with libcsv) in a second
// WebAssembly module, vitalstream_io.wasm, loaded on the first read.
//
// The C readers open files by path. This file is their file system: a table of in-memory files
// (the bytes the caller passed, or under Node files read from disk when the C code opens them)
// served through the WASI calls Emscripten's libc reads with (fd_read, fd_seek, fd_close) and
// the open() hook of csrc/io_host.c. The C code, and so every check and message, is the CLI's.
import { importNode, isNodeLike, loadInstance, Status, VitalStreamError } from './core.js';
import type { WasmSource } from './core.js';
import { describe } from './args.js';

/** Bytes of a file: a Uint8Array (any view) or an ArrayBuffer. */
export type FileBytes = Uint8Array | ArrayBuffer;

/** One signal of a WFDB header (vs_wfdb_signal). */
export interface WfdbSignalInfo {
  fileName: string;
  /** 212, 16, ... (only 212 and 16 can be read) */
  format: number;
  samplesPerFrame: number;
  skew: number;
  byteOffset: number;
  /** ADC units per mV (200 when the header omits it). */
  gainAduPerMv: number;
  gainGiven: boolean;
  adcResolutionBits: number;
  adcZero: number;
  baselineAdu: number;
  initialValue: number;
  checksum: number;
  blockSize: number;
  units: string;
  description: string;
}

/** A parsed WFDB header (vs_wfdb_header). */
export interface WfdbHeader {
  recordName: string;
  /** 0 for a single-segment record (multi-segment records cannot be read). */
  nSegments: number;
  nSignals: number;
  fsHz: number;
  counterFreqHz: number;
  baseCounter: number;
  /** Samples per signal; 0 if the header does not say. */
  nSamples: number;
  baseTime: string;
  baseDate: string;
  /** The header's '#' comment lines, joined with '\n'. */
  comments: string;
  signals: WfdbSignalInfo[];
}

/** One signal read from a WFDB record. */
export interface WfdbRecord {
  /** Physical values in mV ((adu - baseline) / gain); NaN where the record marks a sample invalid. */
  samples: Float32Array;
  fsHz: number;
  channel: number;
  header: WfdbHeader;
}

/** A WFDB record given as bytes: the header and its signal file(s). */
export interface WfdbInput {
  /** The .hea file (bytes, or its text). */
  hea: FileBytes | string;
  /** The signal file, when all signals of the record are in one file (e.g. 100.dat). */
  dat?: FileBytes;
  /** Signal files by the name the header gives them (records with several signal files). */
  files?: Record<string, FileBytes>;
}

export interface WfdbReadOptions {
  /** Signal index (0-based), default 0. */
  channel?: number;
  /** Read a signal file that the header names by an absolute path or a path containing "..".
   *  Default false: such a header is refused (VitalStreamError UNSUPPORTED_FORMAT), so that a
   *  server reading an uploaded record never opens a file the header points at. */
  allowAnySignalPath?: boolean;
}

export interface CsvReadOptions {
  /** Column name (quotes and blanks around header names are ignored) or 0-based index.
   *  Default: the first signal column (a leading sample-number or time column is skipped; when
   *  in doubt, a VitalStreamError NOT_FOUND lists the columns) — as the CLI and Python. */
  column?: string | number;
  /** File name used in error messages (readCsv; default "input.csv"). */
  name?: string;
}

/** A column read from a CSV file. CSV carries no sampling rate: the caller supplies it. */
export interface CsvColumn {
  samples: Float32Array;
}

// ---- the module ---------------------------------------------------------------------------------
interface IoExports {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  [name: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

// Order of csrc/io_host.c's vsw_io_layout.
const LAYOUT_FIELDS = ['hdrSize', 'recordName', 'nSegments', 'nSignals', 'fsHz', 'counterFreqHz',
  'baseCounter', 'nSamples', 'baseTime', 'baseDate', 'signals', 'comments',
  'sigSize', 'fileName', 'format', 'samplesPerFrame', 'skew', 'byteOffset', 'gainAduPerMv',
  'gainGiven', 'adcResolutionBits', 'adcZero', 'baselineAdu', 'initialValue', 'checksum',
  'blockSize', 'units', 'description',
  'errSize', 'errStatus', 'errLine', 'errFile', 'errMessage',
  'recordNameCap', 'commentsCap', 'fileNameCap', 'unitsCap', 'descriptionCap', 'messageCap',
  'maxSignals'] as const;
type Layout = Record<(typeof LAYOUT_FIELDS)[number], number>;

// WASI errno values (wasi_snapshot_preview1) returned to the C library.
const ERRNO = { ACCES: 2, BADF: 8, INVAL: 28, IO: 29, ISDIR: 31, NOENT: 44 } as const;

type DiskReader = (path: string) => Uint8Array;

interface OpenFile { data: Uint8Array; pos: number }

/** The in-memory file system the C readers see during one call. */
class FileHost {
  files = new Map<string, Uint8Array>();
  disk: DiskReader | null = null;
  private fds = new Map<number, OpenFile>();
  private nextFd = 3;
  mem: () => WebAssembly.Memory = () => { throw new Error('vitalstream: I/O module not loaded'); };

  reset(): void {
    this.files.clear();
    this.fds.clear();
    this.disk = null;
    this.nextFd = 3;
  }

  private str(ptr: number): string {
    const u8 = new Uint8Array(this.mem().buffer);
    let end = ptr;
    while (u8[end] !== 0) end++;
    return new TextDecoder().decode(u8.subarray(ptr, end));
  }

  open(pathPtr: number, flags: number): number {
    if ((flags & 3) !== 0) return -ERRNO.ACCES; // read-only file system
    const path = this.str(pathPtr);
    let data = this.files.get(path);
    if (!data && this.disk) {
      try {
        data = this.disk(path);
      } catch (err) {
        const code = (err as { code?: string }).code;
        return -(code === 'ENOENT' || code === 'ENOTDIR' ? ERRNO.NOENT : code === 'EISDIR'
          ? ERRNO.ISDIR : code === 'EACCES' || code === 'EPERM' ? ERRNO.ACCES : ERRNO.IO);
      }
    }
    if (!data) return -ERRNO.NOENT;
    const fd = this.nextFd++;
    this.fds.set(fd, { data, pos: 0 });
    return fd;
  }

  read(fd: number, iovs: number, iovsLen: number, nreadPtr: number): number {
    const f = this.fds.get(fd);
    if (!f) return ERRNO.BADF;
    const buf = this.mem().buffer;
    const dv = new DataView(buf);
    const u8 = new Uint8Array(buf);
    let total = 0;
    for (let i = 0; i < iovsLen; i++) {
      const ptr = dv.getUint32(iovs + 8 * i, true);
      const len = dv.getUint32(iovs + 8 * i + 4, true);
      const n = Math.max(0, Math.min(len, f.data.length - f.pos));
      u8.set(f.data.subarray(f.pos, f.pos + n), ptr);
      f.pos += n;
      total += n;
      if (n < len) break;
    }
    dv.setUint32(nreadPtr, total, true);
    return 0;
  }

  seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
    const f = this.fds.get(fd);
    if (!f) return ERRNO.BADF;
    const base = whence === 0 ? 0 : whence === 1 ? f.pos : whence === 2 ? f.data.length : NaN;
    const pos = base + Number(offset);
    if (!Number.isSafeInteger(pos) || pos < 0) return ERRNO.INVAL;
    f.pos = pos;
    new DataView(this.mem().buffer).setBigUint64(newOffsetPtr, BigInt(pos), true);
    return 0;
  }

  close(fd: number): number {
    return this.fds.delete(fd) ? 0 : ERRNO.BADF;
  }

  /** Standard output and error of the C code (unused by the readers): counted, dropped. */
  write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
    if (fd !== 1 && fd !== 2) return ERRNO.BADF;
    const dv = new DataView(this.mem().buffer);
    let total = 0;
    for (let i = 0; i < iovsLen; i++) total += dv.getUint32(iovs + 8 * i + 4, true);
    dv.setUint32(nwrittenPtr, total, true);
    return 0;
  }
}

const host = new FileHost();
let io: { ex: IoExports; layout: Layout; defaultColumn: number } | null = null;
let loading: Promise<void> | null = null;

/** Loads vitalstream_io.wasm once (the readers call it themselves). Without a source it loads
 *  the file next to this script, like init() does for vitalstream.wasm. */
export function initIo(source?: WasmSource): Promise<void> {
  if (!loading) {
    loading = (async () => {
      const imports = {
        env: {
          emscripten_notify_memory_growth: (_index: number) => { /* views are never cached */ },
          vs_host_open: (path: number, flags: number) => host.open(path, flags),
        },
        wasi_snapshot_preview1: {
          fd_read: (fd: number, iovs: number, n: number, out: number) => host.read(fd, iovs, n, out),
          fd_seek: (fd: number, off: bigint, whence: number, out: number) => host.seek(fd, off, whence, out),
          fd_close: (fd: number) => host.close(fd),
          fd_write: (fd: number, iovs: number, n: number, out: number) => host.write(fd, iovs, n, out),
        },
      };
      const instance = await loadInstance(source, 'vitalstream_io.wasm', imports);
      const ex = instance.exports as unknown as IoExports;
      host.mem = () => ex.memory;
      const p = ex.malloc(4 * 64);
      try {
        const n = ex.vsw_io_layout(p, 64);
        if (n !== LAYOUT_FIELDS.length) {
          throw new Error(`vitalstream: vitalstream_io.wasm describes ${n} layout fields, the wrapper ${LAYOUT_FIELDS.length}`);
        }
        const v = new Int32Array(ex.memory.buffer, p, n);
        const layout = {} as Layout;
        LAYOUT_FIELDS.forEach((k, i) => { layout[k] = v[i]; });
        io = { ex, layout, defaultColumn: ex.vsw_csv_default_column() };
      } finally {
        ex.free(p);
      }
    })();
    loading.catch(() => { loading = null; }); // a failed load may be retried
  }
  return loading;
}

async function module(): Promise<NonNullable<typeof io>> {
  await initIo();
  if (!io) throw new Error('vitalstream: I/O module not loaded');
  return io;
}

// ---- argument checks ------------------------------------------------------------------------------
function toBytes(v: unknown, what: string, allowText: boolean): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (allowText && typeof v === 'string') return new TextEncoder().encode(v);
  throw new TypeError(`${what} must be a Uint8Array or an ArrayBuffer${allowText ? ' or a string' : ''}, not ${describe(v)}`);
}

function wfdbOptions(options: WfdbReadOptions | undefined, what: string): { channel: number; flags: number } {
  if (options === undefined) return { channel: 0, flags: 0 };
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${what}: options must be an object, not ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => k !== 'channel' && k !== 'allowAnySignalPath');
  if (unknown.length) throw new TypeError(`${what}: unknown option ${unknown.join(', ')} (known: channel, allowAnySignalPath)`);
  const ch = options.channel ?? 0;
  if (typeof ch !== 'number' || !Number.isInteger(ch) || ch < 0) {
    throw new TypeError(`${what}: channel must be a non-negative integer, not ${typeof ch === 'number' ? ch : describe(ch)}`);
  }
  const any = options.allowAnySignalPath ?? false;
  if (typeof any !== 'boolean') throw new TypeError(`${what}: allowAnySignalPath must be a boolean, not ${describe(any)}`);
  return { channel: ch, flags: any ? 1 : 0 }; // VS_WFDB_ALLOW_ANY_SIGNAL_PATH
}

function csvOptions(options: CsvReadOptions | undefined, what: string): { name: string | null; index: number; file: string | null } {
  if (options === undefined) return { name: null, index: -2, file: null };
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${what}: options must be an object, not ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((k) => k !== 'column' && k !== 'name');
  if (unknown.length) throw new TypeError(`${what}: unknown option ${unknown.join(', ')} (known: column, name)`);
  const c = options.column;
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new TypeError(`${what}: name must be a string, not ${describe(options.name)}`);
  }
  const file = options.name ?? null;
  if (c === undefined) return { name: null, index: -2, file };
  if (typeof c === 'string') return { name: c, index: 0, file };
  if (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 0x7fffffff) return { name: null, index: c, file };
  throw new TypeError(`${what}: column must be a column name or a non-negative integer index, not ${typeof c === 'number' ? c : describe(c)}`);
}

// ---- calls ------------------------------------------------------------------------------------------
/** Runs fn with a zeroed heap block of `bytes` and the in-memory files set up, cleaning both. */
function call<T>(m: NonNullable<typeof io>, bytes: number, files: Map<string, Uint8Array>,
  disk: DiskReader | null, fn: (block: number) => T): T {
  const block = m.ex.malloc(bytes);
  if (!block) throw new VitalStreamError(Status.NO_MEMORY, 'vitalstream: out of WebAssembly memory');
  new Uint8Array(m.ex.memory.buffer, block, bytes).fill(0);
  host.reset();
  host.files = files;
  host.disk = disk;
  try {
    return fn(block);
  } finally {
    host.reset();
    m.ex.free(block);
  }
}

function cstr(m: NonNullable<typeof io>, ptr: number, cap: number): string {
  const u8 = new Uint8Array(m.ex.memory.buffer, ptr, cap);
  const end = u8.indexOf(0);
  return new TextDecoder().decode(u8.subarray(0, end < 0 ? cap : end));
}

/** Writes a NUL-terminated UTF-8 string at p (at most cap bytes with the NUL); returns p. */
function putStr(m: NonNullable<typeof io>, p: number, s: string, cap: number): number {
  const enc = new TextEncoder().encode(s);
  if (enc.length >= cap) throw new RangeError(`vitalstream: '${s.slice(0, 40)}...' is too long`);
  const u8 = new Uint8Array(m.ex.memory.buffer);
  u8.set(enc, p);
  u8[p + enc.length] = 0;
  return p;
}

function throwIfFailed(m: NonNullable<typeof io>, status: number, errPtr: number): void {
  if (status === 0) return;
  const L = m.layout;
  const msg = cstr(m, errPtr + L.errMessage, L.messageCap);
  throw new VitalStreamError(status, msg || `vitalstream I/O error ${status}`);
}

function decodeHeader(m: NonNullable<typeof io>, p: number): WfdbHeader {
  const L = m.layout;
  const dv = new DataView(m.ex.memory.buffer);
  const i32 = (o: number) => dv.getInt32(p + o, true);
  const f64 = (o: number) => dv.getFloat64(p + o, true);
  const nSignals = i32(L.nSignals);
  const signals: WfdbSignalInfo[] = [];
  for (let k = 0; k < Math.min(nSignals, L.maxSignals); k++) {
    const s = p + L.signals + k * L.sigSize;
    signals.push({
      fileName: cstr(m, s + L.fileName, L.fileNameCap),
      format: dv.getInt32(s + L.format, true),
      samplesPerFrame: dv.getInt32(s + L.samplesPerFrame, true),
      skew: dv.getInt32(s + L.skew, true),
      byteOffset: Number(dv.getBigInt64(s + L.byteOffset, true)),
      gainAduPerMv: dv.getFloat64(s + L.gainAduPerMv, true),
      gainGiven: dv.getInt32(s + L.gainGiven, true) !== 0,
      adcResolutionBits: dv.getInt32(s + L.adcResolutionBits, true),
      adcZero: dv.getInt32(s + L.adcZero, true),
      baselineAdu: dv.getFloat64(s + L.baselineAdu, true),
      initialValue: dv.getInt32(s + L.initialValue, true),
      checksum: dv.getInt32(s + L.checksum, true),
      blockSize: dv.getInt32(s + L.blockSize, true),
      units: cstr(m, s + L.units, L.unitsCap),
      description: cstr(m, s + L.description, L.descriptionCap),
    });
  }
  return {
    recordName: cstr(m, p + L.recordName, L.recordNameCap),
    nSegments: i32(L.nSegments),
    nSignals,
    fsHz: f64(L.fsHz),
    counterFreqHz: f64(L.counterFreqHz),
    baseCounter: f64(L.baseCounter),
    nSamples: Number(dv.getBigInt64(p + L.nSamples, true)),
    baseTime: cstr(m, p + L.baseTime, 32),
    baseDate: cstr(m, p + L.baseDate, 32),
    comments: cstr(m, p + L.comments, L.commentsCap),
    signals,
  };
}

/** Reads *out (float*) and *n_out (int64) from the block, copies the samples, frees them. */
function takeSamples(m: NonNullable<typeof io>, outPtrAt: number, nAt: number): Float32Array {
  const dv = new DataView(m.ex.memory.buffer);
  const ptr = dv.getUint32(outPtrAt, true);
  const n = Number(dv.getBigInt64(nAt, true));
  try {
    return new Float32Array(m.ex.memory.buffer, ptr, n).slice();
  } finally {
    m.ex.vs_io_free(ptr);
  }
}

// Block layout for one read: [header][error][out ptr u32 + pad][n int64][fs double][strings]
function blockLayout(L: Layout) {
  const align = (x: number) => (x + 7) & ~7;
  const hdr = 0;
  const err = align(L.hdrSize);
  const out = align(err + L.errSize);
  const n = out + 8;
  const fs = n + 8;
  const str = fs + 8;
  return { hdr, err, out, n, fs, str, size: str + 2 * 4096 };
}

/** A file name to use for the record: the header's record name when it is a plain name. */
function recordNameOf(text: Uint8Array): string {
  const head = new TextDecoder().decode(text.subarray(0, 4096));
  for (const line of head.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const name = t.split(/\s+/)[0].split('/')[0];
    return /^[A-Za-z0-9_.-]{1,100}$/.test(name) && !/^\.+$/.test(name) ? name : 'record';
  }
  return 'record';
}

/** Reads one signal of a WFDB record given as bytes (browser, worker or Node). */
export async function readWfdb(input: WfdbInput, options?: WfdbReadOptions): Promise<WfdbRecord> {
  if (input === null || typeof input !== 'object' || ArrayBuffer.isView(input) || input instanceof ArrayBuffer) {
    throw new TypeError(`readWfdb: input must be { hea, dat } or { hea, files }, not ${describe(input)}`);
  }
  const unknown = Object.keys(input).filter((k) => k !== 'hea' && k !== 'dat' && k !== 'files');
  if (unknown.length) throw new TypeError(`readWfdb: unknown input field ${unknown.join(', ')} (known: hea, dat, files)`);
  const hea = toBytes(input.hea, 'readWfdb: hea', true);
  const dat = input.dat === undefined ? null : toBytes(input.dat, 'readWfdb: dat', false);
  const given = new Map<string, Uint8Array>();
  if (input.files !== undefined) {
    if (input.files === null || typeof input.files !== 'object') {
      throw new TypeError(`readWfdb: files must be an object of name -> bytes, not ${describe(input.files)}`);
    }
    for (const [k, v] of Object.entries(input.files)) given.set(k, toBytes(v, `readWfdb: files['${k}']`, false));
  }
  const { channel, flags } = wfdbOptions(options, 'readWfdb');
  const m = await module();
  const B = blockLayout(m.layout);
  const name = recordNameOf(hea);
  const heaName = `${name}.hea`;
  return call(m, B.size, new Map([[heaName, hea]]), null, (b) => {
    // The header first (from memory), to learn the signal files it names.
    const text = m.ex.malloc(hea.length + 1);
    let header: WfdbHeader;
    try {
      new Uint8Array(m.ex.memory.buffer).set(hea, text);
      const st = m.ex.vs_wfdb_parse_header(text, hea.length, putStr(m, b + B.str, heaName, 4096),
        b + B.hdr, b + B.err);
      throwIfFailed(m, st, b + B.err);
      header = decodeHeader(m, b + B.hdr);
    } finally {
      m.ex.free(text);
    }
    const names = [...new Set(header.signals.map((s) => s.fileName))];
    for (const f of names) {
      const bytes = given.get(f) ?? (dat && names.length === 1 ? dat : undefined);
      if (bytes) host.files.set(f, bytes);
    }
    if (dat && names.length > 1) {
      throw new TypeError(`readWfdb: ${heaName} stores its signals in ${names.length} files (${names.join(', ')}): pass them as files`);
    }
    const needed = header.signals[channel]?.fileName;
    if (needed !== undefined && !host.files.has(needed)) {
      throw new VitalStreamError(Status.NOT_FOUND, `${needed}: not given (readWfdb needs it as ${names.length === 1 ? 'dat or ' : ''}files['${needed}'])`);
    }
    const st = m.ex.vs_wfdb_read_signal_ex(putStr(m, b + B.str, name, 4096), channel, flags, b + B.out,
      b + B.n, b + B.fs, b + B.err);
    throwIfFailed(m, st, b + B.err);
    const samples = takeSamples(m, b + B.out, b + B.n);
    return { samples, fsHz: new DataView(m.ex.memory.buffer).getFloat64(b + B.fs, true), channel, header };
  });
}

async function diskReader(what: string): Promise<DiskReader> {
  if (!isNodeLike()) throw new TypeError(`${what} reads from the file system (Node); in a browser use the bytes readers`);
  const fs = await importNode('fs');
  return (path: string) => fs.readFileSync(path) as Uint8Array;
}

/** Reads one signal of a WFDB record from disk (Node): `record` is the path without extension
 *  (a trailing ".hea" is accepted), e.g. "data/mitdb/100". */
export async function readWfdbFile(record: string, options?: WfdbReadOptions): Promise<WfdbRecord> {
  if (typeof record !== 'string' || record === '') {
    throw new TypeError(`readWfdbFile: record must be a non-empty path string, not ${describe(record)}`);
  }
  const { channel, flags } = wfdbOptions(options, 'readWfdbFile');
  const disk = await diskReader('readWfdbFile');
  const m = await module();
  const B = blockLayout(m.layout);
  const rec = record.endsWith('.hea') ? record.slice(0, -4) : record;
  return call(m, B.size, new Map(), disk, (b) => {
    const recPtr = putStr(m, b + B.str, rec, 4096);
    const heaPtr = putStr(m, b + B.str + 4096, `${rec}.hea`, 4096);
    throwIfFailed(m, m.ex.vs_wfdb_read_header(heaPtr, b + B.hdr, b + B.err), b + B.err);
    const header = decodeHeader(m, b + B.hdr);
    const st = m.ex.vs_wfdb_read_signal_ex(recPtr, channel, flags, b + B.out, b + B.n, b + B.fs, b + B.err);
    throwIfFailed(m, st, b + B.err);
    const samples = takeSamples(m, b + B.out, b + B.n);
    return { samples, fsHz: new DataView(m.ex.memory.buffer).getFloat64(b + B.fs, true), channel, header };
  });
}

function columnArgs(m: NonNullable<typeof io>, b: number, B: ReturnType<typeof blockLayout>,
  c: { name: string | null; index: number }): [number, number] {
  const index = c.index === -2 ? m.defaultColumn : c.index;
  return [c.name === null ? 0 : putStr(m, b + B.str + 4096, c.name, 4096), index];
}

/** Reads one numeric column of a CSV file given as bytes or text (browser, worker or Node). */
export async function readCsv(input: FileBytes | string, options?: CsvReadOptions): Promise<CsvColumn> {
  const bytes = toBytes(input, 'readCsv: input', true);
  const c = csvOptions(options, 'readCsv');
  const m = await module();
  const B = blockLayout(m.layout);
  return call(m, B.size, new Map(), null, (b) => {
    const text = m.ex.malloc(bytes.length + 1);
    try {
      new Uint8Array(m.ex.memory.buffer).set(bytes, text);
      const [col, idx] = columnArgs(m, b, B, c);
      const st = m.ex.vs_csv_parse_column(text, bytes.length, putStr(m, b + B.str, c.file ?? 'input.csv', 4096),
        col, idx, b + B.out, b + B.n, b + B.err);
      throwIfFailed(m, st, b + B.err);
      return { samples: takeSamples(m, b + B.out, b + B.n) };
    } finally {
      m.ex.free(text);
    }
  });
}

/** Reads one numeric column of a CSV file from disk (Node). */
export async function readCsvFile(path: string, options?: CsvReadOptions): Promise<CsvColumn> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`readCsvFile: path must be a non-empty string, not ${describe(path)}`);
  }
  const c = csvOptions(options, 'readCsvFile');
  const disk = await diskReader('readCsvFile');
  const m = await module();
  const B = blockLayout(m.layout);
  return call(m, B.size, new Map(), disk, (b) => {
    const [col, idx] = columnArgs(m, b, B, c);
    const st = m.ex.vs_csv_read_column(putStr(m, b + B.str, path, 4096), col, idx, b + B.out, b + B.n, b + B.err);
    throwIfFailed(m, st, b + B.err);
    return { samples: takeSamples(m, b + B.out, b + B.n) };
  });
}
