import {
  AfterViewInit, ChangeDetectionStrategy, Component, ElementRef, OnDestroy, OnInit, computed,
  effect, inject, input, signal, viewChild, viewChildren,
} from '@angular/core';
import { DecimalPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { AlarmView, AlarmsStore, priorityWord } from '../core/alarms.store';
import { LiveService } from '../core/live.service';
import { PatientsStore } from '../core/patients.store';
import { AlarmListComponent } from '../alarms/alarm-list.component';
import { SweepRenderer, TileRect } from './sweep-renderer';
import { FrameMeter, FrameStats } from './frame-meter';

/** A device is "silent" when no waveform arrived for this long. */
const NO_DATA_MS = 5000;
const MAX_TILES = 64;

/** Debug/benchmark handle on window (read by the e2e tests and bench/frontend). */
interface StationProbe {
  tiles: number;
  /** Tiles whose patient sent a waveform chunk in the last 5 s. */
  live(): number;
  draw(): FrameStats;
  interval(): FrameStats;
  reset(): void;
}

@Component({
  selector: 'vs-station',
  imports: [DecimalPipe, RouterLink, AlarmListComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './station.component.html',
  styleUrl: './station.component.css',
})
export class StationComponent implements OnInit, AfterViewInit, OnDestroy {
  /** Query parameter ?max=N: show at most N tiles (a smaller wall, or the frame benchmark). */
  readonly max = input<string | undefined>(undefined);
  protected readonly store = inject(PatientsStore);
  protected readonly alarms = inject(AlarmsStore);
  protected readonly live = inject(LiveService);
  private readonly grid = viewChild.required<ElementRef<HTMLElement>>('grid');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private readonly traceAreas = viewChildren<ElementRef<HTMLElement>>('trace');
  private renderer: SweepRenderer | null = null;
  private readonly meter = new FrameMeter();
  private raf = 0;
  private resize: ResizeObserver | null = null;
  private layoutDirty = true;
  protected readonly canvasError = signal<string | null>(null);
  private readonly clock = signal(performance.now());
  private clockTimer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    // Tiles appear after the patient list loads: lay the canvas out again.
    effect(() => {
      this.traceAreas();
      this.layoutDirty = true;
    });
  }

  protected readonly tiles = computed(() => {
    const vitals = this.store.vitals();
    const worst = this.alarms.worstByPatient();
    const now = this.clock();
    const limit = Math.min(MAX_TILES, Math.max(1, Number(this.max() ?? MAX_TILES) || MAX_TILES));
    return this.store.patients().slice(0, limit).map((p) => {
      const v = vitals.get(p.id);
      const alarm = worst.get(p.id) ?? null;
      const noData = this.store.silentForMs(p.id, now) > NO_DATA_MS;
      return { patient: p, vitals: v ?? null, alarm, noData };
    });
  });
  protected readonly columns = computed(() => {
    const n = Math.max(1, this.tiles().length);
    return n <= 4 ? n : n <= 8 ? 4 : n <= 16 ? 4 : n <= 36 ? 6 : 8;
  });

  ngOnInit(): void {
    // The shell keeps the live feeds running; refresh the list in case beds changed.
    if (!this.store.patients().length) void this.store.load();
  }

  ngAfterViewInit(): void {
    try {
      this.renderer = new SweepRenderer(this.canvas().nativeElement);
    } catch (e) {
      this.canvasError.set(`Traces cannot be drawn: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.resize = new ResizeObserver(() => (this.layoutDirty = true));
    this.resize.observe(this.grid().nativeElement);
    const probe: StationProbe = {
      tiles: 0,
      live: () => this.tiles().filter((t) => this.store.silentForMs(t.patient.id) <= NO_DATA_MS).length,
      draw: () => this.renderer?.stats() ?? { frames: 0, mean: NaN, p50: NaN, p95: NaN },
      interval: () => this.meter.stats(),
      reset: () => {
        this.meter.reset();
        this.renderer?.resetStats();
      },
    };
    (globalThis as { __vsStation?: StationProbe }).__vsStation = probe;
    const loop = (t: number): void => {
      this.raf = requestAnimationFrame(loop);
      if (this.layoutDirty) this.relayout();
      probe.tiles = this.traceAreas().length;
      this.meter.tick(t);
      this.renderer?.frame(t, (id) => this.store.trace(id));
    };
    this.raf = requestAnimationFrame(loop);
    this.clockTimer = setInterval(() => this.clock.set(performance.now()), 2000);
  }

  ngOnDestroy(): void {
    cancelAnimationFrame(this.raf);
    clearInterval(this.clockTimer);
    this.resize?.disconnect();
    delete (globalThis as { __vsStation?: StationProbe }).__vsStation;
  }

  /** Full alarm state, for screen readers and the tooltip. */
  protected statusText(t: { alarm: AlarmView | null; noData: boolean }): string {
    if (t.alarm) {
      const word = priorityWord(t.alarm).toUpperCase();
      return `${t.alarm.escalated ? 'ESCALATED ' : ''}${word}: ${t.alarm.title}`;
    }
    return t.noData ? 'No data' : 'No alarm';
  }

  /** Short alarm state that fits a small tile ("CRIT VT", "WARN COUPLET"). */
  protected statusShort(t: { alarm: AlarmView | null; noData: boolean }): string {
    if (t.alarm) {
      const word = t.alarm.priority === 'high' ? 'CRIT' : t.alarm.priority === 'medium' ? 'WARN' : 'TECH';
      return `${t.alarm.escalated ? '!! ' : ''}${word} ${t.alarm.short}`;
    }
    return t.noData ? 'No data' : 'No alarm';
  }

  private relayout(): void {
    const gridEl = this.grid().nativeElement;
    const areas = this.traceAreas();
    if (!this.renderer) return;
    const box = gridEl.getBoundingClientRect();
    const rects: TileRect[] = [];
    for (const a of areas) {
      const el = a.nativeElement;
      const r = el.getBoundingClientRect();
      rects.push({
        patientId: Number(el.dataset['patient']),
        x: r.left - box.left + gridEl.scrollLeft,
        y: r.top - box.top + gridEl.scrollTop,
        w: r.width,
        h: r.height,
      });
    }
    this.renderer.layout(gridEl.scrollWidth, gridEl.scrollHeight, rects);
    this.layoutDirty = areas.length === 0;
  }
}
