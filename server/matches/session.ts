/**
 * One match as the server runs it: who holds which seat, what each connection may see, and the engine run.
 * The Colyseus room is a thin adapter over this class (authenticate, map connections, validate messages, pass
 * drops and reconnects); the rules stay in the game and the match loop in `runMatch`. Information hiding has one
 * choke point here: every message is built from the recipient's own view (its seat's render data and turn, or
 * the public render for spectators), and chance outcomes of imperfect-information games are never forwarded.
 */
import { CHANCE, type AnyGame } from '../../environments/core/game';
import { runMatch, type MatchLimits, type StepEvent } from '../../engine/match';
import type { MatchRecord, SeatInfo } from '../../engine/record';
import {
  PROTOCOL_VERSION,
  RoomEvent,
  type JoinOptions,
  type MatchSummary,
  type ViewUpdate,
  type Welcome,
  type WireError,
} from '../../client-sdk/src/protocol';
import type { Logger } from '../log';
import type { ArenaStore } from '../../population/store/store';
import { RemoteSeat, type DisconnectPolicy } from './remote-seat';
import type { TicketBook } from './tickets';

/** How a session talks to its connections (implemented by the room). */
export interface SessionPort {
  send(clientId: string, type: string, payload: unknown): void;
}

export interface SessionSetup {
  readonly matchId: string;
  readonly game: AnyGame;
  readonly seed: number;
  readonly seats: readonly SeatInfo[];
  readonly book: TicketBook;
  readonly limits: MatchLimits;
  readonly onDisconnect: DisconnectPolicy;
}

export interface SessionDeps {
  readonly store: ArenaStore;
  readonly log: Logger;
  /** Called after the record is committed (ratings, lobby feed, metrics); seq is its feed position (null if the commit failed). */
  readonly onFinished: (summary: MatchSummary, record: MatchRecord, seq: number | null) => void;
}

export type Role = { readonly role: 'seat'; readonly seat: number } | { readonly role: 'spectator' };

export function summarize(record: MatchRecord): MatchSummary {
  return {
    matchId: record.id,
    game: record.game.id,
    seats: record.seats.map((s) => ({ name: s.name, ...(s.agentId ? { agentId: s.agentId } : {}) })),
    returns: record.returns,
    endReason: record.endReason,
    ...(record.forfeit ? { forfeit: record.forfeit } : {}),
    steps: record.steps,
    endedAt: record.endedAt,
  };
}

export class MatchSession {
  private readonly seatClient: (string | null)[];
  private readonly connected = new Set<string>();
  private readonly spectators = new Set<string>();
  /** Seat connections gone for good (left, or their reconnection window ran out). */
  private readonly departed = new Set<string>();
  private readonly remote: RemoteSeat[];
  private readonly abort = new AbortController();
  private state: unknown;
  private step = 0;
  private last: ViewUpdate['lastActions'] = [];
  private started = false;
  private summary: MatchSummary | null = null;
  /** Resolves when the record is committed (or the start was aborted and committed). */
  readonly done: Promise<MatchSummary>;
  private resolveDone!: (s: MatchSummary) => void;

  /** Where messages go; set by the room once it exists (no connection can exist before). */
  private port: SessionPort = { send: () => undefined };

