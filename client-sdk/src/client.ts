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
  LobbyRequest,
  RoomEvent,
  RoomRequest,
  type Ack,
  type ActionValue,
  type LeagueUpdate,
  type MatchFound,
  type MatchSummary,
  type Turn,
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
  /** Queue requests waiting for a pairing: the server forgets them when the lobby connection drops, so they are re-sent on reconnect. */
  private readonly waiting = new Map<string, unknown>();

  constructor(readonly options: ArenaClientOptions) {
    const base = options.url.replace(/\/$/, '');
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.lobby = io(`${base}${LOBBY_NAMESPACE}`, {
      auth: options.apiKey ? { apiKey: options.apiKey } : {},
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 5000,
    });
    this.rooms = new ColyseusClient(base);
    this.api = new ArenaApi({ url: base, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
    this.lobby.io.on('reconnect', () => {
      for (const payload of this.waiting.values()) this.lobby.emit(LobbyRequest.queueJoin, payload, () => undefined);
    });
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

  /** Queues for `game` and resolves with the pairing (a seat ticket for the match room). */
  async queue(game: string, params?: Readonly<Record<string, unknown>>): Promise<MatchFound> {
    await this.connect();
    const payload = params ? { game, params } : { game };
    const found = new Promise<MatchFound>((resolve) => {
      const on = (m: MatchFound): void => {
        if (m.game !== game) return;
        this.lobby.off(LobbyEvent.matchFound, on);
        this.waiting.delete(game);
        resolve(m);
      };
      this.lobby.on(LobbyEvent.matchFound, on);
    });
    this.waiting.set(game, payload);
    try {
      await this.request(LobbyRequest.queueJoin, payload);
    } catch (error) {
      this.waiting.delete(game);
      throw error;
    }
    return found;
  }

  leaveQueue(game?: string): Promise<unknown> {
    if (game === undefined) this.waiting.clear();
    else this.waiting.delete(game);
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

  /** Takes your seat in a match you were paired into (through its seat reservation; the ticket as fallback). */
  async join(found: MatchFound): Promise<MatchConnection> {
    if (found.reservation) return MatchConnection.open(() => this.rooms.consumeSeatReservation(found.reservation));
    return MatchConnection.open(() => this.rooms.joinById(found.roomId, { ticket: found.ticket }));
  }

  /** Watches a match as a spectator (public view only). */
  async spectate(roomId: string): Promise<MatchConnection> {
    return MatchConnection.open(() => this.rooms.joinById(roomId, { spectate: true }));
  }

  /** Rejoins a match after a page reload or process restart, within the server's reconnection window. */
  async rejoin(reconnectionToken: string): Promise<MatchConnection> {
    return MatchConnection.open(() => this.rooms.reconnect(reconnectionToken));
  }

  /**
   * Plays `matches` matches of `game` with `policy`: queue, join, answer every turn, wait for the end, repeat.
   * Resolves with the summaries.
   */
  async play(game: string, policy: Policy, options: { matches?: number; params?: Record<string, unknown>; onEnd?: (m: PlayedMatch) => void } = {}): Promise<PlayedMatch[]> {
    const results: PlayedMatch[] = [];
    for (let i = 0; i < (options.matches ?? 1); i++) {
      const played = await this.playMatch(await this.queue(game, options.params), policy);
      options.onEnd?.(played);
      results.push(played);
    }
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

/** One joined match: turns, views, errors, the end; send actions. */
export class MatchConnection {
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

  private constructor(readonly room: Room) {
    this.ended = new Promise((r) => (this.endResolve = r));
    room.reconnection.minUptime = 0; // reconnect even right after joining
    room.reconnection.maxRetries = 30;
    room.reconnection.delay = 100;
    room.onMessage(RoomEvent.welcome, (w: Welcome) => {
      this.welcome = w;
      for (const h of this.welcomeHandlers) h(w);
    });
    room.onMessage(RoomEvent.view, (v: ViewUpdate) => {
      this.view = v;
      for (const h of this.viewHandlers) h(v);
    });
    room.onMessage(RoomEvent.turn, (t: Turn) => {
      if (this.turnHandler) this.turnHandler(t);
      else this.pendingTurn = t;
    });
    room.onMessage(RoomEvent.error, (e: WireError) => {
      for (const h of this.errorHandlers) h(e);
    });
    room.onMessage(RoomEvent.end, (s: MatchSummary) => this.endResolve(s));
  }

  static async open(join: () => Promise<Room>): Promise<MatchConnection> {
    try {
      return new MatchConnection(await join());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /^([a-z-]+\/[a-z-]+):/.exec(message)?.[1] as WireErrorCode | undefined;
      throw new ArenaClientError(code ?? 'reservation/invalid', message);
    }
  }

  /** Token for `ArenaClient.rejoin` after a reload. */
  get reconnectionToken(): string {
    return this.room.reconnectionToken;
  }

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

  /**
   * Connection changes: 'dropped' (lost; the SDK is reconnecting), 'reconnected', 'closed' (left for good: the
   * room closed after the end, or reconnection gave up). Returns an unsubscribe function.
   */
  onConnection(handler: (state: 'dropped' | 'reconnected' | 'closed') => void): () => void {
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

  onView(handler: (v: ViewUpdate) => void): () => void {
    this.viewHandlers.add(handler);
    return () => this.viewHandlers.delete(handler);
  }

  onError(handler: (e: WireError) => void): () => void {
    this.errorHandlers.add(handler);
    return () => this.errorHandlers.delete(handler);
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
