/// <reference lib="webworker" />
// Runs the WASM Monitor over local files, off the UI thread. Nothing leaves the browser: the
// files arrive as bytes from the page and only results go back.
import { EventType, Monitor, hrv, readCsv, readWfdb, ready } from 'vitalstream';
import {
  AnalysisEpisode, AnalysisHrv, AnalysisRequest, InputFile, RecordResult, WorkerMessage, planRecords,
} from './analysis.types';

/** Samples per Monitor.process call: small enough for a smooth progress bar. */
const CHUNK_S = 20;

const post = (msg: WorkerMessage, transfer: Transferable[] = []): void => postMessage(msg, transfer);

addEventListener('message', ({ data }: MessageEvent<AnalysisRequest>) => {
  void run(data).finally(() => post({ type: 'done' }));
});

async function run(req: AnalysisRequest): Promise<void> {
  try {
    await ready;
  } catch (e) {
    post({ type: 'error', record: '', message: `WebAssembly module failed to load: ${errText(e)}` });
    return;
  }
  const { records } = planRecords(req.files);
  const signalFiles: Record<string, Uint8Array> = {};
  for (const f of req.files) {
    if (/\.dat$/i.test(f.name)) signalFiles[f.name] = new Uint8Array(f.bytes);
  }
  for (const r of records) {
    try {
      const { samples, fsHz } = r.kind === 'wfdb'
        ? await readWfdb({ hea: new Uint8Array((r.header as InputFile).bytes), files: signalFiles },
          { channel: Math.max(0, req.channel) })
        : {
          samples: (await readCsv(new Uint8Array((r.csv as InputFile).bytes),
            req.channel >= 0 ? { column: req.channel } : undefined)).samples,
          fsHz: req.csvFsHz,
        };
      const result = analyse(r.name, samples, fsHz);
      post({ type: 'record', result }, [result.samples.buffer, result.beatIdx.buffer]);
    } catch (e) {
      post({ type: 'error', record: r.name, message: errText(e) });
    }
  }
}

function analyse(name: string, samples: Float32Array, fsHz: number): RecordResult {
  const t0 = performance.now();
  const monitor = new Monitor(fsHz);
  const beatIdx: number[] = [];
  const beatLabels: string[] = [];
  const classCounts: Record<string, number> = {};
  const episodes: AnalysisEpisode[] = [];
  const openAt = new Map<string, number>();
  const take = (events: ReturnType<Monitor['process']>): void => {
    for (const e of events) {
      if (e.type === EventType.BEAT) {
        beatIdx.push(e.sampleIdx);
        beatLabels.push(e.label);
        classCounts[e.label] = (classCounts[e.label] ?? 0) + 1;
      } else {
        const kind = e.type === EventType.RHYTHM ? 'rhythm' : e.type === EventType.ALARM ? 'alarm' : 'quality';
        const ep = { kind, label: e.label, startIdx: e.sampleIdx, endIdx: e.endIdx, severity: e.severity, value: e.value } as const;
        // An episode is reported at its onset (open, endIdx -1) and again when it closes: keep one row.
        const key = `${kind}:${e.label}:${e.sampleIdx}`;
        const open = openAt.get(key);
        if (open !== undefined) {
          episodes[open] = ep;
        } else {
          openAt.set(key, episodes.length);
          episodes.push(ep);
        }
      }
    }
  };
  try {
    const chunk = Math.max(1, Math.round(CHUNK_S * fsHz));
    for (let i = 0; i < samples.length; i += chunk) {
      take(monitor.process(samples.subarray(i, i + chunk)));
      post({ type: 'progress', record: name, done: Math.min(samples.length, i + chunk), total: samples.length });
    }
    take(monitor.finish());
    const hrvResult = wholeRecordHrv(beatIdx, beatLabels, fsHz);
    return {
      name,
      fsHz,
      nSamples: samples.length,
      durationS: samples.length / fsHz,
      samples,
      beatIdx: Int32Array.from(beatIdx),
      beatLabels,
      classCounts,
      episodes,
      hrv: hrvResult,
      elapsedMs: performance.now() - t0,
    };
  } finally {
    monitor.dispose();
  }
}

/** HRV of the whole record over normal-to-normal intervals (the monitor's own window covers only
 *  the last 5 minutes); NaN where the record has too few beats. */
function wholeRecordHrv(beatIdx: number[], labels: string[], fsHz: number): AnalysisHrv {
  const rr = beatIdx.slice(1).map((idx, i) => ((idx - beatIdx[i]) * 1000) / fsHz);
  const ectopic = labels.slice(1).map((label, i) => label !== 'N' || labels[i] !== 'N');
  try {
    const h = hrv(rr, {}, ectopic);
    return {
      meanNnMs: h.meanNnMs, sdnnMs: h.sdnnMs, rmssdMs: h.rmssdMs, pnn50Pct: h.pnn50Pct,
      hrMeanBpm: h.hrMeanBpm, lfHf: h.lfHf, sd1Ms: h.sd1Ms, sd2Ms: h.sd2Ms, nNn: h.nNn,
    };
  } catch {
    return {
      meanNnMs: NaN, sdnnMs: NaN, rmssdMs: NaN, pnn50Pct: NaN, hrMeanBpm: NaN, lfHf: NaN,
      sd1Ms: NaN, sd2Ms: NaN, nNn: 0,
    };
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
