/** Parsers for common flags; each failure is an ArenaError('cli/usage') with a one-line message. */
import { ArenaError } from '../environments/core/errors';

export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new ArenaError('cli/usage', `--${name} must be an integer in [${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

export function jsonOption(name: string) {
  return (value: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ArenaError('cli/usage', `--${name} must be a JSON object, got ${value}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ArenaError('cli/usage', `--${name} must be a JSON object, got ${value}`);
    }
    return parsed as Record<string, unknown>;
  };
}

/** Writes the one JSON object of a --json command to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
