/**
 * Agents: anything that chooses actions for a seat. The engine builds a SeatView per decision and calls
 * `act`. Views are lazy: observations are computed only if the agent reads them.
 */
import type { Action, Game, Seat } from '../environments/core/game';

export interface SeatView<S = unknown, A extends Action = Action> {
  readonly game: Game<S, A>;
  readonly seat: Seat;
  /** Legal actions of this seat now (discrete ids ascending). */
  readonly legalActions: readonly A[];
  /** Engine step number (0-based count of applied steps, chance included). */
  readonly step: number;
  /** The full state: set only for perfect-information games, where it reveals nothing hidden. */
  readonly state: S | undefined;
  /** OpenSpiel information-state string of this seat. */
  readonly informationState: string;
  readonly observationText: string;
  readonly observationTensor: Float32Array;
  /** Milliseconds this decision may take, or undefined for no limit. */
  readonly timeLimitMs: number | undefined;
}

export interface Agent<A extends Action = Action> {
  /** Display name including parameters ("alphabeta:depth=4"). */
  readonly name: string;
  /** Chooses an action for the seat in `view`. May be async (remote seats, people). */
  act(view: SeatView<unknown, A>): A | Promise<A>;
}

/** A policy that gives action probabilities per information state (CFR averages, policy files). */
export interface TabularPolicy {
  /**
   * Probability per action id (array length = the game's number of discrete actions) at `infoState`, where
   * `legal` are the legal actions there. Illegal actions get 0.
   */
  actionProbabilities(infoState: string, legal: readonly number[]): readonly number[];
}

/** What agent factories receive: the game and a seed for any randomness of their own. */
export interface AgentContext {
  readonly game: Game<unknown, Action>;
  readonly seed: number;
  /** Base directory for relative policy-file paths (defaults to the working directory). */
  readonly baseDir?: string;
}
