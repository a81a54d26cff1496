/** Uniformly random legal actions, from a generator seeded by the constructor (deterministic per seed). */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import { Rng } from '../environments/core/rng';

export class RandomAgent implements Agent<number> {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = Rng.fromSeed(seed);
  }

  act(view: SeatView<unknown, number>): number {
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'random: no legal action');
    return legal[this.rng.int(legal.length)] as number;
  }
}
