import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AlarmAudioService } from './alarm-audio.service';
import { AlarmPriority, PRIORITY_RANK } from './alarm-tones';
import { Alarm, Page, Severity } from './api.types';
import { PatientsStore, describeError } from './patients.store';

/** Audio pause length (the "audio paused" state of IEC 60601-1-8). */
export const AUDIO_PAUSE_MS = 120_000;
/** An unacknowledged critical alarm escalates (louder, faster tone, banner) after this long. */
export const ESCALATE_AFTER_MS = 60_000;

export function priorityOf(severity: Severity, technical = false): AlarmPriority {
  if (severity === 'critical') return 'high';
  if (severity === 'warning' && !technical) return 'medium';
  return 'low';
}

/** Word shown for a priority ("Critical", "Warning", "Technical"/"Advisory"). */
export function priorityWord(a: { severity: Severity; technical?: boolean }): string {
  if (a.severity === 'critical') return 'Critical';
  if (a.severity === 'warning') return a.technical ? 'Technical warning' : 'Warning';
  return a.technical ? 'Technical' : 'Advisory';
}

/** Human name of an alarm type ("VT" -> "ventricular tachycardia"); unknown types as given. */
export function alarmTitle(type: string): string {
  const names: Record<string, string> = {
    'vt alarm': 'ventricular tachycardia',
    vt: 'ventricular tachycardia',
    asystole: 'asystole',
    pause: 'pause',
    couplet: 'ventricular couplet',
    afib: 'atrial fibrillation',
    'signal lost': 'signal lost',
    chunk_rejected: 'data rejected',
    sequence_gap: 'data gap',
    state_corrupt: 'monitor state lost',
  };
  const key = type.trim().toLowerCase();
  return names[key] ?? key.replace(/_/g, ' ');
}

/** Few-letter name for a tile ("VT", "COUPLET"): the full title is in the list and aria-label. */
export function alarmShort(type: string): string {
  const key = type.trim().toLowerCase();
  const short: Record<string, string> = {
    'vt alarm': 'VT', vt: 'VT', asystole: 'ASYSTOLE', pause: 'PAUSE', couplet: 'COUPLET',
    'signal lost': 'NO SIGNAL', chunk_rejected: 'DATA', sequence_gap: 'DATA GAP',
  };
  return short[key] ?? key.replace(/_/g, ' ').toUpperCase();
}

export interface AlarmView extends Alarm {
  priority: AlarmPriority;
  escalated: boolean;
  title: string;
  short: string;
}

/**
 * Alarms of the ward: list, acknowledge, audio pause, escalation, and the tone that follows from
 * them. A new high-priority alarm ends an audio pause, and escalated alarms sound through it.
 */
@Injectable({ providedIn: 'root' })
export class AlarmsStore {
  private readonly http = inject(HttpClient);
  private readonly audio = inject(AlarmAudioService);
  private readonly patients = inject(PatientsStore);
  private readonly byId = signal<ReadonlyMap<number, Alarm>>(new Map());
  private readonly now = signal(Date.now());
  readonly pausedUntil = signal<number | null>(null);
  readonly error = signal<string | null>(null);
  /** Last sentence for the ARIA live region (screen readers announce it). */
  readonly announcement = signal('');

