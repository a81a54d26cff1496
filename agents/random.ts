/** Uniformly random legal actions, from a generator seeded by the constructor (deterministic per seed). */
import type { Agent, SeatView } from './agent';
import { ArenaError } from '../environments/core/errors';
import type { Action } from '../environments/core/game';
import { Rng } from '../environments/core/rng';

export class RandomAgent<A extends Action = number> implements Agent<A> {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = Rng.fromSeed(seed);
  }

  act(view: SeatView<unknown, A>): A {
    const legal = view.legalActions;
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'random: no legal action');
    return legal[this.rng.int(legal.length)] as A;
  }
}
