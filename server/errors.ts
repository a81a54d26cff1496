/**
 * The one place where error codes become HTTP statuses, and where thrown errors become wire errors. Rooms send
 * wire errors as `error` events, the lobby in acknowledgements, REST as `{error: {code, message}}`.
 */
import { isArenaError } from '../environments/core/errors';
import type { WireError, WireErrorCode } from '../client-sdk/src/protocol';
import { StoreError } from '../population/store/store';

const STATUS: Partial<Record<WireErrorCode, number>> = {
  'auth/unauthorized': 401,
  'auth/forbidden': 403,
  'not-found': 404,
  'match/not-found': 404,
  'agent/not-found': 404,
  'env/unknown-game': 404,
  'queue/already-queued': 409,
  'request/conflict': 409,
  'agent/offline': 409,
  'match/over': 409,
  'request/too-large': 413,
  'rate/limited': 429,
  'server/shutting-down': 503,
  'server/internal': 500,
};

export function httpStatus(code: WireErrorCode): number {
  return STATUS[code] ?? 400;
}

/** An expected refusal carrying its wire error (thrown inside handlers, answered as that error). */
export class WireFailure extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

export const fail = (code: WireErrorCode, message: string): WireFailure => new WireFailure({ code, message });

/** A wire error for anything thrown while serving a request; unknown errors become server/internal. */
export function toWireError(error: unknown): WireError {
  if (error instanceof WireFailure) return error.wire;
  if (isArenaError(error)) return { code: error.code, message: error.message };
  if (error instanceof StoreError) {
    const code: WireErrorCode = error.kind === 'conflict' ? 'request/conflict' : error.kind === 'not-found' ? 'not-found' : 'request/invalid';
    return { code, message: error.message };
  }
  return { code: 'server/internal', message: 'internal error' };
}
