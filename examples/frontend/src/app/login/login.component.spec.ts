import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { LoginComponent } from './login.component';

describe('LoginComponent', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [LoginComponent],
      providers: [provideRouter([{ path: 'station', children: [] }]), provideHttpClient(), provideHttpClientTesting()],
    });
  });

  async function fillAndSubmit(el: HTMLElement, user: string, pw: string): Promise<void> {
    const u = el.querySelector<HTMLInputElement>('[data-testid="login-username"]')!;
    const p = el.querySelector<HTMLInputElement>('[data-testid="login-password"]')!;
    u.value = user;
    u.dispatchEvent(new Event('input'));
    p.value = pw;
    p.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('[data-testid="login-submit"]')!.click();
  }

  it('shows a clear message for wrong credentials', async () => {
    const fixture = TestBed.createComponent(LoginComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    await fillAndSubmit(el, 'admin', 'bad');
    TestBed.inject(HttpTestingController).expectOne('/api/auth/login')
      .flush({ error: { code: 'unauthorized', message: 'bad credentials' } }, { status: 401, statusText: 'Unauthorized' });
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="login-error"]')?.textContent).toContain('Wrong user name or password');
  });

  it('goes to the station after a successful login', async () => {
    const fixture = TestBed.createComponent(LoginComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    await fillAndSubmit(el, 'admin', 'good');
    TestBed.inject(HttpTestingController).expectOne('/api/auth/login').flush({
      access_token: 't', token_type: 'bearer', expires_in: 900,
      user: { id: 1, username: 'admin', role: 'admin', active: true, created_at: '' },
    });
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r, 10));
    expect(TestBed.inject(Router).url).toBe('/station');
  });

  it('asks for both fields before calling the server', async () => {
    const fixture = TestBed.createComponent(LoginComponent);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    await fillAndSubmit(el, '', '');
    await fixture.whenStable();
    TestBed.inject(HttpTestingController).expectNone('/api/auth/login');
    expect(el.textContent).toContain('Enter user name and password');
  });
});
