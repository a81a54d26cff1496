/**
 * The socket.io lobby: authenticate with an API key, queue for a game (rated pairing for two-player games, first
 * come first served otherwise), be told `match:found` with a seat ticket, follow the feed of finished matches.
 * Connections without a key may only follow the feed. Every request is schema-validated and rate-limited and
 * answered through its acknowledgement; events nobody handles get an `arena:error`.
 *
 * Lobby matches (both seats queued with `via: 'lobby'`) are played over the lobby sockets themselves, several per
 * socket: the session sends through a peer that tags each message with the match id (batched per socket as
 * `match:batch`), and actions come back as `match:act` arrays. A socket that drops keeps its seats for the
 * reconnection window; a new connection of the same agent that names their matches (`resume`) takes them over.
 */
import type { DefaultEventsMap, Namespace, Server as IoServer, Socket } from 'socket.io';
import type { z } from 'zod';
import { LOBBY_MATCH_BATCH, LOBBY_NAMESPACE, LobbyEvent, LobbyMatchRequest, LobbyRequest, RoomEvent, type Ack, type LobbyMatchMessage, type TurnField, type LeagueUpdate, type MatchFound, type MatchSummary, type WireError } from '../client-sdk/src/protocol';
import { FeedSubscribeSchema, LobbyActionsSchema, LobbyResignSchema, QueueJoinSchema, QueueLeaveSchema, describeIssue } from '../client-sdk/src/protocol-schemas';
import { hashApiKey } from '../population/store/api-keys';
import { loadGame } from '../environments/registry';
import { fail, toWireError } from './errors';
import type { Logger } from './log';
import { offerFor, type MatchService } from './matches/service';
import { pairRatedQueue, type RatingWindow } from '../population/matchmaking/rated-queue';
import { PairingQueue, queueKey } from './matches/queue';
import { TokenBucket, seatMessageRate } from './rate-limit';
import type { AgentRow, ArenaStore } from '../population/store/store';
import type { MatchSession, Peer } from './matches/session';

interface SocketData {
  agent: AgentRow | null;
  bucket: TokenBucket;
  /** Lobby matches this socket holds a seat in, by match id. */
  seats: Map<string, LobbySeat>;
  /** Match messages for this socket not sent yet (see `send`). */
  outbox: LobbyMatchMessage[] | null;
  /** Lobby matches this connection's client still plays (handshake `resume`): it takes their seats back. */
  resume: Set<string>;
}

/** One wish to play: a socket queued for a game (a lobby socket may hold several, one per match it wants at once). */
interface QueueEntry {
  readonly id: string;
  readonly socket: LobbySocket;
  readonly via: 'room' | 'lobby';
  readonly observe: readonly TurnField[] | undefined;
  readonly joinedAt: number;
}

/** The answer to a connection over its request allowance. */
const RATE_LIMITED: WireError = { code: 'rate/limited', message: 'too many requests' };

/** Lobby matches one connection may play and queue for at once. */
const MAX_LOBBY_MATCHES = 256;

/** A seat of a lobby match, held by one lobby socket at a time (the agent's next socket after a drop). */
interface LobbySeat {
  readonly session: MatchSession;
  /** Its own message allowance, the same as a room client's: one seat of one match. */
  readonly bucket: TokenBucket;
  peer: Peer;
  /** While the socket is gone: the end of the reconnection window. */
  away: NodeJS.Timeout | null;
}
type LobbySocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

export interface LobbyDeps {
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly log: Logger;
  readonly rateLimit: number;
  /** Rated pairing window (OpenSkill ordinal points): start, growth per second of waiting, cap. */
  readonly pairingWindow: RatingWindow;
  /** Seconds a lobby match seat waits for its agent to reconnect. */
  readonly reconnectSeconds: number;
}

/**
 * Queues a match message for a socket. Everything queued for one socket until the event loop has handled the
 * current I/O goes out as one `match:batch` (one WebSocket frame, one write): one action usually means a view for
 * one seat and a view and a turn for the other, and a connection playing many matches collects more.
 */
