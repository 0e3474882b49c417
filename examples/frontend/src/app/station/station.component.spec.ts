import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AlarmsStore } from '../core/alarms.store';
import { Patient } from '../core/api.types';
import { PatientsStore } from '../core/patients.store';
import { StationComponent } from './station.component';

const patient = (id: number, bed: string): Patient => ({
  id, mrn: `M${id}`, name: `Patient ${id}`, birth_date: null, sex: 'U', ward: 'ICU', bed,
  created_at: '2026-01-01T00:00:00Z', active_session_id: id, active_alarms: 0,
});

describe('StationComponent', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [StationComponent],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
  });

  it('shows one tile per patient with heart rate, rhythm and alarm state as colour and text', async () => {
    const store = TestBed.inject(PatientsStore);
    const alarms = TestBed.inject(AlarmsStore);
    store.patients.set([patient(1, '1'), patient(2, '2'), patient(3, '3')]);
    store.onWaveform({ type: 'waveform', patient_id: 1, session_id: 1, seq: 0, fs: 250, start_sample: 0, samples: [0, 0.1] });
    store.onBeats({ type: 'beats', patient_id: 1, beats: [{ sample: 1, class: 'N' }], hr_bpm: 72.4, rhythm: 'sinus rhythm' });
    store.onWaveform({ type: 'waveform', patient_id: 2, session_id: 2, seq: 0, fs: 250, start_sample: 0, samples: [0] });
    alarms.upsert({
      id: 1, patient_id: 2, session_id: 2, type: 'VT alarm', severity: 'critical', onset_at: new Date().toISOString(),
      offset_at: null, value: 180, acknowledged_by: null, acknowledged_at: null, resolved_at: null, state: 'active',
    });
    const fixture = TestBed.createComponent(StationComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const tiles = el.querySelectorAll<HTMLElement>('[data-testid="patient-tile"]');
    expect(tiles.length).toBe(3);
    expect(tiles[0].querySelector('[data-testid="tile-hr"]')?.textContent?.trim()).toBe('72');
    expect(tiles[0].textContent).toContain('sinus rhythm');
    expect(tiles[0].querySelector('[data-testid="tile-alarm-state"]')?.textContent).toContain('No alarm');
    expect(tiles[1].classList).toContain('alarm-high');
    const state = tiles[1].querySelector('[data-testid="tile-alarm-state"]');
    expect(state?.textContent?.trim()).toBe('CRIT VT');
    expect(state?.getAttribute('title')).toBe('CRITICAL: ventricular tachycardia');
    expect(tiles[2].querySelector('[data-testid="tile-alarm-state"]')?.textContent).toContain('No data');
    expect(tiles[1].getAttribute('aria-label')).toContain('CRITICAL');
    // One canvas for all traces.
    expect(el.querySelectorAll('canvas').length).toBe(1);
    TestBed.inject(HttpTestingController).match(() => true);
  });
});
