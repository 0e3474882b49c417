import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/patients.store';

@Component({
  selector: 'vs-login',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="login" (ngSubmit)="submit()" aria-labelledby="login-title">
      <h1 id="login-title">Sign in to the central station</h1>
      <label for="username">User name</label>
      <input id="username" name="username" data-testid="login-username" autocomplete="username"
             [(ngModel)]="username" required autofocus />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" data-testid="login-password"
             autocomplete="current-password" [(ngModel)]="password" required />
      @if (error(); as err) {
        <p class="error" role="alert" data-testid="login-error">{{ err }}</p>
      }
      <button type="submit" data-testid="login-submit" [disabled]="busy()">
        {{ busy() ? 'Signing in…' : 'Sign in' }}
      </button>
      <p class="hint">The file analysis works without signing in: nothing leaves this computer.</p>
    </form>
  `,
  styles: `
    .login { max-width: 340px; margin: 10vh auto; display: flex; flex-direction: column; gap: 8px;
      background: #0b1419; border: 1px solid #2b3a44; border-radius: 8px; padding: 20px; }
    button { margin-top: 8px; padding: 8px; font-weight: 700; }
    .hint { font-size: 12px; color: #b8c4cc; }
  `,
})
export class LoginComponent {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected username = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    if (!this.username || !this.password) {
      this.error.set('Enter user name and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login(this.username, this.password);
      this.password = '';
      const next = this.route.snapshot.queryParamMap.get('next') ?? '/station';
      await this.router.navigateByUrl(next.startsWith('/') ? next : '/station');
    } catch (e) {
      const status = (e as { status?: number }).status;
      this.error.set(status === 401 ? 'Wrong user name or password.' : `Sign-in failed: ${describeError(e)}`);
    } finally {
      this.busy.set(false);
    }
  }
}
