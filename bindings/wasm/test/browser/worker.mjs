// worker.mjs — Web Worker side of the Chromium test: loads the package, runs the golden
// procedure on each job (QrsDetector or Monitor) and sends back base64-encoded bytes.
import * as vs from '/pkg/index.js';
import { eventCount, resumeGolden, runGolden, synthSignal } from '/test/golden_core.mjs';

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

self.onmessage = async (ev) => {
  try {
    await vs.ready;
    const results = [];
    for (const c of ev.data.cases) {
      const signal = c.signalUrl ? new Float32Array((await fetchBytes(c.signalUrl)).buffer)
        : synthSignal(vs, c.spec);
      const t0 = performance.now();
      const g = runGolden(vs, c.kind, signal, c.fsHz, c.chunk, c.mid);
      const ms = performance.now() - t0;
      const r = { key: c.key, nEvents: eventCount(c.kind, g.events), ms, events: b64(g.events), mid: b64(g.mid),
        final: b64(g.final), hrv: g.hrv, signal: b64(new Uint8Array(signal.buffer, signal.byteOffset, signal.byteLength)) };
      if (c.nativeMidUrl) {
        r.tail = b64(resumeGolden(vs, c.kind, signal, await fetchBytes(c.nativeMidUrl), c.mid, c.chunk));
      }
      results.push(r);
    }
    self.postMessage({ version: vs.version(), results });
  } catch (e) {
    self.postMessage({ error: `${e && e.name}: ${e && e.message}\n${e && e.stack}` });
  }
};