function send(socket: LobbySocket, message: LobbyMatchMessage): void {
  if (socket.data.outbox) return void socket.data.outbox.push(message);
  socket.data.outbox = [message];
  setImmediate(() => {
    const batch = socket.data.outbox;
    socket.data.outbox = null;
    if (batch && socket.connected) socket.emit(LOBBY_MATCH_BATCH, batch);
  });
}

/** The peer of a lobby seat: room messages tagged with the match id, batched per socket. */
function lobbyPeer(socket: LobbySocket, matchId: string): Peer {
  return { send: (type, payload) => send(socket, [type, matchId, payload]) };
}

export interface Lobby {
  /** Stops the lobby's timers. */
  close(): void;
  /** Sends a server notice to every lobby connection. */
  notice(event: { readonly type: 'shutdown'; readonly graceSeconds: number }): void;
  /** Tells feed subscribers about progress of a background league. */
  leagueUpdate(update: LeagueUpdate): void;
  /** Tells feed subscribers about a finished (committed) match. */
  announce(summary: MatchSummary): void;
  /** Delivers match:found to a connected socket of `agentId`; false if the agent has none. */
  offer(agentId: string, found: MatchFound): boolean;
  isOnline(agentId: string): boolean;
  queued(): number;
  connections(): number;
}

