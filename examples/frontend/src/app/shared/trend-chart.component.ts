import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

export interface TrendSeries {
  label: string;
  colour: string;
  points: readonly { t: number; v: number | null }[];
}

/** Small SVG line chart of minute trends (gaps where a value is missing). */
@Component({
  selector: 'vs-trend-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <figcaption>{{ title() }}</figcaption>
      <svg [attr.viewBox]="'0 0 ' + W + ' ' + H" preserveAspectRatio="none" role="img"
           [attr.aria-label]="summary()">
        @for (g of grid(); track g.y) {
          <line [attr.x1]="0" [attr.x2]="W" [attr.y1]="g.y" [attr.y2]="g.y" class="grid" />
          <text x="2" [attr.y]="g.y - 2" class="tick">{{ g.v }}</text>
        }
        @for (s of paths(); track s.label) {
          <path [attr.d]="s.d" [attr.stroke]="s.colour" fill="none" stroke-width="1.6" vector-effect="non-scaling-stroke" />
        }
      </svg>
      <div class="legend">
        @for (s of series(); track s.label) {
          <span><i [style.background]="s.colour"></i>{{ s.label }}</span>
        }
        @if (empty()) { <span>no data yet</span> }
      </div>
    </figure>
  `,
  styles: `
    figure { margin: 0; }
    figcaption { font-size: 13px; color: #d0dae0; margin-bottom: 2px; }
    svg { width: 100%; height: 120px; background: #0b1419; border: 1px solid #2b3a44; }
    .grid { stroke: #1d2c35; stroke-width: 1; vector-effect: non-scaling-stroke; }
    .tick { fill: #8fa0aa; font-size: 9px; }
    .legend { font-size: 12px; color: #b8c4cc; display: flex; gap: 12px; }
    .legend i { display: inline-block; width: 10px; height: 3px; margin-right: 4px; vertical-align: middle; }
  `,
})
export class TrendChartComponent {
  readonly title = input('');
  readonly series = input.required<readonly TrendSeries[]>();
  protected readonly W = 600;
  protected readonly H = 120;

  private readonly range = computed(() => {
    let tMin = Infinity, tMax = -Infinity, vMin = Infinity, vMax = -Infinity;
    for (const s of this.series()) {
      for (const p of s.points) {
        tMin = Math.min(tMin, p.t);
        tMax = Math.max(tMax, p.t);
        if (p.v !== null && Number.isFinite(p.v)) {
          vMin = Math.min(vMin, p.v);
          vMax = Math.max(vMax, p.v);
        }
      }
    }
    if (!Number.isFinite(vMin)) return null;
    const pad = Math.max(5, (vMax - vMin) * 0.1);
    return { tMin, tMax: tMax > tMin ? tMax : tMin + 60_000, vMin: Math.floor(vMin - pad), vMax: Math.ceil(vMax + pad) };
  });
  protected readonly empty = computed(() => this.range() === null);
  protected readonly grid = computed(() => {
    const r = this.range();
    if (!r) return [];
    return [0.25, 0.5, 0.75].map((f) => ({ y: this.H * f, v: Math.round(r.vMax - f * (r.vMax - r.vMin)) }));
  });
  protected readonly paths = computed(() => {
    const r = this.range();
    if (!r) return [];
    return this.series().map((s) => {
      let d = '';
      let pen = false;
      for (const p of s.points) {
        if (p.v === null || !Number.isFinite(p.v)) {
          pen = false;
          continue;
        }
        const x = ((p.t - r.tMin) / (r.tMax - r.tMin)) * this.W;
        const y = this.H - ((p.v - r.vMin) / (r.vMax - r.vMin)) * this.H;
        d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)} `;
        pen = true;
      }
      return { label: s.label, colour: s.colour, d };
    });
  });
  protected readonly summary = computed(() => {
    const parts = this.series().map((s) => {
      const vals = s.points.map((p) => p.v).filter((v): v is number => v !== null && Number.isFinite(v));
      return vals.length ? `${s.label} latest ${Math.round(vals[vals.length - 1])}` : `${s.label} no data`;
    });
    return `${this.title()}: ${parts.join(', ')}`;
  });
}
