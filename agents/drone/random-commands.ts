/** `drone-random`: independent uniform rotor commands in [-1, 1] every tick, from a seeded generator. */
import type { Agent, SeatView } from '../agent';
import { Rng } from '../../environments/core/rng';

export class DroneRandomAgent implements Agent<readonly number[]> {
  readonly name = 'drone-random';
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = Rng.fromSeed(seed);
  }

  act(_view: SeatView<unknown, readonly number[]>): readonly number[] {
    const r = this.rng;
    return [r.float() * 2 - 1, r.float() * 2 - 1, r.float() * 2 - 1, r.float() * 2 - 1];
  }
}
