import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { WfdbBeat, readBeatAnnotations } from './wfdb-annotations';
import { Alarm, Episode, Page, Patient, Session, TrendPoint, Waveform } from '../core/api.types';

/** Read-side calls of the patient view and review mode. */
@Injectable({ providedIn: 'root' })
export class PatientApiService {
  private readonly http = inject(HttpClient);

  patient(id: number): Promise<Patient> {
    return firstValueFrom(this.http.get<Patient>(`/api/patients/${id}`));
  }

  async sessions(id: number): Promise<Session[]> {
    const res = await firstValueFrom(this.http.get<Session[] | Page<Session>>(`/api/patients/${id}/sessions`));
    return Array.isArray(res) ? res : res.items;
  }

  async trends(id: number, since: Date): Promise<TrendPoint[]> {
    const res = await firstValueFrom(this.http.get<{ items: TrendPoint[] }>(
      `/api/patients/${id}/trends`, { params: { since: since.toISOString() } }));
    return res.items;
  }

  async episodes(id: number, since: Date): Promise<Episode[]> {
    const res = await firstValueFrom(this.http.get<{ items: Episode[] } | Episode[]>(
      `/api/patients/${id}/episodes`, { params: { since: since.toISOString() } }));
    return Array.isArray(res) ? res : res.items;
  }

  async alarmHistory(id: number): Promise<Alarm[]> {
    const res = await firstValueFrom(this.http.get<Page<Alarm>>('/api/alarms', {
      params: { patient_id: id, page_size: 200 },
    }));
    return res.items;
  }

  waveform(sessionId: number, startS: number, durationS: number): Promise<Waveform> {
    return firstValueFrom(this.http.get<Waveform>(`/api/sessions/${sessionId}/waveform`, {
      params: { start: startS, duration: durationS },
    }));
  }

  /** Beats of a session from its WFDB annotation file (the API has no beats route); empty when
   *  the session has none yet. */
  async beats(sessionId: number): Promise<WfdbBeat[]> {
    const buf = await firstValueFrom(this.http.get(`/api/sessions/${sessionId}/wfdb/s${sessionId}.atr`,
      { responseType: 'arraybuffer' }));
    return readBeatAnnotations(new Uint8Array(buf));
  }

  /** Fetches a file with the bearer token and hands it to the browser as a download. */
  async download(url: string, filename: string): Promise<void> {
    const blob = await firstValueFrom(this.http.get(url, { responseType: 'blob' }));
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
  }
}
