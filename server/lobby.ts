/**
 * The socket.io lobby: authenticate with an API key, queue for a game (rated pairing for two-player games, first
 * come first served otherwise), be told `match:found` with a seat ticket,
 * follow the feed of finished matches. Connections without a key may only follow the feed. Every request is
 * schema-validated and rate-limited and answered through its acknowledgement; events nobody handles get an
 * `arena:error`.
 */
import type { DefaultEventsMap, Namespace, Server as IoServer, Socket } from 'socket.io';
import type { z } from 'zod';
import { LOBBY_NAMESPACE, LobbyEvent, LobbyRequest, type Ack, type LeagueUpdate, type MatchFound, type MatchSummary, type WireError } from '../client-sdk/src/protocol';
import { FeedSubscribeSchema, QueueJoinSchema, QueueLeaveSchema, describeIssue } from '../client-sdk/src/protocol-schemas';
import { hashApiKey } from '../population/store/api-keys';
import { loadGame } from '../environments/registry';
import { fail, toWireError } from './errors';
import type { Logger } from './log';
import { offerFor, type MatchService } from './matches/service';
import { pairRatedQueue, type RatingWindow } from '../population/matchmaking/rated-queue';
import { PairingQueue, queueKey } from './matches/queue';
import { TokenBucket } from './rate-limit';
import type { AgentRow, ArenaStore } from '../population/store/store';

interface SocketData {
  agent: AgentRow | null;
  bucket: TokenBucket;
}
type LobbySocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

export interface LobbyDeps {
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly log: Logger;
  readonly rateLimit: number;
  /** Rated pairing window (OpenSkill ordinal points): start, growth per second of waiting, cap. */
  readonly pairingWindow: RatingWindow;
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
  const queue = new PairingQueue<LobbySocket>();
  const byAgent = new Map<string, Set<LobbySocket>>();

  nsp.use((socket, next) => {
    const s = socket as unknown as LobbySocket;
    const key: unknown = socket.handshake.auth?.apiKey;
    s.data.bucket = new TokenBucket(deps.rateLimit);
    s.data.agent = null;
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
  const joinedAt = new Map<LobbySocket, number>();

  const startMatch = async (group: LobbySocket[], meta: QueueMeta): Promise<void> => {
    try {
      const created = await deps.matches.create({
        game: meta.game,
        params: meta.params,
        seats: group.map((s) => ({ name: s.data.agent!.name, agentId: s.data.agent!.id })),
      });
      group.forEach((s, seat) => {
        const found = offerFor(created, seat);
        s.emit(LobbyEvent.matchFound, found);
      });
    } catch (error) {
      deps.log.error({ err: error, game: meta.game }, 'could not create a queued match');
      for (const s of group) s.emit(LobbyEvent.error, toWireError(error));
    }
  };

  /**
   * Pairs whoever can be paired in the queue of `key`. Two-player games: rated pairing (OpenSkill ordinal, a
   * window that widens with waiting time, closest pairs first); other games: first come, first served.
   */
  const pairKey = (key: string): void => {
    const meta = metaByKey.get(key);
    const waiting = queue.waitingFor(key);
    if (!meta || waiting.length < meta.numPlayers) return;
    let groups: LobbySocket[][];
    if (meta.numPlayers === 2) {
      const now = Date.now();
      const byId = new Map(waiting.map((s) => [s.id, s]));
      const entries = waiting.map((s) => {
        const r = deps.store.getRating(meta.game, s.data.agent!.id);
        return { id: s.id, rating: r ? r.mu - 3 * r.sigma : 0, waitSeconds: (now - (joinedAt.get(s) ?? now)) / 1000 };
      });
      groups = pairRatedQueue(entries, deps.pairingWindow).pairs.map(([a, b]) => [byId.get(a)!, byId.get(b)!]);
    } else {
      groups = [waiting.slice(0, meta.numPlayers)];
    }
    for (const group of groups) {
      queue.takeExactly(key, group);
      for (const s of group) joinedAt.delete(s);
      void startMatch(group, meta);
    }
  };
  // Windows widen while agents wait: look again every second.
  const repair = setInterval(() => {
    for (const key of queue.keys()) pairKey(key);
  }, 1000);
  repair.unref();

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as LobbySocket;
    const agent = socket.data.agent;
    if (agent) {
      const set = byAgent.get(agent.id) ?? new Set();
      set.add(socket);
      byAgent.set(agent.id, set);
    }

    /** Registers a request handler: rate limit, ack present, schema, then the handler's result or error. */
    const handle = <S extends z.ZodType>(event: string, schema: S, fn: (data: z.infer<S>) => unknown): void => {
      socket.on(event, async (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
        const reply = (a: Ack<unknown>): void => {
          if (ack) ack(a);
          else if (!a.ok) socket.emit(LobbyEvent.error, a.error);
        };
        if (!socket.data.bucket.take()) return reply({ ok: false, error: { code: 'rate/limited', message: 'too many requests' } });
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

    handle(LobbyRequest.queueJoin, QueueJoinSchema, ({ game, params }) => {
      if (!socket.data.agent) throw fail('auth/unauthorized', 'queueing needs an API key');
      const g = loadGame(game, params ?? {});
      const key = queueKey(g.spec.id, g.params);
      if (!queue.join(key, socket)) throw fail('queue/already-queued', `already queued for ${game}`);
      metaByKey.set(key, { game: g.spec.id, params: g.params, numPlayers: g.numPlayers });
      joinedAt.set(socket, Date.now());
      setImmediate(() => pairKey(key));
      return { queued: game, waiting: queue.size(key) };
    });
    handle(LobbyRequest.queueLeave, QueueLeaveSchema, ({ game }) => {
      if (!queue.leave(socket, game)) throw fail('queue/not-queued', game ? `not queued for ${game}` : 'not queued');
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

    const known = new Set<string>(Object.values(LobbyRequest));
    socket.onAny((event: string, ...args: unknown[]) => {
      if (known.has(event)) return;
      const ack = args[args.length - 1];
      const error: WireError = socket.data.bucket.take()
        ? { code: 'request/invalid', message: `unknown event ${JSON.stringify(String(event).slice(0, 40))}` }
        : { code: 'rate/limited', message: 'too many requests' };
      if (typeof ack === 'function') (ack as (a: Ack<unknown>) => void)({ ok: false, error });
      else socket.emit(LobbyEvent.error, error);
    });

    socket.on('disconnect', () => {
      queue.leave(socket);
      joinedAt.delete(socket);
      if (agent) byAgent.get(agent.id)?.delete(socket);
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
