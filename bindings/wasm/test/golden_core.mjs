// golden_core.mjs — the procedure every runtime follows for the cross-runtime golden tests
// (pure ES module: used by Node tests and by the Chromium worker alike). It mirrors
// test/native/golden.c: feed a QrsDetector ('qrs') or a Monitor ('monitor') in calls of `chunk`
// samples, save the state after `mid` samples and at the end, then (monitor) finish; record
// every event as the bytes of its C struct.

export const KINDS = ['qrs', 'monitor'];
const EVENT_BYTES = { qrs: 32, monitor: 56 };
const DECIDED_OFFSET = { qrs: 8, monitor: 16 };

/** Beats as the bytes of a vs_beat array (little-endian, 32 bytes each, reserved = 0). */
export function beatsToBytes(beats) {
  const out = new Uint8Array(beats.length * 32);
  const dv = new DataView(out.buffer);
  beats.forEach((b, i) => {
    const p = i * 32;
    dv.setBigInt64(p, BigInt(b.sampleIdx), true);
    dv.setBigInt64(p + 8, BigInt(b.decidedIdx), true);
    dv.setFloat32(p + 16, b.amplitudeMv, true);
    dv.setFloat32(p + 20, b.rrMs, true);
    dv.setUint32(p + 24, b.flags, true);
  });
  return out;
}

/** Monitor events as the bytes of a vs_event array (56 bytes each). */
export function eventsToBytes(events) {
  const out = new Uint8Array(events.length * 56);
  const dv = new DataView(out.buffer);
  events.forEach((e, i) => {
    const p = i * 56;
    dv.setBigInt64(p, BigInt(e.sampleIdx), true);
    dv.setBigInt64(p + 8, BigInt(e.endIdx), true);
    dv.setBigInt64(p + 16, BigInt(e.decidedIdx), true);
    [e.type, e.code, e.wfdbCode, e.subtype, e.flags, e.severity]
      .forEach((v, k) => dv.setUint32(p + 24 + 4 * k, v, true));
    dv.setFloat32(p + 48, e.value, true);
    dv.setFloat32(p + 52, e.amplitudeMv, true);
  });
  return out;
}

const toBytes = { qrs: beatsToBytes, monitor: eventsToBytes };

/** An HrvResult as the list of its values in struct order (its keys are in that order). */
export function hrvValues(result) { return Object.values(result); }

/** The values of a vs_hrv_result struct's bytes: 6 uint32 counts, then float64 indices. */
export function hrvValuesFromBytes(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = [];
  for (let p = 0; p < 24; p += 4) out.push(dv.getUint32(p, true));
  for (let p = 24; p < bytes.length; p += 8) out.push(dv.getFloat64(p, true));
  return out;
}

/** Index of the first value that differs (NaN equals NaN, 0 differs from -0), or -1. */
export function firstDifference(a, b) {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

/** The events of an event byte array decided at or after sample `start`. */
export function eventsDecidedFrom(kind, bytes, start) {
  const size = EVENT_BYTES[kind];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p < bytes.length; p += size) {
    if (Number(dv.getBigInt64(p + DECIDED_OFFSET[kind], true)) >= start) return bytes.slice(p);
  }
  return new Uint8Array(0);
}

export function eventCount(kind, bytes) { return bytes.length / EVENT_BYTES[kind]; }

function make(vs, kind, fsHz) { return kind === 'monitor' ? new vs.Monitor(fsHz) : new vs.QrsDetector(fsHz); }
function restore(vs, kind, state) { return kind === 'monitor' ? vs.Monitor.fromState(state) : vs.QrsDetector.fromState(state); }

function feed(obj, signal, from, to, chunk, events) {
  for (let pos = from; pos < to; pos += chunk) {
    events.push(...obj.process(signal.subarray(pos, Math.min(to, pos + chunk))));
  }
}

/** Runs the golden procedure: { events, mid, final } as Uint8Arrays. */
export function runGolden(vs, kind, signal, fsHz, chunk, mid) {
  const obj = make(vs, kind, fsHz);
  try {
    const events = [];
    feed(obj, signal, 0, mid, chunk, events);
    const midState = obj.saveState();
    feed(obj, signal, mid, signal.length, chunk, events);
    const finalState = obj.saveState();
    const hrv = kind === 'monitor' ? hrvValues(obj.hrv()) : null;
    if (kind === 'monitor') events.push(...obj.finish());
    return { events: toBytes[kind](events), mid: midState, final: finalState, hrv };
  } finally {
    obj.dispose();
  }
}

/** Restores an object from `state`, feeds signal[start:] (then finishes): the events as bytes. */
export function resumeGolden(vs, kind, signal, state, start, chunk) {
  const obj = restore(vs, kind, state);
  try {
    const events = [];
    feed(obj, signal, start, signal.length, chunk, events);
    if (kind === 'monitor') events.push(...obj.finish());
    return toBytes[kind](events);
  } finally {
    obj.dispose();
  }
}

/** "key=value,..." (vs_synth_config field names) -> synthEcg options. */
export function synthOptions(spec) {
  const opts = {};
  for (const kv of spec.split(',')) {
    const [k, v] = kv.split('=');
    if (k === 'artefacts') continue; // not a synth field: synthSignal applies it
    const camel = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()); // fs_hz -> fsHz
    opts[camel] = k === 'seed' ? BigInt(v) : Number(v);
  }
  return opts;
}

/** "artefacts=1": NaN, +-Inf, a 60 mV step and 1e6 mV samples written into the signal (the edits
 *  of test/native/golden.c's add_artefacts), so that every runtime takes the paths for missing,
 *  non-finite and out-of-range input (the WASM build has vector code there); the short ones end
 *  at n / 2, within the classifier's ring when the golden case saves its mid state there. */
function withArtefacts(x) {
  const n = x.length, h = Math.floor(n / 2);
  x.fill(NaN, Math.floor(n / 5), Math.floor(n / 5) + 400);
  x.fill(1e6, Math.floor(2 * n / 3), Math.floor(2 * n / 3) + 20);
  x.fill(NaN, h - 300, h - 295);
  x[h - 200] = Infinity;
  x[h - 199] = -Infinity;
  for (let i = h - 150; i < h; i++) x[i] += 60;
  return x;
}

/** The signal of a synthetic case ("key=value,..." of vs_synth_config, plus artefacts=1). */
export function synthSignal(vs, spec) {
  const x = vs.synthEcg(synthOptions(spec)).signal;
  return /(^|,)artefacts=1(,|$)/.test(spec) ? withArtefacts(x) : x;
}

/** The synthetic golden cases (any change here changes what every runtime computes). */
export const SYNTH_CASES = [
  { name: 'synth-360', spec: 'seed=42,duration_s=300,pvc_per_min=4,af_start_s=120,af_duration_s=60,' +
      'motion_per_min=2,noise_mv=0.03', chunk: 777, mid: 54321 },
  { name: 'synth-250', spec: 'fs_hz=250,seed=7,duration_s=120,hr_bpm=95,emg_mv=0.02', chunk: 1000, mid: 15000 },
  { name: 'synth-artefacts', spec: 'seed=3,duration_s=120,pvc_per_min=3,artefacts=1', chunk: 500, mid: 21600 },
];
