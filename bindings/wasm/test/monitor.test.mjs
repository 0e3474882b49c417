// monitor.test.mjs — Monitor (the whole pipeline) and HRV in Node: results on a synthetic ECG
// whose truth is known, chunk/state invariance, errors, parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vs from '../dist/index.js';
import { eventsToBytes } from './golden_core.mjs';

await vs.ready;

const rec = vs.synthEcg({ durationS: 600, seed: 11n, pvcPerMin: 3, afStartS: 240, afDurationS: 150 });

function monitorAll(signal, chunk, roundtrip = false) {
  let m = new vs.Monitor(360);
  try {
    const events = [];
    for (let p = 0; p < signal.length; p += chunk) {
      events.push(...m.process(signal.subarray(p, p + chunk)));
      if (roundtrip) {
        const blob = m.saveState();
        m.dispose();
        m = vs.Monitor.fromState(blob);
      }
    }
    events.push(...m.finish());
    return events;
  } finally {
    m.dispose();
  }
}

const whole = monitorAll(rec.signal, rec.signal.length);

test('monitor: beats classified, PVCs found as V, the AF segment found as AF', () => {
  const beats = whole.filter((e) => e.type === vs.EventType.BEAT);
  const tol = 54;
  const truthV = rec.beats.filter((b) => b.label === 5);
  assert.ok(truthV.length >= 10);
  const foundV = truthV.filter((t) => beats.some((b) => Math.abs(b.sampleIdx - t.sampleIdx) <= tol &&
    b.code === vs.AamiClass.V)).length;
  assert.ok(foundV / truthV.length >= 0.8, `PVCs labelled V: ${foundV}/${truthV.length}`);
  assert.ok(Math.abs(beats.length - rec.beats.length) <= rec.beats.length * 0.02, `${beats.length} beats vs ${rec.beats.length}`);
  for (const b of beats) {
    assert.equal(b.endIdx, b.sampleIdx);
    assert.ok(['N', 'S', 'V', 'F', 'Q'].includes(b.label), b.label);
  }
  const af = whole.filter((e) => e.type === vs.EventType.RHYTHM && e.code === vs.RhythmType.AFIB && e.endIdx >= 0);
  assert.ok(af.length >= 1, 'an AF episode');
  const afStart = 240 * 360;
  const afEnd = (240 + 150) * 360;
  const overlap = af.reduce((s, e) => s + Math.max(0, Math.min(e.endIdx, afEnd) - Math.max(e.sampleIdx, afStart)), 0);
  assert.ok(overlap >= 0.5 * (afEnd - afStart), `AF episodes cover ${overlap} of ${afEnd - afStart} samples`);
  // events come out in the order they became final
  for (let i = 1; i < whole.length; i++) assert.ok(whole[i].decidedIdx >= whole[i - 1].decidedIdx);
});

test('monitor: same events whatever the chunking, also with save -> dispose -> fromState between chunks', () => {
  const ref = eventsToBytes(whole);
  for (const [chunk, rt] of [[1000, false], [3600, true], [12345, true]]) {
    assert.deepEqual(eventsToBytes(monitorAll(rec.signal, chunk, rt)), ref, `chunk ${chunk} roundtrip ${rt}`);
  }
});

test('monitor: unreadable signal is reported as a quality event', () => {
  const x = rec.signal.slice(0, 360 * 120);
  x.fill(NaN, 360 * 40, 360 * 70);
  const ev = monitorAll(x, 5000);
  const q = ev.filter((e) => e.type === vs.EventType.QUALITY);
  assert.ok(q.some((e) => e.code === vs.QualityLevel.UNREADABLE && e.sampleIdx >= 360 * 35 && e.sampleIdx <= 360 * 50),
    JSON.stringify(q));
  assert.ok(!ev.some((e) => e.type === vs.EventType.BEAT && e.sampleIdx > 360 * 42 && e.sampleIdx < 360 * 68));
});

