/**
 * The wire protocol between arena servers and clients: message names, payload types and error codes. Imported by
 * the server and the SDK alike, so both sides use the same names. Runtime validation schemas for what servers
 * receive live in `protocol-schemas.ts` (zod), which only the server imports. docs/PROTOCOL.md describes the
 * same protocol for clients in other languages.
 */

export const PROTOCOL_VERSION = 1;

/** socket.io namespace of the lobby (authenticate, queue, match found, feeds). */
export const LOBBY_NAMESPACE = '/lobby';
/** Colyseus room type of a match. */
export const MATCH_ROOM = 'match';

/** Lobby events the client emits (each with an acknowledgement callback answering `Ack<T>`). */
export const LobbyRequest = {
  queueJoin: 'queue:join',
  queueLeave: 'queue:leave',
  feedSubscribe: 'feed:subscribe',
  feedUnsubscribe: 'feed:unsubscribe',
} as const;

/**
 * A lobby match (queued with `via: 'lobby'`) is played over the lobby connection itself, several at once. The
 * server sends its messages (the room's: welcome, turn, view, end, error) in `match:batch` events, each an array
 * of `[type, matchId, payload]` in order: everything for one connection that is ready at the same moment goes in
 * one frame. The client sends its actions as `match:act`, an array of `{matchId, step, action}` (1 to 256), and
 * gives a match up with `match:resign` {matchId}; neither is acknowledged (refusals come back as `error` entries).
 */
export const LOBBY_MATCH_BATCH = 'match:batch';

export const LobbyMatchRequest = {
  act: 'match:act',
  resign: 'match:resign',
} as const;

/** One entry of a `match:batch`: a room event type, the match id, the event's payload. */
export type LobbyMatchMessage = readonly [type: string, matchId: string, payload: unknown];

/** One entry of `match:act`. */
export interface LobbyAction {
  readonly matchId: string;
  readonly step: number;
  readonly action: ActionValue;
}

/** Most actions in one `match:act`. */
export const MAX_ACTIONS_PER_MESSAGE = 256;

/** Lobby events the server emits. */
export const LobbyEvent = {
  /** You were paired: join `roomId` with `ticket` (single use, expires at `expiresAt`), or, for a lobby match, just play. */
  matchFound: 'match:found',
  /** A match finished (feed subscribers only; sent after the record is committed). */
  matchFinished: 'match:finished',
  /** A background league played a match (feed subscribers; `leaderboard` every few matches and at the end). */
  leagueUpdate: 'league:update',
  /** Server notices (shutdown, maintenance). */
  server: 'server:event',
  /** An error not tied to a request (rate limit exceeded, authentication expired). */
  error: 'arena:error',
} as const;

/** Room messages the client sends. */
export const RoomRequest = {
  /** Your action for the decision announced by the last `turn` (echo its `step`). */
  action: 'action',
  /** Give up the match (counts as a forfeit). */
  resign: 'resign',
} as const;

/** Room messages the server sends. */
export const RoomEvent = {
  /** Sent once on join: who you are in this match. */
  welcome: 'welcome',
  /** You must act now. */
  turn: 'turn',
  /** The board changed (your own view: your seat's render data, or the public one for spectators). */
  view: 'view',
  /** The match ended; the record is stored. */
  end: 'end',
  /** Your last message was refused. */
  error: 'error',
} as const;

/**
 * Error codes on the wire. The game/engine codes are the same strings as ArenaError's codes in the rules layer
 * (a test keeps them in step); the rest belong to the server.
 */
export const WIRE_ERROR_CODES = [
  'action/illegal',
  'action/not-your-turn',
  'action/malformed',
  'action/timeout',
  'action/stale',
  'match/over',
  'match/not-found',
  'env/invalid-params',
  'env/unknown-game',
  'env/bad-serialization',
  'agent/unknown',
  'agent/invalid-spec',
  'agent/unsupported-game',
  'agent/not-found',
  'agent/offline',
  'policy/malformed',
  'record/malformed',
  'record/mismatch',
  'cli/usage',
  'auth/unauthorized',
  'auth/forbidden',
  'reservation/invalid',
  'room/full',
  'request/invalid',
  'request/conflict',
  'request/too-large',
  'rate/limited',
  'queue/already-queued',
  'queue/not-queued',
  'not-found',
  'server/shutting-down',
  'server/internal',
] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

