/**
 * The league's payoff table: decayed results between players (learners and frozen snapshots, named by string
 * ids), from which every matchmaking rule reads "how often does A beat B".
 *
 * Semantics follow AlphaStar's published pseudocode (`Payoff.update`), which REFERENCES.md summarises as
 * "decayed counts (x0.99 per update)":
 * - decay is per pair: updating (a, b) first multiplies the wins, draws, losses and games of (a, b) and of
 *   (b, a) by the decay, then adds the new game. Counts of every other pair are left alone, so each pair's
 *   counts are an exponentially weighted window over that pair's own recent games (about 1 / (1 - decay) = 100
 *   games at 0.99), however rarely the pair meets;
 * - win rate = (wins + draws / 2) / games, and 0.5 when the pair has no games.
 *
 * One record is kept per unordered pair, so (a, b) and (b, a) can never disagree: b's wins are a's losses.
 * A player against itself (a mirror match) carries no information about relative strength: `update(a, a, s)`
 * leaves the table unchanged and `winRate(a, a)` is always 0.5. (The pseudocode would record such a game
 * twice in one entry, which also yields 0.5.)
 */
import { z } from 'zod';
import { ArenaError } from '../environments/core/errors';

/** Version of the JSON written by `PayoffTable.toJSON`; bump it when the layout changes. */
export const PAYOFF_JSON_VERSION = 1;

/** The default decay, applied to a pair's counts at each of its updates (AlphaStar: 0.99). */
export const DEFAULT_PAYOFF_DECAY = 0.99;

/** A game's result for the first player: 1 win, 0.5 draw, 0 loss. */
export type Score = 0 | 0.5 | 1;

/** A two-seat record's result for seat 0, from the returns (an aborted match should not be scored at all). */
export function seatZeroScore(record: { readonly returns: readonly number[] }): Score {
  const [r0, r1] = [record.returns[0] ?? 0, record.returns[1] ?? 0];
  return r0 > r1 ? 1 : r0 < r1 ? 0 : 0.5;
}

/** Decayed counts of one ordered pair (a, b), from a's side. */
export interface PayoffCounts {
  /** a's decayed wins against b. */
  readonly wins: number;
  /** Decayed draws between a and b. */
  readonly draws: number;
  /** a's decayed losses against b (b's wins). */
  readonly losses: number;
  /** Decayed games between a and b; equals wins + draws + losses up to rounding. */
  readonly games: number;
}

const Count = z.number().finite().nonnegative();

const PairSchema = z
  .object({
    /** First player of the pair; `a < b` in code-unit order. */
    a: z.string().min(1),
    b: z.string().min(1),
    /** a's decayed wins against b. */
    wins: Count,
    draws: Count,
    /** a's decayed losses against b. */
    losses: Count,
    games: Count,
  })
  .refine((p) => p.a < p.b, { message: 'pair ids must be distinct and ordered (a < b)' });

/** Validates the serialized table (see `PayoffTable.fromJSON`). */
export const PayoffTableJsonSchema = z.object({
  payoffVersion: z.literal(PAYOFF_JSON_VERSION),
  /** Per-update decay factor, in (0, 1]. */
  decay: z.number().gt(0).lte(1),
  /** One entry per unordered pair that has played, sorted by (a, b). */
  pairs: z.array(PairSchema),
});

/** The serialized table, as written by `toJSON` and read by `PayoffTable.fromJSON`. */
export type PayoffTableJson = z.infer<typeof PayoffTableJsonSchema>;

interface PairRecord {
  wins: number;
  draws: number;
  losses: number;
  games: number;
}

const NO_GAMES: PayoffCounts = Object.freeze({ wins: 0, draws: 0, losses: 0, games: 0 });

/** Decayed win/draw/loss counts between players; see the module doc for the exact update rule. */
export class PayoffTable {
  /** Unordered pairs keyed by the smaller id, then the larger; counts are from the smaller id's side. */
  private readonly pairs = new Map<string, Map<string, PairRecord>>();

  /**
   * An empty table. `decay` (default 0.99) multiplies a pair's counts at each update of that pair; 1 keeps
   * exact totals. Throws RangeError outside (0, 1].
   */
  constructor(readonly decay: number = DEFAULT_PAYOFF_DECAY) {
    if (!(decay > 0 && decay <= 1)) throw new RangeError(`payoff decay must be in (0, 1], got ${decay}`);
  }

