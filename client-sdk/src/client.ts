/**
 * ArenaClient: what agent authors use. Connect to the lobby with an API key, queue for a game, join the match
 * you were paired into, receive turns and views, send actions, reconnect automatically, or hand a policy to
 * `play()` and let it play N matches. Works in Node (>= 20) and browsers.
 */
import { Client as ColyseusClient, type Room } from '@colyseus/sdk';
import { io, type Socket } from 'socket.io-client';
import { ArenaApi } from './api';
import { ArenaClientError } from './errors';
import {
  LOBBY_NAMESPACE,
  LobbyEvent,
  LOBBY_MATCH_BATCH,
  LobbyMatchRequest,
  MAX_ACTIONS_PER_MESSAGE,
  LobbyRequest,
  RoomEvent,
  RoomRequest,
  type Ack,
  type ActionValue,
  type LeagueUpdate,
  type LobbyAction,
  type LobbyMatchFound,
  type LobbyMatchMessage,
  type MatchFound,
  type MatchSummary,
  type RoomMatchFound,
  type Turn,
  type TurnField,
  type ViewUpdate,
  type Welcome,
  type WireError,
  type WireErrorCode,
} from './protocol';

export interface ArenaClientOptions {
  /** Server URL, e.g. http://127.0.0.1:2567. */
  readonly url: string;
  /** Your agent's API key (from POST /api/agents). Without one you can only spectate and follow the feed. */
  readonly apiKey?: string;
  /** ms to wait for a lobby acknowledgement (default 10 000). */
  readonly requestTimeoutMs?: number;
}

export { ArenaClientError };

/** How to be seated (QueueJoinRequest): over the lobby connection or a room, and which observation fields turns carry. */
export interface QueueOptions {
  readonly via?: 'room' | 'lobby';
  readonly observe?: readonly TurnField[];
}

/** A finished match as `play()` reports it: the summary plus the seat this client held. */
export type PlayedMatch = MatchSummary & { readonly seat: number };

/** Chooses an action for a turn. */
export type Policy = (turn: Turn, match: MatchConnection) => ActionValue | Promise<ActionValue>;

export class ArenaClient {
  readonly lobby: Socket;
  /** The REST API of the same server, with the same key (games, matches, replays, leaderboards, challenges). */
  readonly api: ArenaApi;
  private readonly rooms: ColyseusClient;
  private readonly timeoutMs: number;
  /**
   * Queue requests waiting for a pairing, first come first: each `match:found` goes to the oldest one of its
   * game. The server forgets them when the lobby connection drops, so they are re-sent on reconnect.
   */
  private waiting: { readonly game: string; readonly payload: unknown; readonly resolve: (m: MatchFound) => void }[] = [];
  /** Lobby matches of this client under way, by match id (created on match:found, gone at the end). */
  private readonly lobbyMatches = new Map<string, LobbyMatchConnection>();
  /** Actions of lobby matches not sent yet: the decisions made in one turn of the event loop go in one `match:act`. */
  private actions: LobbyAction[] | null = null;

