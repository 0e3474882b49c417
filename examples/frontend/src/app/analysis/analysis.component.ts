import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnDestroy, computed, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { TraceViewComponent, ViewBeat, ViewSpan } from '../shared/trace-view.component';
import { AnalysisRequest, InputFile, RecordResult, WorkerMessage, planRecords } from './analysis.types';

/** In-browser analysis of local WFDB/CSV files: the WASM Monitor runs in a Web Worker and
 *  nothing is uploaded. */
@Component({
  selector: 'vs-analysis',
  imports: [DecimalPipe, FormsModule, TraceViewComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './analysis.component.html',
  styleUrl: './analysis.component.css',
})
export class AnalysisComponent implements OnDestroy {
  protected csvFs = 360;
  protected channel = 0;
  protected readonly running = signal(false);
  protected readonly progress = signal<{ record: string; done: number; total: number } | null>(null);
  protected readonly results = signal<RecordResult[]>([]);
  protected readonly errors = signal<string[]>([]);
  protected readonly selected = signal(0);
  protected readonly viewStart = signal(0);
  private worker: Worker | null = null;

  protected readonly current = computed(() => this.results()[this.selected()] ?? null);
  protected readonly beats = computed<ViewBeat[]>(() => {
    const r = this.current();
    if (!r) return [];
    return Array.from(r.beatIdx, (idx, i) => ({ idx, label: r.beatLabels[i] }));
  });
  protected readonly spans = computed<ViewSpan[]>(() =>
    (this.current()?.episodes ?? [])
      // Shade what deserves attention: not normal rhythm, not good signal.
      .filter((e) => !(e.kind === 'quality' && e.label === 'good') && !(e.kind === 'rhythm' && /^(sinus|unknown)$/i.test(e.label)))
      .map((e) => ({ startIdx: e.startIdx, endIdx: e.endIdx, label: e.label })),
  );
  protected readonly classes = computed(() =>
    Object.entries(this.current()?.classCounts ?? {}).sort((a, b) => b[1] - a[1]),
  );

  protected async onFiles(input: HTMLInputElement): Promise<void> {
    const list = Array.from(input.files ?? []);
    if (!list.length) return;
    const { records, orphans } = planRecords(list);
    const errs = orphans.map((n) => `${n}: not used (choose a .hea with its .dat, or a .csv)`);
    if (!records.length) {
      this.errors.set(errs.length ? errs : ['No .hea or .csv file chosen.']);
      return;
    }
    if (!(this.csvFs >= 1 && this.csvFs <= 10000) && records.some((r) => r.kind === 'csv')) {
      this.errors.set(['Enter the CSV sampling rate (Hz).']);
      return;
    }
    const files: InputFile[] = await Promise.all(
      list.map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })),
    );
    this.errors.set(errs);
    this.results.set([]);
    this.selected.set(0);
    this.viewStart.set(0);
    this.start({ files, csvFsHz: this.csvFs, channel: this.channel });
  }

  protected select(i: number): void {
    this.selected.set(i);
    this.viewStart.set(0);
  }

  protected jumpTo(idx: number): void {
    const r = this.current();
    if (r) this.viewStart.set(Math.max(0, idx / r.fsHz - 2));
  }

  protected cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.running.set(false);
    this.progress.set(null);
  }

  ngOnDestroy(): void {
    this.worker?.terminate();
  }

  private start(req: AnalysisRequest): void {
    this.worker?.terminate();
    const worker = new Worker(new URL('./analysis.worker', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.running.set(true);
    worker.onmessage = ({ data }: MessageEvent<WorkerMessage>) => {
      switch (data.type) {
        case 'progress':
          this.progress.set(data);
          break;
        case 'record':
          this.results.update((r) => [...r, data.result]);
          break;
        case 'error':
          this.errors.update((e) => [...e, `${data.record || 'analysis'}: ${data.message}`]);
          break;
        case 'done':
          this.running.set(false);
          this.progress.set(null);
          worker.terminate();
          if (this.worker === worker) this.worker = null;
          break;
      }
    };
    worker.onerror = (e) => {
      this.errors.update((x) => [...x, `worker failed: ${e.message}`]);
      this.running.set(false);
    };
    worker.postMessage(req, req.files.map((f) => f.bytes));
  }
}
