// wfdb.mjs — just enough WFDB reading for the tests and the benchmark (Node only): one channel
// of a format-212 record in physical units, converted exactly as libvitalstream's
// vs_wfdb_read_signal does (float)((adc - baseline) / gain), and MIT-format annotation files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** { fsHz, signal: Float32Array } of channel `channel` of record `base` (path without .hea). */
export function readRecord212(base, channel = 0) {
  const lines = readFileSync(`${base}.hea`, 'latin1').split(/\r?\n/)
    .filter((l) => l.trim() && !l.startsWith('#'));
  const [, nsigS, fsS, nS] = lines[0].trim().split(/\s+/);
  const nsig = Number(nsigS);
  const fsHz = Number((fsS || '250').split('/')[0]);
  const sig = lines.slice(1, 1 + nsig).map((l) => l.trim().split(/\s+/));
  const s = sig[channel];
  if (!s) throw new Error(`${base}: no signal ${channel}`);
  if (s[1] !== '212' || sig.some((x) => x[0] !== s[0] || x[1] !== '212')) {
    throw new Error(`${base}: only single-file format 212 records are read here`);
  }
  const gm = /^([-+0-9.eE]+)(?:\((-?\d+)\))?/.exec(s[2] || '200');
  const gain = Number(gm[1]) || 200;
  const adcZero = s[4] !== undefined ? Number(s[4]) : 0;
  const baseline = gm[2] !== undefined ? Number(gm[2]) : adcZero;
  const dat = readFileSync(`${base.replace(/[^/]*$/, '')}${s[0]}`);
  const frames = nS ? Number(nS) : Math.floor((dat.length * 2) / 3 / nsig);
  const signal = new Float32Array(frames);
  // Format 212: each pair of consecutive samples of the interleaved stream in 3 bytes.
  for (let f = 0; f < frames; f++) {
    const k = f * nsig + channel;
    const b = (k >> 1) * 3;
    let v = (k & 1) === 0 ? dat[b] | ((dat[b + 1] & 0x0f) << 8) : dat[b + 2] | ((dat[b + 1] & 0xf0) << 4);
    if (v & 0x800) v -= 0x1000;
    signal[f] = Math.fround((v - baseline) / gain);
  }
  return { fsHz, signal };
}

/** Annotations of an MIT-format file: [{ sampleIdx, code }]. */
export function readMitAnnotations(path) {
  const buf = readFileSync(path);
  const out = [];
  let t = 0;
  for (let p = 0; p + 1 < buf.length;) {
    const w = buf.readUInt16LE(p);
    p += 2;
    const a = w >> 10;
    const i = w & 0x3ff;
    if (a === 0 && i === 0) break;
    if (a === 59) { // SKIP: 32-bit interval, high word first
      t += (buf.readInt16LE(p) * 65536) + buf.readUInt16LE(p + 2);
      p += 4;
    } else if (a === 63) { // AUX string, padded to even length
      p += i + (i & 1);
    } else if (a >= 60) { // NUM, SUB, CHN
      continue;
    } else {
      t += i;
      out.push({ sampleIdx: t, code: a });
    }
  }
  return out;
}

/** Path of the MIT-BIH Arrhythmia Database, or null when it is not on this machine. */
export function mitdbDir() {
  // default: ../shared/data/mitdb beside the repository
  const dir = process.env.VITALSTREAM_MITDB ||
    fileURLToPath(new URL('../../../../shared/data/mitdb', import.meta.url));
  try {
    readFileSync(`${dir}/100.hea`);
    return dir;
  } catch {
    return null;
  }
}
