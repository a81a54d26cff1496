/** Test helpers for driving a game through its public interface: views, replays and whole games. */
import type { Agent, SeatView } from '../../agents/agent';
import { LazySeatView } from '../../engine/view';
import { ArenaError } from '../../environments/core/errors';
import { CHANCE, type Game } from '../../environments/core/game';
import { applyOrThrow } from '../../environments/core/helpers';

/** The engine's own lazy view of `state` for `seat` (step 0, no time limit), as an agent receives it. */
export function seatView<S>(game: Game<S, number>, state: S, seat: number): SeatView<unknown, number> {
  return new LazySeatView(game, state, seat, 0, undefined) as SeatView<unknown, number>;
}

/** Plays a sequential game from `game.init(seed)` to the end, `agents[seat]` acting for each seat. */
export function playOut<S>(
  game: Game<S, number>,
  agents: readonly Agent<number>[],
  seed = 0,
): { returns: number[]; moves: number[] } {
  let s = game.init(seed);
  const moves: number[] = [];
  while (!game.isTerminal(s)) {
    const seat = game.currentPlayers(s)[0] as number;
    const a = (agents[seat] as Agent<number>).act(seatView(game, s, seat)) as number;
    moves.push(a);
    s = applyOrThrow(game, s, [a]);
  }
  return { returns: [...game.returns(s)], moves };
}

/** The state after applying `moves` one at a time from `from` (default `game.init(0)`); throws on a bad move. */
export function stateAfter<S>(game: Game<S, number>, moves: readonly number[], from: S = game.init(0)): S {
  let s = from;
  for (const m of moves) s = applyOrThrow(game, s, [m]);
  return s;
}

/** Like `stateAfter`, but deep-freezes each state before a move is applied to it (catches a mutating `apply`). */
export function frozenStateAfter<S>(game: Game<S, number>, moves: readonly number[], from: S = game.init(0)): S {
  let s = from;
  for (const m of moves) s = applyOrThrow(game, deepFreeze(s), [m]);
  return s;
}

/** Freezes `value` and everything reachable from it; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The ArenaError code of `result`, or undefined when it is not an ArenaError. */
export function errorCode(result: unknown): string | undefined {
  return result instanceof ArenaError ? result.code : undefined;
}

/**
 * Plays `games` seeded games (seed 0, 1, ...) of a two-player zero-sum sequential game with chance, the seats
 * choosing `pick(seed, step, legal)`, and checks every step: one actor, tensors, serialization round trips,
 * chance distributions and reproducible sampling, rewards summing to the returns, bounds and determinism.
 */
export function checkRandomPlaythroughs<S>(
  game: Game<S, number>,
  options: {
    readonly games: number;
    readonly tensorLength: number;
    readonly pick: (seed: number, step: number, legal: readonly number[]) => number;
  },
): void {
  for (let seed = 0; seed < options.games; seed++) {
    let s = deepFreeze(game.init(seed));
    let twin = game.init(seed);
    const sum: [number, number] = [0, 0];
    let steps = 0;
    while (!game.isTerminal(s)) {
      const players = game.currentPlayers(s);
      expect(players).toHaveLength(1);
      const p = players[0] as number;
      for (const seat of [0, 1]) {
        if (seat !== p) expect(game.legalActions(s, seat)).toEqual([]);
        const t = game.observationTensor(s, seat);
        expect(t).toHaveLength(options.tensorLength);
        expect(t.every(Number.isFinite)).toBe(true);
      }
      expect(game.deserialize(game.serialize(s))).toEqual(s);
      let a: number;
      if (p === CHANCE) {
        const outs = game.chanceOutcomes(s);
        expect(outs.reduce((acc, o) => acc + o.probability, 0)).toBeCloseTo(1, 12);
        a = game.sampleChance(s);
        expect(game.sampleChance(twin)).toBe(a);
      } else {
        expect(game.chanceOutcomes(s)).toEqual([]);
        a = options.pick(seed, steps, game.legalActions(s, p));
      }
      const next = game.apply(s, [a]);
      if (next instanceof ArenaError) throw next;
      twin = applyOrThrow(game, twin, [a]);
      s = deepFreeze(next);
      const r = game.rewards(s);
      sum[0] += r[0] as number;
      sum[1] += r[1] as number;
      steps++;
    }
    expect(steps).toBeLessThanOrEqual(game.maxLength);
    const ret = game.returns(s);
    expect(sum).toEqual([...ret]);
    expect((ret[0] as number) + (ret[1] as number)).toBe(0);
    for (const x of ret) {
      expect(x).toBeGreaterThanOrEqual(game.minUtility);
      expect(x).toBeLessThanOrEqual(game.maxUtility);
    }
    expect(game.deserialize(game.serialize(s))).toEqual(s);
    expect(game.serialize(twin)).toBe(game.serialize(s));
  }
}
