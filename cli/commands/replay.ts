import type { Command } from 'commander';
import { ArenaError } from '../../environments/core/errors';
import { readRecords } from '../../engine/jsonl';
import { replay } from '../../engine/replay';
import { printJson } from '../options';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-run match records (JSON Lines) through the rules and report any mismatch; exit 1 if any')
    .argument('<file>', 'records file written by `arena play --out`')
    .option('--json', 'print {"records","ok","mismatches":[{"line","id","error"}]}')
    .action((file: string, opts: { json?: boolean }) => {
      const mismatches: { line: number; id: string | null; code: string; error: string }[] = [];
      const lines = readRecords(file);
      for (const entry of lines) {
        if ('error' in entry) {
          mismatches.push({ line: entry.line, id: null, code: entry.error.code, error: entry.error.message });
          continue;
        }
        try {
          replay(entry.record);
        } catch (error) {
          if (!(error instanceof ArenaError)) throw error;
          mismatches.push({ line: entry.line, id: entry.record.id, code: error.code, error: error.message });
        }
      }
      const ok = lines.length - mismatches.length;
      if (opts.json) printJson({ records: lines.length, ok, mismatches });
      else {
        for (const m of mismatches) process.stdout.write(`line ${m.line}: ${m.error}\n`);
        process.stdout.write(`${ok}/${lines.length} records replay exactly\n`);
      }
      if (mismatches.length > 0) process.exitCode = 1;
    });
}
