/**
 * The learning curve of a training run: one CSV row per published snapshot (time, updates, samples and the
 * snapshot's evaluation numbers), and an SVG plot of it a person can open in a browser. Both are rewritten
 * atomically after each row, so an interrupted run still leaves a readable curve.
 */
import { existsSync, readFileSync } from 'node:fs';
import { svgPlot, type Series } from '../cli/plot';
import { writeFileAtomic } from './atomic-file';

export interface CurvePoint {
  readonly seconds: number;
  readonly updates: number;
  readonly samples: number;
  /** Evaluation numbers: nashConv, winRate:<opponent>, ... */
  readonly metrics: Readonly<Record<string, number>>;
}

export class LearningCurve {
  readonly points: CurvePoint[] = [];

  constructor(
    readonly csvPath: string,
    readonly svgPath: string,
    private readonly title: string,
  ) {
    // A resumed run continues the file it left.
    if (existsSync(csvPath)) {
      const [header, ...rows] = readFileSync(csvPath, 'utf8').trim().split('\n');
      const cols = (header ?? '').split(',');
      for (const row of rows) {
        const v = row.split(',').map(Number);
        const metrics: Record<string, number> = {};
        cols.slice(3).forEach((c, i) => {
          const x = v[i + 3];
          if (x !== undefined && Number.isFinite(x)) metrics[c] = x;
        });
        this.points.push({ seconds: v[0] ?? 0, updates: v[1] ?? 0, samples: v[2] ?? 0, metrics });
      }
    }
  }

  add(point: CurvePoint): void {
    this.points.push(point);
    const metrics = [...new Set(this.points.flatMap((p) => Object.keys(p.metrics)))].sort();
    const header = ['seconds', 'updates', 'samples', ...metrics].join(',');
    const rows = this.points.map((p) => [p.seconds.toFixed(1), p.updates, p.samples, ...metrics.map((m) => p.metrics[m] ?? '')].join(','));
    writeFileAtomic(this.csvPath, `${header}\n${rows.join('\n')}\n`);
    const series: Series[] = metrics.map((m) => ({ name: m, points: this.points.filter((p) => p.metrics[m] !== undefined).map((p) => ({ x: p.updates, y: p.metrics[m]! })) }));
    if (series.length > 0) {
      writeFileAtomic(this.svgPath, svgPlot(series, { title: this.title, xLabel: 'updates', yLabel: metrics.includes('nashConv') ? 'NashConv / rate' : 'rate' }));
    }
  }
}
