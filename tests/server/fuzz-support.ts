/**
 * Shared by the hostile-input suites (fuzz-rest, fuzz-lobby, fuzz-rooms): more than 10,000 malformed or hostile
 * messages (fast-check) against real server processes, across REST, the socket.io lobby and Colyseus match rooms,
 * while two SDK bots play Connect Four matches in a row alongside. Each suite runs its own server and its own
 * legitimate bot pair (so the suites can run in parallel jest workers). The server must answer every bad message
 * with a well-formed refusal (or drop just that connection), log no internal error, stay alive, and the bots'
 * matches must all end normally and replay exactly.
 *
 * Seeds: each suite picks its own seed and prints it first (fast-check also prints it with a counterexample);
 * FUZZ_SEED=<seed> replays it (e.g. FUZZ_SEED=<seed> npx jest tests/server/fuzz-rooms; set, it drives all three).
 * Server bugs found by these suites are guarded at the end of the suite of their channel by regression tests; their
 * inputs are kept out of the main generators so that the rest of the fuzzing keeps its meaning.
 *
 * Hostile messages, by suite (each asserts its share in its 'throughout' test; the shares add up to >= 10,000):
 *   fuzz-rest.test.ts   4,000 = 200 runs x 20 random requests (exact)                              share >= 4,000
 *   fuzz-lobby.test.ts  4,204 = 3,250 emits (130 runs x 25) + 149 bad API keys + 800 raw frames
 *                               + 5 oversized messages (exact)                                       share >= 4,200
 *   fuzz-rooms.test.ts ~3,660 = 1,500 spectator messages + 300 raw frames + 6 oversized frames
 *                               + ~355 refused joins + 900 to 2,250 seat messages (150 per hostile
 *                               seat's batch, one batch per turn of its opponent: varies by game)   share >= 2,800
 *   together                                                                                        >= 11,000
 */
import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import type { Room } from '@colyseus/sdk';
import type WebSocket from 'ws';
import type { ArenaClient, RoomMatchConnection } from '../../client-sdk/src/client';
import { LobbyMatchRequest, LobbyRequest, WIRE_ERROR_CODES, type MatchSummary, type Turn, type WireError } from '../../client-sdk/src/protocol';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { connectedClient, getJson, registerAgent, sleep, startServer, type RegisteredAgent, type RunningServer } from './harness';

/** Each suite's share of the hostile messages (see above). */
export const SHARE = { rest: 4000, lobby: 4200, rooms: 2800 } as const;
if (SHARE.rest + SHARE.lobby + SHARE.rooms < 10_000) throw new Error('the fuzz suites must send >= 10,000 hostile messages together');

export const ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef';
export const TICKET_SECONDS = 5;
export const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
export const FC = { seed: SEED, endOnFailure: true } as const;
const WIRE_CODES = new Set<string>(WIRE_ERROR_CODES);
export const KNOWN_EVENTS: readonly string[] = [...Object.values(LobbyRequest), ...Object.values(LobbyMatchRequest)];
/** socket.io-client refuses to emit these (they are raw frames' business). */
export const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

/** Hostile messages sent, by channel (one counter object per suite). */
export function counters<K extends string>(...channels: K[]): Record<K, number> {
  return Object.fromEntries(channels.map((c) => [c, 0])) as Record<K, number>;
}
export const totalSent = (sent: Record<string, number>): number => Object.values(sent).reduce((a, b) => a + b, 0);

/** Resolves with `p`, or rejects after `ms` (no await in these suites may hang). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result in ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Polls `cond` every 10 ms for at most `ms`; whether it became true. */
export async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(10);
  }
  return true;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export function isWireError(e: unknown): e is WireError {
  const w = e as { code?: unknown; message?: unknown } | null;
  return typeof w === 'object' && w !== null && typeof w.code === 'string' && WIRE_CODES.has(w.code) && typeof w.message === 'string';
}

export function randomLegal(turn: Turn): Turn['legalActions'][number] {
  return turn.legalActions[Math.floor(Math.random() * turn.legalActions.length)]!;
}

export function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Length of `v` as JSON (Infinity when it cannot be serialized). */
export const jsonSize = (v: unknown): number => {
  try {
    return (JSON.stringify(v) ?? '').length;
  } catch {
    return Infinity;
  }
};

