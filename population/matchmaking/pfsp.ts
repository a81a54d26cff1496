/**
 * Prioritized fictitious self-play (AlphaStar): a learner A picks opponent B among candidates C with
 * probability f(P[A beats B]) / sum over D in C of f(P[A beats D]).
 *
 * | weighting       | f(x)             | prefers                                   |
 * |-----------------|------------------|-------------------------------------------|
 * | `squared`       | (1 - x)^2        | the hardest opponents (f_hard with p = 2) |
 * | `{ hard: p }`   | (1 - x)^p        | the hardest opponents, sharper as p grows |
 * | `variance`      | x (1 - x)        | opponents near A's level                  |
 * | `linear`        | 1 - x            | harder opponents, mildly                  |
 * | `linear_capped` | min(0.5, 1 - x)  | anyone A does not beat surely             |
 * | a function      | user expression  | whatever a scenario asks                  |
 *
 * When the weights sum to less than 1e-10 (every candidate beaten surely under `squared`, say) the choice
 * falls back to uniform over the candidates, as in AlphaStar's pseudocode.
 */
import type { Rng } from '../../environments/core/rng';

/** The named weightings of AlphaStar's pseudocode. */
export const PFSP_WEIGHTING_NAMES = ['squared', 'variance', 'linear', 'linear_capped'] as const;
/** One of `PFSP_WEIGHTING_NAMES`. */
export type PfspWeightingName = (typeof PFSP_WEIGHTING_NAMES)[number];

/**
 * A PFSP weighting: a named one, f_hard with exponent `hard` (p > 0), or a function of the win rate x in
 * [0, 1] that returns a finite weight >= 0 (a compiled scenario expression; see `checkWeighting`).
 */
export type PfspWeighting = PfspWeightingName | { readonly hard: number } | ((winRate: number) => number);

/** Weights summing below this fall back to uniform (the pseudocode's threshold). */
export const PFSP_UNIFORM_THRESHOLD = 1e-10;

/** f_hard(x) = (1 - x)^p; p = 2 is AlphaStar's "squared". */
export function fHard(x: number, p = 2): number {
  return Math.pow(1 - x, p);
}

/** f_var(x) = x (1 - x): peaks at x = 0.5, zero at 0 and 1. */
export function fVar(x: number): number {
  return x * (1 - x);
}

/** f(x) = 1 - x. */
export function fLinear(x: number): number {
  return 1 - x;
}

/** f(x) = min(0.5, 1 - x): flat for x <= 0.5, then falling to 0 at x = 1. */
export function fLinearCapped(x: number): number {
  return Math.min(0.5, 1 - x);
}

/** The function behind a weighting. Throws RangeError for an unknown name or a non-positive or non-finite p. */
export function weightingFunction(weighting: PfspWeighting): (winRate: number) => number {
  if (typeof weighting === 'function') return weighting;
  if (typeof weighting === 'object') {
    const p = weighting.hard;
    if (!(Number.isFinite(p) && p > 0)) throw new RangeError(`pfsp: hard exponent must be finite and > 0, got ${p}`);
    return (x) => fHard(x, p);
  }
  switch (weighting) {
    case 'squared':
      return (x) => fHard(x, 2);
    case 'variance':
      return fVar;
    case 'linear':
      return fLinear;
    case 'linear_capped':
      return fLinearCapped;
    default:
      throw new RangeError(`pfsp: unknown weighting ${String(weighting)}`);
  }
}

/**
 * Checks a user weighting before use (a scenario loader turns the answer into its own rejection): samples
 * x = 0, 0.01, ..., 1 and returns a reason naming the first x whose weight is negative or not finite, or
 * null when every sample is fine. Sampling cannot prove the function safe everywhere; `pfspWeights` still
 * throws if a bad weight shows up later.
 */
export function checkWeighting(weighting: PfspWeighting, samples = 101): string | null {
  let fn: (x: number) => number;
  try {
    fn = weightingFunction(weighting);
  } catch (error) {
    return (error as Error).message;
  }
  for (let i = 0; i < samples; i++) {
    const x = samples === 1 ? 0 : i / (samples - 1);
    let w: number;
    try {
      w = fn(x);
    } catch (error) {
      return `weighting throws at x = ${x}: ${(error as Error).message}`;
    }
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) return `weighting gives ${String(w)} at x = ${x}`;
  }
  return null;
}

/**
 * Selection probabilities for candidates with the given win rates (the learner's P[beats candidate], each in
 * [0, 1]), in the same order; they sum to 1. Uniform when the weights sum below 1e-10; [] for no candidates.
 * Throws RangeError when a win rate is outside [0, 1] or a weight is negative or not finite (caller bugs).
 */
export function pfspWeights(winRates: readonly number[], weighting: PfspWeighting): number[] {
  const fn = weightingFunction(weighting);
  const weights = winRates.map((x) => {
    if (!(x >= 0 && x <= 1)) throw new RangeError(`pfsp: win rate must be in [0, 1], got ${x}`);
    const w = fn(x);
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`pfsp: weighting gives ${w} at x = ${x}`);
    return w;
  });
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (total < PFSP_UNIFORM_THRESHOLD) return weights.map(() => 1 / weights.length);
  return weights.map((w) => w / total);
}

/**
 * One candidate drawn with `pfspWeights(winRates, weighting)`, using one `rng.float()`. `winRates[i]`
 * belongs to `candidates[i]`. Throws RangeError for no candidates or mismatched lengths (caller bugs).
 */
export function pfspPick<T>(
  rng: Rng,
  candidates: readonly T[],
  winRates: readonly number[],
  weighting: PfspWeighting,
): T {
  if (candidates.length === 0) throw new RangeError('pfsp: no candidates');
  if (candidates.length !== winRates.length) {
    throw new RangeError(`pfsp: ${candidates.length} candidates but ${winRates.length} win rates`);
  }
  const i = rng.weighted(pfspWeights(winRates, weighting));
  return candidates[i] as T;
}
