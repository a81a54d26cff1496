/** A rating with its 95% interval drawn on a shared scale, so the rows of a leaderboard compare at a glance. */
import type { JSX } from 'preact';

export function IntervalBar({ lower, rating, upper, min, max }: { readonly lower: number; readonly rating: number; readonly upper: number; readonly min: number; readonly max: number }): JSX.Element {
  const span = max - min || 1;
  const pct = (x: number): number => Math.min(100, Math.max(0, ((x - min) / span) * 100));
  return (
    <div class="interval" aria-label={`95% interval ${Math.round(lower)} to ${Math.round(upper)}`} data-lower={Math.round(lower)} data-upper={Math.round(upper)}>
      <span class="interval-range" style={{ left: `${pct(lower)}%`, width: `${Math.max(1, pct(upper) - pct(lower))}%` }} />
      <span class="interval-point" style={{ left: `${pct(rating)}%` }} />
    </div>
  );
}
