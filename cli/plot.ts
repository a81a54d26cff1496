/**
 * Curves for people: an ASCII chart for the terminal (asciichart) and a small standalone SVG line chart with a
 * log-scale option, written next to the results so a person can open it in any browser.
 */
import { plot as asciiChart } from 'asciichart';

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** A terminal chart of y (log10 when `log`) resampled to at most `width` columns. */
export function asciiPlot(series: Series, options: { log?: boolean; width?: number; height?: number } = {}): string {
  const width = options.width ?? 60;
  const pts = series.points;
  if (pts.length === 0) return '';
  const ys: number[] = [];
  for (let i = 0; i < width; i++) {
    const p = pts[Math.min(pts.length - 1, Math.floor((i * pts.length) / width))]!;
    ys.push(options.log ? Math.log10(Math.max(p.y, 1e-12)) : p.y);
  }
  const label = options.log ? `log10 ${series.name}` : series.name;
  const chart = asciiChart(ys, { height: options.height ?? 10, format: (v: number) => v.toFixed(2).padStart(7) });
  const first = pts[0]!.x;
  const last = pts[pts.length - 1]!.x;
  return `${label}\n${chart}\n${' '.repeat(9)}${String(first).padEnd(width - String(last).length)}${last}\n`;
}

/** Round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A standalone SVG line chart (one or more series) with axes, ticks and a legend. */
export function svgPlot(
  series: readonly Series[],
  options: { title: string; xLabel: string; yLabel: string; logY?: boolean; width?: number; height?: number },
): string {
  const W = options.width ?? 720;
  const H = options.height ?? 420;
  const m = { l: 70, r: 20, t: 40, b: 50 };
  const all = series.flatMap((s) => s.points);
  const fy = (y: number): number => (options.logY ? Math.log10(Math.max(y, 1e-12)) : y);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => fy(p.y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (options.logY) [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  if (y1 === y0) y1 = y0 + 1;
  const px = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const colors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c'];
  const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  const yTicks = options.logY ? Array.from({ length: y1 - y0 + 1 }, (_, i) => y0 + i) : niceTicks(y0, y1);
  for (const t of yTicks) {
    const y = py(t);
    const label = options.logY ? `1e${t}` : Number(t.toPrecision(3)).toString();
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${label}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    out.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#111"/>`);
    out.push(`<text x="${px(t)}" y="${H - m.b + 18}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#111"/>`);
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#111"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}${options.logY ? ' (log scale)' : ''}</text>`);
  series.forEach((s, i) => {
    const color = colors[i % colors.length]!;
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(fy(p.y)).toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    out.push(`<rect x="${W - m.r - 150}" y="${m.t + 4 + i * 18}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${W - m.r - 132}" y="${m.t + 14 + i * 18}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
