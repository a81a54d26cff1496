/**
 * Depth-limited minimax with alpha-beta pruning over the full state (perfect-information sequential games).
 *
 * Values are from the perspective of the seat to move at the root: it maximises, every other seat minimises
 * (exact for two-player zero-sum games, the "paranoid" assumption otherwise). Terminal states score their returns
 * scaled to +-1000, less one per ply from the root (so faster wins and slower losses rank higher); leaves at the
 * depth limit score `evaluate` (a per-game heuristic; 0 for games without one). Chance nodes, if any, take the
 * expectation over every outcome. Root moves whose values tie are all found exactly (the root searches each move
 * with a window just below the best value so far) and one is drawn with the agent's seeded generator, so play
 * varies by seed and is deterministic per seed.
 */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type Game, type Seat } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { connectFourHeuristic, connectFourOrder } from './heuristics/connect-four';

/** Static value of a non-terminal `state` for `seat` (positive = good); keep |value| well below 1000. */
export type Evaluate<S> = (state: S, seat: Seat) => number;
/** Search order of the legal actions at `state` (must be a permutation of `legal`). */
export type MoveOrder<S> = (state: S, legal: readonly number[]) => readonly number[];

export interface AlphaBetaOptions<S = unknown> {
  /** Plies searched below the root (>= 1). */
  readonly depth: number;
  /** Seed of the generator that breaks ties between equally valued root moves. */
  readonly seed: number;
  /** Leaf evaluation; defaults to the game's heuristic if it has one (Connect Four), else 0. */
  readonly evaluate?: Evaluate<S>;
  /** Move ordering; defaults to the game's (centre first in Connect Four), else ascending ids. */
  readonly order?: MoveOrder<S>;
}

/** Terminal values are returns scaled to this magnitude (minus the ply count from the root). */
export const WIN_VALUE = 1000;
const EPS = 1e-9;

const DEFAULT_EVALUATE: Readonly<Record<string, Evaluate<unknown>>> = {
  'connect-four': connectFourHeuristic as Evaluate<unknown>,
};
const DEFAULT_ORDER: Readonly<Record<string, MoveOrder<unknown>>> = {
  'connect-four': connectFourOrder as MoveOrder<unknown>,
};

const zero: Evaluate<unknown> = () => 0;
const identityOrder: MoveOrder<unknown> = (_state, legal) => legal;

/** Throws agent/unsupported-game unless the game is a perfect-information sequential game. */
export function requirePerfectInformation(game: Game<unknown, number>, agent: string): void {
  if (!game.spec.perfectInformation) {
    throw new ArenaError('agent/unsupported-game', `${agent} needs a perfect-information game (${game.spec.id})`);
  }
  if (game.spec.dynamics !== 'sequential') {
    throw new ArenaError('agent/unsupported-game', `${agent} needs a sequential game (${game.spec.id})`);
  }
}

export class AlphaBetaAgent<S = unknown> implements Agent<number> {
  readonly name: string;
  /** Nodes visited by the last `act` call (every state searched, root excluded). */
  lastNodes = 0;
  /** Nodes visited over all `act` calls. */
  totalNodes = 0;
  /** Value of the move chosen by the last `act` call (root perspective). */
  lastValue = 0;

  private readonly game: Game<S, number>;
  private readonly depth: number;
  private readonly rng: Rng;
  private readonly evaluate: Evaluate<S>;
  private readonly order: MoveOrder<S>;
  private readonly scale: number;
  private root: Seat = 0;
  private nodes = 0;

  constructor(game: Game<S, number>, opts: AlphaBetaOptions<S>) {
    requirePerfectInformation(game as Game<unknown, number>, 'alphabeta');
    if (!Number.isInteger(opts.depth) || opts.depth < 1) {
      throw new ArenaError('agent/invalid-spec', `alphabeta: depth must be an integer >= 1, got ${opts.depth}`);
    }
    this.game = game;
    this.depth = opts.depth;
    this.rng = Rng.fromSeed(opts.seed);
    this.evaluate = opts.evaluate ?? ((DEFAULT_EVALUATE[game.spec.id] ?? zero) as Evaluate<S>);
    this.order = opts.order ?? ((DEFAULT_ORDER[game.spec.id] ?? identityOrder) as MoveOrder<S>);
    const bound = Math.max(Math.abs(game.minUtility), Math.abs(game.maxUtility));
    this.scale = bound > 0 && Number.isFinite(bound) ? WIN_VALUE / bound : WIN_VALUE;
    this.name = `alphabeta:depth=${opts.depth}`;
  }

  act(view: SeatView<unknown, number>): number {
    if (view.state === undefined) {
      throw new ArenaError('agent/unsupported-game', `alphabeta: no state in the view (${this.game.spec.id})`);
    }
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'alphabeta: no legal action');
    const state = view.state as S;
    this.root = view.seat;
    this.nodes = 0;
    let best = -Infinity;
    let ties: number[] = [];
    for (const a of this.order(state, legal)) {
      const child = this.step(state, a);
      const v = this.search(child, this.depth - 1, 1, best === -Infinity ? -Infinity : best - EPS, Infinity);
      if (v > best + EPS) {
        best = v;
        ties = [a];
      } else if (v > best - EPS) {
        ties.push(a);
      }
    }
    this.lastNodes = this.nodes;
    this.totalNodes += this.nodes;
    this.lastValue = best;
    return ties.length === 1 ? (ties[0] as number) : this.rng.pick(ties);
  }

  private step(state: S, action: number): S {
    const next = this.game.apply(state, [action]);
    if (next instanceof ArenaError) throw next;
    return next;
  }

  /** Minimax value of `state` for the root seat; fails soft outside (alpha, beta). */
  private search(state: S, depth: number, ply: number, alpha: number, beta: number): number {
    this.nodes++;
    const game = this.game;
    if (game.isTerminal(state)) {
      const r = (game.returns(state)[this.root] as number) * this.scale;
      return r > 0 ? r - ply : r < 0 ? r + ply : r;
    }
    if (depth === 0) return this.evaluate(state, this.root);
    const players = game.currentPlayers(state);
    const mover = players[0] as Seat;
    if (mover === CHANCE) {
      let v = 0;
      for (const o of game.chanceOutcomes(state)) {
        v += o.probability * this.search(this.step(state, o.action), depth - 1, ply + 1, -Infinity, Infinity);
      }
      return v;
    }
    const moves = this.order(state, game.legalActions(state, mover));
    if (mover === this.root) {
      let v = -Infinity;
      for (let i = 0; i < moves.length; i++) {
        const c = this.search(this.step(state, moves[i] as number), depth - 1, ply + 1, alpha, beta);
        if (c > v) {
          v = c;
          if (v > alpha) alpha = v;
          if (alpha >= beta) break;
        }
      }
      return v;
    }
    let v = Infinity;
    for (let i = 0; i < moves.length; i++) {
      const c = this.search(this.step(state, moves[i] as number), depth - 1, ply + 1, alpha, beta);
      if (c < v) {
        v = c;
        if (v < beta) beta = v;
        if (alpha >= beta) break;
      }
    }
    return v;
  }
}