  constructor(
    readonly setup: SessionSetup,
    private readonly deps: SessionDeps,
  ) {
    const n = setup.game.numPlayers;
    this.seatClient = new Array<string | null>(n).fill(null);
    this.remote = setup.seats.map(
      (s, seat) =>
        new RemoteSeat(s.name, seat, (turn) => {
          const client = this.seatClient[seat];
          if (client && this.connected.has(client)) this.port.send(client, RoomEvent.turn, turn);
        }),
    );
    this.state = setup.game.init(setup.seed);
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  attach(port: SessionPort): void {
    this.port = port;
  }

  get isStarted(): boolean {
    return this.started;
  }

  get finished(): boolean {
    return this.summary !== null;
  }

  /** onAuth: a ticket redeems its seat (once, before it expires); spectators need nothing. */
  admit(options: JoinOptions): Role | WireError {
    if ('spectate' in options) return { role: 'spectator' };
    const r = this.setup.book.redeem(options.ticket);
    if ('error' in r) return { code: 'reservation/invalid', message: `seat reservation ${r.error}` };
    return { role: 'seat', seat: r.seat };
  }

  /** onJoin: greet, show the board, and start once every seat is taken. */
  joined(clientId: string, role: Role): void {
    this.connected.add(clientId);
    if (role.role === 'seat') this.seatClient[role.seat] = clientId;
    else this.spectators.add(clientId);
    this.greet(clientId, role.role === 'seat' ? role.seat : null);
    if (!this.started && this.seatClient.every((c) => c !== null)) void this.run();
  }

  /** A seat's action message (already schema-validated by the room). */
  action(clientId: string, step: number, action: number | readonly number[] | string): WireError | null {
    const seat = this.seatClient.indexOf(clientId);
    if (seat < 0) return { code: 'auth/forbidden', message: 'spectators cannot act' };
    if (this.summary) return { code: 'match/over', message: 'the match is over' };
    return (this.remote[seat] as RemoteSeat).submit(step, action);
  }

  resign(clientId: string): WireError | null {
    const seat = this.seatClient.indexOf(clientId);
    if (seat < 0) return { code: 'auth/forbidden', message: 'spectators cannot resign' };
    if (this.summary) return { code: 'match/over', message: 'the match is over' };
    (this.remote[seat] as RemoteSeat).abandon('resigned', 'forfeit');
    return null;
  }

  /** Connection lost without consent: a seat waits for its reconnection; returns whether to allow one. */
  dropped(clientId: string): boolean {
    this.connected.delete(clientId);
    if (this.spectators.delete(clientId)) return false;
    return this.seatClient.includes(clientId) && !this.summary;
  }

  /**
   * Back within the window (possibly from a new client after a page reload): who you are, the board, the end if
   * the match finished meanwhile, else any pending turn.
   */
  reconnected(clientId: string): void {
    this.connected.add(clientId);
    const seat = this.seatClient.indexOf(clientId);
    this.greet(clientId, seat >= 0 ? seat : null);
    if (this.summary) return;
    const turn = seat >= 0 ? (this.remote[seat] as RemoteSeat).currentTurn() : null;
    if (turn) this.port.send(clientId, RoomEvent.turn, turn);
  }

  /** Gone for good (left, or the reconnection window ran out): the disconnect policy applies to the seat. */
  left(clientId: string, reason: string): void {
    this.connected.delete(clientId);
    this.spectators.delete(clientId);
    this.departed.add(clientId);
    const seat = this.seatClient.indexOf(clientId);
    if (seat >= 0 && !this.summary) (this.remote[seat] as RemoteSeat).abandon(reason, this.setup.onDisconnect);
  }

  /** Whether a seat's connection is lost and may still come back (its reconnection window is open). */
  hasAwaySeats(): boolean {
    return this.seatClient.some((c) => c !== null && !this.connected.has(c) && !this.departed.has(c));
  }

  /** Ends the match at the next step (shutdown) or before it starts (tickets expired). */
  stop(): void {
    this.abort.abort();
    if (!this.started) void this.run();
  }

  /** welcome, the current view, and `end` when the match is over. */
  private greet(clientId: string, seat: number | null): void {
    const welcome: Welcome = {
      matchId: this.setup.matchId,
      game: this.setup.game.spec.id,
      params: this.setup.game.params,
      numPlayers: this.setup.game.numPlayers,
      seat,
      seats: this.setup.seats.map((s) => ({ name: s.name })),
      protocol: PROTOCOL_VERSION,
    };
    this.port.send(clientId, RoomEvent.welcome, welcome);
    this.port.send(clientId, RoomEvent.view, this.viewFor(seat));
    if (this.summary) this.port.send(clientId, RoomEvent.end, this.summary);
  }

  private viewFor(seat: number | null): ViewUpdate {
    const game = this.setup.game;
    return { step: this.step, lastActions: this.last, render: game.render(this.state, seat), terminal: game.isTerminal(this.state) };
  }

  private onStep(e: StepEvent): void {
    this.state = e.state;
    this.step = e.step + 1;
    const hideChance = !this.setup.game.spec.perfectInformation;
    this.last = e.actions.map((a) => ({ seat: a.seat, action: a.seat === CHANCE && hideChance ? null : a.action }));
    // One view per seat and one public view for all spectators, built once per step.
    let spectatorView: ViewUpdate | undefined;
    for (const client of this.connected) {
      const seat = this.seatClient.indexOf(client);
      const view = seat >= 0 ? this.viewFor(seat) : (spectatorView ??= this.viewFor(null));
      this.port.send(client, RoomEvent.view, view);
    }
  }

  private async run(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { setup, deps } = this;
    const options = {
      ...setup.limits,
      id: setup.matchId,
      signal: this.abort.signal,
      listener: {
        onStep: (e: StepEvent) => this.onStep(e),
        onTimeout: (e: { step: number; seat: number }) => {
          const seat = this.remote[e.seat];
          const client = this.seatClient[e.seat];
          // A realtime tick waits for nobody: a late action is normal there (the last one repeats), not an error.
          const realtime = this.setup.game.spec.dynamics === 'realtime';
          if (seat?.expire(e.step) && client && !realtime) {
            this.port.send(client, RoomEvent.error, { code: 'action/timeout', message: `no action for step ${e.step} in time` });
          }
        },
        onInvalid: (e: { seat: number; error: { code: string; message: string } }) => {
          const client = this.seatClient[e.seat];
          if (client) this.port.send(client, RoomEvent.error, { code: e.error.code, message: e.error.message });
        },
      },
    };
    const seats = this.remote.map((agent, seat) => ({ agent, info: setup.seats[seat] as SeatInfo }));
    let record: MatchRecord;
    try {
      record = await runMatch(setup.game, setup.seed, seats, options);
    } catch (error) {
      // A bug in the loop must not take the process down or leave the match 'running': record it as aborted.
      deps.log.error({ err: error, matchId: setup.matchId }, 'match loop failed; recording the match as aborted');
      const stopped = new AbortController();
      stopped.abort();
      record = await runMatch(setup.game, setup.seed, seats, { id: setup.matchId, signal: stopped.signal });
    }
    // Durable first, announced after: nobody hears of a result the store does not have.
    let seq: number | null = null;
    try {
      seq = deps.store.finishMatch(record);
    } catch (error) {
      deps.log.fatal({ err: error, matchId: record.id, record }, 'could not commit a finished match; the record is in this log line');
    }
    const summary = summarize(record);
    this.summary = summary;
    for (const client of this.connected) this.port.send(client, RoomEvent.end, summary);
    deps.log.info({ matchId: record.id, game: record.game.id, endReason: record.endReason, returns: record.returns, steps: record.steps }, 'match finished');
    deps.onFinished(summary, record, seq);
    this.resolveDone(summary);
  }
}
