// reader_worker.mjs — Web Worker side of the Chromium reader test: fetches a WFDB record and a
// CSV file as bytes, reads them with the package's readWfdb / readCsv (vitalstream_io.wasm
// fetched next to the package), detects beats, and sends back the samples and beats.
import * as vs from '/pkg/index.js';

function b64(f32) {
  const bytes = new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function get(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

self.onmessage = async ({ data }) => {
  try {
    const rec = await vs.readWfdb({ hea: await get(data.hea), dat: (await get(data.dat)).buffer }, { channel: 0 });
    const csv = await vs.readCsv(await get(data.csv));
    await vs.ready;
    const det = new vs.QrsDetector(rec.fsHz);
    let beats;
    try {
      beats = det.process(rec.samples).map((b) => b.sampleIdx);
    } finally {
      det.dispose();
    }
    self.postMessage({ fsHz: rec.fsHz, samples: b64(rec.samples), csv: b64(csv.samples), beats,
      description: rec.header.signals[0].description });
  } catch (e) {
    self.postMessage({ error: `${e && e.name}: ${e && e.message}\n${e && e.stack}` });
  }
};
