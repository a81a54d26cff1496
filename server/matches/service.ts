/**
 * Creates matches: loads the game, issues seat tickets, records the match as running, prepares its session and
 * asks Colyseus for the room. Tracks running sessions for metrics, the live list and graceful shutdown.
 *
 * Two ways to seat a match. A room match (the default: browsers, challenges, house agents, league members) gets a
 * Colyseus room at once and a seat reservation per seat. A lobby match (`room: false`, pairs queued with
 * `via: 'lobby'`) is played over the seats' lobby sockets, several matches per connection: no room, no
 * reservation and no WebSocket handshake per match, which is what lets bots play hundreds of matches a second.
 * Such a match gets a room only when somebody asks to watch it (`roomFor`).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { newMatchId } from '../../engine/match-id';
import { matchMaker } from '@colyseus/core';
import { ArenaError } from '../../environments/core/errors';
import { loadGame } from '../../environments/registry';
import type { InvalidPolicy, TimeoutPolicy } from '../../engine/match';
import type { MatchRecord, SeatInfo } from '../../engine/record';
import { MATCH_ROOM, type MatchSummary, type RoomMatchFound, type SeatReservation, type TurnField } from '../../client-sdk/src/protocol';
import type { ArenaConfig } from '../config';
import { fail } from '../errors';
import type { Logger } from '../log';
import type { RoomContext } from '../rooms/context';
import type { DisconnectPolicy } from './remote-seat';
import type { MatchCommitter } from './commit-thread';
import { MatchSession, type Peer } from './session';
import { issueTickets } from './tickets';

type IRoomCache = Awaited<ReturnType<typeof matchMaker.createRoom>>;

/** Per-match time controls and policies (each defaults from the server config). */
export interface MatchRules {
  readonly decisionMs?: number;
  readonly bankMs?: number;
  readonly onTimeout?: TimeoutPolicy;
  readonly onInvalid?: InvalidPolicy;
  readonly onDisconnect?: DisconnectPolicy;
}

export interface CreateMatchInput {
  readonly game: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly seats: readonly SeatInfo[];
  readonly rules?: MatchRules;
  /** false: no room now (the caller seats every seat with `seatDirect`); one is opened if somebody watches. */
  readonly room?: boolean;
  /** Per seat, the observation fields its turns carry (undefined: all; see QueueJoinRequest.observe). */
  readonly observe?: readonly (readonly TurnField[] | undefined)[];
}

export interface CreatedMatch {
  readonly matchId: string;
  /** null for a lobby match (`room: false`). */
  readonly roomId: string | null;
  /** One per seat, in seat order: hand each to its agent only. */
  readonly tickets: readonly string[];
  /** Seats reserved in the room, in seat order (each carries that seat's ticket); hand each to its agent only. */
  readonly reservations: readonly SeatReservation[];
  readonly expiresAt: number;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Resolves once the match's record is committed (finished, forfeited, or aborted because seats never came). */
  readonly finished: Promise<FinishedMatch>;
}

/** What one seat's agent is handed (over the lobby as `match:found`, or to a house player): that seat's reservation. */
export function offerFor(created: CreatedMatch, seat: number): RoomMatchFound {
  if (created.roomId === null) throw new Error(`match ${created.matchId} has no room: its seats are taken over the lobby`);
  return {
    matchId: created.matchId,
    roomId: created.roomId,
    reservation: created.reservations[seat]!,
    ticket: created.tickets[seat]!,
    seat,
    game: created.game,
    params: created.params,
    expiresAt: created.expiresAt,
  };
}

/** A match's committed record and its feed position (null when it could not be committed, see MatchSession). */
export interface FinishedMatch {
  readonly record: MatchRecord;
  readonly seq: number | null;
}

export interface MatchServiceDeps {
  /** Commits match starts and finishes (CommitThread: grouped, on a worker thread, ratings included). */
  readonly commits: MatchCommitter;
  readonly log: Logger;
  readonly config: ArenaConfig;
  readonly rooms: RoomContext;
  /** Called once the match's record is committed (metrics, the lobby feed). */
  readonly onFinished: (summary: MatchSummary) => void;
  /** Called when a match is created (metrics). */
  readonly onCreated?: (game: string) => void;
}

export class MatchService {
  private readonly running = new Map<string, MatchSession>();
  /** Rooms being opened for lobby matches (one per match, however many ask at once). */
  private readonly opening = new Map<string, Promise<string>>();
  private closing = false;

  constructor(private readonly deps: MatchServiceDeps) {}

  get runningCount(): number {
    return this.running.size;
  }