test('monitor: HRV of the rolling window, state, parameters, errors', () => {
  const m = new vs.Monitor(360);
  try {
    assert.equal(m.fsHz, 360);
    m.process(rec.signal.subarray(0, 360 * 200)); // sinus part
    const h = m.hrv();
    assert.ok(h.nNn > 150 && h.meanNnMs > 700 && h.meanNnMs < 1000, JSON.stringify(h));
    assert.ok(h.sdnnMs > 5 && h.sdnnMs < 150);
    const h2 = vs.Monitor.fromState(m.saveState());
    try {
      assert.deepEqual(h2.hrv(), h);
      assert.equal(h2.samplesSeen, 360 * 200);
    } finally {
      h2.dispose();
    }
    const b = vs.Monitor.paramBounds('rhythm', 1); // VS_RHYTHM_BRADY_BPM
    assert.equal(m.getParam('rhythm', 1), b.default);
    m.setParam('rhythm', 1, 45);
    assert.equal(m.getParam('rhythm', 1), 45);
    m.setParam('qrs', vs.QrsParam.REFRACTORY_MS, 220);
    assert.equal(m.getParam('qrs', vs.QrsParam.REFRACTORY_MS), 220);
    assert.throws(() => m.setParam('rhythm', 1, 1e6), (e) => e.code === vs.Status.PARAM_OUT_OF_RANGE);
    const q = new vs.QrsDetector(360);
    try {
      assert.throws(() => m.loadState(q.saveState()),
        (e) => e instanceof vs.VitalStreamError && e.code === vs.Status.STATE_WRONG_MODULE);
    } finally {
      q.dispose();
    }
    m.reset();
    assert.equal(m.samplesSeen, 0);
    assert.equal(m.getParam('rhythm', 1), 45, 'reset keeps parameters');
  } finally {
    m.dispose();
  }
  assert.throws(() => new vs.Monitor(20), (e) => e.code === vs.Status.FS_OUT_OF_RANGE);
});

test('hrv(): indices of a known series', () => {
  const n = 200;
  const rr = Array.from({ length: n }, (_, i) => (i % 2 ? 900 : 800));
  const r = vs.hrv(rr);
  const mean = 850;
  const sdnn = Math.sqrt(rr.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  assert.equal(r.nInput, n);
  assert.equal(r.nNn, n);
  assert.ok(Math.abs(r.meanNnMs - mean) < 1e-9);
  assert.ok(Math.abs(r.sdnnMs - sdnn) < 1e-9);
  assert.ok(Math.abs(r.rmssdMs - 100) < 1e-9);
  assert.equal(r.pnn50Pct, 100);
  assert.ok(Math.abs(r.hrMeanBpm - 60000 / mean) < 1e-9);
  // excluding beat 10 drops the intervals it ends and starts
  const ex = new Uint8Array(n);
  ex[10] = 1;
  const r2 = vs.hrv(new Float64Array(rr), undefined, ex);
  assert.equal(r2.nExcluded, 2);
  assert.equal(r2.nNn, n - 2);
  // options reach C: with max_rr_ms below 900 every 900 ms interval is out of bounds
  const r3 = vs.hrv(rr, { maxRrMs: 850, maxRelChange: 0 });
  assert.equal(r3.nOutOfBounds, n / 2);
  assert.equal(vs.hrvDefaultOptions().maxRrMs, 2000);
  assert.throws(() => vs.hrv(rr, { minRrMs: 1 }), (e) => e.code === vs.Status.INVALID_ARG);
  assert.throws(() => vs.hrv([800, NaN, 800]), (e) => e.code === vs.Status.INVALID_ARG);
  // no NN interval left: an error, as in Python (docs/CONTRACT.md)
  assert.throws(() => vs.hrv([]), (e) => e instanceof vs.VitalStreamError && e.code === vs.Status.INSUFFICIENT_DATA);
});

test('HrvWindow: rolling window over beats, state round trip', () => {
  const w = new vs.HrvWindow(360);
  try {
    for (let i = 0; i < 100; i++) w.push(1000 + i * 288 + (i % 2) * 18, i !== 50);
    assert.equal(w.count, 99);
    const r = w.compute();
    assert.ok(Math.abs(r.meanNnMs - 800) < 60);
    assert.equal(r.nExcluded, 2);
    assert.throws(() => w.push(10), (e) => e.code === vs.Status.INVALID_ARG);
    const w2 = vs.HrvWindow.fromState(w.saveState());
    try {
      assert.deepEqual(w2.compute(), r);
    } finally {
      w2.dispose();
    }
    w.setParam(vs.HrvWindowParam.LENGTH_S, 30);
    assert.ok(w.count < 99);
    assert.equal(w.getParam(vs.HrvWindowParam.LENGTH_S), 30);
  } finally {
    w.dispose();
  }
});
