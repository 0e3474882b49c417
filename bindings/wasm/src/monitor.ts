// monitor.ts — Monitor over vs_monitor (include/vitalstream/monitor.h): the whole pipeline
// (QRS -> beat classes -> signal quality -> rhythm and alarms -> rolling HRV) in one object
// with one portable state blob.
import {
  cString, exportsOrThrow, heapView, Status, VitalStreamError,
} from './core.js';
import { HrvOptions, HrvResult, withHrvResult } from './hrv.js';
import { NativeObject, paramBoundsOf, restore } from './lifetime.js';
import { MONITOR_PARAMS } from './params.generated.js';
import { describe } from './args.js';
import type { Samples, StateBytes } from './args.js';

export const EventType = { BEAT: 1, RHYTHM: 2, ALARM: 3, QUALITY: 4, ALARM_END: 5 } as const;
/** MonitorEvent.flags of alarms (VS_ALARM_*). */
export const AlarmFlags = { TECHNICAL: 0x1 } as const;
export const AamiClass = { N: 0, S: 1, V: 2, F: 3, Q: 4 } as const;
export const QualityLevel = { GOOD: 0, NOISY: 1, UNREADABLE: 2 } as const;
export const RhythmType = {
  UNKNOWN: 0, SINUS: 1, AFIB: 2, VT: 3, BIGEMINY: 4, TRIGEMINY: 5, BRADY: 6, TACHY: 7,
  ALARM_PAUSE: 16, ALARM_ASYSTOLE: 17, ALARM_COUPLET: 18, ALARM_VT: 19,
  TECH_SIGNAL_LOST: 32,
} as const;

/** One monitor event (vs_event). */
export interface MonitorEvent {
  /** EventType */
  type: number;
  /** Beats: AamiClass; rhythm and alarms: RhythmType; quality: QualityLevel. */
  code: number;
  /** Short name of `code`: "N", "V", ..., the rhythm type name, or "good"/"noisy"/"unreadable". */
  label: string;
  /** Beat R position, or onset of the episode / alarm / quality level. */
  sampleIdx: number;
  /** Offset of an episode or alarm (-1 while open); beats: sampleIdx. */
  endIdx: number;
  /** Input sample index at which the event became final. */
  decidedIdx: number;
  /** WFDB annotation code to write (beat label, RHYTHM, NOISE). */
  wfdbCode: number;
  /** WFDB subtype (NOISE: 0 clean, 1 noisy, 0x30 unreadable). */
  subtype: number;
  /** Beats: BeatFlags; alarms: AlarmFlags (TECHNICAL for technical alarms); quality: reason bits. */
  flags: number;
  /** Rhythm/alarm severity: 0 info, 1 warning, 2 critical; 0 for beats. */
  severity: number;
  /** Beats: RR ms; rhythm/alarm: heart rate (bpm) or beat count. */
  value: number;
  /** Beats: R amplitude (mV). */
  amplitudeMv: number;
}

/** @internal */
export const EVENT_BYTES = 56;
const QUALITY_NAMES = ['good', 'noisy', 'unreadable'];
const labelCache = new Map<string, string>();

function labelOf(type: number, code: number): string {
  if (type === EventType.QUALITY) return QUALITY_NAMES[code] ?? String(code);
  const key = `${type}:${code}`;
  let s = labelCache.get(key);
  if (s === undefined) {
    const e = exportsOrThrow();
    s = cString((type === EventType.BEAT ? e.vs_aami_class_name(code) : e.vs_rhythm_type_name(code)) >>> 0);
    labelCache.set(key, s);
  }
  return s;
}

/** @internal */
export function decodeEvents(ptr: number, count: number, out: MonitorEvent[]): void {
  const dv = heapView();
  for (let i = 0; i < count; i++) {
    const p = ptr + i * EVENT_BYTES;
    const type = dv.getUint32(p + 24, true);
    const code = dv.getUint32(p + 28, true);
    out.push({
      type,
      code,
      label: labelOf(type, code),
      sampleIdx: Number(dv.getBigInt64(p, true)),
      endIdx: Number(dv.getBigInt64(p + 8, true)),
      decidedIdx: Number(dv.getBigInt64(p + 16, true)),
      wfdbCode: dv.getUint32(p + 32, true),
      subtype: dv.getUint32(p + 36, true),
      flags: dv.getUint32(p + 40, true),
      severity: dv.getUint32(p + 44, true),
      value: dv.getFloat32(p + 48, true),
      amplitudeMv: dv.getFloat32(p + 52, true),
    });
  }
}

/** The monitor's children whose parameters can be tuned (rhythm.h, quality.h, ... list them);
 *  the same part names as the Python binding ('hrv' is a deprecated alias of 'hrv_window'). */
export type MonitorPart = 'qrs' | 'classifier' | 'quality' | 'rhythm' | 'hrv_window' | 'hrv';
const PARTS: Record<string, [accessor: string, prefix: string]> = {
  qrs: ['vs_monitor_qrs', 'vs_qrs'],
  classifier: ['vs_monitor_classifier', 'vs_classifier'],
  quality: ['vs_monitor_quality', 'vs_quality'],
  rhythm: ['vs_monitor_rhythm', 'vs_rhythm'],
  hrv_window: ['vs_monitor_hrv_window', 'vs_hrv_window'],
};

