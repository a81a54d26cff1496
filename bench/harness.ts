/** Shared benchmark plumbing: the machine description, timing loops and the JSON result shape. */
import { cpus, totalmem } from 'node:os';
import { ArenaError } from '../environments/core/errors';
import { CHANCE, type AnyGame } from '../environments/core/game';
import { Rng } from '../environments/core/rng';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}

export function machine(): { cpu: string; cores: number; memoryGiB: number; node: string; platform: string } {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/**
 * Runs `batch` repeatedly for at least `seconds` (after a short warm-up) and returns units per second, where
 * `batch` returns how many units it did.
 */
export function rate(batch: () => number, seconds = 2): number {
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) batch();
  let units = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    units += batch();
    t = performance.now();
  }
  return units / ((t - t0) / 1000);
}

export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Complete uniformly random games through the public interface (chance sampled from the state). */
export function randomRollouts(game: AnyGame, seconds: number): { gamesPerSecond: number; meanLength: number } {
  const rng = Rng.fromSeed(1);
  let seed = 0;
  let steps = 0;
  let games = 0;
  const gamesPerSecond = rate(() => {
    for (let g = 0; g < 100; g++) {
      let s = game.init(seed++);
      while (!game.isTerminal(s)) {
        const p = game.currentPlayers(s)[0]!;
        let a;
        if (p === CHANCE) a = game.sampleChance(s);
        else {
          const legal = game.legalActions(s, p);
          a = legal[rng.int(legal.length)]!;
        }
        const next = game.apply(s, [a]);
        if (next instanceof ArenaError) throw next;
        s = next;
        steps++;
      }
    }
    games += 100;
    return 100;
  }, seconds);
  return { gamesPerSecond, meanLength: steps / games };
}
