import { TraceBuffer } from '../core/trace-buffer';
import { FrameStats, percentiles } from './frame-meter';

/** CSS pixels per millimetre (CSS defines 96 px per inch). */
export const PX_PER_MM = 96 / 25.4;
/** Paper speed of a monitor sweep. */
export const SWEEP_MM_PER_S = 25;
/** Live data arrives in chunks (about one per second); the sweep runs this far behind the newest
 *  sample so that it moves evenly instead of in jumps. */
export const PLAYBACK_DELAY_S = 1.6;
const ERASE_BAR_PX = 14;

export interface TileRect {
  patientId: number;
  /** Trace area in CSS pixels relative to the canvas. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Draw beat labels above the R waves (patient view). */
  labels?: boolean;
  colour?: string;
}

interface TileState {
  rect: TileRect;
  /** Absolute sample index drawn up to (fractional: the sweep advances by time). */
  cursor: number;
  /** Baseline estimate subtracted from the trace (slow running mean). */
  baseline: number;
  fs: number;
}

/** Sample index -> x offset inside the tile on a sweep of the given width. */
export function sweepX(idx: number, fs: number, widthPx: number): number {
  const px = (idx / fs) * SWEEP_MM_PER_S * PX_PER_MM;
  return ((px % widthPx) + widthPx) % widthPx;
}

/** Vertical scale: 10 mm/mV when the tile is tall enough, else what fits ±1.6 mV. */
export function pxPerMv(heightPx: number): number {
  return Math.min(10 * PX_PER_MM, heightPx / 3.2);
}

/**
 * Draws every patient's sweeping trace into ONE canvas (browsers cap WebGL contexts per page, and
 * one 2D canvas keeps the per-frame cost to a few short paths): each frame adds only the samples
 * that became due since the last frame and clears an erase bar ahead of the sweep, like a
 * bedside monitor at 25 mm/s.
 */
export class SweepRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private tiles = new Map<number, TileState>();
  private lastFrame = 0;
  private dpr = 1;
  private readonly frameMs: number[] = [];
  private framePos = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly statsSize = 4000) {
    const ctx = canvas.getContext('2d', { alpha: true, desynchronized: true });
    if (!ctx) throw new Error('2D canvas not available');
    this.ctx = ctx;
  }

  /** New layout (CSS size of the canvas and the tile rectangles): clears and redraws history. */
  layout(cssWidth: number, cssHeight: number, rects: TileRect[], dpr = globalThis.devicePixelRatio || 1): void {
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(cssWidth * dpr));
    this.canvas.height = Math.max(1, Math.round(cssHeight * dpr));
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.tiles = new Map(rects.map((r) => [r.patientId, { rect: r, cursor: NaN, baseline: NaN, fs: 0 }]));
  }

  /** Draws one frame. `trace(id)` gives a patient's buffer (undefined: no data yet). */
  frame(nowMs: number, trace: (patientId: number) => TraceBuffer | undefined): void {
    const t0 = performance.now();
    const dt = this.lastFrame ? Math.min(0.25, (nowMs - this.lastFrame) / 1000) : 0;
    this.lastFrame = nowMs;
    for (const st of this.tiles.values()) {
      const buf = trace(st.rect.patientId);
      if (buf && buf.endIdx > 0) this.advance(st, buf, dt);
    }
    this.record(performance.now() - t0);
  }

  /** Draw-time statistics of the recent frames, ms. */
  stats(): FrameStats {
    return percentiles(this.frameMs);
  }

  /** Repaints a tile from its buffer at the next frame (e.g. after older samples arrived). */
  repaint(patientId: number): void {
    const st = this.tiles.get(patientId);
    if (st) st.cursor = NaN;
  }

  resetStats(): void {
    this.frameMs.length = 0;
    this.framePos = 0;
  }

  private advance(st: TileState, buf: TraceBuffer, dt: number): void {
    const fs = buf.fs;
    const target = buf.endIdx - PLAYBACK_DELAY_S * fs;
    const widthSamples = (st.rect.w / (SWEEP_MM_PER_S * PX_PER_MM)) * fs;
    if (st.fs !== fs || !Number.isFinite(st.cursor) || Math.abs(target - st.cursor) > 3 * fs) {
      // First data, new session or a long stall: jump and paint the last sweep from history.
      st.fs = fs;
      st.cursor = Math.max(buf.startIdx, target);
      st.baseline = NaN;
      this.clearTile(st.rect);
      const from = Math.max(buf.startIdx, Math.floor(st.cursor - widthSamples + ERASE_BAR_PX * 2 * fs / (SWEEP_MM_PER_S * PX_PER_MM)));
      this.drawRange(st, buf, from, Math.floor(st.cursor), false);
      return;
    }
    // Real-time pace, nudged toward the target so that the delay stays constant.
    const next = Math.min(buf.endIdx, st.cursor + dt * fs + (target - st.cursor) * 0.05);
    if (Math.floor(next) > Math.floor(st.cursor)) {
      this.drawRange(st, buf, Math.floor(st.cursor), Math.floor(next), true);
    }
    st.cursor = Math.max(st.cursor, next);
  }

  /** Draws samples [from, to] (inclusive of `from` as the joining point). */
  private drawRange(st: TileState, buf: TraceBuffer, from: number, to: number, erase: boolean): void {
    const { x, y, w, h } = st.rect;
    const fs = buf.fs;
    const ctx = this.ctx;
    const scale = pxPerMv(h);
    const mid = y + h / 2;
    if (erase) {
      const x0 = sweepX(from, fs, w);
      const x1 = sweepX(to, fs, w);
      const span = (x1 - x0 + w) % w;
      this.clearSpan(st.rect, x0 + 1, span + ERASE_BAR_PX);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.strokeStyle = st.rect.colour ?? '#39e27d';
    ctx.lineWidth = 1.4;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    let pen = false;
    let prevX = -1;
    for (let i = from; i <= to; i++) {
      const v = buf.at(i);
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      st.baseline = Number.isFinite(st.baseline) ? st.baseline + (v - st.baseline) / (fs * 1.5) : v;
      const px = x + sweepX(i, fs, w);
      const py = Math.min(y + h - 1, Math.max(y + 1, mid - (v - st.baseline) * scale));
      if (!pen || px < prevX) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
      pen = true;
      prevX = px;
    }
    ctx.stroke();
    if (st.rect.labels) this.drawLabels(st, buf, from, to);
    ctx.restore();
  }

  private drawLabels(st: TileState, buf: TraceBuffer, from: number, to: number): void {
    const { x, y, w } = st.rect;
    const ctx = this.ctx;
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const b of buf.beatsIn(from, to + 1)) {
      ctx.fillStyle = b.label === 'N' ? '#cfd8dc' : b.label === 'V' ? '#ff6b6b' : '#ffd166';
      ctx.fillText(b.label, x + sweepX(b.sample, buf.fs, w), y + 14);
    }
  }

  private clearSpan(r: TileRect, x0: number, len: number): void {
    const start = ((x0 % r.w) + r.w) % r.w;
    const first = Math.min(len, r.w - start);
    this.ctx.clearRect(r.x + start, r.y, first, r.h);
    if (len > first) this.ctx.clearRect(r.x, r.y, Math.min(r.w, len - first), r.h);
  }

  private clearTile(r: TileRect): void {
    this.ctx.clearRect(r.x, r.y, r.w, r.h);
  }

  private record(ms: number): void {
    if (this.frameMs.length < this.statsSize) this.frameMs.push(ms);
    else this.frameMs[this.framePos++ % this.statsSize] = ms;
  }
}
