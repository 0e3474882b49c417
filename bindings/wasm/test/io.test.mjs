// io.test.mjs — the package's WFDB and CSV readers (src/io.ts over vitalstream_io.wasm): the
// same samples as an independent reading of the record, invalid samples as NaN, records given
// as bytes (the browser path) and as paths (Node), and clear errors for bad files and arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vs from '../dist/index.js';
import { mitdbDir, readRecord212 } from './wfdb.mjs';

const { readWfdb, readWfdbFile, readCsv, readCsvFile, VitalStreamError, Status } = vs;

/** Format-16 bytes of interleaved ADC frames. */
function pack16(frames) {
  const flat = frames.flat();
  const b = new Uint8Array(flat.length * 2);
  new DataView(b.buffer).setInt16(0, 0);
  flat.forEach((v, i) => new DataView(b.buffer).setInt16(2 * i, v, true));
  return b;
}

/** Format-212 bytes of one signal: two 12-bit values in three bytes. */
function pack212(values) {
  const v = values.length % 2 ? [...values, 0] : values;
  const b = new Uint8Array((v.length / 2) * 3);
  for (let i = 0; i < v.length; i += 2) {
    const a = v[i] & 0xfff;
    const c = v[i + 1] & 0xfff;
    b.set([a & 0xff, ((a >> 8) & 0x0f) | ((c >> 4) & 0xf0), c & 0xff], (i / 2) * 3);
  }
  return b;
}

async function rejectsWith(promise, Cls, code, re) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Cls, `${e?.name}: ${e?.message}`);
    if (code !== undefined) assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('record 100 from its path and from its bytes: the samples of an independent reading', { skip: !mitdbDir() && 'MIT-BIH database not found (VITALSTREAM_MITDB)' }, async () => {
  const base = `${mitdbDir()}/100`;
  for (const channel of [0, 1]) {
    const want = readRecord212(base, channel);
    const fromPath = await readWfdbFile(base, { channel });
    const fromBytes = await readWfdb({ hea: readFileSync(`${base}.hea`), dat: readFileSync(`${base}.dat`).buffer.slice(0) }, { channel });
    for (const got of [fromPath, fromBytes]) {
      assert.equal(got.fsHz, 360);
      assert.equal(got.channel, channel);
      assert.equal(got.samples.length, 650000);
      assert.deepEqual(Buffer.from(got.samples.buffer), Buffer.from(want.signal.buffer));
    }
    assert.equal(fromPath.header.signals[channel].description, channel === 0 ? 'MLII' : 'V5');
    assert.equal(fromPath.header.nSamples, 650000);
    assert.match(fromPath.header.comments, /^69 M/);
  }
  assert.deepEqual((await readWfdbFile(`${base}.hea`)).samples.length, 650000);
});

test('WFDB invalid samples (-32768 in format 16, -2048 in format 212) read as NaN', async () => {
  const adc16 = [5, -32768, 32767, -32767, -32768];
  const r16 = await readWfdb({
    hea: `r16 1 250 ${adc16.length}\nr16.dat 16 200(1024)/mV 16 0 5 0 0 ecg\n`,
    dat: pack16(adc16.map((v) => [v])),
  });
  assert.deepEqual([...r16.samples].map(Number.isNaN), [false, true, false, false, true]);
  assert.equal(r16.samples[2], Math.fround((32767 - 1024) / 200));
  const adc212 = [1024, -2048, 2047, -2047, -2048, 0, 1500];
  const r212 = await readWfdb({
    hea: `r212 1 360 ${adc212.length}\nr212.dat 212 200(1024)/mV 12 0 1024 0 0 ecg\n`,
    dat: pack212(adc212),
  });
  assert.deepEqual([...r212.samples].map(Number.isNaN), adc212.map((v) => v === -2048));
  adc212.forEach((v, i) => { if (v !== -2048) assert.equal(r212.samples[i], Math.fround((v - 1024) / 200)); });
});

test('a record whose signals are in two files: files by name, any channel', async () => {
  const hea = 'two 2 500 3\na.dat 16 100 16 0 1 0 0 I\nb.dat 16 50 16 0 -4 0 0 II\n';
  const files = { 'a.dat': pack16([[1], [2], [3]]), 'b.dat': pack16([[-4], [8], [12]]) };
  const r1 = await readWfdb({ hea, files }, { channel: 1 });
  assert.deepEqual([...r1.samples], [-0.08, 0.16, 0.24].map(Math.fround));
  assert.equal(r1.fsHz, 500);
  assert.deepEqual(r1.header.signals.map((s) => s.fileName), ['a.dat', 'b.dat']);
  await rejectsWith(readWfdb({ hea, dat: files['a.dat'] }), TypeError, undefined, /2 files \(a\.dat, b\.dat\)/);
  await rejectsWith(readWfdb({ hea, files: { 'a.dat': files['a.dat'] } }, { channel: 1 }), VitalStreamError, Status.NOT_FOUND, /b\.dat: not given/);
  await rejectsWith(readWfdb({ hea, files }, { channel: 2 }), VitalStreamError, Status.NOT_FOUND, /no signal 2/);
});

test('bad WFDB files give the C reader\'s message and code', async () => {
  await rejectsWith(readWfdb({ hea: 'x 1 360 10\nx.dat 212 abc 12 0 0 0 0 s\n', dat: new Uint8Array(15) }),
    VitalStreamError, Status.PARSE, /^x\.hea:2: /);
  await rejectsWith(readWfdb({ hea: 'x 1 360 1000\nx.dat 212 200 12 0 0 0 0 s\n', dat: new Uint8Array(30) }),
    VitalStreamError, Status.TRUNCATED_FILE, /x\.dat: file is truncated/);
  await rejectsWith(readWfdb({ hea: 'x 1 360 2\nx.dat 310 200 12 0 0 0 0 s\n', dat: new Uint8Array(30) }),
    VitalStreamError, Status.UNSUPPORTED_FORMAT, /format 310/);
  await rejectsWith(readWfdbFile(join(tmpdir(), 'vs-no-such-record')), VitalStreamError, Status.IO, /cannot open: No such file/);
});

