/**
 * Opponent-selection strategies for one learner: small pure functions of (population, payoff table, rng)
 * that return the opponent's id. All randomness goes through the given Rng, so a seed replays the choices.
 *
 * | strategy      | opponent                                                                  | rng draws   |
 * |---------------|---------------------------------------------------------------------------|-------------|
 * | `latest`      | the learner's latest snapshot                                             | none        |
 * | `fictitious`  | uniform over the learner's snapshots (or every snapshot: `pool: 'all'`)   | 1 int       |
 * | `pfsp`        | PFSP over the same pool, by the learner's win rates (default `squared`)   | 1 float     |
 * | `openai-five` | the latest snapshot with probability 0.8, else uniform over older ones    | 1 float (+1 int) |
 *
 * A learner that has no snapshot yet plays its own mirror: every strategy then returns `population.self`.
 */
import type { Rng } from '../../environments/core/rng';
import { pfspPick, type PfspWeighting } from './pfsp';

/** A frozen snapshot in the league. */
export interface SnapshotInfo {
  /** The snapshot's own id (payoff-table key, store key). */
  readonly id: string;
  /** Id of the learner the snapshot was taken from. */
  readonly parent: string;
}

/** What a strategy sees of the population. */
export interface PopulationView {
  /** Id of the learner asking for an opponent. */
  readonly self: string;
  /** Every snapshot in the league, oldest first (the learner's own and others'). */
  readonly snapshots: readonly SnapshotInfo[];
}

/** Where win rates come from: a PayoffTable, or anything that answers P[a beats b]. */
export interface WinRateSource {
  /** P[a beats b] in [0, 1]; 0.5 when unknown. */
  winRate(a: string, b: string): number;
}

/** Which snapshots a strategy draws from: the learner's own, or every snapshot in the league. */
export type SnapshotPool = 'own' | 'all';

/** Ids of the learner's own snapshots, oldest first. */
export function ownSnapshots(population: PopulationView): string[] {
  return population.snapshots.filter((s) => s.parent === population.self).map((s) => s.id);
}

function poolIds(population: PopulationView, pool: SnapshotPool): string[] {
  return pool === 'own' ? ownSnapshots(population) : population.snapshots.map((s) => s.id);
}

/** Latest self-play: the learner's most recent snapshot; `self` (a mirror match) when it has none. */
export function latestSelfPlay(population: PopulationView): string {
  const own = ownSnapshots(population);
  return own[own.length - 1] ?? population.self;
}

/**
 * Fictitious self-play: uniform over the learner's snapshots (`pool: 'all'`: over every snapshot), one
 * `rng.int`; `self` when the pool is empty (no draw then).
 */
export function fictitiousSelfPlay(population: PopulationView, rng: Rng, pool: SnapshotPool = 'own'): string {
  const ids = poolIds(population, pool);
  return ids.length === 0 ? population.self : rng.pick(ids);
}

/**
 * Prioritized fictitious self-play: PFSP over the learner's snapshots (`pool: 'all'`: every snapshot) by
 * `payoff.winRate(self, snapshot)` with `weighting` (default `squared`), one `rng.float`; `self` when the pool
 * is empty (no draw then).
 */
export function pfspSelfPlay(
  population: PopulationView,
  payoff: WinRateSource,
  rng: Rng,
  weighting: PfspWeighting = 'squared',
  pool: SnapshotPool = 'own',
): string {
  const ids = poolIds(population, pool);
  if (ids.length === 0) return population.self;
  const rates = ids.map((id) => payoff.winRate(population.self, id));
  return pfspPick(rng, ids, rates, weighting);
}

/** Options of the OpenAI Five mix (also ML-Agents' ghost trainer with `latestRatio` 0.5, `window` 10). */
export interface LatestMixOptions {
  /** Probability of playing the latest snapshot (OpenAI Five: 0.8; ML-Agents default 0.5). In [0, 1]. */
  readonly latestRatio?: number;
  /** Draw past opponents only from this many most recent older snapshots (default: all). Integer >= 1. */
  readonly window?: number;
}

/** OpenAI Five's share of games against the latest self. */
export const OPENAI_FIVE_LATEST_RATIO = 0.8;

/**
 * OpenAI Five mix: with probability `latestRatio` (0.8) the learner's latest snapshot, else uniform over its
 * older snapshots (the latest excluded; only the `window` most recent of them when set). Always one
 * `rng.float`, then one `rng.int` on the past branch. With a single snapshot both branches return it; with
 * none, `self`. Throws RangeError for a ratio outside [0, 1] or a window below 1.
 */
export function openAiFiveMix(population: PopulationView, rng: Rng, options: LatestMixOptions = {}): string {
  const ratio = options.latestRatio ?? OPENAI_FIVE_LATEST_RATIO;
  const window = options.window ?? Number.POSITIVE_INFINITY;
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`latestRatio must be in [0, 1], got ${ratio}`);
  if (!(window >= 1)) throw new RangeError(`window must be >= 1, got ${window}`);
  const own = ownSnapshots(population);
  const latest = own[own.length - 1];
  const toss = rng.float();
  if (latest === undefined) return population.self;
  if (toss < ratio || own.length === 1) return latest;
  const past = own.slice(0, -1);
  const recent = Number.isFinite(window) ? past.slice(-Math.floor(window)) : past;
  return rng.pick(recent);
}

/** A strategy as a scenario file names it. */
export type OpponentStrategy =
  | { readonly kind: 'latest' }
  | { readonly kind: 'fictitious'; readonly pool?: SnapshotPool }
  | { readonly kind: 'pfsp'; readonly weighting?: PfspWeighting; readonly pool?: SnapshotPool }
  | ({ readonly kind: 'openai-five' } & LatestMixOptions);

/** Runs `strategy` for the learner `population.self` (see the functions above for each kind). */
export function chooseByStrategy(
  strategy: OpponentStrategy,
  population: PopulationView,
  payoff: WinRateSource,
  rng: Rng,
): string {
  switch (strategy.kind) {
    case 'latest':
      return latestSelfPlay(population);
    case 'fictitious':
      return fictitiousSelfPlay(population, rng, strategy.pool);
    case 'pfsp':
      return pfspSelfPlay(population, payoff, rng, strategy.weighting, strategy.pool);
    case 'openai-five':
      return openAiFiveMix(population, rng, strategy);
  }
}

/**
 * The fixed opponent a share draws (`u` uniform in [0, 1)), or undefined when `u` falls in the rest, which the
 * matchmaking strategy decides. Shares are taken in population order.
 */
export function fixedByShare<T extends { readonly share?: number | undefined }>(fixed: readonly T[], u: number): T | undefined {
  let r = u;
  for (const f of fixed) {
    if (f.share === undefined || f.share <= 0) continue;
    if ((r -= f.share) < 0) return f;
  }
  return undefined;
}
