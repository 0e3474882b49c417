import {
  ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, computed, input, model, viewChild,
} from '@angular/core';

export interface ViewBeat {
  idx: number;
  label: string;
}

export interface ViewSpan {
  startIdx: number;
  endIdx: number;
  label: string;
}

/**
 * A static ECG strip on paper-like grid (5 mm squares, 25 mm/s horizontally and 10 mm/mV when it
 * fits): the window [start, start + seconds) of `samples` (which begin at `offset`), with beat
 * labels and shaded spans. Arrow keys move by 1 s, Page Up/Down by a window.
 */
@Component({
  selector: 'vs-trace-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="wrap" tabindex="0" role="img" [attr.aria-label]="ariaLabel()" (keydown)="key($event)">
      <canvas #canvas></canvas>
    </div>
  `,
  styles: `
    :host { display: block; }
    .wrap { width: 100%; height: 100%; min-height: 160px; }
    canvas { display: block; width: 100%; height: 100%; }
  `,
})
export class TraceViewComponent {
  readonly samples = input.required<ArrayLike<number>>();
  readonly fs = input.required<number>();
  /** Absolute index of samples[0]. */
  readonly offset = input(0);
  readonly beats = input<readonly ViewBeat[]>([]);
  readonly spans = input<readonly ViewSpan[]>([]);
  /** Window start, seconds from index 0 (two-way bindable). */
  readonly start = model(0);
  readonly seconds = input(10);
  /** Total length in seconds the window may scroll over. */
  readonly totalSeconds = input<number | null>(null);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  protected readonly ariaLabel = computed(() => {
    const s = this.start();
    const n = this.beats().filter((b) => b.idx >= s * this.fs() && b.idx < (s + this.seconds()) * this.fs()).length;
    return `ECG from ${s.toFixed(1)} s to ${(s + this.seconds()).toFixed(1)} s, ${n} beats`;
  });

  constructor() {
    afterRenderEffect(() => this.draw());
  }

  protected key(ev: KeyboardEvent): void {
    const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 :
      ev.key === 'PageDown' ? this.seconds() : ev.key === 'PageUp' ? -this.seconds() : 0;
    if (!step) return;
    ev.preventDefault();
    const total = this.totalSeconds() ?? (this.offset() + this.samples().length) / this.fs();
    this.start.set(Math.max(0, Math.min(Math.max(0, total - this.seconds()), this.start() + step)));
  }

  private draw(): void {
    const canvas = this.canvas().nativeElement;
    const samples = this.samples();
    const fs = this.fs();
    const offset = this.offset();
    const beats = this.beats();
    const spans = this.spans();
    const start = this.start();
    const seconds = this.seconds();
    const dpr = globalThis.devicePixelRatio || 1;
    const w = canvas.clientWidth || 800;
    const h = canvas.clientHeight || 200;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#07110f';
    ctx.fillRect(0, 0, w, h);
    const pxPerS = w / seconds;
    const mm = pxPerS / 25; // pixels per paper millimetre at 25 mm/s
    ctx.lineWidth = 1;
    for (let x = 0, i = 0; x < w; x += mm, i++) {
      ctx.strokeStyle = i % 5 === 0 ? '#1f3b33' : '#12241f';
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, h);
      ctx.stroke();
    }
    for (let y = 0, i = 0; y < h; y += mm, i++) {
      ctx.strokeStyle = i % 5 === 0 ? '#1f3b33' : '#12241f';
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(w, y);
      ctx.stroke();
    }
    const from = Math.floor(start * fs);
    const to = Math.ceil((start + seconds) * fs);
    // Shaded episodes.
    for (const s of spans) {
      const a = Math.max(from, s.startIdx);
      const b = Math.min(to, s.endIdx < 0 ? to : s.endIdx);
      if (b <= a) continue;
      ctx.fillStyle = 'rgba(255, 209, 102, 0.12)';
      ctx.fillRect(((a - from) / fs) * pxPerS, 0, ((b - a) / fs) * pxPerS, h);
      ctx.fillStyle = '#ffd166';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.fillText(s.label, ((a - from) / fs) * pxPerS + 4, h - 6);
    }
    // Baseline: median of the window, so wander does not push the trace off the strip.
    const win: number[] = [];
    for (let i = from; i < to; i += 4) {
      const v = samples[i - offset];
      if (i - offset >= 0 && i - offset < samples.length && Number.isFinite(v)) win.push(v);
    }
    win.sort((a, b) => a - b);
    const base = win.length ? win[win.length >> 1] : 0;
    const scale = Math.min(10 * mm, h / 3.2);
    const mid = h * 0.55;
    ctx.strokeStyle = '#39e27d';
    ctx.lineWidth = 1.3;
    ctx.beginPath();
    let pen = false;
    for (let i = from; i < to; i++) {
      const j = i - offset;
      const v = j >= 0 && j < samples.length ? samples[j] : NaN;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = ((i - from) / fs) * pxPerS;
      const y = mid - (v - base) * scale;
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const b of beats) {
      if (b.idx < from || b.idx >= to) continue;
      ctx.fillStyle = b.label === 'N' ? '#cfd8dc' : b.label === 'V' ? '#ff6b6b' : '#ffd166';
      ctx.fillText(b.label, ((b.idx - from) / fs) * pxPerS, 16);
    }
    ctx.fillStyle = '#b8c4cc';
    ctx.textAlign = 'left';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`${start.toFixed(1)} s`, 4, h - 20);
  }
}
