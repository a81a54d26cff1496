/**
 * AlphaStar league roles (Vinyals et al. 2019, the paper's published pseudocode), as pure functions of the
 * league's membership, a payoff table and an Rng.
 *
 * | role               | opponent                                                     | at a snapshot      |
 * |--------------------|--------------------------------------------------------------|--------------------|
 * | `main`             | 50% PFSP `squared` over every snapshot; 15% verification;    | keeps its weights  |
 * |                    | 35% self-play                                                |                    |
 * | `main-exploiter`   | a main agent if the win rate against it is > 0.1, else PFSP  | resets             |
 * |                    | `variance` over that main agent's snapshots                  |                    |
 * | `league-exploiter` | PFSP `linear_capped` over every snapshot                     | resets w.p. 0.25   |
 *
 * Main agent, step by step (one `rng.float` coin toss c, then draws as noted):
 * 1. c < 0.5: PFSP `squared` over every snapshot in the league (all past players).
 * 2. Otherwise pick a main agent uniformly (itself included; `rng.pick`).
 * 3. 0.5 <= c < 0.65, verification, in order:
 *    a. exploiters: the snapshots of main exploiters; if any and the main agent's lowest win rate against them
 *       is < 0.3, PFSP `squared` over all of them;
 *    b. forgotten snapshots: the chosen main agent's snapshots (oldest first) with the trailing run dropped in
 *       which the win rate keeps falling or stays flat towards the newest (the pseudocode's
 *       `remove_monotonic_suffix`; steady progress makes newer snapshots harder, so that run is expected). What
 *       is left ends where a newer snapshot was beaten more often than the one before it; if any is left and
 *       the lowest win rate there is < 0.7, the main agent is losing to snapshots it used to beat: PFSP
 *       `squared` over those;
 *    c. nothing to verify: go on to self-play (so the 15% share shows as verification only when something
 *       needs checking).
 * 4. Self-play (c >= 0.65, or 3c): play the chosen main agent if the win rate against it is > 0.3; else (<= 0.3)
 *    PFSP `variance` over that main agent's snapshots, as a curriculum.
 * ("Forgotten" follows the pseudocode rather than a count of recent samples: the league keeps no sampling
 * history, and the payoff table's decayed counts already fade what has not been played recently.)
 *
 * Empty pools, which AlphaStar avoids by snapshotting every main agent when the league starts: the main agent's
 * PFSP branch with no snapshot goes to self-play; a curriculum with no snapshot of the opponent plays the
 * opponent itself; a league exploiter with no snapshot plays a uniformly chosen main agent (kind `exploit`).
 *
 * Snapshots (`snapshotDecision`): after at least `minSteps` since the last snapshot, snapshot when the lowest
 * win rate against the role's relevant set (main agent and league exploiter: every snapshot; main exploiter:
 * the main agents) is > 0.7, or when more than `maxSteps` have passed. The pseudocode uses 2e9 and 4e9 agent
 * steps. A main exploiter then resets to its initial weights; a league exploiter resets with probability
 * 0.25 (one `rng.float`, drawn only when it snapshots).
 */
import type { Rng } from '../../environments/core/rng';
import { pfspPick, type PfspWeighting } from './pfsp';
import type { SnapshotInfo, WinRateSource } from './strategies';

/** The three AlphaStar learner roles. */
export const LEAGUE_ROLES = ['main', 'main-exploiter', 'league-exploiter'] as const;
/** One of `LEAGUE_ROLES`. */
export type LeagueRole = (typeof LEAGUE_ROLES)[number];

