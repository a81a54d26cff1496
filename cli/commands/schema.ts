import type { Command } from 'commander';
import { matchRecordJsonSchema } from '../../engine/record';
import { printJson } from '../options';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the match record (what `arena play --out` writes), for clients in other languages')
    .action(() => printJson(matchRecordJsonSchema()));
}
