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
  type TurnField,
  type ViewUpdate,
  type Welcome,
  type WireError,
} from '../../client-sdk/src/protocol';
import type { Logger } from '../log';
import { RemoteSeat, type DisconnectPolicy } from './remote-seat';
import type { TicketBook } from './tickets';

/**
 * One connection taking part in a match: a Colyseus room client (seat or spectator), or a lobby socket playing the
 * match inline (several matches over one connection). The session only ever sends through it.
 */
export interface Peer {
  send(type: string, payload: unknown): void;
}

export interface SessionSetup {
  readonly matchId: string;
  readonly game: AnyGame;
  readonly seed: number;
  readonly seats: readonly SeatInfo[];
  readonly book: TicketBook;
  readonly limits: MatchLimits;
  readonly onDisconnect: DisconnectPolicy;
  /** Per seat, the observation fields its turns carry (undefined: all). */
  readonly observe?: readonly (readonly TurnField[] | undefined)[];
}

export interface SessionDeps {
  /** Commits the finished match's record (group commit, see MatchCommits); resolves with its feed position. */
  readonly commit: (record: MatchRecord) => Promise<number>;
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
  private readonly seatPeer: (Peer | null)[];
  private readonly connected = new Set<Peer>();
  private readonly spectators = new Set<Peer>();
  /** Seat connections gone for good (left, or their reconnection window ran out). */
  private readonly departed = new Set<Peer>();
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

  /** The Colyseus room of this match, once one exists (lobby matches get one only when somebody watches). */
  roomId: string | null = null;
  readonly createdAt = new Date().toISOString();