/** The constants of the pseudocode, in one place. */
export const ALPHASTAR = Object.freeze({
  /** Main agent: coin toss below this goes to PFSP over all past players. */
  pfspShare: 0.5,
  /** Main agent: the next slice of the coin toss goes to verification (0.5 <= c < 0.65). */
  verificationShare: 0.15,
  /** Main agent: PFSP weighting over all past players, and in both verification checks. */
  pfspWeighting: 'squared' as PfspWeighting,
  /** Main agent: verify against exploiters when the lowest win rate against their snapshots is below this. */
  exploiterVerifyBelow: 0.3,
  /** Main agent: verify against forgotten snapshots when the lowest win rate among them is below this. */
  forgottenVerifyBelow: 0.7,
  /** Main agent: self-play while the win rate against the chosen main agent is above this. */
  selfplayAbove: 0.3,
  /** Main exploiter: play the main agent while the win rate against it is above this. */
  exploitAbove: 0.1,
  /** Curriculum weighting (main agent's self-play fallback, main exploiter's fallback). */
  curriculumWeighting: 'variance' as PfspWeighting,
  /** League exploiter's weighting over all past players. */
  leagueWeighting: 'linear_capped' as PfspWeighting,
  /** Snapshot when the lowest win rate against the relevant set is above this. */
  snapshotAbove: 0.7,
  /** League exploiter: probability of resetting to the initial weights at a snapshot. */
  leagueExploiterResetProbability: 0.25,
});

/** A learning player of the league. */
export interface LeagueLearner {
  /** The learner's id (payoff-table key). */
  readonly id: string;
  readonly role: LeagueRole;
}

/** A frozen snapshot of a learner, with the role of the learner it came from. */
export interface LeagueSnapshot extends SnapshotInfo {
  /** Role of the parent learner when the snapshot was taken. */
  readonly role: LeagueRole;
}

/** The league as one learner sees it when asking for an opponent. */
export interface LeagueState {
  /** Id of the learner asking; must be in `learners`. */
  readonly self: string;
  /** Every learning player (at least one `main`). */
  readonly learners: readonly LeagueLearner[];
  /** Every snapshot ("past player"), oldest first; the order matters for the forgotten-snapshot check. */
  readonly snapshots: readonly LeagueSnapshot[];
}

/** The main agent's coin-toss branch. */
export type MainBranch = 'pfsp' | 'verification' | 'selfplay';

/** What was actually played. */
export const OPPONENT_KINDS = [
  'pfsp',
  'verification-exploiters',
  'verification-forgotten',
  'selfplay',
  'curriculum',
  'exploit',
] as const;
/** One of `OPPONENT_KINDS` (meanings on `OpponentChoice.kind`). */
export type OpponentKind = (typeof OPPONENT_KINDS)[number];

/** An opponent and why it was chosen. */
export interface OpponentChoice {
  /** Id of the opponent: a learner (self-play, exploit) or a snapshot. */
  readonly opponent: string;
  /**
   * `pfsp`: PFSP over all past players (main: squared; league exploiter: linear_capped).
   * `verification-exploiters` / `verification-forgotten`: the main agent's verification checks.
   * `selfplay`: the main agent plays a current main agent (possibly itself).
   * `curriculum`: PFSP variance over a main agent's snapshots (main agent's or main exploiter's fallback).
   * `exploit`: an exploiter plays a current main agent.
   */
  readonly kind: OpponentKind;
  /** Main agent only: the coin-toss branch (verification may fall through to self-play). */
  readonly branch?: MainBranch;
}

function mainAgents(state: LeagueState): string[] {
  const ids = state.learners.filter((l) => l.role === 'main').map((l) => l.id);
  if (ids.length === 0) throw new RangeError('league has no main agent');
  return ids;
}

function snapshotsOf(state: LeagueState, parent: string): string[] {
  return state.snapshots.filter((s) => s.parent === parent).map((s) => s.id);
}

function pfspOver(rng: Rng, self: string, ids: readonly string[], payoff: WinRateSource, w: PfspWeighting): string {
  return pfspPick(rng, ids, ratesOf(payoff, self, ids), w);
}

