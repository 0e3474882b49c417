import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { TokenResponse, User } from './api.types';

/** Seconds before expiry at which the access token is renewed in the background. */
const REFRESH_MARGIN_S = 60;

/**
 * Login state. The access token lives only in this service's memory; the refresh token is the
 * backend's HttpOnly SameSite cookie (path /api/auth), which script can neither read nor store —
 * a page reload therefore restores the session through one refresh call.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly token = signal<string | null>(null);
  private readonly currentUser = signal<User | null>(null);
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private inflightRefresh: Promise<boolean> | null = null;

  readonly user = this.currentUser.asReadonly();
  readonly loggedIn = computed(() => this.token() !== null);
  readonly isAdmin = computed(() => this.currentUser()?.role === 'admin');
  readonly canEdit = computed(() => {
    const role = this.currentUser()?.role;
    return role === 'admin' || role === 'clinician';
  });

  accessToken(): string | null {
    return this.token();
  }

  async login(username: string, password: string): Promise<void> {
    const body = new HttpParams().set('username', username).set('password', password);
    const res = await firstValueFrom(
      this.http.post<TokenResponse>('/api/auth/login', body, { withCredentials: true }),
    );
    this.accept(res);
  }

  /** Renews the access token from the refresh cookie; false when the session is over. Concurrent
   *  callers share one request, because the backend spends a refresh token on first use. */
  refresh(): Promise<boolean> {
    this.inflightRefresh ??= firstValueFrom(
      this.http.post<TokenResponse>('/api/auth/refresh', {}, { withCredentials: true }),
    )
      .then((res) => {
        this.accept(res);
        return true;
      })
      .catch(() => {
        this.clear();
        return false;
      })
      .finally(() => {
        this.inflightRefresh = null;
      });
    return this.inflightRefresh;
  }

  async logout(): Promise<void> {
    try {
      if (this.token()) {
        await firstValueFrom(this.http.post('/api/auth/logout', {}, { withCredentials: true }));
      }
    } catch {
      // The session ends locally whatever the server says.
    } finally {
      this.clear();
      await this.router.navigateByUrl('/login');
    }
  }

  /** Forgets the session without a server call (e.g. after a failed refresh). */
  clear(): void {
    clearTimeout(this.refreshTimer);
    this.token.set(null);
    this.currentUser.set(null);
  }

  private accept(res: TokenResponse): void {
    this.token.set(res.access_token);
    this.currentUser.set(res.user);
    clearTimeout(this.refreshTimer);
    const inMs = Math.max(5, res.expires_in - REFRESH_MARGIN_S) * 1000;
    this.refreshTimer = setTimeout(() => void this.refresh(), inMs);
  }
}
