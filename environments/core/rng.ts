/**
 * Seeded randomness. Every random choice in the arena goes through an Rng built from an explicit seed, so that
 * (game, params, seed, actions) replays bit for bit. The generator is pure-rand's xoroshiro128+; its state is a
 * short array of 32-bit integers that games store inside their (immutable, serializable) states.
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** Outputs discarded after seeding (see Rng.fromSeed). */
const WARM_UP = 8;

/** Serializable generator state (plain 32-bit integers). */
export type RngState = readonly number[];

export class Rng {
  private constructor(private readonly gen: RandomGenerator) {}

  /**
   * A generator from a seed (any safe integer; only the low 32 bits matter). pure-rand seeds xoroshiro128+ with
   * the raw integer, and its first outputs are then nearly a linear function of the seed (seeds 0..999 dealt seat
   * 0 of Kuhn poker the king every time). So the seed is mixed first and the first outputs are discarded.
   */
  static fromSeed(seed: number): Rng {
    const gen = xoroshiro128plus(deriveSeed(seed, 0x5eed) | 0);
    for (let i = 0; i < WARM_UP; i++) gen.next();
    return new Rng(gen);
  }

  static fromState(state: RngState): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): RngState {
    return this.gen.getState();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return uniformInt(this.gen, 0, n - 1);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** An index drawn from non-negative weights (they need not sum to 1). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let r = this.float() * total;
    let last = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w <= 0) continue;
      last = i;
      if (r < w) return i;
      r -= w;
    }
    return last; // floating-point remainder: the last index with positive weight
  }

  /** An independent generator for a sub-task, derived deterministically from this one. */
  fork(): Rng {
    return Rng.fromSeed(this.gen.next());
  }
}

/** Mixes a seed with integers (seat index, game number, ...) into a new 32-bit seed (splitmix32-style). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) | 0;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
