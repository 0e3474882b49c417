// pack_install.mjs TARBALL [VITALSTREAM_CLI] — installs the packed package into a fresh project
// and uses it from there the way a user would (bare import 'vitalstream', types via tsc):
//   * a TypeScript consumer type-checks against the shipped .d.ts;
//   * record 100 of the MIT-BIH database (when present), read with the package's own readers
//     (readWfdbFile from the path, readWfdb from the bytes: the same samples) and fed as one
//     Float32Array, gives exactly the beats `vitalstream detect` writes (read back from its
//     annotation file); otherwise a synthetic record is checked against its known beats.
// Exit 0 on success, 1 with a message otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mitdbDir, readMitAnnotations } from './wfdb.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [tarball, cli] = process.argv.slice(2).map((p) => p && resolve(p));
if (!tarball) { console.error('usage: pack_install.mjs TARBALL [VITALSTREAM_CLI]'); process.exit(2); }
const proj = mkdtempSync(join(tmpdir(), 'vs-pack-'));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: proj, stdio: ['ignore', 'pipe', 'inherit'], ...opts }).toString();

let ok = false;
try {
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'vs-consumer', version: '1.0.0', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball]);
  const pkg = JSON.parse(readFileSync(join(proj, 'node_modules', 'vitalstream', 'package.json'), 'utf8'));
  console.log(`installed ${pkg.name}@${pkg.version} into ${proj}`);

  // 1. types: a consumer written in TypeScript compiles against the installed .d.ts
  writeFileSync(join(proj, 'consumer.ts'), `
import { ready, QrsDetector, Monitor, hrv, VitalStreamError, readWfdb, readCsv, type Beat, type MonitorEvent, type HrvResult, type WfdbRecord } from 'vitalstream';
export async function load(hea: Uint8Array | string, dat: Uint8Array): Promise<[WfdbRecord, Float32Array]> {
  const rec: WfdbRecord = await readWfdb({ hea, dat }, { channel: 0 });
  const csv: Float32Array = (await readCsv('t,MLII\\n0,1.5\\n', { column: 'MLII' })).samples;
  return [rec, csv];
}
export function monitor(x: Float32Array): [MonitorEvent[], HrvResult, number] {
  const m = new Monitor(360);
  try {
    const events = [...m.process(x), ...m.finish()];
    return [events, m.hrv({ psdMethod: 1 }), hrv([800, 810, 790]).meanNnMs];
  } finally {
    m.dispose();
  }
}
export async function detect(x: Float32Array, fsHz: number): Promise<number[]> {
  await ready;
  const d = new QrsDetector(fsHz);
  try {
    const beats: Beat[] = [...d.process(x), ...d.finish()];
    const blob: Uint8Array = d.saveState();
    QrsDetector.fromState(blob).dispose();
    return beats.map((b) => b.sampleIdx);
  } catch (e) {
    if (e instanceof VitalStreamError) throw new Error(String(e.code) + e.message);
    throw e;
  } finally {
    d.dispose();
  }
}
`);
  writeFileSync(join(proj, 'tsconfig.json'), JSON.stringify({ compilerOptions: {
    // no DOM library and no @types/node: the shipped .d.ts must stand on their own
    strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'ES2021', lib: ['ES2021'], types: [] },
  files: ['consumer.ts'] }));
  run(process.execPath, [join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  console.log('consumer.ts type-checks against the installed .d.ts (without DOM or Node typings)');

  // 2. behaviour, from a script in the fresh project importing the bare package name
  writeFileSync(join(proj, 'detect.mjs'), `
import { ready, QrsDetector, synthEcg, readWfdb, readWfdbFile } from 'vitalstream';
import { readFileSync } from 'node:fs';
await ready;
const [record] = process.argv.slice(2);
let fsHz, signal, truth = null;
if (record) {
  ({ fsHz, samples: signal } = await readWfdbFile(record));
  const fromBytes = await readWfdb({ hea: readFileSync(record + '.hea'), dat: readFileSync(record + '.dat') });
  if (fromBytes.fsHz !== fsHz || Buffer.compare(Buffer.from(fromBytes.samples.buffer), Buffer.from(signal.buffer)) !== 0) {
    throw new Error('readWfdb (bytes) and readWfdbFile (path) differ');
  }
} else {
  ({ fsHz, signal } = synthEcg({ durationS: 120 }));
  truth = synthEcg({ durationS: 120 }).beats.map((b) => b.sampleIdx);
}
const d = new QrsDetector(fsHz);
try {
  const beats = [...d.process(signal), ...d.finish()]; // as vitalstream detect does
  console.log(JSON.stringify({ n: signal.length, beats: beats.map((b) => b.sampleIdx), truth }));
} finally {
  d.dispose();
}
`);
  const db = mitdbDir();
  if (db && cli) {
    const got = JSON.parse(run(process.execPath, ['detect.mjs', `${db}/100`]));
    const annFile = join(proj, '100.qrs');
    execFileSync(cli, ['detect', `${db}/100`, '-o', annFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    const want = readMitAnnotations(annFile).map((a) => a.sampleIdx);
    if (want.length < 2000) throw new Error(`vitalstream detect wrote only ${want.length} beats`);
    const firstDiff = want.findIndex((s, i) => got.beats[i] !== s);
    if (got.beats.length !== want.length || firstDiff !== -1) {
      throw new Error(`record 100: package found ${got.beats.length} beats, vitalstream detect ${want.length}; ` +
        `first difference at beat ${firstDiff}: ${got.beats[firstDiff]} vs ${want[firstDiff]}`);
    }
    console.log(`record 100 read by the installed package's readWfdbFile/readWfdb: ${got.beats.length} beats == vitalstream detect (${got.n} samples)`);
  } else {
    console.log(`record 100 comparison skipped: ${db ? 'no vitalstream CLI given' : 'MIT-BIH database not found (VITALSTREAM_MITDB)'}`);
    const got = JSON.parse(run(process.execPath, ['detect.mjs']));
    const tol = 54;
    const hits = got.truth.filter((t) => got.beats.some((b) => Math.abs(b - t) <= tol)).length;
    if (hits < got.truth.length * 0.99 || got.beats.length > got.truth.length * 1.01) {
      throw new Error(`synthetic record: ${hits}/${got.truth.length} true beats found, ${got.beats.length} reported`);
    }
    console.log(`synthetic record: ${hits}/${got.truth.length} true beats found by the installed package`);
  }
  ok = true;
} catch (e) {
  console.error(`FAIL: ${e.message}`);
} finally {
  if (ok) rmSync(proj, { recursive: true, force: true });
  else console.error(`(project left in ${proj})`);
}
console.log(ok ? 'pack-install: 1 passed, 0 failed' : 'pack-install: 0 passed, 1 failed');
process.exit(ok ? 0 : 1);
