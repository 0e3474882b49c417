// worker.mjs — Chromium side of the benchmark: runs bench_core in a Web Worker.
import * as vs from '/pkg/index.js';
import { benchRun } from '/bench/bench_core.mjs';

self.onmessage = async (ev) => {
  try {
    await vs.ready;
    const { kind, seconds, chunk, reps } = ev.data;
    self.postMessage(benchRun(vs, kind, seconds, chunk, reps));
  } catch (e) {
    self.postMessage({ error: `${e && e.name}: ${e && e.message}` });
  }
};
