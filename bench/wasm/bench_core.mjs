// bench_core.mjs — the WASM side of the benchmark, shared by Node and the Chromium worker: the
// same synthetic ECG as native_bench.c (same seed, bit-identical samples), fed through
// QrsDetector.process ('qrs') or Monitor.process ('monitor') in calls of `chunk` samples; best
// of `reps` runs, each with a fresh object.
export function benchRun(vs, kind, seconds, chunk, reps) {
  const { signal, fsHz } = vs.synthEcg({ durationS: seconds, seed: 2024n, noiseMv: 0.02, pvcPerMin: 2 });
  let best = Infinity;
  let events = 0;
  for (let r = 0; r < reps; r++) {
    const obj = kind === 'monitor' ? new vs.Monitor(fsHz) : new vs.QrsDetector(fsHz);
    try {
      let total = 0;
      const t0 = performance.now();
      for (let pos = 0; pos < signal.length; pos += chunk) {
        total += obj.process(signal.subarray(pos, pos + chunk)).length;
      }
      best = Math.min(best, (performance.now() - t0) / 1000);
      events = total;
    } finally {
      obj.dispose();
    }
  }
  return { samples: signal.length, events, best_s: best, msps: signal.length / best / 1e6 };
}
