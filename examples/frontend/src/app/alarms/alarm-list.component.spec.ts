import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AlarmsStore } from '../core/alarms.store';
import { Alarm } from '../core/api.types';
import { AuthService } from '../core/auth.service';
import { AlarmListComponent } from './alarm-list.component';

const vt: Alarm = {
  id: 42, patient_id: 3, session_id: 1, type: 'VT alarm', severity: 'critical', onset_at: new Date().toISOString(),
  offset_at: null, value: 170, acknowledged_by: null, acknowledged_at: null, resolved_at: null, state: 'active',
};

describe('AlarmListComponent', () => {
  it('lists alarms with priority text and acknowledges one with its button', async () => {
    TestBed.configureTestingModule({
      imports: [AlarmListComponent],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    // A clinician may acknowledge: log in through the real service against the test backend.
    const auth = TestBed.inject(AuthService);
    const login = auth.login('nurse', 'pw');
    http.expectOne('/api/auth/login').flush({
      access_token: 't', token_type: 'bearer', expires_in: 900,
      user: { id: 2, username: 'nurse', role: 'clinician', active: true, created_at: '' },
    });
    await login;
    TestBed.inject(AlarmsStore).upsert(vt);
    const fixture = TestBed.createComponent(AlarmListComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const item = el.querySelector<HTMLElement>('[data-testid="alarm-item"]')!;
    expect(item.dataset['acknowledged']).toBe('false');
    expect(item.textContent).toContain('Critical');
    expect(item.textContent).toContain('ventricular tachycardia');

    el.querySelector<HTMLButtonElement>('[data-testid="alarm-ack"]')!.click();
    const req = http.expectOne('/api/alarms/42/ack');
    req.flush({ ...vt, state: 'acknowledged', acknowledged_by: 2 });
    await fixture.whenStable();
    const after = el.querySelector<HTMLElement>('[data-testid="alarm-item"]')!;
    expect(after.dataset['acknowledged']).toBe('true');
    expect(after.textContent).toContain('Acknowledged by nurse');
    expect(el.querySelector('[data-testid="alarm-ack"]')).toBeNull();
    expect(el.textContent).toContain('0 unacknowledged');
    auth.clear();
  });
});
