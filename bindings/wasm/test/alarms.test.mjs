// alarms.test.mjs — time-driven alarms in the browser/Node build: the heart stops for 30 s in a
// synthetic ECG (a flat line with 0.02 mV noise and slight wander) -> "asystole" within
// ASYSTOLE_S + 2 s of the last beat, raised once; leads off (an exact constant) -> the technical
// alarm "signal lost / leads off" within SIGNAL_LOST_S + 2 s, flagged technical, and its end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vs from '../dist/index.js';

await vs.ready;

const FS = 360;
const rec = vs.synthEcg({ durationS: 90, seed: 5n });

// The last true beat before 40 s; the signal stops 0.45 s after it (after its T wave).
const last = rec.beats.filter((b) => b.sampleIdx < 40 * FS).at(-1).sampleIdx;
const from = last + Math.round(0.45 * FS);
const len = 30 * FS;

function stopped(kind) {
  const x = rec.signal.slice();
  const level = x[from];
  let s = 12345;
  for (let i = 0; i < len; i++) {
    let u = 0; // sum of four uniforms: about Gaussian, deterministic
    for (let k = 0; k < 4; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      u += (s >>> 8) / 16777216 - 0.5;
    }
    const noise = (u * 0.02) / Math.sqrt(4 / 12);
    x[from + i] = kind === 'asystole' ? level + noise + 0.05 * Math.sin((2 * Math.PI * 0.2 * i) / FS) : level;
  }
  return x;
}

function inSeconds(x) {
  const m = new vs.Monitor(FS);
  try {
    const ev = [];
    for (let p = 0; p < x.length; p += FS) ev.push(...m.process(x.subarray(p, p + FS)));
    ev.push(...m.finish());
    return ev;
  } finally {
    m.dispose();
  }
}

const TECHNICAL = vs.AlarmFlags.TECHNICAL; // VS_ALARM_TECHNICAL

test('alarms: asystole raised while it lasts, once, physiological', () => {
  const ev = inSeconds(stopped('asystole'));
  const alarms = ev.filter((e) => e.type === vs.EventType.ALARM);
  const a = alarms.filter((e) => e.label.includes('asystole'));
  assert.equal(a.length, 1, JSON.stringify(alarms));
  const delay = (a[0].decidedIdx - last) / FS;
  assert.ok(delay >= 4 && delay <= 6, `asystole after ${delay} s`);
  assert.equal(a[0].code, vs.RhythmType.ALARM_ASYSTOLE);
  assert.equal(a[0].endIdx, -1);
  assert.equal(a[0].severity, 2);
  assert.equal(a[0].flags & TECHNICAL, 0);
  assert.equal(alarms.filter((e) => e.label.includes('pause')).length, 1);
  assert.ok(!alarms.some((e) => e.flags & TECHNICAL));
});

test('alarms: leads off raises the technical alarm and its end, no asystole', () => {
  const ev = inSeconds(stopped('leads off'));
  const t = ev.filter((e) => e.type === vs.EventType.ALARM && e.label.includes('leads off'));
  assert.equal(t.length, 1, JSON.stringify(ev.filter((e) => e.type !== vs.EventType.BEAT)));
  assert.equal(t[0].label, 'signal lost / leads off');
  assert.equal(t[0].code, vs.RhythmType.TECH_SIGNAL_LOST);
  assert.ok(t[0].flags & TECHNICAL);
  const delay = (t[0].decidedIdx - from) / FS;
  assert.ok(delay <= 12, `technical alarm after ${delay} s`);
  const end = ev.filter((e) => e.type === vs.EventType.ALARM_END);
  assert.equal(end.length, 1);
  assert.equal(end[0].code, vs.RhythmType.TECH_SIGNAL_LOST);
  assert.equal(end[0].sampleIdx, t[0].sampleIdx);
  assert.ok(end[0].decidedIdx >= from + len && end[0].decidedIdx <= from + len + 4 * FS);
  assert.ok(!ev.some((e) => e.type === vs.EventType.ALARM && !(e.flags & TECHNICAL) &&
    e.decidedIdx > from && e.decidedIdx < end[0].decidedIdx));
  // the delay is a rhythm parameter (VS_RHYTHM_SIGNAL_LOST_S = 18)
  assert.equal(vs.Monitor.paramBounds('rhythm', 18).default, 10);
});
