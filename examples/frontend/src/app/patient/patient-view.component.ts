import { DatePipe, DecimalPipe } from '@angular/common';
import {
  AfterViewInit, ChangeDetectionStrategy, Component, ElementRef, OnDestroy, computed, effect, inject,
  input, signal, viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AlarmsStore, alarmTitle, priorityWord } from '../core/alarms.store';
import { Alarm, Episode, Patient, Session, TrendPoint } from '../core/api.types';
import { PatientsStore, describeError } from '../core/patients.store';
import { TraceViewComponent, ViewBeat, ViewSpan } from '../shared/trace-view.component';
import { TrendChartComponent, TrendSeries } from '../shared/trend-chart.component';
import { SweepRenderer } from '../station/sweep-renderer';
import { PatientApiService } from './patient-api.service';

/** Review windows are fetched in pieces of this many seconds (the API's maximum is 60). */
const REVIEW_FETCH_S = 60;
const REVIEW_VIEW_S = 10;
const HISTORY_H = 12;

@Component({
  selector: 'vs-patient-view',
  imports: [DatePipe, DecimalPipe, FormsModule, RouterLink, TraceViewComponent, TrendChartComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './patient-view.component.html',
  styleUrl: './patient-view.component.css',
})
export class PatientViewComponent implements AfterViewInit, OnDestroy {
  /** Route parameter :id. */
  readonly id = input.required<string>();
  private readonly api = inject(PatientApiService);
  protected readonly store = inject(PatientsStore);
  protected readonly alarmsStore = inject(AlarmsStore);
  private readonly liveCanvas = viewChild<ElementRef<HTMLCanvasElement>>('live');
  private renderer: SweepRenderer | null = null;
  private raf = 0;

  protected readonly patient = signal<Patient | null>(null);
  protected readonly sessions = signal<Session[]>([]);
  protected readonly trends = signal<TrendPoint[]>([]);
  protected readonly episodes = signal<Episode[]>([]);
  protected readonly history = signal<Alarm[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);

  // Review mode
  protected readonly reviewSession = signal<Session | null>(null);
  protected readonly reviewStart = signal(0);
  protected readonly reviewData = signal<{ offset: number; samples: number[]; fs: number } | null>(null);
  protected readonly reviewBeats = signal<ViewBeat[]>([]);
  protected readonly reviewNote = signal<string | null>(null);
  private fetchedFrom = -1;

  protected readonly pid = computed(() => Number(this.id()));
  protected readonly vitals = computed(() => this.store.vitals().get(this.pid()) ?? null);
  protected readonly openAlarms = computed(() => this.alarmsStore.list().filter((a) => a.patient_id === this.pid()));
  protected readonly hrSeries = computed<TrendSeries[]>(() => [{
    label: 'HR (bpm)', colour: '#39e27d',
    points: this.trends().map((t) => ({ t: Date.parse(t.minute), v: t.hr_bpm })),
  }]);
  protected readonly hrvSeries = computed<TrendSeries[]>(() => [
    { label: 'SDNN (ms)', colour: '#9fd3ff', points: this.trends().map((t) => ({ t: Date.parse(t.minute), v: t.sdnn_ms })) },
    { label: 'RMSSD (ms)', colour: '#ffd166', points: this.trends().map((t) => ({ t: Date.parse(t.minute), v: t.rmssd_ms })) },
  ]);
  protected readonly reviewSpans = computed<ViewSpan[]>(() => {
    const s = this.reviewSession();
    if (!s) return [];
    const t0 = Date.parse(s.started_at);
    const idx = (iso: string): number => Math.round(((Date.parse(iso) - t0) / 1000) * s.fs);
    return this.episodes()
      .filter((e) => e.session_id === s.id && !/^(sinus|unknown)$/i.test(e.rhythm))
      .map((e) => ({ startIdx: idx(e.onset_at), endIdx: e.offset_at ? idx(e.offset_at) : -1, label: e.rhythm }));
  });
  protected readonly reviewTotalS = computed(() => {
    const s = this.reviewSession();
    return s ? s.samples / s.fs : 0;
  });

  constructor() {
    effect(() => void this.load(this.pid()));
    effect(() => {
      const s = this.reviewSession();
      const start = this.reviewStart();
      if (s) void this.ensureReviewWindow(s, start);
    });
  }

  ngAfterViewInit(): void {
    const loop = (t: number): void => {
      this.raf = requestAnimationFrame(loop);
      const canvas = this.liveCanvas()?.nativeElement;
      if (!canvas) return;
      if (!this.renderer) {
        this.renderer = new SweepRenderer(canvas);
        const w = canvas.parentElement?.clientWidth ?? 800;
        this.renderer.layout(w, 220, [{ patientId: this.pid(), x: 0, y: 0, w, h: 220, labels: true }]);
      }
      this.renderer.frame(t, (id) => this.store.trace(id));
    };
    this.raf = requestAnimationFrame(loop);
  }

  ngOnDestroy(): void {
    cancelAnimationFrame(this.raf);
  }

  protected alarmTitle = alarmTitle;
  protected priorityWord = priorityWord;

  protected startReview(s: Session): void {
    this.reviewSession.set(s);
    this.reviewNote.set(null);
    this.fetchedFrom = -1;
    this.reviewData.set(null);
    this.reviewBeats.set([]);
    void this.api.beats(s.id).then(
      (beats) => {
        if (this.reviewSession()?.id === s.id) this.reviewBeats.set(beats.map((b) => ({ idx: b.sample, label: b.symbol })));
      },
      () => this.reviewNote.set('Beat labels are not available for this session.'),
    );
    // Start at the last full window of the session (most recent events first).
    this.reviewStart.set(Math.max(0, Math.floor(s.samples / s.fs - REVIEW_VIEW_S)));
  }

  protected closeReview(): void {
    this.reviewSession.set(null);
  }

  protected jumpToEpisode(e: Episode): void {
    const s = this.sessions().find((x) => x.id === e.session_id);
    if (!s) return;
    if (this.reviewSession()?.id !== s.id) this.startReview(s);
    const at = (Date.parse(e.onset_at) - Date.parse(s.started_at)) / 1000;
    this.reviewStart.set(Math.max(0, at - 2));
  }

  protected async download(kind: 'pdf' | 'wfdb', s: Session): Promise<void> {
    this.busy.set(kind === 'pdf' ? 'Preparing the report…' : 'Preparing the WFDB record…');
    try {
      if (kind === 'pdf') await this.api.download(`/api/reports/${s.id}.pdf`, `vitalstream-session-${s.id}.pdf`);
      else await this.api.download(`/api/sessions/${s.id}/wfdb.zip`, `s${s.id}-wfdb.zip`);
      this.error.set(null);
    } catch (e) {
      this.error.set(`Download failed: ${describeError(e)}`);
    } finally {
      this.busy.set(null);
    }
  }

  protected reviewWindowS = REVIEW_VIEW_S;

  private async load(id: number): Promise<void> {
    if (!Number.isInteger(id) || id <= 0) {
      this.error.set('No such patient.');
      return;
    }
    const since = new Date(Date.now() - HISTORY_H * 3600_000);
    try {
      const [p, sessions] = await Promise.all([this.api.patient(id), this.api.sessions(id)]);
      this.patient.set(p);
      this.sessions.set(sessions.sort((a, b) => b.started_at.localeCompare(a.started_at)));
      this.error.set(null);
    } catch (e) {
      this.error.set(`Could not load the patient: ${describeError(e)}`);
      return;
    }
    void this.prefillLive(this.sessions().find((x) => x.status === 'active'));
    // Secondary panels fail independently.
    void this.api.trends(id, since).then((t) => this.trends.set(t), () => this.trends.set([]));
    void this.api.episodes(id, since).then((e) => this.episodes.set(e), () => this.episodes.set([]));
    void this.api.alarmHistory(id).then((a) => this.history.set(a), () => this.history.set([]));
  }

  /** The live strip starts full: the last seconds of the session come from the archive. */
  private async prefillLive(s: Session | undefined): Promise<void> {
    if (!s || s.samples <= 0) return;
    const lengthS = s.samples / s.fs;
    const from = Math.max(0, Math.floor(lengthS - 20));
    try {
      const w = await this.api.waveform(s.id, from, Math.min(20, lengthS - from + 1));
      this.store.backfill(s.patient_id, w.fs, w.start_sample, w.samples);
      this.renderer?.repaint(s.patient_id);
    } catch {
      // Live data fills the strip anyway.
    }
  }

  private async ensureReviewWindow(s: Session, startS: number): Promise<void> {
    const data = this.reviewData();
    const fs = s.fs;
    const inHand = data && startS * fs >= data.offset && (startS + REVIEW_VIEW_S) * fs <= data.offset + data.samples.length;
    if (inHand) return;
    const from = Math.max(0, Math.floor(startS - (REVIEW_FETCH_S - REVIEW_VIEW_S) / 2));
    if (from === this.fetchedFrom) return;
    this.fetchedFrom = from;
    try {
      const w = await this.api.waveform(s.id, from, REVIEW_FETCH_S);
      if (this.reviewSession()?.id !== s.id) return;
      this.reviewData.set({ offset: w.start_sample, samples: w.samples.map((v) => v ?? NaN), fs: w.fs });
    } catch (e) {
      this.error.set(`Could not load the archived waveform: ${describeError(e)}`);
    }
  }
}
