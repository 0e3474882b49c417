// golden_core.mjs — the procedure every runtime follows for the cross-runtime golden tests
// (pure ES module: used by Node tests and by the Chromium worker alike). It mirrors
// test/native/golden.c: feed in calls of `chunk` samples, save the state after `mid` samples
// and at the end, record every beat as its 32-byte vs_beat.

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

/** The beats of a vs_beat byte array decided at or after sample `start` (decided_idx). */
export function beatsDecidedFrom(bytes, start) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p < bytes.length; p += 32) {
    if (Number(dv.getBigInt64(p + 8, true)) >= start) return bytes.slice(p);
  }
  return new Uint8Array(0);
}

function feed(det, signal, from, to, chunk, beats) {
  for (let pos = from; pos < to; pos += chunk) {
    beats.push(...det.process(signal.subarray(pos, Math.min(to, pos + chunk))));
  }
}

/** Runs the golden procedure with the package `vs`: { beats, mid, final } as Uint8Arrays. */
export function runGolden(vs, signal, fsHz, chunk, mid) {
  const det = new vs.QrsDetector(fsHz);
  try {
    const beats = [];
    feed(det, signal, 0, mid, chunk, beats);
    const midState = det.saveState();
    feed(det, signal, mid, signal.length, chunk, beats);
    return { beats: beatsToBytes(beats), mid: midState, final: det.saveState() };
  } finally {
    det.dispose();
  }
}

/** Restores a detector from `state` and feeds signal[start:]: the beats as bytes. */
export function resumeGolden(vs, signal, state, start, chunk) {
  const det = vs.QrsDetector.fromState(state);
  try {
    const beats = [];
    feed(det, signal, start, signal.length, chunk, beats);
    return beatsToBytes(beats);
  } finally {
    det.dispose();
  }
}

/** "key=value,..." (vs_synth_config field names) -> synthEcg options. */
export function synthOptions(spec) {
  const opts = {};
  for (const kv of spec.split(',')) {
    const [k, v] = kv.split('=');
    const camel = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()); // fs_hz -> fsHz
    opts[camel] = k === 'seed' ? BigInt(v) : Number(v);
  }
  return opts;
}

/** The synthetic golden cases (any change here changes what every runtime computes). */
export const SYNTH_CASES = [
  { name: 'synth-360', spec: 'seed=42,duration_s=300,pvc_per_min=4,af_start_s=120,af_duration_s=60,' +
      'motion_per_min=2,noise_mv=0.03', chunk: 777, mid: 54321 },
  { name: 'synth-250', spec: 'fs_hz=250,seed=7,duration_s=120,hr_bpm=95,emg_mv=0.02', chunk: 1000, mid: 15000 },
];
