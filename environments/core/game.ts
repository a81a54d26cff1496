/**
 * The game interface. Close to OpenSpiel's semantics so its published numbers (tree sizes, game values,
 * NashConv of simple policies) are our test oracles.
 *
 * A game is registered as a `GameModule` (static facts + a zod parameter schema). `module.create(params)`
 * gives a `Game`: the rules for one parameterisation, with the facts that depend on the parameters resolved
 * (number of players, observation shape, maximum length, utility bounds). States are immutable plain data:
 * `apply` returns a new state and never changes its input, so callers never see a half-applied state.
 * All randomness comes from the seeded generator stored inside the state (see `sampleChance`).
 */
import type { z } from 'zod';
import type { ArenaError } from './errors';

/** A player's index, 0-based. */
export type Seat = number;
/** The chance player, as in OpenSpiel (kChancePlayerId). */
export const CHANCE = -1;

/** Discrete action ids for board and card games; vectors for realtime games; strings for text games. */
export type Action = number | readonly number[] | string;

export type Dynamics = 'sequential' | 'simultaneous' | 'realtime';
export type UtilityKind = 'zero-sum' | 'constant-sum' | 'general-sum' | 'cooperative';

export type ActionSpace =
  | { readonly kind: 'discrete'; readonly n: number }
  | { readonly kind: 'multi-discrete'; readonly nvec: readonly number[] }
  | { readonly kind: 'box'; readonly shape: readonly number[]; readonly low: number; readonly high: number }
  | { readonly kind: 'text'; readonly maxLength: number };

/** JSON-compatible data (render payloads, params). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Facts that do not depend on parameters. Declared once; the conformance suite enforces them. */
export interface GameSpec<P> {
  /** Registry id, kebab-case ("connect-four"). */
  readonly id: string;
  /** Bumped on any change to rules, observations or rewards; records and snapshots name it. */
  readonly version: number;
  readonly title: string;
  /** One paragraph for `arena games` and the web lobby. */
  readonly summary: string;
  /** Inclusive range of supported player counts. */
  readonly players: { readonly min: number; readonly max: number };
  readonly dynamics: Dynamics;
  /** Ticks per second for realtime games (the engine steps them at this rate). */
  readonly tickHz?: number;
  readonly utility: UtilityKind;
  /** Whether the game has chance nodes (`currentPlayers` returns [CHANCE]). */
  readonly chance: boolean;
  readonly perfectInformation: boolean;
  /** Parameter schema with defaults: `params.parse({})` gives the default parameterisation. */
  readonly params: z.ZodType<P>;
}

export interface ChanceOutcome<A extends Action = number> {
  readonly action: A;
  readonly probability: number;
}

/** A game's rules for one parameterisation. S is the game's state type, A its action type. */
export interface Game<S = unknown, A extends Action = number> {
  readonly spec: GameSpec<unknown>;
  /** The validated parameters (defaults filled in). */
  readonly params: Readonly<Record<string, Json>>;
  readonly numPlayers: number;
  readonly actionSpace: ActionSpace;
  /** Shape of `observationTensor` (row-major); its product is the tensor's length. */
  readonly observationShape: readonly number[];
  /** Upper bound on the number of `apply` calls (chance steps included) in one game. */
  readonly maxLength: number;
  /** Bounds on any player's final return. */
  readonly minUtility: number;
  readonly maxUtility: number;

  /** The initial state. `seed` seeds the generator stored in the state; nothing else is random. */
  init(seed: number): S;
  /**
   * Who acts now: [] when terminal; [CHANCE] at a chance node; one seat in sequential games; every seat that
   * must act, ascending, in simultaneous and realtime games. The returned array must not be mutated.
   */
  currentPlayers(state: S): readonly Seat[];
  isTerminal(state: S): boolean;
  /** At a chance node: every outcome with probability > 0; the probabilities sum to 1. Else []. */
  chanceOutcomes(state: S): readonly ChanceOutcome<A>[];
  /** At a chance node: the outcome drawn from the generator stored in the state (deterministic per state). */
  sampleChance(state: S): A;
  /** Legal actions of `seat` now (discrete ids ascending); [] for a seat that is not to act. */
  legalActions(state: S, seat: Seat): readonly A[];
  /**
   * Applies one action per seat in `currentPlayers(state)` order (one element for sequential games and chance
   * nodes). Returns the new state, or an ArenaError (`action/illegal`, `action/malformed`, `match/over`) and
   * the input state is untouched. Never mutates `state`.
   */
  apply(state: S, actions: readonly A[]): S | ArenaError;
  /** Rewards of the last step, one per seat. Summed over a game they equal `returns` at the end. */
  rewards(state: S): readonly number[];
  /** Cumulative returns so far, one per seat (the final returns when terminal). */
  returns(state: S): readonly number[];
  /** What `seat` observes now, as a Float32Array of `observationShape`. Reveals nothing hidden from the seat. */
  observationTensor(state: S, seat: Seat): Float32Array;
  /** What `seat` observes now, as text (for text/LLM agents and logs). Reveals nothing hidden from the seat. */
  observationText(state: S, seat: Seat): string;
  /** Perfect-recall information state key (OpenSpiel's string): equal keys mean equal information. */
  informationState(state: S, seat: Seat): string;
  /** Human-readable action name ("Call", "col 3"). */
  actionToString(seat: Seat, action: A): string;
  /** Parses a typed action (the action's string or its id); an ArenaError('action/malformed') otherwise. */
  parseAction(state: S, seat: Seat, text: string): A | ArenaError;
  /** JSON text that `deserialize` turns back into an equal state. */
  serialize(state: S): string;
  /** Inverse of `serialize`; throws ArenaError('env/bad-serialization') on bad input. */
  deserialize(text: string): S;
  /**
   * Data for a board view. `viewer` null is a spectator: only public information. A seat's view may add what
   * that seat alone sees (its own cards). Terminal states reveal what the rules reveal at showdown. In a
   * perfect-information game every viewer gets the same render (the conformance checks hold games to it).
   */
  render(state: S, viewer: Seat | null): Json;
  /** A plain-text board for terminals (spectator view unless `viewer` is given). */
  renderText(state: S, viewer: Seat | null): string;
}

/** A registry entry: the static facts plus a constructor for one parameterisation. */
export interface GameModule<S = unknown, A extends Action = number, P = Record<string, Json>> {
  readonly spec: GameSpec<P>;
  create(params: P): Game<S, A>;
}

/**
 * A game whose state and action types are not known statically (what the registry hands out). Method
 * parameters are bivariant, so every Game<S, A> is assignable to it.
 */
export type AnyGame = Game<unknown, Action>;
