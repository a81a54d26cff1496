/**
 * OpenSkill (Weng-Lin Bayesian rating) for the league: a thin, typed wrapper over the `openskill` package.
 *
 * | what       | how                                                                                   |
 * |------------|---------------------------------------------------------------------------------------|
 * | model      | Plackett-Luce (the package default); any number of teams, any team sizes              |
 * | outcome    | `{ ranks }` (lower = better, equal = tie) or `{ scores }` (higher = better)           |
 * | initial    | mu 25, sigma 25/3 (package defaults)                                                  |
 * | ordinal    | mu - 3 sigma: a conservative skill estimate used for leaderboards and matchmaking     |
 *
 * All numbers come from `openskill`'s own `rate`; this file only fixes the types, checks the shapes (a shape
 * mismatch is a caller bug, so it throws) and adds `ranksFromReturns` to turn a match's per-seat returns into
 * ranks.
 */
import { rate, rating, type Options } from 'openskill';

/** One player's rating: the mean skill `mu` and its uncertainty `sigma` (a standard deviation, > 0). */
export type SkillRating = {
  /** Mean of the skill belief. */
  readonly mu: number;
  /** Standard deviation of the skill belief. */
  readonly sigma: number;
};

/**
 * A match outcome per team, in the same order as the teams: either ranks (1 = first; lower is better; equal
 * ranks are a tie; only order and equality matter) or scores (higher is better; equal scores are a tie).
 */
export type MatchOutcome = { readonly ranks: readonly number[] } | { readonly scores: readonly number[] };

/**
 * Options passed through to `openskill`'s `rate` (beta, tau, limitSigma, weight, margin, model, ...). `rank` and
 * `score` are left out: the outcome is the `MatchOutcome` argument.
 */
export type RateOptions = Omit<Options, 'rank' | 'score'>;

/** The starting rating of a new player (mu 25, sigma 25/3 unless overridden). A fresh object each call. */
export function initialRating(init?: { mu?: number; sigma?: number }): SkillRating {
  const r = rating(init);
  return { mu: r.mu, sigma: r.sigma };
}

/**
 * Rates one match. `teams[t]` are the ratings of team t's players (a 1v1 is `[[a], [b]]`); `outcome` holds one
 * rank or score per team. Returns new ratings in the same shape and order; the inputs are not modified.
 * Throws (caller bug) if there are fewer than two teams, a team is empty, the outcome length differs from the
 * number of teams, or a number is not finite (or a sigma not positive).
 */
export function rateMatch(
  teams: readonly (readonly SkillRating[])[],
  outcome: MatchOutcome,
  options: RateOptions = {},
): SkillRating[][] {
  if (teams.length < 2) throw new Error(`rateMatch: need at least two teams, got ${teams.length}`);
  for (const team of teams) {
    if (team.length === 0) throw new Error('rateMatch: empty team');
    for (const p of team) {
      if (!Number.isFinite(p.mu) || !Number.isFinite(p.sigma) || p.sigma <= 0) {
        throw new Error(`rateMatch: invalid rating ${JSON.stringify(p)}`);
      }
    }
  }
  const values = 'ranks' in outcome ? outcome.ranks : outcome.scores;
  if (values.length !== teams.length) {
    throw new Error(`rateMatch: ${values.length} outcome values for ${teams.length} teams`);
  }
  if (!values.every(Number.isFinite)) throw new Error('rateMatch: outcome values must be finite');
  const input = teams.map((team) => team.map((p) => ({ mu: p.mu, sigma: p.sigma })));
  const outcomeOption = 'ranks' in outcome ? { rank: [...outcome.ranks] } : { score: [...outcome.scores] };
  const result = rate(input, { ...options, ...outcomeOption });
  return result.map((team) => team.map((p) => ({ mu: p.mu, sigma: p.sigma })));
}

/** The conservative skill estimate mu - 3 sigma (openskill's `ordinal` with its defaults). */
export function ordinal(r: SkillRating): number {
  return r.mu - 3 * r.sigma;
}

/**
 * Ranks from a match's per-seat (or per-team) returns: rank = 1 + the number of strictly higher returns, so
 * the best return gets 1, equal returns share a rank (a tie), and the result can be passed as `{ ranks }` to
 * `rateMatch`. Example: [1, -1, 1, 0] gives [1, 4, 1, 3]. Throws (caller bug) on a non-finite return.
 */
export function ranksFromReturns(returns: readonly number[]): number[] {
  if (!returns.every(Number.isFinite)) throw new Error('ranksFromReturns: returns must be finite');
  return returns.map((r) => 1 + returns.filter((other) => other > r).length);
}

