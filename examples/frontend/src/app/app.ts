import { ChangeDetectionStrategy, Component, effect, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AlarmAudioService } from './core/alarm-audio.service';
import { AlarmsStore } from './core/alarms.store';
import { AuthService } from './core/auth.service';
import { LiveService } from './core/live.service';
import { PatientsStore } from './core/patients.store';

/** Shell: navigation, session, the live feeds (alarms sound on every page) and the ARIA live
 *  region that announces new alarms to screen readers. */
@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
  host: { '(document:pointerdown)': 'unlockAudio()', '(document:keydown)': 'unlockAudio()' },
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly alarms = inject(AlarmsStore);
  protected readonly audio = inject(AlarmAudioService);
  private readonly live = inject(LiveService);
  private readonly patients = inject(PatientsStore);

  constructor() {
    effect(() => {
      if (this.auth.loggedIn()) {
        void this.patients.load().then(() => {
          void this.alarms.load();
          if (this.auth.loggedIn()) this.live.start();
        });
      } else {
        this.live.stop();
        this.alarms.clear();
        this.patients.clear();
      }
    });
  }

  protected unlockAudio(): void {
    if (!this.audio.unlocked()) this.audio.unlock();
  }

  protected logout(): void {
    void this.auth.logout();
  }
}
