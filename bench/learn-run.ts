/**
 * `npm run bench:learn`: PPO update throughput on wasm and cpu (same run), then learning targets with curves.
 *   --quick               throughput only, 0.5 s per backend
 *   --targets a,b         games to train (kuhn-poker, leduc-poker, connect-four); default kuhn-poker
 *   --all                 all three targets (about 70 minutes on a 2-core machine)
 *   --curves DIR          where the learn-<game>.csv curves go (default artifacts/learn)
 * Prints one JSON object {"machine", "results"} on stdout; progress on stderr.
 */
import { machine, log } from './harness';
import { benchLearn } from './learn';
import type { PresetGame } from '../learner/hyperparams';

const GAMES: readonly PresetGame[] = ['kuhn-poker', 'leduc-poker', 'connect-four'];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const listed = flag('--targets')?.split(',').map((s) => s.trim());
  for (const g of listed ?? []) {
    if (!(GAMES as readonly string[]).includes(g)) throw new Error(`--targets: unknown game "${g}" (expected ${GAMES.join(', ')})`);
  }
  const targets: readonly PresetGame[] = quick ? [] : process.argv.includes('--all') ? GAMES : ((listed as PresetGame[] | undefined) ?? ['kuhn-poker']);
  const results = await benchLearn({ seconds: quick ? 0.5 : 2, targets, curveDir: flag('--curves') ?? 'artifacts/learn', log });
  process.stdout.write(`${JSON.stringify({ machine: machine(), results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:learn failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