export interface WireError {
  readonly code: WireErrorCode;
  readonly message: string;
}

/** Acknowledgement of a lobby request: the result, or an error. */
export type Ack<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: WireError };

export type ActionValue = number | readonly number[] | string;

/** Payload of queue:join. */
export interface QueueJoinRequest {
  readonly game: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /**
   * 'room' (default): the match gets a Colyseus room to join with a seat reservation. 'lobby': play it over this
   * lobby connection (see LOBBY_MATCH_BATCH); a pair is a lobby match when every seat asked for one.
   */
  readonly via?: 'room' | 'lobby';
  /**
   * The observation fields your turns should carry (default: all of TURN_FIELDS). A policy that reads only the
   * legal actions asks for none: the server then neither computes nor sends them.
   */
  readonly observe?: readonly TurnField[];
}

/** Optional parts of a Turn (`state` only ever in perfect-information games). */
export const TURN_FIELDS = ['observationText', 'observationTensor', 'informationState', 'state'] as const;
export type TurnField = (typeof TURN_FIELDS)[number];

/**
 * A seat reserved in a Colyseus room (what `consumeSeatReservation` takes in every Colyseus client SDK). Its
 * sessionId is a random secret of 144 bits: whoever holds it takes the seat, once, before it expires.
 */
export interface SeatReservation {
  readonly name: string;
  readonly roomId: string;
  readonly sessionId: string;
  readonly processId?: string;
  readonly publicAddress?: string;
}

/** Payload of match:found for a room match. */
export interface RoomMatchFound {
  readonly via?: 'room';
  readonly matchId: string;
  readonly roomId: string;
  /** Join with `consumeSeatReservation(reservation)` (fast path; one WebSocket, no HTTP request). */
  readonly reservation: SeatReservation;
  /** Or join with `joinById(roomId, {ticket})` (the same seat; whichever is used first wins). */
  readonly ticket: string;
  readonly seat: number;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** ms since epoch after which the ticket is refused. */
  readonly expiresAt: number;
}

/** Payload of match:found for a lobby match: you hold the seat already; its messages follow on this connection. */
export interface LobbyMatchFound {
  readonly via: 'lobby';
  readonly matchId: string;
  readonly seat: number;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export type MatchFound = RoomMatchFound | LobbyMatchFound;

/** Payload of match:finished (the lobby feed) and of the room's `end`. */
export interface MatchSummary {
  readonly matchId: string;
  readonly game: string;
  readonly seats: readonly { readonly name: string; readonly agentId?: string }[];
  readonly returns: readonly number[];
  readonly endReason: 'terminal' | 'forfeit' | 'max-steps' | 'aborted';
  readonly forfeit?: { readonly seat: number; readonly reason: string };
  readonly steps: number;
  readonly endedAt: string;
}

/** Payload of league:update. */
export interface LeagueUpdate {
  readonly league: string;
  readonly game: string;
  readonly played: number;
  readonly total: number;
  readonly matchId: string;
  /** The published leaderboard (see GET /api/leaderboards/:game), included every few matches and at the end. */
  readonly leaderboard?: unknown;
}

/** Options of joinById(roomId, options). */
export type JoinOptions = { readonly ticket: string } | { readonly spectate: true };

export interface Welcome {
  readonly matchId: string;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly numPlayers: number;
  /** Your seat, or null for spectators. */
  readonly seat: number | null;
  readonly seats: readonly { readonly name: string }[];
  readonly protocol: number;
}

export interface Turn {
  /** Echo this in your action. */
  readonly step: number;
  readonly seat: number;
  readonly legalActions: readonly ActionValue[];
  /** The observation fields are there unless the queue request asked for others (`observe`). */
  readonly observationText?: string;
  readonly observationTensor?: readonly number[];
  readonly informationState?: string;
  /** Serialized full state, only in perfect-information games (load it with the game's deserialize). */
  readonly state?: string;
  /** ms you have for this decision (undefined: no limit). */
  readonly timeLimitMs?: number;
}

export interface ViewUpdate {
  readonly step: number;
  /** Actions of the last step as (seat, action) pairs; -1 is chance (hidden outcomes are omitted). */
  readonly lastActions: readonly { readonly seat: number; readonly action: ActionValue | null }[];
  /** The game's render data for this recipient. */
  readonly render: unknown;
  readonly terminal: boolean;
}

export interface ActionMessage {
  readonly step: number;
  readonly action: ActionValue;
}
