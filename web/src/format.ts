/** Number, time and result formatting shared by the pages. */

export const fmt0 = (x: number): string => Math.round(x).toLocaleString('en-US');
export const fmt1 = (x: number): string => x.toFixed(1);

/** "3 min ago", "2 h ago", or a date. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
}

/** mm:ss for a clock, never negative. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export type Outcome = 'win' | 'loss' | 'draw';

/** A seat's result from the returns: better than every other seat wins, worse than any loses. */
export function outcomeFor(returns: readonly number[], seat: number): Outcome {
  const mine = returns[seat] ?? 0;
  const others = returns.filter((_, i) => i !== seat);
  if (others.every((r) => mine > r)) return 'win';
  if (others.some((r) => mine < r)) return 'loss';
  return 'draw';
}

const REASONS: Record<string, string> = {
  timeout: 'ran out of time',
  resigned: 'resigned',
  disconnected: 'left the match',
};

/** The engine's forfeit reasons ("timeout", "agent error: resigned", "invalid action: ...") in words. */
export function forfeitReason(reason: string): string {
  const r = reason.replace(/^agent error: /, '');
  if (r.startsWith('invalid action')) return 'made an illegal move';
  return REASONS[r] ?? r;
}

/** "Red wins", "Draw", "house.random resigned", ... from the match's point of view. */
export function resultLine(
  summary: { readonly returns: readonly number[]; readonly endReason: string; readonly forfeit?: { readonly seat: number; readonly reason: string } },
  seat: number | null,
  name: (seat: number) => string,
): string {
  if (summary.endReason === 'aborted') return 'The match was aborted';
  const forfeit = summary.forfeit;
  const why = forfeit ? `${name(forfeit.seat)} ${forfeitReason(forfeit.reason)}` : '';
  if (seat !== null) {
    const o = outcomeFor(summary.returns, seat);
    const head = o === 'win' ? 'You won' : o === 'loss' ? 'You lost' : 'Draw';
    return why ? `${head}: ${why}` : head;
  }
  const winner = summary.returns.findIndex((_, s) => outcomeFor(summary.returns, s) === 'win');
  const head = winner >= 0 ? `${name(winner)} wins` : 'Draw';
  return why ? `${head}: ${why}` : head;
}

/** The letter shown in a player's avatar: G for guests, the agent's own name for house agents. */
export function initial(name: string): string {
  if (name.startsWith('guest-')) return 'G';
  return (name.replace(/^house\./, '').replace(/^[^A-Za-z0-9]+/, '')[0] ?? '?').toUpperCase();
}
