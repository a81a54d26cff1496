/**
 * Overcooked figures: environment steps per second with uniformly random joint actions on cramped_room (one
 * core, through `apply`), greedy-planner decisions per second, and the baseline scores of greedy and random
 * cooks (played through the engine's `runMatch`).
 */
import { OvercookedGreedyAgent } from '../agents/overcooked-greedy';
import { RandomAgent } from '../agents/random';
import type { Agent, SeatView } from '../agents/agent';
import { runMatch } from '../engine/match';
import { LazySeatView } from '../engine/view';
import { overcooked, type OvercookedGame, type OvercookedState } from '../environments/cooperative/overcooked';
import type { LayoutName } from '../environments/cooperative/overcooked-layouts';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import { rate, type BenchResult } from './harness';

function createGame(layout: LayoutName, horizon = 400): OvercookedGame {
  return overcooked.create(overcooked.spec.params.parse({ layout, horizon })) as OvercookedGame;
}

/** Steps per second of whole random episodes (init, then `apply` until the horizon). */
export function randomStepsPerSecond(game: OvercookedGame, seconds: number): number {
  const rng = Rng.fromSeed(1);
  return rate(() => {
    let s: OvercookedState = game.init(0);
    let steps = 0;
    while (s.tick < game.horizon) {
      const next = game.apply(s, [rng.int(6), rng.int(6)]);
      if (next instanceof ArenaError) throw next;
      s = next;
      steps++;
    }
    return steps;
  }, seconds);
}

export type Pairing = 'greedy+greedy' | 'greedy+random' | 'random+random';

export interface BaselineScore {
  readonly pairing: Pairing;
  readonly episodes: number;
  readonly meanSoups: number;
  readonly meanReturn: number;
  /** Standard error of the mean return. */
  readonly stderr: number;
}

/**
 * Mean soups and return of `episodes` seeded episodes (seed 0, 1, ...) played by runMatch. Greedy cooks are
 * deterministic, so greedy+greedy gives the same episode for every seed; random cooks are seeded per episode
 * and seat. Greedy takes seat 0 in greedy+random.
 */
export async function baselineScore(game: OvercookedGame, pairing: Pairing, episodes: number): Promise<BaselineScore> {
  const make = (kind: string, seed: number): Agent => (kind === 'greedy' ? new OvercookedGreedyAgent(game as AnyGame) : new RandomAgent(seed));
  const [k0, k1] = pairing.split('+') as [string, string];
  let soups = 0;
  let sum = 0;
  let sumSq = 0;
  for (let e = 0; e < episodes; e++) {
    let final: OvercookedState | undefined;
    const record = await runMatch(game as AnyGame, e, [{ agent: make(k0, 2 * e) }, { agent: make(k1, 2 * e + 1) }], {
      listener: { onStep: (ev) => void (final = ev.state as OvercookedState) },
    });
    const r = record.returns[0] as number;
    soups += final?.soups ?? 0;
    sum += r;
    sumSq += r * r;
  }
  const mean = sum / episodes;
  const variance = episodes > 1 ? Math.max(0, (sumSq - episodes * mean * mean) / (episodes - 1)) : 0;
  return { pairing, episodes, meanSoups: soups / episodes, meanReturn: mean, stderr: Math.sqrt(variance / episodes) };
}

/** Environment and planner speed on cramped_room (the figures `npm run bench` prints). */
export function benchOvercooked(seconds: number): BenchResult[] {
  const game = createGame('cramped_room');
  const steps = randomStepsPerSecond(game, seconds);
  // Greedy decisions through the same lazy view the engine hands to agents, along a greedy+greedy episode.
  const agents = [new OvercookedGreedyAgent(game as AnyGame), new OvercookedGreedyAgent(game as AnyGame)];
  let s: OvercookedState = game.init(0);
  const decisions = rate(() => {
    if (s.tick >= game.horizon) s = game.init(0);
    const view = (seat: number): SeatView<unknown, number> =>
      new LazySeatView(game as AnyGame, s, seat, s.tick, undefined) as SeatView<unknown, number>;
    const next = game.apply(s, [agents[0]!.act(view(0)), agents[1]!.act(view(1))]);
    if (next instanceof ArenaError) throw next;
    s = next;
    return 2;
  }, seconds);
  return [
    { name: 'overcooked.cramped-room-random-steps', value: Math.round(steps), unit: 'steps/s', note: 'one core, uniformly random joint actions through apply, horizon 400' },
    { name: 'overcooked.greedy-decisions', value: Math.round(decisions), unit: 'decisions/s', note: 'cramped_room, greedy+greedy, through the agent interface' },
  ];
}
