/**
 * What match rooms need from the server process. Colyseus constructs rooms itself, so the server registers one
 * context at start-up and rooms look their session up by match id. Rooms are only ever created by the server
 * (MatchService), proven by a per-process secret in the create options.
 */
import type { MatchSession } from '../matches/session';

export interface RoomContext {
  /** Random per process; a room whose create options lack it refuses to exist (clients cannot create rooms). */
  readonly internalKey: string;
  /** Sessions prepared by MatchService, waiting for their room. */
  readonly sessions: Map<string, MatchSession>;
  readonly reconnectSeconds: number;
  /** Seconds a seat reservation stays valid (the ticket's lifetime). */
  readonly ticketSeconds: number;
  /** The server's request rate per connection; a room client may send `seatMessageRate` of it. */
  readonly rateLimit: number;
}

let current: RoomContext | null = null;

export function setRoomContext(ctx: RoomContext | null): void {
  current = ctx;
}

export function roomContext(): RoomContext {
  if (!current) throw new Error('room context not set: start the server through createArenaServer');
  return current;
}
