// contract.test.mjs — the binding contract (docs/CONTRACT.md) on the shared vectors of
// tests/contract/cases.json, the same cases bindings/python/tests/test_contract.py runs against
// the Python binding. Names in the vectors are Python's; here they are the same in camelCase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vs from '../dist/index.js';

const { cases } = JSON.parse(readFileSync(new URL('../../../tests/contract/cases.json', import.meta.url), 'utf8'));
const CLASSES = { qrs: vs.QrsDetector, monitor: vs.Monitor };
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const special = (v) => ({ NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[v] ?? v);

function blob(of) {
  const obj = new CLASSES[of](360);
  try {
    obj.process(Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i / 20)));
    return obj.saveState();
  } finally {
    obj.dispose();
  }
}

/** A case value as the JavaScript caller would pass it. */
function decode(v) {
  if (v === null || typeof v !== 'object' || !('$' in v)) return v;
  switch (v.$) {
    case 'f32': return Float32Array.from(v.v.map(special));
    case 'f64': return Float64Array.from(v.v.map(special));
    case 'i16': return Int16Array.from(v.v);
    case 'bool': return [...v.v];
    case 'raw': return new DataView(Uint8Array.from(v.v).buffer);
    case 'num': return Number(special(v.v));
    case 'state': {
      const raw = blob(v.of);
      const b = new Uint8Array(raw.length + (v.append ?? 0) - (v.cut ?? 0));
      b.set(raw.subarray(0, b.length));
      if ('flip' in v) b[v.flip] ^= 0xff;
      if (v.as === 'bytes') return b;
      if (v.as === 'buffer') return b.buffer;
      return new DataView(b.buffer);
    }
    default: throw new Error(`unknown value kind ${v.$}`);
  }
}

function run(c) {
  const owned = [];
  const own = (o) => { owned.push(o); return o; };
  try {
    switch (c.op) {
      case 'construct': own(new CLASSES[c.class](decode(c.fs))); return {};
      case 'process': {
        const obj = own(new CLASSES[c.class](360));
        try {
          obj.process(decode(c.samples));
        } catch (e) {
          assert.equal(obj.samplesSeen, 0, 'a rejected call consumed samples');
          throw e;
        }
        return { samples_seen: obj.samplesSeen };
      }
      case 'from_state': return { samples_seen: own(CLASSES[c.class].fromState(decode(c.state))).samplesSeen };
      case 'load_state': {
        const obj = own(new CLASSES[c.class](360));
        obj.loadState(decode(c.state));
        return { samples_seen: obj.samplesSeen };
      }
      case 'set_param': {
        const m = own(new vs.Monitor(360));
        if (c.form === 'name') {
          const name = `${c.part}.${c.name}`;
          m.setParam(name, decode(c.value));
          return { value: m.getParam(name) };
        }
        m.setParam(c.part, c.id, decode(c.value));
        return { value: m.getParam(c.part, c.id) };
      }
      case 'hrv': {
        const opts = c.options && Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
        const r = vs.hrv(decode(c.rr), opts, c.exclude);
        return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`), v]));
      }
      case 'monitor_hrv': {
        const opts = c.options && Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), v]));
        return own(new vs.Monitor(360)).hrv(opts);
      }
      default: throw new Error(`unknown op ${c.op}`);
    }
  } finally {
    owned.forEach((o) => o.dispose());
  }
}

await vs.ready;

// Monitor parameters: by part and C enum id, and by the Python binding's "part.name".
const expanded = cases.flatMap((c) => (c.op === 'set_param'
  ? [{ ...c, form: 'id' }, { ...c, id: `${c.id} (by name)`, form: 'name' }] : [c]));

test('Monitor.paramNames() are "part.name" like Python\'s, for every part', () => {
  const names = vs.Monitor.paramNames();
  for (const part of ['qrs', 'classifier', 'quality', 'rhythm', 'hrv_window']) {
    assert.ok(names.some((n) => n.startsWith(`${part}.`)), part);
  }
  assert.ok(names.includes('rhythm.brady_bpm') && names.includes('hrv_window.length_s'));
  const m = new vs.Monitor(360);
  try {
    for (const n of names) { // every name reaches C: bounds hold the default a new monitor has
      const b = vs.Monitor.paramBounds(n);
      assert.ok(b.min <= b.default && b.default <= b.max, n);
      assert.equal(m.getParam(n), b.default, n);
    }
  } finally {
    m.dispose();
  }
});

for (const c of expanded) {
  test(`contract: ${c.id}`, () => {
    const want = c.expect;
    if (want.ok) {
      const got = run(c);
      for (const [k, v] of Object.entries(want)) {
        if (k === 'ok') continue;
        assert.ok(Math.abs(got[k] - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${k}: ${got[k]} != ${v}`);
      }
      return;
    }
    assert.throws(() => run(c), (e) => {
      if (want.error === 'TypeError') {
        assert.ok(e instanceof TypeError, `${e?.name}: ${e?.message}`);
      } else {
        assert.ok(e instanceof vs.VitalStreamError, `${e?.name}: ${e?.message}`);
      }
      if ('code' in want) assert.equal(e.code, want.code, e.message);
      if ('message' in want) assert.match(e.message, new RegExp(want.message));
      return true;
    });
  });
}

test('the vectors are there', () => { assert.ok(cases.length >= 50); });
