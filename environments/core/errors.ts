/**
 * One error class for the whole arena, with a namespaced string code (`layer/reason`) and an optional cause.
 * Expected rejections (an illegal action, a malformed policy file) are returned or thrown as ArenaError with a
 * stable code; anything else that is thrown is a bug. Servers and the CLI map codes to HTTP statuses, socket
 * error events and exit codes in one place each.
 */
export const ERROR_CODES = [
  'action/illegal',
  'action/not-your-turn',
  'action/malformed',
  'action/timeout',
  'match/over',
  'env/invalid-params',
  'env/unknown-game',
  'env/bad-serialization',
  'agent/unknown',
  'agent/invalid-spec',
  'agent/unsupported-game',
  'policy/malformed',
  'record/malformed',
  'record/mismatch',
  'cli/usage',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ArenaError extends Error {
  override readonly name = 'ArenaError';
  constructor(
    /** Stable, namespaced reason code; clients branch on this, never on the message. */
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isArenaError(value: unknown): value is ArenaError {
  return value instanceof ArenaError;
}
