// vitalstream — libvitalstream (real-time ECG analysis) compiled to WebAssembly.
//
//   import { ready, QrsDetector } from 'vitalstream';
//   await ready;
//   const det = new QrsDetector(360);
//   try { const beats = det.process(samplesMv); } finally { det.dispose(); }
import { init } from './core.js';

export { init, version, Status, VitalStreamError } from './core.js';
export type { WasmSource, UrlLike, ResponseLike } from './core.js';
export type { Samples, StateBytes } from './args.js';
export { inspectState } from './lifetime.js';
export type { StateInfo } from './lifetime.js';
export { QrsDetector, QrsParam, BeatFlags } from './qrs.js';
export type { Beat, QrsParamId } from './qrs.js';
export { Monitor, EventType, AlarmFlags, AamiClass, QualityLevel, RhythmType } from './monitor.js';
export type { MonitorEvent, MonitorPart } from './monitor.js';
export { hrv, hrvDefaultOptions, HrvWindow, HrvWindowParam, HrvPsdMethod } from './hrv.js';
export type { HrvOptions, HrvResult } from './hrv.js';
export { synthEcg, synthDefaults } from './synth.js';
export { readWfdb, readWfdbFile, readCsv, readCsvFile, initIo } from './io.js';
export type { WfdbInput, WfdbRecord, WfdbHeader, WfdbSignalInfo, WfdbReadOptions, CsvReadOptions, CsvColumn, FileBytes } from './io.js';
export type { SynthConfig, SynthBeat, SynthRecord } from './synth.js';

/** Resolves once the WebAssembly module (vitalstream.wasm next to this file) is loaded; every
 *  class needs it. To load the module from elsewhere, call init(source) instead. */
export const ready: Promise<void> = init();
// Rejections reach whoever awaits `ready`; do not also crash Node with an unhandled one.
ready.catch(() => undefined);