  /** Active and acknowledged (not yet resolved) alarms, most urgent first. */
  readonly list = computed<AlarmView[]>(() => {
    const now = this.now();
    return [...this.byId().values()]
      .filter((a) => a.state !== 'resolved')
      .map((a) => this.view(a, now))
      .sort((a, b) =>
        Number(a.state !== 'active') - Number(b.state !== 'active') ||
        Number(b.escalated) - Number(a.escalated) ||
        PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] ||
        b.onset_at.localeCompare(a.onset_at),
      );
  });
  readonly unacknowledged = computed(() => this.list().filter((a) => a.state === 'active'));
  readonly audioPaused = computed(() => {
    const until = this.pausedUntil();
    return until !== null && until > this.now();
  });
  readonly pauseRemainingS = computed(() => {
    const until = this.pausedUntil();
    return until === null ? 0 : Math.max(0, Math.ceil((until - this.now()) / 1000));
  });

  /** Highest unacknowledged priority per patient (drives the tile colour). */
  readonly worstByPatient = computed(() => {
    const worst = new Map<number, AlarmView>();
    for (const a of this.unacknowledged()) {
      const cur = worst.get(a.patient_id);
      if (!cur || PRIORITY_RANK[a.priority] > PRIORITY_RANK[cur.priority]) worst.set(a.patient_id, a);
    }
    return worst;
  });

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(tick);
      this.audio.set(null);
    });
    effect(() => {
      const open = this.unacknowledged();
      const paused = this.audioPaused();
      const audible = open.filter((a) => !paused || a.escalated);
      const top = audible[0];
      this.audio.set(top ? top.priority : null, top?.escalated ?? false);
    });
  }

  async load(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.http.get<Page<Alarm>>('/api/alarms', { params: { state: 'active', page_size: 200 } }),
      );
      const next = new Map(this.byId());
      for (const a of res.items) next.set(a.id, a);
      this.byId.set(next);
      this.error.set(null);
      const open = this.unacknowledged();
      if (open.length) {
        const top = open[0];
        this.announcement.set(`${open.length} active alarm${open.length === 1 ? '' : 's'}; most urgent: ` +
          `${priorityWord(top)} alarm: ${top.title}, ${this.patientName(top.patient_id)}`);
      }
    } catch (e) {
      this.error.set(`Could not load alarms: ${describeError(e)}`);
    }
  }

  /** A new or changed alarm from the live feed. */
  upsert(alarm: Alarm, patientName?: string): void {
    const prev = this.byId().get(alarm.id);
    const next = new Map(this.byId());
    next.set(alarm.id, alarm);
    this.byId.set(next);
    if (!prev && alarm.state === 'active') {
      if (priorityOf(alarm.severity, alarm.technical) === 'high') this.pausedUntil.set(null);
      const who = patientName ?? this.patientName(alarm.patient_id);
      this.announcement.set(`${priorityWord(alarm)} alarm: ${alarmTitle(alarm.type)}, ${who}`);
    }
  }

  async acknowledge(id: number): Promise<void> {
    try {
      const res = await firstValueFrom(this.http.post<Alarm>(`/api/alarms/${id}/ack`, {}));
      this.upsert(res);
      this.announcement.set(`Alarm acknowledged: ${alarmTitle(res.type)}`);
      this.error.set(null);
    } catch (e) {
      this.error.set(`Acknowledge failed: ${describeError(e)}`);
    }
  }

  /** Forgets everything (logout): no alarm of the last user stays listed or audible. */
  clear(): void {
    this.byId.set(new Map());
    this.pausedUntil.set(null);
    this.announcement.set('');
    this.error.set(null);
  }

  pauseAudio(): void {
    this.pausedUntil.set(Date.now() + AUDIO_PAUSE_MS);
    this.now.set(Date.now());
    this.announcement.set('Alarm audio paused for 2 minutes');
  }

  resumeAudio(): void {
    this.pausedUntil.set(null);
  }

  private patientName(id: number): string {
    return this.patients.patients().find((p) => p.id === id)?.name ?? `patient ${id}`;
  }

  /** Test hook: the store's clock (ms since epoch). */
  setNow(ms: number): void {
    this.now.set(ms);
  }

  private view(a: Alarm, now: number): AlarmView {
    const priority = priorityOf(a.severity, a.technical);
    const age = now - Date.parse(a.onset_at);
    return {
      ...a,
      priority,
      title: alarmTitle(a.type),
      short: alarmShort(a.type),
      escalated: a.state === 'active' && priority === 'high' && age >= ESCALATE_AFTER_MS,
    };
  }
}