  constructor(readonly options: ArenaClientOptions) {
    const base = options.url.replace(/\/$/, '');
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.lobby = io(`${base}${LOBBY_NAMESPACE}`, {
      // Evaluated at every (re)connection: after a drop, the server gives back the seats of the lobby matches named
      // in `resume` (the ones this client still plays).
      auth: (cb) => cb({ ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(this.lobbyMatches.size > 0 ? { resume: [...this.lobbyMatches.keys()] } : {}) }),
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 5000,
    });
    this.rooms = new ColyseusClient(base);
    this.api = new ArenaApi({ url: base, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
    this.lobby.io.on('reconnect', () => {
      for (const w of this.waiting) this.lobby.emit(LobbyRequest.queueJoin, w.payload, () => undefined);
      for (const m of this.lobbyMatches.values()) m.connection('reconnected');
    });
    this.lobby.on('disconnect', () => {
      for (const m of this.lobbyMatches.values()) m.connection('dropped');
    });
    this.lobby.io.on('reconnect_failed', () => {
      for (const m of this.lobbyMatches.values()) m.connection('closed');
    });
    // Registered before any caller's handler: a lobby match exists here before its first message can arrive.
    this.lobby.on(LobbyEvent.matchFound, (found: MatchFound) => {
      if (found.via === 'lobby' && !this.lobbyMatches.has(found.matchId)) {
        this.lobbyMatches.set(found.matchId, new LobbyMatchConnection(this, found.matchId, () => this.lobbyMatches.delete(found.matchId)));
      }
      const i = this.waiting.findIndex((w) => w.game === found.game);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(found);
    });
    this.lobby.on(LOBBY_MATCH_BATCH, (batch: readonly LobbyMatchMessage[]) => {
      for (const [type, matchId, payload] of batch) this.lobbyMatches.get(matchId)?.deliver(type, payload);
    });
  }

  /** Sends a lobby match's action with the others decided in this turn of the event loop (one frame for all). */
  sendLobbyAction(action: LobbyAction): void {
    if (this.actions) {
      this.actions.push(action);
      if (this.actions.length >= MAX_ACTIONS_PER_MESSAGE) this.flushActions();
      return;
    }
    this.actions = [action];
    later(() => this.flushActions());
  }

  private flushActions(): void {
    const actions = this.actions;
    this.actions = null;
    if (actions && actions.length > 0) this.lobby.emit(LobbyMatchRequest.act, actions);
  }

  /** Opens the lobby connection; rejects with auth/unauthorized for a bad key. */
  connect(): Promise<this> {
    if (this.lobby.connected) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      const ok = (): void => {
        this.lobby.off('connect_error', bad);
        resolve(this);
      };
      const bad = (err: Error & { data?: WireError }): void => {
        this.lobby.off('connect', ok);
        this.lobby.disconnect();
        reject(new ArenaClientError(err.data?.code ?? 'auth/unauthorized', err.data?.message ?? err.message));
      };
      this.lobby.once('connect', ok);
      this.lobby.once('connect_error', bad);
      this.lobby.connect();
    });
  }

  /** Sends a lobby request and resolves with its result (rejects with the server's error). */
  async request<T>(event: string, payload?: unknown): Promise<T> {
    const ack = (await this.lobby.timeout(this.timeoutMs).emitWithAck(event, payload)) as Ack<T>;
    if (!ack.ok) throw new ArenaClientError(ack.error.code, ack.error.message);
    return ack.result;
  }

  /**
   * Queues for `game` and resolves with the pairing: a seat reservation for the match room, or with
   * `{via: 'lobby'}` a lobby match, played over this client's lobby connection (no room connection per match;
   * the fast way for bots; after a lobby reconnection the client names its matches and gets their seats back).
   */
  queue(game: string, params?: Readonly<Record<string, unknown>>, options?: QueueOptions & { readonly via?: 'room' }): Promise<RoomMatchFound>;
  queue(game: string, params: Readonly<Record<string, unknown>> | undefined, options: QueueOptions): Promise<MatchFound>;
  async queue(game: string, params?: Readonly<Record<string, unknown>>, options: QueueOptions = {}): Promise<MatchFound> {
    await this.connect();
    const payload = { game, ...(params ? { params } : {}), ...(options.via ? { via: options.via } : {}), ...(options.observe ? { observe: options.observe } : {}) };
    let entry!: (typeof this.waiting)[number];
    const found = new Promise<MatchFound>((resolve) => (entry = { game, payload, resolve }));
    this.waiting.push(entry);
    try {
      await this.request(LobbyRequest.queueJoin, payload);
    } catch (error) {
      this.waiting = this.waiting.filter((w) => w !== entry);
      throw error;
    }
    return found;
  }

  /** Leaves the queue of `game` (every queue when undefined); pairings asked for and not found are dropped. */
  leaveQueue(game?: string): Promise<unknown> {
    this.waiting = this.waiting.filter((w) => game !== undefined && w.game !== game);
    return this.request(LobbyRequest.queueLeave, game ? { game } : {});
  }

  /** Server notices (e.g. `{type: 'shutdown', graceSeconds}`). Returns an unsubscribe function. */
  onServerEvent(cb: (event: { readonly type: string } & Record<string, unknown>) => void): () => void {
    this.lobby.on(LobbyEvent.server, cb);
    return () => this.lobby.off(LobbyEvent.server, cb);
  }

  /** Called for every pairing (queued or arranged by an admin). Returns an unsubscribe function. */
  onMatchFound(cb: (m: MatchFound) => void): () => void {
    this.lobby.on(LobbyEvent.matchFound, cb);
    return () => this.lobby.off(LobbyEvent.matchFound, cb);
  }