test('bytes mode never reads the disk: a header naming ../ paths finds nothing', async () => {
  const hea = 'evil 1 360 10\n../../../etc/passwd 16 200 16 0 0 0 0 s\n';
  await rejectsWith(readWfdb({ hea, files: {} }), VitalStreamError, Status.NOT_FOUND);
  // With the bytes given as dat, only those bytes can be read (all zero here), or the C reader
  // refuses the name outright.
  try {
    const r = await readWfdb({ hea, dat: new Uint8Array(20) });
    assert.deepEqual([...r.samples], new Array(10).fill(0));
  } catch (e) {
    assert.ok(e instanceof VitalStreamError, String(e));
    assert.match(e.message, /\.\./);
  }
});

test('a header naming its signal file with .. is refused unless allowAnySignalPath', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-io-'));
  try {
    mkdirSync(join(dir, 'rec'));
    writeFileSync(join(dir, 'outside.dat'), pack16([[7], [8]]));
    writeFileSync(join(dir, 'rec', 'r.hea'), 'r 1 360 2\n../outside.dat 16 100 16 0 7 0 0 s\n');
    await rejectsWith(readWfdbFile(join(dir, 'rec', 'r')), VitalStreamError, Status.UNSUPPORTED_FORMAT, /\.\./);
    const r = await readWfdbFile(join(dir, 'rec', 'r'), { allowAnySignalPath: true });
    assert.deepEqual([...r.samples], [0.07, 0.08].map(Math.fround));
    await rejectsWith(readWfdbFile(join(dir, 'rec', 'r'), { allowAnySignalPath: 1 }), TypeError, undefined, /allowAnySignalPath/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSV without a column: the first signal column (a MIT-BIH export skips the sample number)', async () => {
  const text = "'sample #','MLII','V5'\n'samples','mV','mV'\n0,-0.145,-0.065\n1,-0.15,-0.07\n";
  assert.deepEqual([...(await readCsv(text)).samples], [-0.145, -0.15].map(Math.fround));
});

test('readWfdb / readWfdbFile argument types', async () => {
  for (const bad of [null, 'x', 5, new Uint8Array(3), [], new ArrayBuffer(2)]) {
    await rejectsWith(readWfdb(bad), TypeError);
  }
  await rejectsWith(readWfdb({ hea: 5, dat: new Uint8Array(2) }), TypeError, undefined, /hea must be/);
  await rejectsWith(readWfdb({ hea: 'x 1', dat: [1, 2] }), TypeError, undefined, /dat must be/);
  await rejectsWith(readWfdb({ hea: 'x 1', heaa: 1 }), TypeError, undefined, /unknown input field heaa/);
  await rejectsWith(readWfdb({ hea: 'x 1 360\nx.dat 16\n', dat: new Uint8Array(2) }, { channel: -1 }), TypeError, undefined, /channel/);
  await rejectsWith(readWfdb({ hea: 'x 1 360\nx.dat 16\n', dat: new Uint8Array(2) }, { channel: '0' }), TypeError, undefined, /channel/);
  await rejectsWith(readWfdb({ hea: 'x 1 360\nx.dat 16\n', dat: new Uint8Array(2) }, { chanel: 0 }), TypeError, undefined, /unknown option chanel/);
  await rejectsWith(readWfdbFile(42), TypeError);
  await rejectsWith(readWfdbFile(''), TypeError);
});

test('CSV: by name (quoted header names), by index, from text, bytes and a file', async () => {
  const text = "'sample #','MLII','V5'\n'samples','mV','mV'\n0,-0.145,-0.065\n1,-0.15,-0.07\n";
  const byName = await readCsv(text, { column: 'MLII' });
  assert.deepEqual([...byName.samples], [-0.145, -0.15].map(Math.fround));
  const byIndex = await readCsv(new TextEncoder().encode(text), { column: 2 });
  assert.deepEqual([...byIndex.samples], [-0.065, -0.07].map(Math.fround));
  const dir = mkdtempSync(join(tmpdir(), 'vs-io-'));
  try {
    const p = join(dir, 'r.csv');
    writeFileSync(p, text);
    assert.deepEqual([...(await readCsvFile(p, { column: 'V5' })).samples], [...byIndex.samples]);
    await rejectsWith(readCsvFile(join(dir, 'none.csv')), VitalStreamError, Status.IO, /none\.csv: cannot open/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSV errors name the file, the line and the column', async () => {
  await rejectsWith(readCsv('a,b\n1,2\n3,x\n', { column: 1, name: 'up.csv' }), VitalStreamError, Status.PARSE, /^up\.csv:3:/);
  await rejectsWith(readCsv('a,b\n1,2\n', { column: 'c' }), VitalStreamError, Status.NOT_FOUND, /'c'|c/);
  await rejectsWith(readCsv(''), VitalStreamError, Status.PARSE);
  for (const bad of [5, null, [1, 2], { length: 1 }]) await rejectsWith(readCsv(bad), TypeError);
  await rejectsWith(readCsv('a\n1\n', { column: -1 }), TypeError, undefined, /column/);
  await rejectsWith(readCsv('a\n1\n', { column: 1.5 }), TypeError, undefined, /column/);
  await rejectsWith(readCsv('a\n1\n', { colum: 0 }), TypeError, undefined, /unknown option colum/);
});