/**
 * The pseudocode's `remove_monotonic_suffix`: drops the trailing run of `winRates` (oldest first) that never
 * rises towards the end. Returns the prefix through the last index i with winRates[i - 1] < winRates[i], or
 * nothing when there is no such rise (one element or a non-increasing sequence). `items` is cut alike.
 */
export function removeMonotonicSuffix<T>(
  winRates: readonly number[],
  items: readonly T[],
): { winRates: number[]; items: T[] } {
  for (let i = winRates.length - 1; i > 0; i--) {
    if ((winRates[i - 1] as number) < (winRates[i] as number)) {
      return { winRates: winRates.slice(0, i + 1), items: items.slice(0, i + 1) };
    }
  }
  return { winRates: [], items: [] };
}

function mainSelfplay(
  rng: Rng,
  state: LeagueState,
  payoff: WinRateSource,
  opponent: string,
  branch: MainBranch,
): OpponentChoice {
  if (payoff.winRate(state.self, opponent) > ALPHASTAR.selfplayAbove) return { opponent, kind: 'selfplay', branch };
  const history = snapshotsOf(state, opponent);
  if (history.length === 0) return { opponent, kind: 'selfplay', branch };
  const chosen = pfspOver(rng, state.self, history, payoff, ALPHASTAR.curriculumWeighting);
  return { opponent: chosen, kind: 'curriculum', branch };
}

function mainVerification(
  rng: Rng,
  state: LeagueState,
  payoff: WinRateSource,
  opponent: string,
): OpponentChoice | null {
  const exploiters = state.snapshots.filter((s) => s.role === 'main-exploiter').map((s) => s.id);
  const exploiterRates = ratesOf(payoff, state.self, exploiters);
  if (exploiters.length > 0 && minOf(exploiterRates) < ALPHASTAR.exploiterVerifyBelow) {
    const chosen = pfspPick(rng, exploiters, exploiterRates, ALPHASTAR.pfspWeighting);
    return { opponent: chosen, kind: 'verification-exploiters', branch: 'verification' };
  }
  const history = snapshotsOf(state, opponent);
  const forgotten = removeMonotonicSuffix(ratesOf(payoff, state.self, history), history);
  if (forgotten.items.length > 0 && minOf(forgotten.winRates) < ALPHASTAR.forgottenVerifyBelow) {
    const chosen = pfspPick(rng, forgotten.items, forgotten.winRates, ALPHASTAR.pfspWeighting);
    return { opponent: chosen, kind: 'verification-forgotten', branch: 'verification' };
  }
  return null;
}

function ratesOf(payoff: WinRateSource, self: string, ids: readonly string[]): number[] {
  return ids.map((id) => payoff.winRate(self, id));
}

function minOf(values: readonly number[]): number {
  return values.reduce((m, v) => (v < m ? v : m), Number.POSITIVE_INFINITY);
}

/**
 * An opponent for learner `state.self` in `role`, following the module doc exactly (coin tosses, thresholds,
 * weightings, fallbacks). Throws RangeError when `state.self` is not a learner with that role or the league has
 * no main agent (caller bugs).
 */
