// qrs.test.mjs — the QrsDetector API in Node: results, state, errors, memory handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vs from '../dist/index.js';
import { beatsToBytes } from './golden_core.mjs';

await vs.ready;

const rec = vs.synthEcg({ durationS: 120, seed: 3n, pvcPerMin: 3, noiseMv: 0.02 });

function detectAll(signal, chunk, fsHz = 360) {
  const d = new vs.QrsDetector(fsHz);
  try {
    const beats = [];
    for (let p = 0; p < signal.length; p += chunk) beats.push(...d.process(signal.subarray(p, p + chunk)));
    return beats;
  } finally {
    d.dispose();
  }
}

test('version and ready', () => {
  assert.match(vs.version(), /^\d+\.\d+\.\d+/);
});

test('detects the synthetic beats (sensitivity and positive predictivity >= 99 %)', () => {
  const beats = detectAll(rec.signal, rec.signal.length);
  const tol = Math.round(0.15 * rec.fsHz);
  let tp = 0;
  let j = 0;
  for (const t of rec.beats) {
    while (j < beats.length && beats[j].sampleIdx < t.sampleIdx - tol) j++;
    if (j < beats.length && Math.abs(beats[j].sampleIdx - t.sampleIdx) <= tol) { tp++; j++; }
  }
  assert.ok(rec.beats.length > 100);
  assert.ok(tp / rec.beats.length >= 0.99, `Se ${tp}/${rec.beats.length}`);
  assert.ok(tp / beats.length >= 0.99, `+P ${tp}/${beats.length}`);
  for (const b of beats) {
    assert.ok(Number.isInteger(b.sampleIdx) && b.decidedIdx >= b.sampleIdx);
    assert.ok(Number.isFinite(b.amplitudeMv) && b.rrMs >= 0);
  }
});

test('beats do not depend on the chunking', () => {
  const whole = beatsToBytes(detectAll(rec.signal, rec.signal.length));
  for (const chunk of [1, 17, 360, 100000]) {
    assert.deepEqual(beatsToBytes(detectAll(rec.signal, chunk)), whole, `chunk ${chunk}`);
  }
});

test('finish() reports the beat still waiting at the end of the stream, then nothing', () => {
  // cut 250 ms after an R: the beat waits for its refractory period, which never ends
  const r = rec.beats[rec.beats.length - 4].sampleIdx;
  const end = r + Math.round(0.25 * rec.fsHz);
  const d = new vs.QrsDetector(360);
  try {
    const beats = d.process(rec.signal.subarray(0, end));
    assert.ok(Math.abs(beats[beats.length - 1].sampleIdx - r) > 0.15 * rec.fsHz);
    const tail = d.finish();
    assert.equal(tail.length, 1);
    assert.ok(Math.abs(tail[0].sampleIdx - r) <= 0.15 * rec.fsHz);
    assert.equal(tail[0].decidedIdx, end - 1);
    assert.deepEqual(d.finish(), []);
  } finally {
    d.dispose();
  }
});

test('plain arrays are accepted like Float32Array', () => {
  const part = rec.signal.subarray(0, 5000);
  const d = new vs.QrsDetector(360);
  try {
    assert.deepEqual(d.process(Array.from(part)), detectAll(part, 5000));
  } finally {
    d.dispose();
  }
});

test('saveState -> dispose -> fromState continues exactly', () => {
  const whole = beatsToBytes(detectAll(rec.signal, 1000));
  let d = new vs.QrsDetector(360);
  const beats = [];
  for (let p = 0; p < rec.signal.length; p += 1000) {
    beats.push(...d.process(rec.signal.subarray(p, p + 1000)));
    const blob = d.saveState();
    d.dispose();
    d = vs.QrsDetector.fromState(blob);
  }
  assert.equal(d.samplesSeen, rec.signal.length);
  d.dispose();
  assert.deepEqual(beatsToBytes(beats), whole);
});