export function attachLobby(io: IoServer, deps: LobbyDeps): Lobby {
  const nsp: Namespace = io.of(LOBBY_NAMESPACE);
  const queue = new PairingQueue<QueueEntry>();
  let entries = 0;
  const byAgent = new Map<string, Set<LobbySocket>>();

  nsp.use((socket, next) => {
    const s = socket as unknown as LobbySocket;
    const key: unknown = socket.handshake.auth?.apiKey;
    s.data.bucket = new TokenBucket(deps.rateLimit);
    s.data.agent = null;
    const resume: unknown = socket.handshake.auth?.resume;
    s.data.resume = new Set(Array.isArray(resume) ? resume.slice(0, MAX_LOBBY_MATCHES).filter((id): id is string => typeof id === 'string' && id.length <= 64) : []);
    if (key === undefined) return next();
    const agent = typeof key === 'string' && key.length <= 256 ? deps.store.agentByKeyHash(hashApiKey(key)) : undefined;
    if (!agent) {
      const err = new Error('auth/unauthorized: unknown API key') as Error & { data: WireError };
      err.data = { code: 'auth/unauthorized', message: 'unknown API key' };
      return next(err);
    }
    s.data.agent = agent;
    next();
  });

  interface QueueMeta {
    readonly game: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly numPlayers: number;
  }
  const metaByKey = new Map<string, QueueMeta>();
  /** Lobby seats whose socket dropped, by agent id, waiting for that agent's next connection. */
  const away = new Map<string, Set<LobbySeat>>();

  /** The seat's connection is gone: it waits for the agent's next one, then the disconnect policy applies. */
  const awaitReturn = (agentId: string, seat: LobbySeat): void => {
    if (!seat.session.dropped(seat.peer)) return;
    const waiting = away.get(agentId) ?? new Set();
    waiting.add(seat);
    away.set(agentId, waiting);
    seat.away = setTimeout(() => {
      const still = away.get(agentId);
      still?.delete(seat);
      if (still?.size === 0) away.delete(agentId);
      seat.session.left(seat.peer, 'disconnected');
    }, deps.reconnectSeconds * 1000);
  };

  const holdSeat = (socket: LobbySocket, matchId: string, seat: LobbySeat): void => {
    socket.data.seats.set(matchId, seat);
    void seat.session.done.then(() => {
      if (socket.data.seats.get(matchId) === seat) socket.data.seats.delete(matchId);
    });
  };

  const startMatch = async (group: QueueEntry[], meta: QueueMeta): Promise<void> => {
    const sockets = group.map((e) => e.socket);
    try {
      const lobbyMatch = group.every((e) => e.via === 'lobby');
      const created = await deps.matches.create({
        game: meta.game,
        params: meta.params,
        seats: sockets.map((s) => ({ name: s.data.agent!.name, agentId: s.data.agent!.id })),
        room: !lobbyMatch,
        observe: group.map((e) => e.observe),
      });
      sockets.forEach((s, seat) => {
        if (!lobbyMatch) return void s.emit(LobbyEvent.matchFound, offerFor(created, seat));
        // found first: the client learns of the match before its first message.
        s.emit(LobbyEvent.matchFound, { via: 'lobby', matchId: created.matchId, seat, game: created.game, params: created.params });
        const peer = lobbyPeer(s, created.matchId);
        const session = deps.matches.seatDirect(created.matchId, seat, peer);
        const held: LobbySeat = { session, bucket: new TokenBucket(seatMessageRate(deps.rateLimit, session.setup.game)), peer, away: null };
        // The socket may have gone while the match was being created: then the seat waits for the agent's return.
        if (s.connected) holdSeat(s, created.matchId, held);
        else awaitReturn(s.data.agent!.id, held);
      });
    } catch (error) {
      deps.log.error({ err: error, game: meta.game }, 'could not create a queued match');
      for (const s of sockets) s.emit(LobbyEvent.error, toWireError(error));
    }
  };

  /**
   * Ratings for pairing (OpenSkill ordinal, 0 unrated), read from the store at most once a second per agent and
   * game: a busy queue is paired many times a second, and a window of at least 10 points does not need fresher.
   */
  const ordinals = new Map<string, { readonly value: number; readonly at: number }>();
  const ordinal = (game: string, agentId: string, now: number): number => {
    const key = `${game}|${agentId}`;
    const cached = ordinals.get(key);
    if (cached && now - cached.at < 1000) return cached.value;
    const r = deps.store.getRating(game, agentId);
    const value = r ? r.mu - 3 * r.sigma : 0;
    ordinals.set(key, { value, at: now });
    return value;
  };

  /**
   * Pairs whoever can be paired in the queue of `key`. Two-player games: rated pairing (OpenSkill ordinal, a
   * window that widens with waiting time, closest pairs first); other games: first come, first served.
   */
  const pairKey = (key: string): void => {
    const meta = metaByKey.get(key);
    const waiting = queue.waitingFor(key);
    if (!meta || waiting.length < meta.numPlayers) return;
    let groups: QueueEntry[][];
    if (meta.numPlayers === 2) {
      const now = Date.now();
      const byId = new Map(waiting.map((e) => [e.id, e]));
      const rated = waiting.map((e) => {
        const agentId = e.socket.data.agent!.id;
        return { id: e.id, rating: ordinal(meta.game, agentId, now), waitSeconds: (now - e.joinedAt) / 1000, group: agentId };
      });
      groups = pairRatedQueue(rated, deps.pairingWindow).pairs.map(([a, b]) => [byId.get(a)!, byId.get(b)!]);
    } else {
      groups = [waiting.slice(0, meta.numPlayers)];
    }
    for (const group of groups) {
      queue.takeExactly(key, group);
      void startMatch(group, meta);
    }
  };
  /** Pairs a queue once per turn of the event loop, however many joined it meanwhile. */
  const pairingSoon = new Set<string>();
  const schedulePairing = (key: string): void => {
    if (pairingSoon.has(key)) return;
    pairingSoon.add(key);
    setImmediate(() => {
      pairingSoon.delete(key);
      pairKey(key);
    });
  };
  // Windows widen while agents wait: look again every second.
  const repair = setInterval(() => {
    for (const key of queue.keys()) pairKey(key);
  }, 1000);
  repair.unref();

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as LobbySocket;
    const agent = socket.data.agent;
    socket.data.seats = new Map();
    socket.data.outbox = null;
    if (agent) {
      const set = byAgent.get(agent.id) ?? new Set();
      set.add(socket);
      byAgent.set(agent.id, set);
      // Back within the window: this connection takes over the lobby seats it names (`resume` in the handshake:
      // the matches its client still plays; another process with the same key must not take them).
      const mine = away.get(agent.id);
      for (const seat of mine ?? []) {
        if (!socket.data.resume.has(seat.session.setup.matchId)) continue;
        mine!.delete(seat);
        if (mine!.size === 0) away.delete(agent.id);
        clearTimeout(seat.away!);
        seat.away = null;
        const old = seat.peer;
        seat.peer = lobbyPeer(socket, seat.session.setup.matchId);
        holdSeat(socket, seat.session.setup.matchId, seat);
        seat.session.reconnected(seat.peer, old);
      }
    }

    /** Registers a request handler: rate limit, ack present, schema, then the handler's result or error. */
    const handle = <S extends z.ZodType>(event: string, schema: S, fn: (data: z.infer<S>) => unknown): void => {
      socket.on(event, async (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
        const reply = (a: Ack<unknown>): void => {
          if (ack) ack(a);
          else if (!a.ok) socket.emit(LobbyEvent.error, a.error);
        };
        if (!socket.data.bucket.take()) return reply({ ok: false, error: RATE_LIMITED });
        if (args.length > 1) return reply({ ok: false, error: { code: 'request/invalid', message: 'one payload expected' } });
        const payload = args[0];
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, error: { code: 'request/invalid', message: describeIssue(parsed.error) } });
        try {
          reply({ ok: true, result: (await fn(parsed.data)) ?? null });
        } catch (error) {
          const wire = toWireError(error);
          if (wire.code === 'server/internal') deps.log.error({ err: error, event }, 'lobby handler failed');
          reply({ ok: false, error: wire });
        }
      });
    };

    handle(LobbyRequest.queueJoin, QueueJoinSchema, ({ game, params, via = 'room', observe }) => {
      if (!socket.data.agent) throw fail('auth/unauthorized', 'queueing needs an API key');
      const g = loadGame(game, params ?? {});
      const key = queueKey(g.spec.id, g.params);
      const mine = queue.waitingFor(key).filter((e) => e.socket === socket);
      // A room match needs its own connection per match: one at a time. Lobby matches share this connection, so a
      // client may queue again for each further match it wants to play at once (up to a cap).
      if (via === 'room' ? mine.length > 0 : mine.some((e) => e.via === 'room')) throw fail('queue/already-queued', `already queued for ${game}`);
      if (mine.length + socket.data.seats.size >= MAX_LOBBY_MATCHES) throw fail('queue/already-queued', `at most ${MAX_LOBBY_MATCHES} matches at once per connection`);
      queue.join(key, { id: `${socket.id}#${++entries}`, socket, via, observe, joinedAt: Date.now() });
      metaByKey.set(key, { game: g.spec.id, params: g.params, numPlayers: g.numPlayers });
      schedulePairing(key);
      return { queued: game, waiting: queue.size(key) };
    });
    handle(LobbyRequest.queueLeave, QueueLeaveSchema, ({ game }) => {
      if (queue.leaveWhere((e) => e.socket === socket, game) === 0) throw fail('queue/not-queued', game ? `not queued for ${game}` : 'not queued');
      return { left: true };
    });
    handle(LobbyRequest.feedSubscribe, FeedSubscribeSchema, (data) => {
      void socket.join(data?.game ? `feed:${data.game}` : 'feed');
      return { subscribed: data?.game ?? 'all' };
    });
    handle(LobbyRequest.feedUnsubscribe, FeedSubscribeSchema, (data) => {
      void socket.leave(data?.game ? `feed:${data.game}` : 'feed');
      return { unsubscribed: data?.game ?? 'all' };
    });

    /**
     * Lobby match messages: actions (several matches' at once) and resignations, not acknowledged (one message per
     * decision, like a room); refusals come back in the match's batch as `error`. Validated like everything else;
     * an action counts against its seat's allowance (as in a room), anything else against the connection's.
     */
    const refuse = (matchId: unknown, error: WireError): void => {
      if (typeof matchId === 'string' && matchId.length <= 64) send(socket, [RoomEvent.error, matchId, error]);
      else socket.emit(LobbyEvent.error, error);
    };
    /** A refusal of a message that is no seat's to count: it costs the connection's allowance, or says it ran out. */
    const charged = (error: WireError): WireError => (socket.data.bucket.take() ? error : RATE_LIMITED);
    const matchMessage = <S extends z.ZodType>(event: string, schema: S, fn: (data: z.infer<S>) => void): void => {
      socket.on(event, (...args: unknown[]) => {
        // Not acknowledged by design; a client that asks for an acknowledgement anyway gets one.
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
        const parsed = args.length === 1 ? schema.safeParse(args[0]) : null;
        if (!parsed?.success) {
          const error = charged({ code: 'request/invalid', message: parsed ? describeIssue(parsed.error) : 'one payload expected' });
          return ack ? ack({ ok: false, error }) : refuse(undefined, error);
        }
        fn(parsed.data);
        ack?.({ ok: true, result: null });
      });
    };
    const seatFor = (matchId: string): LobbySeat | null => {
      const seat = socket.data.seats.get(matchId);
      if (!seat) refuse(matchId, charged({ code: 'match/not-found', message: 'no seat of yours in this match on this connection' }));
      return seat ?? null;
    };
    matchMessage(LobbyMatchRequest.act, LobbyActionsSchema, (actions) => {
      for (const { matchId, step, action } of actions) {
        const seat = seatFor(matchId);
        if (!seat) continue;
        const error = seat.bucket.take() ? seat.session.action(seat.peer, step, action) : { code: 'rate/limited' as const, message: 'too many actions for this seat' };
        if (error) refuse(matchId, error);
      }
    });
    matchMessage(LobbyMatchRequest.resign, LobbyResignSchema, ({ matchId }) => {
      const seat = seatFor(matchId);
      const error = seat?.session.resign(seat.peer);
      if (error) refuse(matchId, error);
    });

    const known = new Set<string>([...Object.values(LobbyRequest), ...Object.values(LobbyMatchRequest)]);
    socket.onAny((event: string, ...args: unknown[]) => {
      if (known.has(event)) return;
      const ack = args[args.length - 1];
      const error = charged({ code: 'request/invalid', message: `unknown event ${JSON.stringify(String(event).slice(0, 40))}` });
      if (typeof ack === 'function') (ack as (a: Ack<unknown>) => void)({ ok: false, error });
      else socket.emit(LobbyEvent.error, error);
    });

    socket.on('disconnect', () => {
      queue.leaveWhere((e) => e.socket === socket);
      if (!agent) return;
      byAgent.get(agent.id)?.delete(socket);
      // Seats of running lobby matches wait for the agent's next connection, then the disconnect policy applies.
      for (const seat of socket.data.seats.values()) awaitReturn(agent.id, seat);
      socket.data.seats.clear();
    });
  });

  return {
    close() {
      clearInterval(repair);
    },
    notice(event) {
      nsp.emit(LobbyEvent.server, event);
    },
    leagueUpdate(update) {
      nsp.to('feed').to(`feed:${update.game}`).emit(LobbyEvent.leagueUpdate, update);
    },
    announce(summary) {
      nsp.to('feed').to(`feed:${summary.game}`).emit(LobbyEvent.matchFinished, summary);
    },
    offer(agentId, found) {
      const socket = byAgent.get(agentId)?.values().next().value;
      if (!socket) return false;
      socket.emit(LobbyEvent.matchFound, found);
      return true;
    },
    isOnline: (agentId) => (byAgent.get(agentId)?.size ?? 0) > 0,
    queued: () => queue.size(),
    connections: () => nsp.sockets.size,
  };
}