/** [part, id] of a parameter name "part.name" ("hrv." = deprecated alias of "hrv_window."). */
function paramByName(name: unknown, what: string): [string, number] {
  if (typeof name !== 'string') throw new TypeError(`${what}: the parameter name must be a string like 'qrs.refractory_ms', not ${describe(name)}`);
  const key = name.startsWith('hrv.') ? `hrv_window.${name.slice(4)}` : name;
  if (!Object.prototype.hasOwnProperty.call(MONITOR_PARAMS, key)) {
    throw new VitalStreamError(Status.UNKNOWN_PARAM,
      `${what}: unknown parameter '${name}' (known: ${Object.keys(MONITOR_PARAMS).sort().join(', ')})`);
  }
  const [part, id] = MONITOR_PARAMS[key];
  return [part, id];
}

/** The [accessor, prefix] of a part; unknown parts are UNKNOWN_PARAM, like unknown ids. */
function partOf(part: unknown, what: string): [string, string] {
  if (typeof part !== 'string') throw new TypeError(`${what}: part must be a string, not ${describe(part)}`);
  const key = part === 'hrv' ? 'hrv_window' : part;
  if (!Object.prototype.hasOwnProperty.call(PARTS, key)) {
    throw new VitalStreamError(Status.UNKNOWN_PARAM,
      `${what}: unknown part '${part}' (known: ${Object.keys(PARTS).join(', ')})`);
  }
  return PARTS[key];
}

/** Real-time ECG monitor: feed samples (one lead, mV) in chunks of any size and get classified
 *  beats, rhythm episodes, alarms and signal-quality changes. */
export class Monitor extends NativeObject {
  constructor(fsHz: number) {
    super('Monitor', 'vs_monitor');
    this.create(fsHz);
  }

  /** Restores a monitor from a blob of saveState() (from any runtime). */
  static fromState(bytes: StateBytes): Monitor {
    return restore((fs) => new Monitor(fs), bytes, 'Monitor.fromState');
  }

  /** Default, minimum and maximum of a parameter of one part of the pipeline. */
  static paramBounds(name: string): { min: number; max: number; default: number };
  static paramBounds(part: MonitorPart, param: number): { min: number; max: number; default: number };
  static paramBounds(a: string, b?: number): { min: number; max: number; default: number } {
    const [part, id] = b === undefined ? paramByName(a, 'Monitor.paramBounds') : [a, b];
    return paramBoundsOf(partOf(part, 'Monitor.paramBounds')[1], id);
  }

  /** Every parameter by name, "part.name" (the Python binding's names, from the C enums). */
  static paramNames(): string[] {
    return Object.keys(MONITOR_PARAMS).sort();
  }

  get fsHz(): number { return exportsOrThrow().vs_monitor_fs_hz(this.handle()); }
  get samplesSeen(): number { return Number(exportsOrThrow().vs_monitor_samples_seen(this.handle())); }

  /** Feeds samples (mV; NaN = missing); returns the events that became final in this call. */
  process(samples: Samples): MonitorEvent[] {
    return this.feed(samples, EVENT_BYTES, decodeEvents);
  }

  /** End of stream: the last beat and the closing of open episodes. Call reset() to go on. */
  finish(): MonitorEvent[] {
    return this.drain(EVENT_BYTES, decodeEvents);
  }

  /** HRV over the rolling window (normal beats of good quality; default last 300 s). */
  hrv(options?: Partial<HrvOptions>): HrvResult {
    const e = exportsOrThrow();
    const h = this.handle();
    return withHrvResult(options, 'Monitor.hrv', (o, r) => e.vs_monitor_hrv(h, o, r));
  }

  /** Sets a parameter by name (setParam('rhythm.brady_bpm', 45), as in Python) or by part and
   *  C enum id (setParam('rhythm', 1, 45) for VS_RHYTHM_BRADY_BPM). */
  setParam(name: string, value: number): void;
  setParam(part: MonitorPart, param: number, value: number): void;
  setParam(a: string, b: number, c?: number): void {
    const byName = arguments.length === 2;
    const [part, id] = byName ? paramByName(a, 'Monitor.setParam') : [a, b];
    const value = byName ? b : c;
    const [accessor, prefix] = partOf(part, 'Monitor.setParam');
    this.setParamOf(prefix, exportsOrThrow()[accessor](this.handle()) >>> 0, id, value as number);
  }

  getParam(name: string): number;
  getParam(part: MonitorPart, param: number): number;
  getParam(a: string, b?: number): number {
    const [part, id] = arguments.length === 1 ? paramByName(a, 'Monitor.getParam') : [a, b as number];
    const [accessor, prefix] = partOf(part, 'Monitor.getParam');
    return this.getParamOf(prefix, exportsOrThrow()[accessor](this.handle()) >>> 0, id);
  }
}
