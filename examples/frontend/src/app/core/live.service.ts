import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { AlarmsStore } from './alarms.store';
import { Alarm, AlarmChange, LiveMessage } from './api.types';
import { AuthService } from './auth.service';
import { PatientsStore } from './patients.store';

export type LinkState = 'offline' | 'connecting' | 'live';

/**
 * The live feeds: WebSocket /ws/ecg (waveforms, beats, alarms of subscribed patients) and SSE
 * /sse/events (alarms of the whole ward). Each connection needs a one-time ticket (browsers cannot
 * send an Authorization header on them). Reconnects with backoff until stop().
 */
@Injectable({ providedIn: 'root' })
export class LiveService {
  private readonly http = inject(HttpClient);
  private readonly patients = inject(PatientsStore);
  private readonly alarms = inject(AlarmsStore);
  private readonly auth = inject(AuthService);
  private ws: WebSocket | null = null;
  private sse: EventSource | null = null;
  private running = false;
  private wsRetry = 0;
  private sseRetry = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  readonly wsState = signal<LinkState>('offline');
  readonly sseState = signal<LinkState>('offline');
  readonly messages = signal(0);

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.openWs();
    void this.openSse();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ws?.close();
    this.sse?.close();
    this.ws = null;
    this.sse = null;
    this.wsState.set('offline');
    this.sseState.set('offline');
  }

  /** Handles one decoded message (public for tests and for the SSE path). */
  dispatch(msg: LiveMessage): void {
    this.messages.update((n) => n + 1);
    switch (msg.type) {
      case 'waveform':
        this.patients.onWaveform(msg);
        break;
      case 'beats':
        this.patients.onBeats(msg);
        break;
      case 'alarm':
        if (msg.alarm) this.onAlarm(msg.alarm);
        break;
      case 'error':
        console.warn('live feed:', msg.message);
        break;
    }
  }

  onAlarm(alarm: Alarm): void {
    const name = this.patients.patients().find((p) => p.id === alarm.patient_id)?.name;
    this.alarms.upsert(alarm, name);
  }

  private async ticket(): Promise<string> {
    const res = await firstValueFrom(
      this.http.post<{ ticket: string }>('/api/auth/stream-ticket', {}),
    );
    return res.ticket;
  }

  private async openWs(): Promise<void> {
    if (!this.running) return;
    this.wsState.set('connecting');
    try {
      const ticket = await this.ticket();
      if (!this.running) return;
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(`${proto}//${location.host}/ws/ecg?ticket=${encodeURIComponent(ticket)}`);
      this.ws = ws;
      ws.onopen = () => {
        this.wsRetry = 0;
        this.wsState.set('live');
        this.sendSubscribe();
      };
      ws.onmessage = (ev: MessageEvent<string>) => {
        try {
          this.dispatch(JSON.parse(ev.data) as LiveMessage);
        } catch (e) {
          console.warn('live feed: bad message', e);
        }
      };
      ws.onclose = () => {
        if (this.ws === ws) this.retry('ws');
      };
    } catch {
      this.retry('ws');
    }
  }

  private async openSse(): Promise<void> {
    if (!this.running) return;
    this.sseState.set('connecting');
    try {
      const ticket = await this.ticket();
      if (!this.running) return;
      const sse = new EventSource(`/sse/events?ticket=${encodeURIComponent(ticket)}`);
      this.sse = sse;
      sse.onopen = () => {
        this.sseRetry = 0;
        this.sseState.set('live');
      };
      sse.addEventListener('alarm', (ev: MessageEvent<string>) => {
        try {
          const data = JSON.parse(ev.data) as AlarmChange | Alarm;
          this.onAlarm('alarm' in data ? data.alarm : data);
        } catch (e) {
          console.warn('alarm feed: bad message', e);
        }
      });
      // The login was revoked elsewhere (logout in another tab, admin): end this session too.
      sse.addEventListener('logout', () => {
        this.stop();
        void this.auth.logout();
      });
      sse.onerror = () => {
        // A ticket is single-use, so EventSource's own reconnect cannot succeed: reopen.
        sse.close();
        if (this.sse === sse) this.retry('sse');
      };
    } catch {
      this.retry('sse');
    }
  }

  private retry(which: 'ws' | 'sse'): void {
    if (!this.running) return;
    const n = which === 'ws' ? ++this.wsRetry : ++this.sseRetry;
    (which === 'ws' ? this.wsState : this.sseState).set('connecting');
    const delay = Math.min(10_000, 500 * 2 ** Math.min(n, 5));
    const t = setTimeout(() => {
      this.timers.delete(t);
      void (which === 'ws' ? this.openWs() : this.openSse());
      if (which === 'sse') void this.alarms.load(); // catch up on what the gap missed
    }, delay);
    this.timers.add(t);
  }

  private sendSubscribe(): void {
    if (this.ws?.readyState === WebSocket.OPEN) {
      // "all": patients admitted later stream too (the store then reloads the list).
      this.ws.send(JSON.stringify({ type: 'subscribe', patient_ids: 'all' }));
    }
  }
}
