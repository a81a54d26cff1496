/** Shared benchmark plumbing: the machine description, timing loops and the JSON result shape. */
import { cpus, totalmem } from 'node:os';

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
