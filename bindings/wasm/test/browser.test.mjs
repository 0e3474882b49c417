// browser.test.mjs — the built package in headless Chromium: served from a local static server,
// loaded in a module Web Worker, run on the golden cases with a QrsDetector and a Monitor.
// Events and state blobs must equal native C's and WASM-in-Node's; Chromium's blob must load
// natively and in Node, and the native blob in Chromium. Fails if the browser cannot start,
// load or run the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as vs from '../dist/index.js';
import { eventsDecidedFrom, firstDifference, KINDS, resumeGolden, runGolden, SYNTH_CASES, synthOptions } from './golden_core.mjs';
import { bytesOf, goldenCases, goldenSkipReason, jsSignal, nativeResume, nativeRun } from './native.mjs';
import { startServer } from './server.mjs';
import { mitdbDir } from './wfdb.mjs';
import { readFileSync } from 'node:fs';
import { openPage } from './chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
await vs.ready;

const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));

test('Chromium: package loads in a Web Worker and matches native and Node byte for byte', { timeout: 300000 }, async (t) => {
  const withNative = !goldenSkipReason();
  const cases = withNative ? goldenCases() : SYNTH_CASES.map((c) => ({ ...c }));
  const files = new Map();
  const jobs = [];
  const expected = {};
  for (const c of cases) {
    const signal = jsSignal(vs, c, synthOptions);
    const fsHz = c.record ? 360 : (synthOptions(c.spec).fsHz ?? 360);
    let signalUrl;
    if (c.record) {
      signalUrl = `/data/${c.name}/signal.f32`;
      files.set(signalUrl, bytesOf(signal));
    }
    for (const kind of KINDS) {
      const key = `${kind} ${c.name}`;
      const node = runGolden(vs, kind, signal, fsHz, c.chunk, c.mid);
      const job = { key, kind, spec: c.spec, chunk: c.chunk, mid: c.mid, fsHz, signalUrl };
      const exp = { c, kind, signal, node };
      if (withNative) {
        const nat = nativeRun(kind, c);
        assert.ok(same(nat.events, node.events) && same(nat.final, node.final), `${key}: native == Node`);
        assert.equal(vs.inspectState(nat.final).fsHz, fsHz);
        exp.native = nat;
        job.nativeMidUrl = `/data/${kind}/${c.name}/mid.state`;
        files.set(job.nativeMidUrl, nat.mid);
      }
      expected[key] = exp;
      jobs.push(job);
    }
  }

  const server = await startServer({ '/pkg/': join(here, '..', 'dist'), '/test/': here }, files);
  let browser;
  try {
    browser = await openPage();
    const resp = await browser.page.goto(`${server.url}/test/browser/index.html`);
    assert.equal(resp.status(), 200);
    await browser.page.waitForFunction(() => typeof window.runInWorker === 'function', null, { timeout: 30000 });
    const reply = await browser.page.evaluate((job) => window.runInWorker(job), { cases: jobs });
    assert.equal(reply.version, vs.version());
    assert.equal(reply.results.length, jobs.length);
    for (const r of reply.results) {
      const { c, kind, signal, node, native } = expected[r.key];
      t.diagnostic(`${r.key}: ${r.nEvents} events in Chromium (${r.ms.toFixed(0)} ms)`);
      assert.ok(r.nEvents > 50, `${r.key}: events produced in Chromium`);
      assert.ok(same(fromB64(r.signal), bytesOf(signal)), `${r.key}: input identical in Chromium`);
      const events = fromB64(r.events);
      const mid = fromB64(r.mid);
      assert.ok(same(events, node.events), `${r.key}: events Chromium == Node`);
      assert.ok(same(mid, node.mid), `${r.key}: mid state Chromium == Node`);
      assert.ok(same(fromB64(r.final), node.final), `${r.key}: final state Chromium == Node`);
      if (kind === 'monitor') {
        assert.equal(firstDifference(r.hrv, node.hrv), -1, `${r.key}: HRV Chromium == Node`);
        if (native) assert.equal(firstDifference(r.hrv, native.hrv), -1, `${r.key}: HRV Chromium == native`);
      }
      const tail = eventsDecidedFrom(kind, events, c.mid);
      // Chromium's blob continues in Node ...
      assert.ok(same(resumeGolden(vs, kind, signal, mid, c.mid, c.chunk), tail),
        `${r.key}: Node resumes from Chromium's blob`);
      if (native) {
        assert.ok(same(events, native.events), `${r.key}: events Chromium == native`);
        assert.ok(same(fromB64(r.final), native.final), `${r.key}: final state Chromium == native`);
        // ... natively, and the native blob continues in Chromium.
        assert.ok(same(nativeResume(kind, c, mid, c.mid), tail), `${r.key}: native resumes from Chromium's blob`);
        assert.ok(same(fromB64(r.tail), tail), `${r.key}: Chromium resumes from the native blob`);
      }
    }
    assert.deepEqual(browser.errors, []);
  } finally {
    if (browser) await browser.close();
    await server.close();
  }
  if (!withNative) t.diagnostic(`native comparison skipped: ${goldenSkipReason()}`);
});

