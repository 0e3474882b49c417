import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AlarmAudioService } from './alarm-audio.service';
import { AUDIO_PAUSE_MS, AlarmsStore, ESCALATE_AFTER_MS, alarmTitle } from './alarms.store';
import { Alarm, Severity } from './api.types';

const alarm = (id: number, severity: Severity, onsetMsAgo = 0, patient = 1): Alarm => ({
  id, patient_id: patient, session_id: 1, type: severity === 'critical' ? 'VT alarm' : 'couplet', severity,
  onset_at: new Date(Date.now() - onsetMsAgo).toISOString(), offset_at: null, value: null,
  acknowledged_by: null, acknowledged_at: null, resolved_at: null, state: 'active',
});

describe('AlarmsStore', () => {
  let store: AlarmsStore;
  let audio: AlarmAudioService;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(AlarmsStore);
    audio = TestBed.inject(AlarmAudioService);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('lists unacknowledged alarms by priority and sounds the highest one', () => {
    store.upsert(alarm(1, 'advisory'));
    store.upsert(alarm(3, 'warning'));
    store.upsert(alarm(2, 'critical'));
    TestBed.tick();
    expect(store.unacknowledged().map((a) => a.id)).toEqual([2, 3, 1]);
    expect(audio.playing()).toEqual({ priority: 'high', escalated: false });
    expect(store.announcement()).toContain('Critical alarm: ventricular tachycardia');
    expect(store.worstByPatient().get(1)?.id).toBe(2);
  });

  it('acknowledges through the API; the alarm stays listed as acknowledged and the tone drops', async () => {
    store.upsert(alarm(7, 'critical'));
    store.upsert(alarm(8, 'warning'));
    const done = store.acknowledge(7);
    const req = http.expectOne('/api/alarms/7/ack');
    expect(req.request.method).toBe('POST');
    req.flush({ ...alarm(7, 'critical'), state: 'acknowledged', acknowledged_by: 'admin' });
    await done;
    TestBed.tick();
    expect(store.unacknowledged().map((a) => a.id)).toEqual([8]);
    expect(store.list().find((a) => a.id === 7)?.state).toBe('acknowledged');
    expect(audio.playing()?.priority).toBe('medium');
  });

  it('reports a failed acknowledge and keeps the alarm unacknowledged', async () => {
    store.upsert(alarm(9, 'critical'));
    const done = store.acknowledge(9);
    http.expectOne('/api/alarms/9/ack').flush({ error: { code: 'forbidden', message: 'viewer cannot acknowledge' } },
      { status: 403, statusText: 'Forbidden' });
    await done;
    expect(store.error()).toContain('viewer cannot acknowledge');
    expect(store.unacknowledged().length).toBe(1);
  });

  it('pauses audio for two minutes, but a new critical alarm ends the pause', () => {
    store.upsert(alarm(1, 'warning'));
    store.pauseAudio();
    TestBed.tick();
    expect(store.audioPaused()).toBe(true);
    expect(store.pauseRemainingS()).toBe(AUDIO_PAUSE_MS / 1000);
    expect(audio.playing()).toBeNull();
    store.upsert(alarm(2, 'critical'));
    TestBed.tick();
    expect(store.audioPaused()).toBe(false);
    expect(audio.playing()?.priority).toBe('high');
  });

  it('escalates an unacknowledged critical alarm after a minute, audible even while paused', () => {
    store.upsert(alarm(5, 'critical', ESCALATE_AFTER_MS - 5000));
    TestBed.tick();
    expect(store.list()[0].escalated).toBe(false);
    store.pauseAudio();
    store.setNow(Date.now() + 10_000);
    TestBed.tick();
    expect(store.list()[0].escalated).toBe(true);
    expect(audio.playing()).toEqual({ priority: 'high', escalated: true });
  });

  it('announces the alarms already active when the list loads', async () => {
    const done = store.load();
    http.expectOne((r) => r.url === '/api/alarms').flush({
      items: [alarm(1, 'warning'), alarm(2, 'critical')], total: 2, page: 1, page_size: 200,
    });
    await done;
    expect(store.announcement()).toBe('2 active alarms; most urgent: Critical alarm: ventricular tachycardia, patient 1');
  });

  it('clears the list and silences on logout', () => {
    store.upsert(alarm(1, 'critical'));
    TestBed.tick();
    expect(audio.playing()).not.toBeNull();
    store.clear();
    TestBed.tick();
    expect(store.list()).toEqual([]);
    expect(audio.playing()).toBeNull();
  });

  it('names known alarm types and passes unknown ones through readably', () => {
    expect(alarmTitle('ASYSTOLE')).toBe('asystole');
    expect(alarmTitle('SOME_NEW_KIND')).toBe('some new kind');
  });
});
