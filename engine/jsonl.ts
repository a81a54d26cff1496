/** Match records as JSON Lines files (one record per line), the CLI's exchange format. */
import { appendFileSync, readFileSync } from 'node:fs';
import { ArenaError } from '../environments/core/errors';
import { parseMatchRecord, type MatchRecord } from './record';

export type ParsedLine = { readonly line: number; readonly record: MatchRecord } | { readonly line: number; readonly error: ArenaError };

/** Reads a .jsonl file of records (a plain JSON record or array is accepted too); bad lines become errors. */
export function readRecords(path: string): ParsedLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ArenaError('record/malformed', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const all = parseJson(trimmed, 1);
    if (all instanceof ArenaError) return [{ line: 1, error: all }];
    return (all as unknown[]).map((value, i) => parseLine(value, i + 1));
  }
  return text
    .split('\n')
    .map((raw, i) => ({ raw: raw.trim(), line: i + 1 }))
    .filter((l) => l.raw.length > 0)
    .map(({ raw, line }) => {
      const value = parseJson(raw, line);
      return value instanceof ArenaError ? { line, error: value } : parseLine(value, line);
    });
}

function parseJson(raw: string, line: number): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return new ArenaError('record/malformed', `line ${line}: not valid JSON`);
  }
}

function parseLine(value: unknown, line: number): ParsedLine {
  try {
    return { line, record: parseMatchRecord(value) };
  } catch (error) {
    if (error instanceof ArenaError) return { line, error: new ArenaError(error.code, `line ${line}: ${error.message}`) };
    throw error;
  }
}

export function appendRecord(path: string, record: MatchRecord): void {
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}
