/** Small shared helpers for game implementations and the algorithms that drive them. */
import type { z } from 'zod';
import { ArenaError } from './errors';
import type { Action, ChanceOutcome, Game, Seat } from './game';
import { Rng, type RngState } from './rng';

/** Applies actions that the caller knows are legal; an error here is a bug, so it throws. */
export function applyOrThrow<S, A extends Action>(game: Game<S, A>, state: S, actions: readonly A[]): S {
  const next = game.apply(state, actions);
  if (next instanceof ArenaError) throw next;
  return next;
}

/** Draws one outcome from a chance distribution with the generator state stored in a game state. */
export function sampleOutcome<A extends Action>(rng: RngState, outcomes: readonly ChanceOutcome<A>[]): A {
  if (outcomes.length === 0) throw new Error('sampleOutcome: no chance outcomes');
  const probs = outcomes.map((o) => o.probability);
  return (outcomes[Rng.fromState(rng).weighted(probs)] as ChanceOutcome<A>).action;
}

/** The generator state after one chance step (games call this in `apply` at chance nodes). */
export function stepRng(rng: RngState): RngState {
  const r = Rng.fromState(rng);
  r.float();
  return r.state();
}

/** The initial generator state for a seed. */
export function rngFromSeed(seed: number): RngState {
  return Rng.fromSeed(seed).state();
}

/** Validates raw parameters against a game's schema; unknown keys and bad values give env/invalid-params. */
export function parseParams<P>(gameId: string, schema: z.ZodType<P>, raw: unknown): P {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(params)';
    throw new ArenaError('env/invalid-params', `${gameId}: invalid parameter ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Standard rejection for a discrete action that is not in the legal list. */
export function illegalAction(gameId: string, seat: Seat, action: unknown): ArenaError {
  return new ArenaError('action/illegal', `${gameId}: action ${JSON.stringify(action)} is not legal for seat ${seat}`);
}

/**
 * The one action of a sequential step: exactly one element, an integer. Else ArenaError('action/malformed');
 * whether it is legal is the game's next check.
 */
export function singleDiscreteAction(gameId: string, actions: readonly unknown[]): number | ArenaError {
  if (actions.length !== 1) return new ArenaError('action/malformed', `${gameId}: expected exactly one action, got ${actions.length}`);
  const a = actions[0];
  if (typeof a !== 'number' || !Number.isInteger(a)) {
    return new ArenaError('action/malformed', `${gameId}: action ${JSON.stringify(a)} is not an integer`);
  }
  return a;
}

/** Equally likely chance outcomes (dealing one of the cards left). */
export function uniformOutcomes(actions: readonly number[]): ChanceOutcome<number>[] {
  const p = 1 / actions.length;
  return actions.map((action) => ({ action, probability: p }));
}

/** Parses "3" or an action name into a discrete action id among the legal ones. */
export function parseDiscreteAction<S>(
  game: Game<S, number>,
  state: S,
  seat: Seat,
  text: string,
): number | ArenaError {
  const legal = game.legalActions(state, seat);
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const id = Number(t);
    if (legal.includes(id)) return id;
    return illegalAction(game.spec.id, seat, id);
  }
  for (const a of legal) if (game.actionToString(seat, a).toLowerCase() === t.toLowerCase()) return a;
  return new ArenaError('action/malformed', `${game.spec.id}: cannot read action "${text}"`);
}

/** JSON.parse that reports env/bad-serialization instead of SyntaxError. */
export function parseSerialized(gameId: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ArenaError('env/bad-serialization', `${gameId}: state is not valid JSON`, { cause });
  }
}

/** Frozen arrays shared between calls (currentPlayers results) so hot loops allocate nothing. */
export const SEAT_LISTS: readonly (readonly Seat[])[] = Object.freeze(
  [[-1], [0], [1], [2], [3], [4]].map((a) => Object.freeze(a)),
);
export const NO_SEATS: readonly Seat[] = Object.freeze([]);
/** currentPlayers() result for one seat (or CHANCE = -1). */
export function onlySeat(seat: Seat): readonly Seat[] {
  return SEAT_LISTS[seat + 1] ?? Object.freeze([seat]);
}

/** One move in a persistent (shared, immutable) history list, newest first: appending is O(1) in `apply`. */
export interface MoveList {
  /** The action. */
  readonly a: number;
  /** The previous move, or null for the first. */
  readonly prev: MoveList | null;
}

/** The moves of a history list, oldest first. */
export function historyActions(history: MoveList | null): number[] {
  const out: number[] = [];
  for (let n = history; n !== null; n = n.prev) out.push(n.a);
  return out.reverse();
}

/** The serialized form `replayMoveList` reads back: `{"moves": [...]}`, oldest first. */
export function serializeMoveList(history: MoveList | null): string {
  return JSON.stringify({ moves: historyActions(history) });
}

/**
 * Rebuilds the state of a game serialized as its move list (`{"moves": [...]}`) by replaying the moves from
 * `initial`; anything that does not replay is env/bad-serialization. Used by the board games, whose states are
 * determined by their move history.
 */
export function replayMoveList<S>(
  gameId: string,
  text: string,
  initial: S,
  applyMove: (state: S, actions: readonly number[]) => S | ArenaError,
  maxMoves: number,
): S {
  const bad = (why: string): ArenaError => new ArenaError('env/bad-serialization', `${gameId}: ${why}`);
  const data = parseSerialized(gameId, text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('state is not an object');
  const moves = (data as { moves?: unknown }).moves;
  if (!Array.isArray(moves) || moves.length > maxMoves) throw bad(`"moves" is not an array of at most ${maxMoves} moves`);
  let state = initial;
  for (const m of moves) {
    const next = applyMove(state, [m as number]);
    if (next instanceof ArenaError) throw bad(`move ${JSON.stringify(m)} cannot be replayed: ${next.message}`);
    state = next;
  }
  return state;
}
