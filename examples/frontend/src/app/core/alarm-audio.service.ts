import { Injectable, signal } from '@angular/core';
import { AlarmPriority, tonePattern } from './alarm-tones';

/** Plays the pattern of the highest active priority until told otherwise (Web Audio). */
@Injectable({ providedIn: 'root' })
export class AlarmAudioService {
  private ctx: AudioContext | null = null;
  private current: { priority: AlarmPriority; escalated: boolean } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What is sounding now (null = silent), for the UI and the tests. */
  readonly playing = signal<{ priority: AlarmPriority; escalated: boolean } | null>(null);
  /** Number of bursts started since load (observable by tests without listening). */
  readonly bursts = signal(0);
  /** False while the browser blocks audio until a user gesture. */
  readonly unlocked = signal(false);

  constructor() {
    // Read-only probe for the end-to-end tests (what is sounding, and whether audio runs).
    (globalThis as { __vsAudio?: unknown }).__vsAudio = {
      state: () => ({ playing: this.playing(), bursts: this.bursts(), context: this.ctx?.state ?? 'none' }),
    };
  }

  /** Call from a user gesture (click/keypress): browsers start audio only after one. */
  unlock(): void {
    const ctx = this.context();
    if (!ctx) return;
    void ctx.resume().then(() => this.unlocked.set(ctx.state === 'running'));
  }

  /** Sets the sound to play; null silences. Same value again keeps the rhythm undisturbed. */
  set(priority: AlarmPriority | null, escalated = false): void {
    const same = this.current?.priority === priority && this.current?.escalated === escalated;
    if (same || (priority === null && this.current === null)) return;
    clearTimeout(this.timer);
    this.current = priority ? { priority, escalated } : null;
    this.playing.set(this.current);
    if (this.current) this.burst();
  }

  private burst(): void {
    const cur = this.current;
    if (!cur) return;
    const pattern = tonePattern(cur.priority, cur.escalated);
    const ctx = this.context();
    if (ctx && ctx.state === 'running') {
      const t0 = ctx.currentTime + 0.02;
      const volume = cur.escalated ? 0.5 : 0.3;
      for (const p of pattern.pulses) this.pulse(ctx, t0 + p.at, p.durationS, p.frequencyHz, volume);
    }
    this.bursts.update((n) => n + 1);
    this.timer = setTimeout(() => this.burst(), pattern.repeatS * 1000);
  }

  private pulse(ctx: AudioContext, at: number, dur: number, freq: number, volume: number): void {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'triangle';
    osc.frequency.value = freq;
    const ramp = Math.min(0.02, dur / 4);
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(volume, at + ramp);
    gain.gain.setValueAtTime(volume, at + dur - ramp);
    gain.gain.linearRampToValueAtTime(0, at + dur);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + dur + 0.01);
  }

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor = globalThis.AudioContext;
    if (typeof Ctor !== 'function') return null;
    this.ctx = new Ctor();
    return this.ctx;
  }
}
