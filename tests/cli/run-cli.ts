/** Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first) as a real process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'arena.js');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function arena(args: readonly string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a --json command and parses the single JSON object it must print on stdout. */
export function arenaJson<T = Record<string, unknown>>(args: readonly string[], cwd = ROOT): T {
  const r = arena([...args, '--json'], cwd);
  if (r.code !== 0) throw new Error(`arena ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`--json printed ${lines.length} lines on stdout`);
  return JSON.parse(lines[0]!) as T;
}
