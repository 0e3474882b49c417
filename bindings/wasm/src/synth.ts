// synth.ts — deterministic synthetic ECG (vs_synth, include/vitalstream/synth.h): the same seed
// gives the same samples, bit for bit, here and in native builds.
import { check, exportsOrThrow, heapF32, heapView, mallocOrThrow, readU32, scratch } from './core.js';

/** vs_synth_config fields (see synth.h for ranges); omitted fields keep the library defaults. */
export interface SynthConfig {
  fsHz: number;
  durationS: number;
  hrBpm: number;
  hrvStdMs: number;
  lfHfRatio: number;
  rAmplitudeMv: number;
  noiseMv: number;
  emgMv: number;
  baselineMv: number;
  respHz: number;
  motionPerMin: number;
  motionMv: number;
  pvcPerMin: number;
  afStartS: number;
  afDurationS: number;
  /** Any integer in [0, 2^64); default 1. */
  seed: number | bigint;
}

/** A ground-truth beat of the synthetic record (vs_synth_beat). */
export interface SynthBeat {
  sampleIdx: number;
  /** Annotation code: 1 = normal (N), 5 = PVC (V). */
  label: number;
  /** 0 = sinus, 1 = atrial fibrillation. */
  rhythm: number;
  rrMs: number;
}

export interface SynthRecord {
  fsHz: number;
  signal: Float32Array;
  beats: SynthBeat[];
}

// vs_synth_config: 15 doubles then a uint64_t seed (128 bytes, checked at run time).
const FIELDS: Array<keyof SynthConfig> = [
  'fsHz', 'durationS', 'hrBpm', 'hrvStdMs', 'lfHfRatio', 'rAmplitudeMv', 'noiseMv', 'emgMv',
  'baselineMv', 'respHz', 'motionPerMin', 'motionMv', 'pvcPerMin', 'afStartS', 'afDurationS',
];
const CONFIG_BYTES = 128;
const SYNTH_BEAT_BYTES = 24;

/** The library's default synthetic-ECG settings. */
export function synthDefaults(): SynthConfig {
  const e = exportsOrThrow();
  const p = mallocOrThrow(CONFIG_BYTES, 'synthDefaults');
  try {
    check(e.vs_synth_default_config(p), 'synthDefaults');
    const dv = heapView();
    const cfg = {} as SynthConfig;
    FIELDS.forEach((f, i) => { (cfg as unknown as Record<string, number>)[f] = dv.getFloat64(p + 8 * i, true); });
    cfg.seed = Number(dv.getBigUint64(p + 120, true));
    return cfg;
  } finally {
    e.free(p);
  }
}

/** Generates a synthetic ECG record (signal in mV plus its true beats). */
export function synthEcg(config: Partial<SynthConfig> = {}): SynthRecord {
  const e = exportsOrThrow();
  if ((e.vs_synth_config_struct_size() >>> 0) !== CONFIG_BYTES ||
      (e.vs_synth_beat_struct_size() >>> 0) !== SYNTH_BEAT_BYTES) {
    throw new Error('vitalstream: vs_synth struct layout differs from the wrapper');
  }
  const full = { ...synthDefaults(), ...config };
  const cfgPtr = mallocOrThrow(CONFIG_BYTES, 'synthEcg');
  let sigPtr = 0;
  let beatPtr = 0;
  try {
    let dv = heapView();
    FIELDS.forEach((f, i) => dv.setFloat64(cfgPtr + 8 * i, full[f] as number, true));
    dv.setBigUint64(cfgPtr + 120, BigInt(full.seed), true);
    const s = scratch();
    check(e.vs_synth_num_samples(cfgPtr, s), 'synthEcg');
    const n = readU32(s);
    check(e.vs_synth_max_beats(cfgPtr, s), 'synthEcg');
    const maxBeats = readU32(s);
    sigPtr = mallocOrThrow(n * 4, 'synthEcg');
    beatPtr = mallocOrThrow(maxBeats * SYNTH_BEAT_BYTES, 'synthEcg');
    check(e.vs_synth_generate(cfgPtr, sigPtr, n, beatPtr, maxBeats, s), 'synthEcg');
    const nBeats = readU32(s);
    const signal = heapF32().slice(sigPtr >>> 2, (sigPtr >>> 2) + n);
    dv = heapView();
    const beats: SynthBeat[] = [];
    for (let i = 0; i < nBeats; i++) {
      const p = beatPtr + i * SYNTH_BEAT_BYTES;
      beats.push({
        sampleIdx: Number(dv.getBigInt64(p, true)),
        label: dv.getInt16(p + 8, true),
        rhythm: dv.getInt16(p + 10, true),
        rrMs: dv.getFloat32(p + 12, true),
      });
    }
    return { fsHz: full.fsHz, signal, beats };
  } finally {
    e.free(cfgPtr);
    if (sigPtr) e.free(sigPtr);
    if (beatPtr) e.free(beatPtr);
  }
}
