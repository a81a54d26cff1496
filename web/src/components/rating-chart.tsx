/**
 * Rating history as an SVG line: OpenSkill mu after each match with its mu +/- 2 sigma band (the uncertainty
 * narrows as matches accumulate), and the conservative rating (mu - 3 sigma) dashed. Scales to its container.
 */
import type { RatingPoint } from '@selfplay-arena/client';
import type { JSX } from 'preact';

const W = 560;
const H = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 24 };

export function RatingChart({ history }: { readonly history: readonly RatingPoint[] }): JSX.Element {
  // The starting rating (25 +/- 8.33) before the first match makes a lone match a visible step.
  const points = [{ mu: 25, sigma: 25 / 3 }, ...history];
  const lo = Math.min(...points.map((p) => Math.min(p.mu - 2 * p.sigma, p.mu - 3 * p.sigma)));
  const hi = Math.max(...points.map((p) => p.mu + 2 * p.sigma));
  const x = (i: number): number => PAD.left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const line = (f: (p: { mu: number; sigma: number }) => number): string => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(f(p)).toFixed(1)}`).join('');
  const band =
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.mu + 2 * p.sigma).toFixed(1)}`).join('') +
    points
      .map((p, i) => ({ p, i }))
      .reverse()
      .map(({ p, i }) => `L${x(i).toFixed(1)},${y(p.mu - 2 * p.sigma).toFixed(1)}`)
      .join('') +
    'Z';
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <svg class="rating-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Rating over ${history.length} matches`}>
      {ticks.map((t, i) => (
        <g key={i}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class="grid" />
          <text x={PAD.left - 6} y={y(t) + 4} class="tick" text-anchor="end">
            {Math.round(t)}
          </text>
        </g>
      ))}
      <path d={band} class="band" />
      <path d={line((p) => p.mu - 3 * p.sigma)} class="ordinal" />
      <path d={line((p) => p.mu)} class="mu" />
      {points.length <= 60 && points.map((p, i) => <circle key={i} cx={x(i)} cy={y(p.mu)} r="2.5" class="dot" />)}
      <text x={W - PAD.right} y={H - 6} class="tick" text-anchor="end">
        {history.length} {history.length === 1 ? 'match' : 'matches'}
      </text>
    </svg>
  );
}