  /**
   * Records one game between `a` and `b` with `scoreForA` (1 win, 0.5 draw, 0 loss): the pair's existing
   * counts are multiplied by the decay, then the game is added. Other pairs are untouched. `a === b` is
   * ignored (see the module doc). Throws RangeError for any other score or an empty id (caller bugs).
   */
  update(a: string, b: string, scoreForA: Score): void {
    if (scoreForA !== 0 && scoreForA !== 0.5 && scoreForA !== 1) {
      throw new RangeError(`payoff score must be 0, 0.5 or 1, got ${String(scoreForA)}`);
    }
    if (a.length === 0 || b.length === 0) throw new RangeError('payoff ids must be non-empty');
    if (a === b) return;
    const [lo, hi, score] = a < b ? [a, b, scoreForA] : [b, a, 1 - scoreForA];
    let row = this.pairs.get(lo);
    if (!row) {
      row = new Map();
      this.pairs.set(lo, row);
    }
    let rec = row.get(hi);
    if (!rec) {
      rec = { wins: 0, draws: 0, losses: 0, games: 0 };
      row.set(hi, rec);
    }
    const d = this.decay;
    rec.wins *= d;
    rec.draws *= d;
    rec.losses *= d;
    rec.games *= d;
    rec.games += 1;
    if (score === 1) rec.wins += 1;
    else if (score === 0) rec.losses += 1;
    else rec.draws += 1;
  }

  /** The decayed counts of (a, b) from a's side; all zero when the pair never played or a === b. */
  counts(a: string, b: string): PayoffCounts {
    if (a === b) return NO_GAMES;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    const rec = this.pairs.get(lo)?.get(hi);
    if (!rec) return NO_GAMES;
    return a === lo
      ? { wins: rec.wins, draws: rec.draws, losses: rec.losses, games: rec.games }
      : { wins: rec.losses, draws: rec.draws, losses: rec.wins, games: rec.games };
  }

  /** P[a beats b] = (wins + draws / 2) / games from a's side; 0.5 when the pair has no games (or a === b). */
  winRate(a: string, b: string): number {
    const c = this.counts(a, b);
    if (c.games === 0) return 0.5;
    return (c.wins + 0.5 * c.draws) / c.games;
  }

  /** `winRate(a, o)` for each of `opponents`, in their order. */
  winRates(a: string, opponents: readonly string[]): number[] {
    return opponents.map((o) => this.winRate(a, o));
  }

  /** Every id that appears in at least one recorded pair, sorted. */
  players(): string[] {
    const ids = new Set<string>();
    for (const [lo, row] of this.pairs) {
      ids.add(lo);
      for (const hi of row.keys()) ids.add(hi);
    }
    return [...ids].sort();
  }

  /** An independent copy (same decay and counts). */
  clone(): PayoffTable {
    return PayoffTable.fromJSON(this.toJSON());
  }

  /** Plain JSON for the store: one entry per played pair, sorted by (a, b), counts from a's side. */
  toJSON(): PayoffTableJson {
    const pairs: PayoffTableJson['pairs'] = [];
    for (const lo of [...this.pairs.keys()].sort()) {
      const row = this.pairs.get(lo) as Map<string, PairRecord>;
      for (const hi of [...row.keys()].sort()) {
        const r = row.get(hi) as PairRecord;
        pairs.push({ a: lo, b: hi, wins: r.wins, draws: r.draws, losses: r.losses, games: r.games });
      }
    }
    return { payoffVersion: PAYOFF_JSON_VERSION, decay: this.decay, pairs };
  }

  /**
   * Rebuilds a table from `toJSON` output (already parsed from text). Untrusted input: throws
   * ArenaError('record/malformed') naming the first bad field, or a pair listed twice.
   */
  static fromJSON(value: unknown): PayoffTable {
    const r = PayoffTableJsonSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(table)';
      throw new ArenaError('record/malformed', `payoff table: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    const table = new PayoffTable(r.data.decay);
    for (const p of r.data.pairs) {
      let row = table.pairs.get(p.a);
      if (!row) {
        row = new Map();
        table.pairs.set(p.a, row);
      }
      if (row.has(p.b)) throw new ArenaError('record/malformed', `payoff table: pair ${p.a} / ${p.b} listed twice`);
      row.set(p.b, { wins: p.wins, draws: p.draws, losses: p.losses, games: p.games });
    }
    return table;
  }
}