export const jsonish = fc.anything({ maxDepth: 3, maxKeys: 6, withNullPrototype: true, withSparseArray: true, stringUnit: 'binary' });

/** Lobby connection outcome of a socket straight from socket.io-client. */
export function connectOutcome(s: Socket): Promise<{ connected: true } | { connected: false; error: Error & { data?: unknown } }> {
  return new Promise((resolve) => {
    s.once('connect', () => resolve({ connected: true }));
    s.once('connect_error', (error) => resolve({ connected: false, error }));
  });
}

// ---------------------------------------------------------------------------------------------------------------

/** One suite's live arena: its server, its legitimate bots, and what its tests leave open (closed after all). */
export interface FuzzArena {
  readonly server: RunningServer;
  /** The first legitimate bot (its valid API key is mutated by the bad-key test). */
  readonly legitA: RegisteredAgent;
  /** Room ids of the legitimate matches, in order. */
  readonly legitRoomIds: readonly string[];
  readonly clients: ArenaClient[];
  readonly sockets: Socket[];
  readonly connections: RoomMatchConnection[];
  readonly rawRooms: Room[];
  readonly rawWs: WebSocket[];
  readonly extraServers: RunningServer[];
  /** Error log lines (level >= 50) of the server since the fuzzing started. */
  newErrorLogs(): Record<string, unknown>[];
  /** The server process is alive and /health answers 'ok'. */
  expectAlive(s?: RunningServer): Promise<void>;
  /** A lobby socket straight from socket.io-client (no SDK conveniences), connected or refused. */
  lobbySocket(auth: Record<string, unknown>): Socket;
  /** The invariants after the fuzzing, and this suite's share of hostile messages. */
  expectThroughout(sent: Record<string, number>): Promise<void>;
}

/**
 * Registers this suite's beforeAll/afterAll: a server started with the fuzzing env (rate limit out of the way, an
 * admin token, short tickets), and the legitimate bots (Connect Four, ~5 ms per move, match after match until the
 * 'throughout' test stops them).
 */
