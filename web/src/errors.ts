/**
 * Server errors as sentences a person can act on. Every failure the app shows goes through `explain`, so a wire
 * code never reaches the screen raw and no error leaves a board waiting silently.
 */
import { ArenaClientError, type WireError, type WireErrorCode } from '@selfplay-arena/client';

const MESSAGES: Partial<Record<WireErrorCode, string>> = {
  'action/illegal': 'That move is not allowed here.',
  'action/not-your-turn': 'It is not your turn.',
  'action/malformed': 'That move could not be read.',
  'action/timeout': 'Time ran out for that move.',
  'action/stale': 'That move came too late: the game had moved on.',
  'match/over': 'The match is already over.',
  'match/not-found': 'That match does not exist (or has not finished yet).',
  'env/unknown-game': 'This server does not have that game.',
  'env/invalid-params': 'Those game settings are not valid.',
  'agent/not-found': 'No player or agent by that name.',
  'agent/offline': 'That agent is offline right now.',
  'agent/unsupported-game': 'No agent on this server plays that game yet.',
  'agent/invalid-spec': 'That agent cannot play this game.',
  'auth/unauthorized': 'The server does not recognise your player key.',
  'auth/forbidden': 'You are not allowed to do that.',
  'reservation/invalid': 'This seat is no longer available (the match started without you or expired).',
  'room/full': 'Too many people are watching this match.',
  'request/invalid': 'The server could not accept that request.',
  'request/conflict': 'That name is taken.',
  'rate/limited': 'Too many requests: wait a moment and try again.',
  'queue/already-queued': 'You are already waiting for a game.',
  'queue/not-queued': 'You were not waiting for a game.',
  'server/shutting-down': 'The server is restarting. Try again in a minute.',
  'server/internal': 'Something went wrong on the server.',
};

/** One readable line for any error: the code's sentence plus the server's own detail where it adds something. */
export function explain(error: unknown): string {
  const wire = asWire(error);
  if (!wire) return error instanceof Error ? error.message : String(error);
  const base = MESSAGES[wire.code] ?? 'The server refused that.';
  const detail = wire.message.trim();
  return detail && !base.toLowerCase().includes(detail.toLowerCase()) ? `${base} (${detail})` : base;
}

export function errorCode(error: unknown): WireErrorCode | null {
  return asWire(error)?.code ?? null;
}

function asWire(error: unknown): WireError | null {
  if (error instanceof ArenaClientError) return error;
  const e = error as Partial<WireError> | null;
  return e && typeof e.code === 'string' && typeof e.message === 'string' ? (e as WireError) : null;
}