  async create(input: CreateMatchInput): Promise<CreatedMatch> {
    if (this.closing) throw new ArenaError('match/over', 'the server is shutting down');
    const { log, config } = this.deps;
    const game = loadGame(input.game, input.params);
    if (input.seats.length !== game.numPlayers) {
      throw new ArenaError('agent/invalid-spec', `${game.spec.id} needs ${game.numPlayers} seats, got ${input.seats.length}`);
    }
    const matchId = newMatchId();
    const seed = input.seed ?? randomInt(0, 2 ** 31 - 1);
    const ttlMs = config.ticketSeconds * 1000;
    const { tickets, book } = issueTickets(game.numPlayers, ttlMs);
    const rules = input.rules ?? {};
    let resolveFinished!: (f: FinishedMatch) => void;
    const finished = new Promise<FinishedMatch>((r) => (resolveFinished = r));
    const decisionMs = rules.decisionMs ?? (config.decisionMs > 0 ? config.decisionMs : undefined);
    const session = new MatchSession(
      {
        matchId,
        game,
        seed,
        seats: input.seats,
        book,
        onDisconnect: rules.onDisconnect ?? 'forfeit',
        ...(input.observe ? { observe: input.observe } : {}),
        limits: {
          ...(decisionMs !== undefined ? { decisionMs } : {}),
          ...(rules.bankMs !== undefined ? { bankMs: rules.bankMs } : {}),
          // Realtime games run on the game's clock: a tick waits for nobody, a missing action repeats the last one.
          ...(game.spec.dynamics === 'realtime' ? { wallClock: true } : {}),
          onTimeout: rules.onTimeout ?? 'forfeit',
          onInvalid: rules.onInvalid ?? 'retry',
          maxRetries: 3,
        },
      },
      {
        commit: (record) => this.deps.commits.finish(record),
        log,
        onFinished: (summary, record, seq) => {
          this.running.delete(matchId);
          this.deps.onFinished(summary);
          resolveFinished({ record, seq });
        },
      },
    );
    await this.deps.commits.start({ id: matchId, game: game.spec.id, params: game.params, seed, seats: input.seats });
    this.running.set(matchId, session);
    let roomId: string | null = null;
    let reservations: SeatReservation[] = [];
    if (input.room !== false) {
      try {
        const room = await this.openRoom(session);
        roomId = room.roomId;
        // Reserve each seat here, so agents connect straight to the room (no matchmaking request per seat). Our
        // own 144-bit session ids: the reservation is a bearer secret, so it must be as strong as the ticket.
        reservations = await Promise.all(
          tickets.map(async (ticket) => {
            const r = await matchMaker.reserveSeatFor(room, { ticket }, { sessionId: randomBytes(18).toString('base64url') });
            return { name: r.name, roomId: r.roomId, sessionId: r.sessionId, ...(r.processId ? { processId: r.processId } : {}) };
          }),
        );
      } catch (error) {
        session.stop(); // commits an aborted record, so the store has no match left 'running'
        throw error;
      }
    }
    // Seats that never show up: the match is recorded as aborted when the tickets expire.
    setTimeout(() => {
      if (!session.isStarted) {
        log.info({ matchId, unclaimed: book.unclaimed() }, 'seat reservations expired; aborting match');
        session.stop();
      }
    }, ttlMs + 250).unref();
    this.deps.onCreated?.(game.spec.id);
    log.debug({ matchId, roomId, game: game.spec.id, seats: input.seats.map((s) => s.name) }, 'match created');
    return { matchId, roomId, tickets, reservations, expiresAt: book.expiresAt, game: game.spec.id, params: game.params, finished };
  }

  /** Seats `peer` (a lobby socket of the seat's agent) directly, without a reservation; the session to act on. */
  seatDirect(matchId: string, seat: number, peer: Peer): MatchSession {
    const session = this.running.get(matchId);
    if (!session || !session.isFree(seat) || !session.setup.book.claim(seat)) throw fail('match/not-found', `seat ${seat} of match ${matchId} is not free`);
    session.joined(peer, { role: 'seat', seat });
    return session;
  }

  /** The room of a running match, opened now if it has none (a lobby match somebody wants to watch). */
  roomFor(matchId: string): Promise<string> {
    const session = this.running.get(matchId);
    if (!session) return Promise.reject(fail('match/not-found', `no running match ${matchId}`));
    if (session.roomId) return Promise.resolve(session.roomId);
    let p = this.opening.get(matchId);
    if (!p) {
      p = this.openRoom(session)
        .then((room) => room.roomId)
        .finally(() => this.opening.delete(matchId));
      this.opening.set(matchId, p);
    }
    return p;
  }

  /** Running matches, newest first (the live list). */
  live(): MatchSession[] {
    return [...this.running.values()].reverse();
  }

  private async openRoom(session: MatchSession): Promise<IRoomCache> {
    const { rooms } = this.deps;
    const matchId = session.setup.matchId;
    rooms.sessions.set(matchId, session);
    try {
      return await matchMaker.createRoom(MATCH_ROOM, { key: rooms.internalKey, matchId });
    } finally {
      rooms.sessions.delete(matchId);
    }
  }

  /**
   * Stops taking matches, lets running ones finish for up to `graceMs`, then ends the rest (recorded as
   * aborted). Resolves once every record is committed.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    const all = [...this.running.values()];
    const finished = Promise.all(all.map((s) => s.done));
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([finished, timer])) === 'timeout') {
      this.deps.log.warn({ running: this.running.size }, 'grace period over; aborting running matches');
      for (const s of this.running.values()) s.stop();
      await finished;
    }
  }
}