  /** Follows finished matches (all games, or one). Returns an unsubscribe function. */
  async followFeed(cb: (m: MatchSummary) => void, game?: string): Promise<() => void> {
    await this.connect();
    this.lobby.on(LobbyEvent.matchFinished, cb);
    await this.request(LobbyRequest.feedSubscribe, game ? { game } : {});
    return () => {
      this.lobby.off(LobbyEvent.matchFinished, cb);
      void this.request(LobbyRequest.feedUnsubscribe, game ? { game } : {}).catch(() => undefined);
    };
  }

  /** Follows background league progress (`league:update`, after followFeed). Returns an unsubscribe function. */
  onLeagueUpdate(cb: (u: LeagueUpdate) => void): () => void {
    this.lobby.on(LobbyEvent.leagueUpdate, cb);
    return () => this.lobby.off(LobbyEvent.leagueUpdate, cb);
  }

  /**
   * Takes your seat in a match you were paired into: a room match through its seat reservation (the ticket as
   * fallback); a lobby match is already yours, this starts handing its messages to your handlers.
   */
  join(found: RoomMatchFound): Promise<RoomMatchConnection>;
  join(found: MatchFound): Promise<MatchConnection>;
  async join(found: MatchFound): Promise<MatchConnection> {
    if (found.via === 'lobby') return this.lobbyMatch(found);
    if (found.reservation) return RoomMatchConnection.open(() => this.rooms.consumeSeatReservation(found.reservation));
    return RoomMatchConnection.open(() => this.rooms.joinById(found.roomId, { ticket: found.ticket }));
  }

  private lobbyMatch(found: LobbyMatchFound): LobbyMatchConnection {
    const match = this.lobbyMatches.get(found.matchId);
    if (!match) throw new ArenaClientError('match/not-found', `lobby match ${found.matchId} is over or was not found on this connection`);
    return match.start();
  }

  /** Watches a match as a spectator (public view only), by its room (GET /api/live lists rooms and matches). */
  async spectate(roomId: string): Promise<RoomMatchConnection> {
    return RoomMatchConnection.open(() => this.rooms.joinById(roomId, { spectate: true }));
  }

  /** Watches a running match by its id: the server opens a room for a lobby match that has none yet. */
  async watch(matchId: string): Promise<RoomMatchConnection> {
    const { roomId } = await this.api.watch(matchId);
    return this.spectate(roomId);
  }

  /** Rejoins a room match after a page reload or process restart, within the server's reconnection window. */
  async rejoin(reconnectionToken: string): Promise<RoomMatchConnection> {
    return RoomMatchConnection.open(() => this.rooms.reconnect(reconnectionToken));
  }