test('state blob header', () => {
  const d = new vs.QrsDetector(250);
  try {
    d.process(rec.signal.subarray(0, 1000));
    const blob = d.saveState();
    const info = vs.inspectState(blob);
    assert.equal(info.fsHz, 250);
    assert.equal(info.moduleId, 2); // VS_MODULE_QRS
    const stateH = readFileSync(new URL('../../../include/vitalstream/state.h', import.meta.url), 'utf8');
    assert.equal(info.formatVersion, Number(/#define VS_STATE_FORMAT_VERSION (\d+)/.exec(stateH)[1]));
    assert.equal(info.payloadSize + 24, blob.length);
    assert.equal(String.fromCharCode(...blob.subarray(0, 4)), 'VSST');
  } finally {
    d.dispose();
  }
});

test('bad state blobs throw VitalStreamError and leave the detector unchanged', () => {
  const d = new vs.QrsDetector(360);
  try {
    d.process(rec.signal.subarray(0, 20000));
    const good = d.saveState();
    const corrupt = good.slice();
    corrupt[40] ^= 0xff;
    const cases = [
      [corrupt, vs.Status.STATE_BAD_CHECKSUM],
      [good.subarray(0, 10), vs.Status.STATE_TRUNCATED],
      [new Uint8Array(good.length), vs.Status.STATE_BAD_MAGIC],
    ];
    for (const [blob, code] of cases) {
      assert.throws(() => d.loadState(blob), (e) => e instanceof vs.VitalStreamError && e.code === code &&
        e.message.length > 0);
      assert.throws(() => vs.QrsDetector.fromState(blob), vs.VitalStreamError);
    }
    const other = new vs.QrsDetector(250);
    try {
      assert.throws(() => other.loadState(good), (e) => e.code === vs.Status.STATE_MISMATCH);
    } finally {
      other.dispose();
    }
    assert.deepEqual(d.saveState(), good);
  } finally {
    d.dispose();
  }
});

test('errors carry the vs_status code and vs_strerror text', () => {
  assert.throws(() => new vs.QrsDetector(50), (e) => e instanceof vs.VitalStreamError &&
    e.code === vs.Status.FS_OUT_OF_RANGE && /sampling rate/.test(e.message) && e instanceof Error);
  assert.throws(() => new vs.QrsDetector(NaN), vs.VitalStreamError);
  const d = new vs.QrsDetector(360);
  try {
    assert.throws(() => d.setParam(99, 1), (e) => e.code === vs.Status.UNKNOWN_PARAM);
    assert.throws(() => d.setParam(vs.QrsParam.REFRACTORY_MS, 1e9), (e) => e.code === vs.Status.PARAM_OUT_OF_RANGE);
  } finally {
    d.dispose();
  }
});

test('parameters', () => {
  const b = vs.QrsDetector.paramBounds(vs.QrsParam.REFRACTORY_MS);
  assert.ok(b.min <= b.default && b.default <= b.max);
  const d = new vs.QrsDetector(360);
  try {
    assert.equal(d.getParam(vs.QrsParam.REFRACTORY_MS), b.default);
    d.setParam(vs.QrsParam.REFRACTORY_MS, 250);
    assert.equal(d.getParam(vs.QrsParam.REFRACTORY_MS), 250);
    d.reset(); // keeps parameters
    assert.equal(d.getParam(vs.QrsParam.REFRACTORY_MS), 250);
    assert.equal(d.samplesSeen, 0);
  } finally {
    d.dispose();
  }
});

test('reset restarts the stream', () => {
  const d = new vs.QrsDetector(360);
  try {
    const first = beatsToBytes(d.process(rec.signal));
    d.reset();
    assert.deepEqual(beatsToBytes(d.process(rec.signal)), first);
  } finally {
    d.dispose();
  }
});

test('dispose is idempotent; use after dispose throws', () => {
  const d = new vs.QrsDetector(360);
  assert.equal(d.alive, true);
  d.dispose();
  d.dispose();
  assert.equal(d.alive, false);
  assert.throws(() => d.process(rec.signal), vs.VitalStreamError);
  assert.throws(() => d.saveState(), vs.VitalStreamError);
});

test('NaN input is tolerated (missing samples)', () => {
  const x = rec.signal.slice(0, 36000);
  x.fill(NaN, 10000, 12000);
  const beats = detectAll(x, 4096);
  assert.ok(beats.length > 20);
  assert.ok(!beats.some((b) => b.sampleIdx >= 10000 && b.sampleIdx < 12000), 'no beat inside the gap');
  assert.ok(beats.some((b) => b.sampleIdx > 12720), 'detection resumes after the gap');
});

test('memory growth between calls does not break the views', () => {
  const d = new vs.QrsDetector(360);
  try {
    const a = d.process(rec.signal.subarray(0, 36000));
    // A long synthetic record forces the wasm memory to grow (tens of MB).
    const big = vs.synthEcg({ durationS: 3 * 3600, seed: 9n });
    assert.equal(big.signal.length, 3 * 3600 * 360);
    const b = d.process(rec.signal.subarray(36000));
    const ref = detectAll(rec.signal, rec.signal.length);
    assert.deepEqual(beatsToBytes([...a, ...b]), beatsToBytes(ref));
    // and a single call with more samples than one internal chunk
    const all = detectAll(big.signal, big.signal.length);
    assert.ok(Math.abs(all.length - big.beats.length) <= big.beats.length * 0.01);
  } finally {
    d.dispose();
  }
});

test('many objects created and disposed do not exhaust the heap', () => {
  for (let i = 0; i < 2000; i++) {
    const d = new vs.QrsDetector(360);
    try {
      d.process(rec.signal.subarray(0, 500));
      vs.QrsDetector.fromState(d.saveState()).dispose();
      if (i % 2) assert.throws(() => d.loadState(new Uint8Array(5)));
    } finally {
      d.dispose();
    }
  }
});

test('synthEcg is deterministic', () => {
  const a = vs.synthEcg({ durationS: 10, seed: 5n });
  const b = vs.synthEcg({ durationS: 10, seed: 5n });
  const c = vs.synthEcg({ durationS: 10, seed: 6n });
  assert.deepEqual(a.signal, b.signal);
  assert.notDeepEqual(a.signal, c.signal);
  assert.equal(a.signal.length, 3600);
  assert.throws(() => vs.synthEcg({ fsHz: 20 }), (e) => e.code === vs.Status.FS_OUT_OF_RANGE);
});