export function chooseOpponent(role: LeagueRole, state: LeagueState, payoff: WinRateSource, rng: Rng): OpponentChoice {
  const me = state.learners.find((l) => l.id === state.self);
  if (!me || me.role !== role) throw new RangeError(`${state.self} is not a ${role} learner of this league`);
  const mains = mainAgents(state);
  const everySnapshot = state.snapshots.map((s) => s.id);
  switch (role) {
    case 'main': {
      const coin = rng.float();
      if (coin < ALPHASTAR.pfspShare) {
        if (everySnapshot.length === 0) return mainSelfplay(rng, state, payoff, rng.pick(mains), 'pfsp');
        const chosen = pfspOver(rng, state.self, everySnapshot, payoff, ALPHASTAR.pfspWeighting);
        return { opponent: chosen, kind: 'pfsp', branch: 'pfsp' };
      }
      const opponent = rng.pick(mains);
      if (coin < ALPHASTAR.pfspShare + ALPHASTAR.verificationShare) {
        const verified = mainVerification(rng, state, payoff, opponent);
        if (verified) return verified;
        return mainSelfplay(rng, state, payoff, opponent, 'verification');
      }
      return mainSelfplay(rng, state, payoff, opponent, 'selfplay');
    }
    case 'main-exploiter': {
      const opponent = rng.pick(mains);
      if (payoff.winRate(state.self, opponent) > ALPHASTAR.exploitAbove) return { opponent, kind: 'exploit' };
      const history = snapshotsOf(state, opponent);
      if (history.length === 0) return { opponent, kind: 'exploit' };
      const chosen = pfspOver(rng, state.self, history, payoff, ALPHASTAR.curriculumWeighting);
      return { opponent: chosen, kind: 'curriculum' };
    }
    case 'league-exploiter': {
      if (everySnapshot.length === 0) return { opponent: rng.pick(mains), kind: 'exploit' };
      const chosen = pfspOver(rng, state.self, everySnapshot, payoff, ALPHASTAR.leagueWeighting);
      return { opponent: chosen, kind: 'pfsp' };
    }
  }
}

/**
 * Ids a learner in `role` must beat to snapshot early: every snapshot (main agent, league exploiter) or every
 * main agent (main exploiter).
 */
export function snapshotRelevantSet(role: LeagueRole, state: Pick<LeagueState, 'learners' | 'snapshots'>): string[] {
  if (role === 'main-exploiter') return state.learners.filter((l) => l.role === 'main').map((l) => l.id);
  return state.snapshots.map((s) => s.id);
}

/** What `snapshotDecision` looks at. */
export interface SnapshotStats {
  /** The learner's win rates against its relevant set (`snapshotRelevantSet`); may be empty. */
  readonly winRates: readonly number[];
  /** Training steps since the learner's last snapshot (or since it started). */
  readonly stepsSinceSnapshot: number;
  /** No snapshot before this many steps (pseudocode: 2e9; default 0). */
  readonly minSteps?: number;
  /** Snapshot anyway once strictly more steps than this have passed (pseudocode: 4e9; default: never). */
  readonly maxSteps?: number;
  /** The win-rate threshold (default ALPHASTAR.snapshotAbove, 0.7; scenarios may set it). */
  readonly snapshotAbove?: number;
}

/** Whether to snapshot now, and whether the learner then goes back to its initial weights. */
export interface SnapshotDecision {
  /** Take a snapshot (a new frozen past player) now. */
  readonly snapshot: boolean;
  /** After snapshotting, reset the learner to its initial weights; false whenever `snapshot` is false. */
  readonly reset: boolean;
}

/**
 * The snapshot rule (module doc): no snapshot before `minSteps`; then snapshot when the lowest win rate is
 * > 0.7 (an empty set never qualifies) or steps exceed `maxSteps`. Reset: main never, main exploiter always,
 * league exploiter when one `rng.float()` < 0.25, drawn only when it snapshots.
 */
export function snapshotDecision(role: LeagueRole, stats: SnapshotStats, rng: Rng): SnapshotDecision {
  const steps = stats.stepsSinceSnapshot;
  const minSteps = stats.minSteps ?? 0;
  const maxSteps = stats.maxSteps ?? Number.POSITIVE_INFINITY;
  if (steps < minSteps) return { snapshot: false, reset: false };
  const beaten = stats.winRates.length > 0 && minOf(stats.winRates) > (stats.snapshotAbove ?? ALPHASTAR.snapshotAbove);
  if (!beaten && !(steps > maxSteps)) return { snapshot: false, reset: false };
  switch (role) {
    case 'main':
      return { snapshot: true, reset: false };
    case 'main-exploiter':
      return { snapshot: true, reset: true };
    case 'league-exploiter':
      return { snapshot: true, reset: rng.float() < ALPHASTAR.leagueExploiterResetProbability };
  }
}
