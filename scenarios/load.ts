/**
 * Reading scenario files: YAML or JSON (JSON is read by the same YAML 1.2 parser, so its errors name lines too),
 * validated and compiled by schema.ts. Every problem becomes ArenaError('cli/usage') with one line:
 *
 *   scenarios/bad.yaml: matchmaking.weighting: unknown weighting "hardd" (expected hard, variance, linear or linear_capped or an expression in x)
 *   scenarios/bad.yaml: line 7, column 3: All mapping items must start at the same column
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ArenaError } from '../environments/core/errors';
import { validateScenario, type Scenario } from './schema';

/** Largest scenario file read, in bytes. */
export const SCENARIO_MAX_BYTES = 1 << 20;

/** Options of parseScenarioText. */
export interface ParseScenarioOptions {
  /** How the file is named in messages (the path as the user typed it). */
  readonly file: string;
  /** Directory relative `policy:FILE` agents resolve against; default: the folder of `file`. */
  readonly baseDir?: string;
}

function usage(file: string, where: string, message: string): ArenaError {
  const line = message.split('\n')[0] ?? message;
  return new ArenaError('cli/usage', where ? `${file}: ${where}: ${line}` : `${file}: ${line}`);
}

/**
 * Parses, validates and compiles scenario text (YAML or JSON). Returns the compiled scenario (defaults filled
 * in, game loaded, expressions compiled, agents checked against the game) or throws ArenaError('cli/usage') with
 * one line: `<file>: <field.path>: <what was expected>`, or `<file>: line L, column C: <syntax problem>`.
 */
export function parseScenarioText(text: string, options: ParseScenarioOptions): Scenario {
  const { file } = options;
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const what = (syntax.message.split('\n')[0] ?? syntax.message).replace(/ at line \d+, column \d+:?$/, '');
    throw usage(file, pos ? `line ${pos.line}, column ${pos.col}` : '', what);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw usage(file, '', cause instanceof Error ? cause.message : String(cause));
  }
  if (data === null || data === undefined) throw usage(file, '', 'the file is empty (expected a scenario mapping: name, game, seed, population, ...)');
  const result = validateScenario(data, { baseDir: options.baseDir ?? dirname(resolve(file)) });
  if (!result.ok) throw usage(file, result.path, result.message);
  return result.scenario;
}

/**
 * Reads the scenario file at `file` (`.yaml`, `.yml` or `.json`; at most SCENARIO_MAX_BYTES) and returns it
 * validated and compiled, as parseScenarioText. Relative `policy:FILE` agents resolve against the file's folder.
 * Throws ArenaError('cli/usage') with one line naming the file for a missing or unreadable file too.
 */
export function loadScenario(file: string): Scenario {
  if (!/\.(ya?ml|json)$/i.test(file)) throw usage(file, '', 'expected a .yaml, .yml or .json scenario file');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? cause);
    throw new ArenaError('cli/usage', `${file}: cannot read the scenario (${why})`, { cause });
  }
  if (bytes.length > SCENARIO_MAX_BYTES) throw usage(file, '', `file is ${bytes.length} bytes (at most ${SCENARIO_MAX_BYTES})`);
  return parseScenarioText(bytes.toString('utf8'), { file });
}
