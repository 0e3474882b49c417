import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { BeatsMessage, Page, Patient, WaveformMessage } from './api.types';
import { TraceBuffer } from './trace-buffer';

/** Live numbers of one patient, as the tiles show them. */
export interface Vitals {
  hrBpm: number | null;
  rhythm: string | null;
  quality: string | null;
}

/** Patients of the ward and their live traces. Traces are plain objects updated in place (the
 *  canvas renderer reads them every frame); the numbers are signals for the templates. */
@Injectable({ providedIn: 'root' })
export class PatientsStore {
  private readonly http = inject(HttpClient);
  readonly patients = signal<Patient[]>([]);
  readonly vitals = signal<ReadonlyMap<number, Vitals>>(new Map());
  readonly loadError = signal<string | null>(null);
  private readonly traces = new Map<number, TraceBuffer>();
  /** performance.now() of each patient's last waveform chunk (plain map: read on a timer, so
   *  the templates are not re-rendered for every chunk). */
  private readonly lastData = new Map<number, number>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReload = 0;

  async load(): Promise<Patient[]> {
    try {
      const all: Patient[] = [];
      for (let page = 1; ; page++) {
        const res = await firstValueFrom(
          this.http.get<Page<Patient>>('/api/patients', { params: { page, page_size: 200 } }),
        );
        all.push(...res.items);
        if (all.length >= res.total || res.items.length === 0) break;
      }
      all.sort((a, b) => (a.bed ?? a.name).localeCompare(b.bed ?? b.name, undefined, { numeric: true }));
      this.patients.set(all);
      this.loadError.set(null);
      return all;
    } catch (e) {
      this.loadError.set(`Could not load patients: ${describeError(e)}`);
      return this.patients();
    }
  }

  /** Forgets patients and live data (logout). */
  clear(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    this.patients.set([]);
    this.vitals.set(new Map());
    this.traces.clear();
    this.lastData.clear();
  }

  trace(patientId: number): TraceBuffer | undefined {
    return this.traces.get(patientId);
  }

  onWaveform(msg: WaveformMessage): void {
    if (!this.patients().some((p) => p.id === msg.patient_id)) this.reloadSoon();
    let buf = this.traces.get(msg.patient_id);
    if (!buf || buf.fs !== msg.fs || msg.start_sample < buf.startIdx) {
      // New session (numbering restarts) or new rate: start a fresh trace.
      buf = new TraceBuffer(msg.fs);
      this.traces.set(msg.patient_id, buf);
    }
    buf.push(msg.start_sample, msg.samples);
    this.lastData.set(msg.patient_id, performance.now());
  }

  /** A patient we do not list yet sends data (just admitted): reload the list, at most every 10 s. */
  private reloadSoon(): void {
    if (this.reloadTimer !== undefined) return;
    const wait = Math.max(1000, this.lastReload + 10_000 - Date.now());
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.lastReload = Date.now();
      void this.load();
    }, wait);
  }

  /** ms since the patient's last waveform chunk (Infinity: never). */
  silentForMs(patientId: number, now = performance.now()): number {
    const t = this.lastData.get(patientId);
    return t === undefined ? Infinity : now - t;
  }

  /** Archived samples of the patient's current session, shown before live data fills the view. */
  backfill(patientId: number, fs: number, startSample: number, samples: ArrayLike<number | null>): void {
    let buf = this.traces.get(patientId);
    if (!buf || buf.fs !== fs) {
      buf = new TraceBuffer(fs);
      this.traces.set(patientId, buf);
    }
    buf.backfill(startSample, samples);
  }

  onBeats(msg: BeatsMessage): void {
    this.traces.get(msg.patient_id)?.addBeats(
      msg.beats.map((b) => ({ sample: b.sample, label: b.class })),
    );
    const patch: Partial<Vitals> = { hrBpm: msg.hr_bpm };
    // "unknown" means this message had no news: the last known rhythm and quality stay.
    if (msg.rhythm && msg.rhythm !== 'unknown') patch.rhythm = msg.rhythm;
    if (msg.quality && msg.quality !== 'unknown') patch.quality = msg.quality;
    this.patchVitals(msg.patient_id, patch);
  }

  private patchVitals(id: number, patch: Partial<Vitals>): void {
    const next = new Map(this.vitals());
    const old = next.get(id) ?? { hrBpm: null, rhythm: null, quality: null };
    next.set(id, { ...old, ...patch });
    this.vitals.set(next);
  }
}

export function describeError(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const err = e as { status?: number; error?: { error?: { message?: string } }; message?: string };
    const apiMsg = err.error?.error?.message;
    if (apiMsg) return apiMsg;
    if (err.status === 0) return 'server not reachable';
    if (err.message) return err.message;
  }
  return String(e);
}
