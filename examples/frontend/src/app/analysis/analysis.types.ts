/** Messages between the analysis page and its Web Worker (structured-clone data only). */

export interface InputFile {
  name: string;
  bytes: ArrayBuffer;
}

export interface AnalysisRequest {
  files: InputFile[];
  /** Sampling rate for CSV files (they carry none). */
  csvFsHz: number;
  /** WFDB signal number / CSV column index (-1: the library's default column). */
  channel: number;
}

export interface AnalysisEpisode {
  kind: 'rhythm' | 'alarm' | 'quality';
  label: string;
  startIdx: number;
  endIdx: number;
  severity: number;
  value: number;
}

export interface AnalysisHrv {
  meanNnMs: number;
  sdnnMs: number;
  rmssdMs: number;
  pnn50Pct: number;
  hrMeanBpm: number;
  lfHf: number;
  sd1Ms: number;
  sd2Ms: number;
  nNn: number;
}

export interface RecordResult {
  name: string;
  fsHz: number;
  nSamples: number;
  durationS: number;
  samples: Float32Array;
  /** R-wave sample indices of the beats, and their AAMI class labels (same order). */
  beatIdx: Int32Array;
  beatLabels: string[];
  classCounts: Record<string, number>;
  episodes: AnalysisEpisode[];
  hrv: AnalysisHrv;
  /** Wall-clock time spent in the WASM monitor, ms. */
  elapsedMs: number;
}

export type WorkerMessage =
  | { type: 'progress'; record: string; done: number; total: number }
  | { type: 'record'; result: RecordResult }
  | { type: 'error'; record: string; message: string }
  | { type: 'done' };

/** Records made of the chosen files: each .hea with the signal files it names, and each .csv. */
export interface PlannedRecord {
  name: string;
  kind: 'wfdb' | 'csv';
  header?: InputFile;
  csv?: InputFile;
}

/** Groups files into records; reports files that belong to none (e.g. a .dat without .hea). */
export function planRecords(files: readonly { name: string }[]): { records: PlannedRecord[]; orphans: string[] } {
  const records: PlannedRecord[] = [];
  const used = new Set<string>();
  for (const f of files) {
    const lower = f.name.toLowerCase();
    if (lower.endsWith('.hea')) {
      records.push({ name: f.name.slice(0, -4), kind: 'wfdb', header: f as InputFile });
      used.add(f.name);
    } else if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
      records.push({ name: f.name, kind: 'csv', csv: f as InputFile });
      used.add(f.name);
    }
  }
  // Signal files are matched by the name the header gives, so any .dat may belong to a record;
  // without any header they are unusable. Annotation files are simply not needed.
  const haveHeader = records.some((r) => r.kind === 'wfdb');
  const orphans = files
    .filter((f) => !used.has(f.name))
    .filter((f) => !(haveHeader && /\.dat$/i.test(f.name)) && !/\.(atr|qrs|ann)$/i.test(f.name))
    .map((f) => f.name);
  return { records, orphans };
}
