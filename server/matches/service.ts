/**
 * Creates matches: loads the game, issues seat tickets, records the match as running, prepares its session and
 * asks Colyseus for the room. Tracks running sessions for metrics and graceful shutdown.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import { ArenaError } from '../../environments/core/errors';
import { loadGame } from '../../environments/registry';
import type { InvalidPolicy, TimeoutPolicy } from '../../engine/match';
import type { MatchRecord, SeatInfo } from '../../engine/record';
import { MATCH_ROOM, type MatchFound, type MatchSummary, type SeatReservation } from '../../client-sdk/src/protocol';
import type { ArenaConfig } from '../config';
import type { Logger } from '../log';
import type { RoomContext } from '../rooms/context';
import type { ArenaStore } from '../../population/store/store';
import type { DisconnectPolicy } from './remote-seat';
import { MatchSession } from './session';
import { issueTickets } from './tickets';

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
}

export interface CreatedMatch {
  readonly matchId: string;
  readonly roomId: string;
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
export function offerFor(created: CreatedMatch, seat: number): MatchFound {
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
  readonly store: ArenaStore;
  readonly log: Logger;
  readonly config: ArenaConfig;
  readonly rooms: RoomContext;
  readonly onFinished: (summary: MatchSummary, record: MatchRecord, seq: number | null) => void;
  /** Called when a match is created (metrics). */
  readonly onCreated?: (game: string) => void;
}

export class MatchService {
  private readonly running = new Map<string, MatchSession>();
  private closing = false;

  constructor(private readonly deps: MatchServiceDeps) {}

  get runningCount(): number {
    return this.running.size;
  }

  async create(input: CreateMatchInput): Promise<CreatedMatch> {
    if (this.closing) throw new ArenaError('match/over', 'the server is shutting down');
    const { store, log, config, rooms } = this.deps;
    const game = loadGame(input.game, input.params);
    if (input.seats.length !== game.numPlayers) {
      throw new ArenaError('agent/invalid-spec', `${game.spec.id} needs ${game.numPlayers} seats, got ${input.seats.length}`);
    }
    const matchId = randomUUID();
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
        store,
        log,
        onFinished: (summary, record, seq) => {
          this.running.delete(matchId);
          this.deps.onFinished(summary, record, seq);
          resolveFinished({ record, seq });
        },
      },
    );
    store.startMatch({ id: matchId, game: game.spec.id, params: game.params, seed, seats: input.seats });
    this.running.set(matchId, session);
    rooms.sessions.set(matchId, session);
    let roomId: string;
    let reservations: SeatReservation[];
    try {
      const room = await matchMaker.createRoom(MATCH_ROOM, { key: rooms.internalKey, matchId });
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
      rooms.sessions.delete(matchId);
      session.stop(); // commits an aborted record, so the store has no match left 'running'
      throw error;
    }
    // Seats that never show up: the match is recorded as aborted when the tickets expire.
    setTimeout(() => {
      if (!session.isStarted) {
        log.info({ matchId, unclaimed: book.unclaimed() }, 'seat reservations expired; aborting match');
        session.stop();
      }
    }, ttlMs + 250).unref();
    this.deps.onCreated?.(game.spec.id);
    log.info({ matchId, roomId, game: game.spec.id, seats: input.seats.map((s) => s.name) }, 'match created');
    return { matchId, roomId, tickets, reservations, expiresAt: book.expiresAt, game: game.spec.id, params: game.params, finished };
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
