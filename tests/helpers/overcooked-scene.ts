/** Hand-built Overcooked states for tests (the game's and the greedy planner's). */
import { NORTH, NOTHING, type OvercookedGame, type OvercookedState } from '../../environments/cooperative/overcooked';
import { applyOrThrow } from '../../environments/core/helpers';
import { deepFreeze } from './play';

export type XY = readonly [number, number];
export interface SceneCook {
  readonly at: XY;
  /** Facing (0 N, 1 S, 2 E, 3 W); north by default. */
  readonly facing?: number;
  /** Held item; nothing by default. */
  readonly held?: number;
}
export interface Scene {
  readonly cooks: readonly [SceneCook, SceneCook];
  /** Pot states in layout reading order: [onions, cook time]; empty pots by default. */
  readonly pots?: readonly (readonly [number, number])[];
  /** Items on counters. */
  readonly items?: readonly (readonly [XY, number])[];
}

/** A state of `game` at tick 0 built through `deserialize` (so it is validated like any loaded state), frozen. */
export function scene(game: OvercookedGame, sc: Scene): OvercookedState {
  const cell = ([x, y]: XY): number => y * game.layout.width + x;
  const s = game.init(0);
  const counters = [...s.counters];
  for (const [at, item] of sc.items ?? []) counters[cell(at)] = item;
  const [c0, c1] = sc.cooks;
  const state = {
    ...s,
    pos0: cell(c0.at),
    dir0: c0.facing ?? NORTH,
    held0: c0.held ?? NOTHING,
    pos1: cell(c1.at),
    dir1: c1.facing ?? NORTH,
    held1: c1.held ?? NOTHING,
    pots: (sc.pots ?? s.pots.map(() => [0, 0] as const)).map(([onions, t]) => onions + 4 * t),
    counters,
  };
  return deepFreeze(game.deserialize(JSON.stringify(state)));
}

/** Applies joint actions one step at a time, deep-freezing every state (catches a mutating apply). */
export function runJoint(game: OvercookedGame, s: OvercookedState, joints: readonly (readonly [number, number])[]): OvercookedState {
  for (const j of joints) s = deepFreeze(applyOrThrow(game, deepFreeze(s), j));
  return s;
}

export interface CookView {
  readonly x: number;
  readonly y: number;
  readonly facing: string;
  readonly held: string | null;
}

/** The cooks as `render` shows them. */
export function cooksOf(game: OvercookedGame, s: OvercookedState): CookView[] {
  return (game.render(s, null) as unknown as { players: CookView[] }).players;
}
