import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { TokenResponse } from './api.types';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';

const token = (t: string): TokenResponse => ({
  access_token: t, token_type: 'bearer', expires_in: 900,
  user: { id: 1, username: 'admin', role: 'admin', active: true, created_at: '2026-01-01T00:00:00Z' },
});

describe('AuthService + authInterceptor', () => {
  let http: HttpTestingController;
  let auth: AuthService;
  let client: HttpClient;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'login', children: [] }]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    client = TestBed.inject(HttpClient);
  });

  afterEach(() => {
    auth.clear();
    http.verify();
  });

  it('logs in with a form post, keeps the token in memory only and sends it as a bearer', async () => {
    const done = auth.login('admin', 's3cret');
    const req = http.expectOne('/api/auth/login');
    expect(req.request.body.toString()).toBe('username=admin&password=s3cret');
    expect(req.request.withCredentials).toBe(true);
    req.flush(token('A1'));
    await done;
    expect(auth.loggedIn()).toBe(true);
    expect(auth.isAdmin()).toBe(true);
    expect(JSON.stringify(localStorage)).not.toContain('A1');
    expect(JSON.stringify(sessionStorage)).not.toContain('A1');

    const get = firstValueFrom(client.get('/api/patients'));
    const r = http.expectOne('/api/patients');
    expect(r.request.headers.get('Authorization')).toBe('Bearer A1');
    r.flush({ items: [] });
    await get;
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const login = auth.login('admin', 'x');
    http.expectOne('/api/auth/login').flush(token('OLD'));
    await login;

    const get = firstValueFrom(client.get<{ ok: boolean }>('/api/alarms'));
    http.expectOne('/api/alarms').flush({}, { status: 401, statusText: 'Unauthorized' });
    await Promise.resolve();
    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.withCredentials).toBe(true);
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush(token('NEW'));
    await new Promise((r) => setTimeout(r));
    const retry = http.expectOne('/api/alarms');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer NEW');
    retry.flush({ ok: true });
    expect(await get).toEqual({ ok: true });
  });

  it('shares one refresh between concurrent callers and ends the session when it fails', async () => {
    const a = auth.refresh();
    const b = auth.refresh();
    const reqs = http.match('/api/auth/refresh');
    expect(reqs.length).toBe(1);
    reqs[0].flush({ error: { code: 'unauthorized' } }, { status: 401, statusText: 'Unauthorized' });
    expect(await a).toBe(false);
    expect(await b).toBe(false);
    expect(auth.loggedIn()).toBe(false);
  });

  it('logs out on the server and forgets the token', async () => {
    const login = auth.login('admin', 'x');
    http.expectOne('/api/auth/login').flush(token('T'));
    await login;
    const out = auth.logout();
    const req = http.expectOne('/api/auth/logout');
    expect(req.request.headers.get('Authorization')).toBe('Bearer T');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await out;
    expect(auth.loggedIn()).toBe(false);
    expect(auth.accessToken()).toBeNull();
  });
});