test('Chromium: readWfdb and readCsv from fetched bytes in a Web Worker equal Node', { timeout: 120000 }, async (t) => {
  // MIT-BIH record 100 when present, else a synthetic record written in format 16.
  const db = mitdbDir();
  let hea;
  let dat;
  if (db) {
    hea = readFileSync(`${db}/100.hea`);
    dat = readFileSync(`${db}/100.dat`);
  } else {
    const { signal } = vs.synthEcg({ durationS: 60 });
    const adc = Int16Array.from(signal, (v) => Math.round(v * 200));
    hea = Buffer.from(`syn 1 360 ${adc.length}\nsyn.dat 16 200 16 0 ${adc[0]} 0 0 ECG\n`);
    dat = new Uint8Array(adc.buffer);
  }
  const csv = Buffer.from("'sample #','MLII','V5'\n'samples','mV','mV'\n0,-0.145,-0.065\n1,-0.15,-0.07\n2,1e-3,0\n");
  const want = await vs.readWfdb({ hea, dat });
  const det = new vs.QrsDetector(want.fsHz);
  const wantBeats = det.process(want.samples).map((b) => b.sampleIdx);
  det.dispose();
  const files = new Map([['/data/r.hea', hea], ['/data/r.dat', dat], ['/data/r.csv', csv]]);
  const server = await startServer({ '/pkg/': join(here, '..', 'dist'), '/test/': here }, files);
  let browser;
  try {
    browser = await openPage();
    await browser.page.goto(`${server.url}/test/browser/index.html`);
    await browser.page.waitForFunction(() => typeof window.runInWorker === 'function', null, { timeout: 30000 });
    const r = await browser.page.evaluate((job) => window.runInWorker(job),
      { worker: './reader_worker.mjs', hea: '/data/r.hea', dat: '/data/r.dat', csv: '/data/r.csv' });
    assert.equal(r.fsHz, want.fsHz);
    assert.ok(same(fromB64(r.samples), bytesOf(want.samples)), 'samples read in Chromium == Node');
    assert.ok(same(fromB64(r.csv), bytesOf(Float32Array.of(-0.145, -0.15, 1e-3))), 'CSV first signal column');
    assert.ok(wantBeats.length > 50);
    assert.deepEqual(r.beats, wantBeats);
    t.diagnostic(`${db ? 'record 100' : 'synthetic record'}: ${want.samples.length} samples, ${r.beats.length} beats in Chromium == Node`);
    assert.deepEqual(browser.errors, []);
  } finally {
    if (browser) await browser.close();
    await server.close();
  }
});

test('Chromium: a page that cannot load the module fails loudly', { timeout: 120000 }, async () => {
  // Guards the test above against passing vacuously: a broken package must surface as an error.
  const server = await startServer({ '/pkg/': join(here, 'browser', 'no-such-dir'), '/test/': here });
  const browser = await openPage();
  try {
    await browser.page.goto(`${server.url}/test/browser/index.html`);
    await browser.page.waitForFunction(() => typeof window.runInWorker === 'function');
    await assert.rejects(browser.page.evaluate((job) => window.runInWorker(job), { cases: [] }));
  } finally {
    await browser.close();
    await server.close();
  }
});
