// native.mjs — runs the native golden program (test/native/golden.c, built by
// scripts/test_wasm.sh; path in VS_WASM_GOLDEN_BIN) for the cross-runtime golden tests.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrvValuesFromBytes, SYNTH_CASES, synthSignal } from './golden_core.mjs';
import { mitdbDir, readRecord212 } from './wfdb.mjs';

export const goldenBin = process.env.VS_WASM_GOLDEN_BIN || '';
/** Why the golden tests cannot run here, or '' (scripts/test_wasm.sh sets VS_WASM_REQUIRE_GOLDEN
 *  so that a missing native program fails instead of skipping). */
export function goldenSkipReason() {
  if (goldenBin) return '';
  const why = 'VS_WASM_GOLDEN_BIN is not set (scripts/test_wasm.sh builds the native program)';
  if (process.env.VS_WASM_REQUIRE_GOLDEN === '1') throw new Error(why);
  return why;
}

/** Every golden case: the synthetic ones, plus MIT-BIH record 100 when the database is here. */
export function goldenCases() {
  const cases = SYNTH_CASES.map((c) => ({ ...c, input: `synth:${c.spec}` }));
  const db = mitdbDir();
  if (db) cases.push({ name: 'mitdb-100', input: `wfdb:${db}/100`, record: `${db}/100`, chunk: 4096, mid: 325013 });
  return cases;
}

/** Native run of `kind` ('qrs' | 'monitor'): { signal (bytes), events, mid, final } as Uint8Arrays. */
export function nativeRun(kind, c) {
  const dir = mkdtempSync(join(tmpdir(), `vs-golden-${kind}-${c.name}-`));
  try {
    execFileSync(goldenBin, ['run', kind, c.input, dir, String(c.chunk), String(c.mid)], { stdio: 'inherit' });
    const rd = (f) => new Uint8Array(readFileSync(join(dir, f)));
    return { signal: rd('signal.f32'), events: rd('events.bin'), mid: rd('mid.state'), final: rd('final.state'),
      hrv: kind === 'monitor' ? hrvValuesFromBytes(rd('hrv.bin')) : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Native resume from a state blob written by another runtime: the events as bytes. */
export function nativeResume(kind, c, state, start) {
  const dir = mkdtempSync(join(tmpdir(), `vs-resume-${kind}-${c.name}-`));
  try {
    writeFileSync(join(dir, 'in.state'), state);
    execFileSync(goldenBin, ['resume', kind, c.input, join(dir, 'in.state'), String(start), String(c.chunk),
      join(dir, 'events.bin')], { stdio: 'inherit' });
    return new Uint8Array(readFileSync(join(dir, 'events.bin')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The input signal of a case as the JS side builds it (wasm synth or JS WFDB reader). */
export function jsSignal(vs, c, synthOptions) {
  if (c.record) return readRecord212(c.record).signal;
  return synthSignal(vs, c.spec);
}

export function bytesOf(f32) {
  return new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
}