export function useFuzzArena(suite: keyof typeof SHARE): FuzzArena {
  let server: RunningServer | undefined;
  const clients: ArenaClient[] = [];
  const sockets: Socket[] = [];
  const connections: RoomMatchConnection[] = [];
  const rawRooms: Room[] = [];
  const rawWs: WebSocket[] = [];
  const extraServers: RunningServer[] = [];
  const consoleWarn = console.warn;
  const consoleInfo = console.info;

  const legitSummaries: MatchSummary[] = [];
  const legitRoomIds: string[] = [];
  let legitStop = false;
  let legitLoop: Promise<void> = Promise.resolve();
  let legitA: RegisteredAgent | undefined;

  let logMark = 0;
  let serverStderr = '';
  let serverExit = '';
  function running(): RunningServer {
    if (!server) throw new Error('the fuzz server has not started');
    return server;
  }
  const newErrorLogs = (): Record<string, unknown>[] => running().logs.slice(logMark).filter((l) => Number(l.level) >= 50);

  async function expectAlive(s: RunningServer = running()): Promise<void> {
    if (s === server && (s.proc.exitCode !== null || s.proc.signalCode !== null)) {
      throw new Error(`the server died (${serverExit}): ${serverStderr.slice(-3000)}`);
    }
    expect(s.proc.exitCode).toBeNull();
    expect(s.proc.signalCode).toBeNull();
    const res = await fetch(`${s.url}/health`, { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('ok');
  }

  function lobbySocket(auth: Record<string, unknown>): Socket {
    const s = io(`${running().url}/lobby`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    return s;
  }

  async function expectThroughout(sent: Record<string, number>): Promise<void> {
    const url = running().url;
    legitStop = true;
    await within(legitLoop, 20_000, 'the legitimate bots finishing their last match');
    expect(legitSummaries.length).toBeGreaterThanOrEqual(3);
    for (const s of legitSummaries) {
      expect(s.endReason).toBe('terminal');
      const { status, body } = await getJson<{ match: { status: string }; record: unknown }>(`${url}/api/matches/${s.matchId}`);
      expect(status).toBe(200);
      expect(body.match.status).toBe('finished');
      const record = parseMatchRecord(body.record);
      expect(record.seats.map((x) => x.name).sort()).toEqual(['legit-a', 'legit-b']);
      expect(replay(record).returns).toEqual(s.returns);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(newErrorLogs()).toEqual([]);
    await expectAlive();
    console.log(`fuzz seed ${SEED} (${suite}): ${totalSent(sent)} hostile messages ${JSON.stringify(sent)}; ${legitSummaries.length} legitimate matches alongside`);
    expect(totalSent(sent)).toBeGreaterThanOrEqual(SHARE[suite]);
  }

  beforeAll(async () => {
    // Keep the Colyseus SDK's reconnection chatter (expected here: connections are cut on purpose) out of the output.
    const quiet = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
      const first = typeof args[0] === 'string' ? args[0] : '';
      if (/Colyseus|colyseus|Room connection|onMessage\(\) not registered/.test(first)) return;
      orig(...args);
    };
    console.warn = quiet(consoleWarn);
    console.info = quiet(consoleInfo);

    const s = await startServer({
      env: { ARENA_RATE_LIMIT: '100000', ARENA_ADMIN_TOKEN: ADMIN_TOKEN, ARENA_TICKET_SECONDS: String(TICKET_SECONDS), ARENA_SHUTDOWN_GRACE_SECONDS: '1' },
    });
    server = s;
    s.proc.stderr!.on('data', (d: Buffer) => (serverStderr += d.toString()));
    s.proc.once('exit', (code, signal) => (serverExit = `exit ${code} ${signal}`));
    process.stdout.write(`fuzz seed ${SEED} (${suite}; FUZZ_SEED=${SEED} replays it)\n`);
    const [a, b] = await Promise.all([registerAgent(s.url, 'legit-a'), registerAgent(s.url, 'legit-b')]);
    legitA = a;
    const [ca, cb] = await Promise.all([connectedClient(s.url, a.apiKey), connectedClient(s.url, b.apiKey)]);
    clients.push(ca, cb);
    ca.onMatchFound((m) => m.via !== 'lobby' && legitRoomIds.push(m.roomId));
    const policy = async (turn: Turn) => {
      await sleep(5);
      return randomLegal(turn);
    };
    legitLoop = (async () => {
      for (let i = 0; i < 1000 && !legitStop; i++) {
        const [ra, rb] = await Promise.all([ca.play('connect-four', policy, { via: 'room' }), cb.play('connect-four', policy, { via: 'room' })]);
        expect(rb[0]!.matchId).toBe(ra[0]!.matchId);
        legitSummaries.push(ra[0]!);
      }
    })();
    legitLoop.catch(() => undefined); // awaited (and its failure reported) in the 'throughout' test
    await until(() => legitRoomIds.length > 0, 10_000);
    logMark = s.logs.length;
  });

  afterAll(async () => {
    legitStop = true;
    await within(legitLoop, 15_000, 'legit loop').catch(() => undefined);
    for (const c of connections) {
      c.room.reconnection.enabled = false;
      c.leave();
    }
    for (const r of rawRooms) void r.leave(false).catch(() => undefined);
    for (const w of rawWs) w.terminate();
    for (const s of sockets) s.close();
    for (const c of clients) c.close();
    // Let the last 'leave' frames arrive, then stop gracefully: rooms close with a consented code, so no client
    // starts reconnecting to a dead server.
    await sleep(300);
    const stop = async (s: RunningServer): Promise<void> => {
      await within(s.stop('SIGTERM'), 8000, 'graceful stop').catch(() => s.stop('SIGKILL'));
    };
    await Promise.all([server && stop(server), ...extraServers.map(stop)]);
    console.warn = consoleWarn;
    console.info = consoleInfo;
  });

  return {
    get server() {
      return running();
    },
    get legitA() {
      if (!legitA) throw new Error('the legitimate bots have not registered');
      return legitA;
    },
    legitRoomIds,
    clients,
    sockets,
    connections,
    rawRooms,
    rawWs,
    extraServers,
    newErrorLogs,
    expectAlive,
    lobbySocket,
    expectThroughout,
  };
}