  constructor(
    readonly setup: SessionSetup,
    private readonly deps: SessionDeps,
  ) {
    const n = setup.game.numPlayers;
    this.seatPeer = new Array<Peer | null>(n).fill(null);
    this.remote = setup.seats.map(
      (s, seat) =>
        new RemoteSeat(
          s.name,
          seat,
          (turn) => {
            const peer = this.seatPeer[seat];
            if (peer && this.connected.has(peer)) peer.send(RoomEvent.turn, turn);
          },
          setup.observe?.[seat] && new Set(setup.observe[seat]),
        ),
    );
    this.state = setup.game.init(setup.seed);
    this.done = new Promise((r) => (this.resolveDone = r));
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

  /** Whether a seat is still free (no connection took it yet). */
  isFree(seat: number): boolean {
    return this.seatPeer[seat] === null;
  }

  /** onJoin (or a lobby seat taken directly): greet, show the board, and start once every seat is taken. */
  joined(peer: Peer, role: Role): void {
    this.connected.add(peer);
    if (role.role === 'seat') this.seatPeer[role.seat] = peer;
    else this.spectators.add(peer);
    this.greet(peer, role.role === 'seat' ? role.seat : null);
    if (!this.started && this.seatPeer.every((c) => c !== null)) void this.run();
  }

  /** Spectators watching now (the live list). */
  get watchers(): number {
    return this.spectators.size;
  }

  /** A seat's action message (already schema-validated by the room or the lobby). */
  action(peer: Peer, step: number, action: number | readonly number[] | string): WireError | null {
    const seat = this.seatPeer.indexOf(peer);
    if (seat < 0) return { code: 'auth/forbidden', message: 'spectators cannot act' };
    if (this.summary) return { code: 'match/over', message: 'the match is over' };
    return (this.remote[seat] as RemoteSeat).submit(step, action);
  }

  resign(peer: Peer): WireError | null {
    const seat = this.seatPeer.indexOf(peer);
    if (seat < 0) return { code: 'auth/forbidden', message: 'spectators cannot resign' };
    if (this.summary) return { code: 'match/over', message: 'the match is over' };
    (this.remote[seat] as RemoteSeat).abandon('resigned', 'forfeit');
    return null;
  }

  /** Connection lost without consent: a seat waits for its reconnection; returns whether to allow one. */
  dropped(peer: Peer): boolean {
    this.connected.delete(peer);
    if (this.spectators.delete(peer)) return false;
    return this.seatPeer.includes(peer) && !this.summary;
  }

  /**
   * Back within the window (possibly from a new client after a page reload): who you are, the board, the end if
   * the match finished meanwhile, else any pending turn. `replaces`: the seat's lost connection, when the seat comes
   * back on another one (a lobby seat after its socket reconnected); a room client comes back as the same peer.
   */
  reconnected(peer: Peer, replaces?: Peer): void {
    if (replaces) {
      const old = this.seatPeer.indexOf(replaces);
      if (old < 0 || this.departed.has(replaces)) return;
      this.seatPeer[old] = peer;
    }
    this.connected.add(peer);
    const seat = this.seatPeer.indexOf(peer);
    this.greet(peer, seat >= 0 ? seat : null);
    if (this.summary) return;
    const turn = seat >= 0 ? (this.remote[seat] as RemoteSeat).currentTurn() : null;
    if (turn) peer.send(RoomEvent.turn, turn);
  }

  /** Gone for good (left, or the reconnection window ran out): the disconnect policy applies to the seat. */
  left(peer: Peer, reason: string): void {
    this.connected.delete(peer);
    this.spectators.delete(peer);
    this.departed.add(peer);
    const seat = this.seatPeer.indexOf(peer);
    if (seat >= 0 && !this.summary) (this.remote[seat] as RemoteSeat).abandon(reason, this.setup.onDisconnect);
  }

  /** Whether a seat's connection is lost and may still come back (its reconnection window is open). */
  hasAwaySeats(): boolean {
    return this.seatPeer.some((c) => c !== null && !this.connected.has(c) && !this.departed.has(c));
  }

  /** Ends the match at the next step (shutdown) or before it starts (tickets expired). */
  stop(): void {
    this.abort.abort();
    if (!this.started) void this.run();
  }

  /** welcome, the current view, and `end` when the match is over. */
  private greet(peer: Peer, seat: number | null): void {
    const welcome: Welcome = {
      matchId: this.setup.matchId,
      game: this.setup.game.spec.id,
      params: this.setup.game.params,
      numPlayers: this.setup.game.numPlayers,
      seat,
      seats: this.setup.seats.map((s) => ({ name: s.name })),
      protocol: PROTOCOL_VERSION,
    };
    peer.send(RoomEvent.welcome, welcome);
    peer.send(RoomEvent.view, this.viewFor(seat));
    if (this.summary) peer.send(RoomEvent.end, this.summary);
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
    // One view per seat and one public view for all spectators, built once per step; with nothing hidden, the
    // public view serves everyone.
    const shared = this.setup.game.spec.perfectInformation;
    let publicView: ViewUpdate | undefined;
    for (const peer of this.connected) {
      const seat = shared ? -1 : this.seatPeer.indexOf(peer);
      const view = seat >= 0 ? this.viewFor(seat) : (publicView ??= this.viewFor(null));
      peer.send(RoomEvent.view, view);
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
          const peer = this.seatPeer[e.seat];
          // A realtime tick waits for nobody: a late action is normal there (the last one repeats), not an error.
          const realtime = this.setup.game.spec.dynamics === 'realtime';
          if (seat?.expire(e.step) && peer && !realtime) {
            peer.send(RoomEvent.error, { code: 'action/timeout', message: `no action for step ${e.step} in time` });
          }
        },
        onInvalid: (e: { seat: number; error: { code: string; message: string } }) => {
          this.seatPeer[e.seat]?.send(RoomEvent.error, { code: e.error.code, message: e.error.message });
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
      seq = await deps.commit(record);
    } catch (error) {
      deps.log.fatal({ err: error, matchId: record.id, record }, 'could not commit a finished match; the record is in this log line');
    }
    const summary = summarize(record);
    this.summary = summary;
    for (const peer of this.connected) peer.send(RoomEvent.end, summary);
    deps.log.info({ matchId: record.id, game: record.game.id, endReason: record.endReason, returns: record.returns, steps: record.steps }, 'match finished');
    deps.onFinished(summary, record, seq);
    this.resolveDone(summary);
  }
}