  /**
   * Plays `matches` matches of `game` with `policy`: queue, join, answer every turn, wait for the end, repeat.
   * Resolves with the summaries, in the order the matches ended. `via` (default 'lobby'): play over the lobby
   * connection, `concurrency` matches at once (default 1; an RL actor batches its decisions across them), or
   * 'room' to join a Colyseus room per match, one at a time (what a browser does).
   */
  async play(
    game: string,
    policy: Policy,
    options: QueueOptions & { matches?: number; concurrency?: number; params?: Record<string, unknown>; onEnd?: (m: PlayedMatch) => void } = {},
  ): Promise<PlayedMatch[]> {
    const total = options.matches ?? 1;
    const width = Math.max(1, Math.min(options.concurrency ?? 1, total));
    if (options.via === 'room' && width > 1) throw new ArenaClientError('request/invalid', 'room matches are played one at a time per client; use via lobby for concurrency');
    const results: PlayedMatch[] = [];
    let started = 0;
    const lane = async (): Promise<void> => {
      while (started < total) {
        started++;
        const found = await this.queue(game, options.params, { via: options.via ?? 'lobby', ...(options.observe ? { observe: options.observe } : {}) });
        const played = await this.playMatch(found, policy);
        options.onEnd?.(played);
        results.push(played);
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
    return results;
  }

  /**
   * Plays every match the server offers this agent without queueing (the matches of a league the server runs
   * with this agent as a `remote:` member, challenges), several at once, until `signal` aborts (running
   * matches are played to the end) or `matches` have ended. `policyFor` is asked once per match and returns
   * null to decline a match (the seat then expires and the server records the match as aborted).
   */
  async serve(
    policyFor: (found: MatchFound) => Policy | null,
    options: { matches?: number; signal?: AbortSignal; onEnd?: (m: PlayedMatch) => void } = {},
  ): Promise<PlayedMatch[]> {
    await this.connect();
    const limit = options.matches ?? Number.POSITIVE_INFINITY;
    const results: PlayedMatch[] = [];
    const running = new Set<Promise<void>>();
    let accepted = 0;
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    const settle = (): void => {
      if (running.size === 0 && (results.length >= limit || options.signal?.aborted)) finish();
    };
    const off = this.onMatchFound((found) => {
      if (accepted >= limit || options.signal?.aborted) return;
      const policy = policyFor(found);
      if (!policy) return;
      accepted++;
      const p = this.playMatch(found, policy)
        .then((played) => {
          results.push(played);
          options.onEnd?.(played);
        })
        .catch(() => {
          accepted--; // could not join (the reservation expired): it does not count towards `matches`
        })
        .finally(() => {
          running.delete(p);
          settle();
        });
      running.add(p);
    });
    options.signal?.addEventListener('abort', settle, { once: true });
    settle();
    try {
      await done;
    } finally {
      off();
      options.signal?.removeEventListener('abort', settle);
    }
    return results;
  }

  /** Joins the match of `found`, answers every turn with `policy`, and resolves with the summary at the end. */
  async playMatch(found: MatchFound, policy: Policy): Promise<PlayedMatch> {
    const match = await this.join(found);
    match.onTurn(async (turn) => {
      try {
        match.act(turn.step, await policy(turn, match));
      } catch {
        match.resign(); // a policy that throws gives the match up rather than stalling it
      }
    });
    try {
      return { ...(await match.ended), seat: found.seat };
    } finally {
      match.leave();
    }
  }

  close(): void {
    this.lobby.disconnect();
  }
}

/** Runs `fn` once the current turn of the event loop is done (after pending I/O callbacks where the runtime has setImmediate). */
const later: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : queueMicrotask;

/** A connection's state changes: see MatchConnection.onConnection. */
export type ConnectionState = 'dropped' | 'reconnected' | 'closed';

/**
 * One joined match: turns, views, errors, the end; send actions. The same interface for both transports: a room
 * match (RoomMatchConnection, its own Colyseus room connection) and a lobby match (LobbyMatchConnection, over the
 * lobby connection, several matches at once).
 */
export abstract class MatchConnection {
  welcome!: Welcome;
  view: ViewUpdate | null = null;
  /** Resolves with the match summary when the server says the match ended. */
  readonly ended: Promise<MatchSummary>;
  private endResolve!: (s: MatchSummary) => void;
  private turnHandler: ((t: Turn) => void) | null = null;
  private pendingTurn: Turn | null = null;
  private readonly viewHandlers = new Set<(v: ViewUpdate) => void>();
  private readonly errorHandlers = new Set<(e: WireError) => void>();
  private readonly welcomeHandlers = new Set<(w: Welcome) => void>();

  protected constructor() {
    this.ended = new Promise((r) => (this.endResolve = r));
  }

  /** One server message of this match (a RoomEvent type and its payload), from whichever transport. */
  protected receive(type: string, payload: unknown): void {
    switch (type) {
      case RoomEvent.welcome:
        this.welcome = payload as Welcome;
        for (const h of this.welcomeHandlers) h(this.welcome);
        break;
      case RoomEvent.view:
        this.view = payload as ViewUpdate;
        for (const h of this.viewHandlers) h(this.view);
        break;
      case RoomEvent.turn:
        if (this.turnHandler) this.turnHandler(payload as Turn);
        else this.pendingTurn = payload as Turn;
        break;
      case RoomEvent.error:
        for (const h of this.errorHandlers) h(payload as WireError);
        break;
      case RoomEvent.end:
        this.endResolve(payload as MatchSummary);
        break;
    }
  }

  /** Token for `ArenaClient.rejoin` after a reload (room matches; a lobby match comes back with the API key). */
  abstract get reconnectionToken(): string | null;

  /**
   * Connection changes: 'dropped' (lost; the SDK is reconnecting), 'reconnected', 'closed' (left for good: the
   * room closed after the end, or reconnection gave up). Returns an unsubscribe function.
   */
  abstract onConnection(handler: (state: ConnectionState) => void): () => void;

  abstract act(step: number, action: ActionValue): void;

  abstract resign(): void;

  abstract leave(): void;

  onTurn(handler: (t: Turn) => void): void {
    this.turnHandler = handler;
    const pending = this.pendingTurn;
    this.pendingTurn = null;
    if (pending) handler(pending);
  }

  /** Who you are in the match: called now if the welcome already came, and again after every reconnection. */
  onWelcome(handler: (w: Welcome) => void): () => void {
    this.welcomeHandlers.add(handler);
    if (this.welcome) handler(this.welcome);
    return () => this.welcomeHandlers.delete(handler);
  }

  onView(handler: (v: ViewUpdate) => void): () => void {
    this.viewHandlers.add(handler);
    return () => this.viewHandlers.delete(handler);
  }

  onError(handler: (e: WireError) => void): () => void {
    this.errorHandlers.add(handler);
    return () => this.errorHandlers.delete(handler);
  }
}

/** A room match: its own Colyseus room connection, with the room's reconnection. */
export class RoomMatchConnection extends MatchConnection {
  private constructor(readonly room: Room) {
    super();
    room.reconnection.minUptime = 0; // reconnect even right after joining
    room.reconnection.maxRetries = 30;
    room.reconnection.delay = 100;
    for (const type of Object.values(RoomEvent)) room.onMessage(type, (payload: unknown) => this.receive(type, payload));
  }

  static async open(join: () => Promise<Room>): Promise<RoomMatchConnection> {
    try {
      return new RoomMatchConnection(await join());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /^([a-z-]+\/[a-z-]+):/.exec(message)?.[1] as WireErrorCode | undefined;
      throw new ArenaClientError(code ?? 'reservation/invalid', message);
    }
  }

  get reconnectionToken(): string {
    return this.room.reconnectionToken;
  }

  onConnection(handler: (state: ConnectionState) => void): () => void {
    const dropped = (): void => handler('dropped');
    const reconnected = (): void => handler('reconnected');
    const closed = (): void => handler('closed');
    this.room.onDrop(dropped);
    this.room.onReconnect(reconnected);
    this.room.onLeave(closed);
    return () => {
      this.room.onDrop.remove(dropped);
      this.room.onReconnect.remove(reconnected);
      this.room.onLeave.remove(closed);
    };
  }

  act(step: number, action: ActionValue): void {
    this.room.send(RoomRequest.action, { step, action });
  }

  resign(): void {
    this.room.send(RoomRequest.resign, {});
  }

  leave(): void {
    void this.room.leave(true).catch(() => undefined);
  }
}

/**
 * A lobby match: its messages arrive on the lobby connection tagged with the match id (ArenaClient routes them
 * here, buffering what comes before the match is joined); after a lobby reconnection the server re-seats the
 * agent's connection and re-sends welcome, view and any pending turn.
 */
export class LobbyMatchConnection extends MatchConnection {
  private joined = false;
  private readonly early: [string, unknown][] = [];
  private readonly stateHandlers = new Set<(state: ConnectionState) => void>();

  constructor(
    private readonly client: ArenaClient,
    readonly matchId: string,
    private readonly forget: () => void,
  ) {
    super();
  }

  /** Called by ArenaClient for each message of this match. */
  deliver(type: string, payload: unknown): void {
    if (this.joined) this.receive(type, payload);
    else this.early.push([type, payload]);
    if (type === RoomEvent.end) this.forget();
  }

  /** Called by ArenaClient on lobby connection changes. */
  connection(state: ConnectionState): void {
    for (const h of this.stateHandlers) h(state);
  }

  /** Starts handing messages to the handlers (those that came before the join first). */
  start(): this {
    if (!this.joined) {
      this.joined = true;
      for (const [type, payload] of this.early.splice(0)) this.receive(type, payload);
    }
    return this;
  }

  get reconnectionToken(): null {
    return null;
  }

  onConnection(handler: (state: ConnectionState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  act(step: number, action: ActionValue): void {
    this.client.sendLobbyAction({ matchId: this.matchId, step, action });
  }

  resign(): void {
    this.client.lobby.emit(LobbyMatchRequest.resign, { matchId: this.matchId });
  }

  /** Stops listening; the seat itself stays in the match until it ends (resign to give it up). */
  leave(): void {
    this.forget();
    this.connection('closed');
  }
}
