/**
 * Builds the arena server: one HTTP port serving REST, /health, /metrics, the web app (dist/web, client routes
 * included), Colyseus match rooms (WebSocket upgrades other than /socket.io/) and the socket.io lobby; the house
 * agents (server-played opponents for people) are registered at start. Start-up recovers from a crash by marking
 * matches that were running as aborted; shutdown lets running matches finish (or records them as aborted)
 * before closing the store, so nothing is half-written.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server as ColyseusServer } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { Server as IoServer } from 'socket.io';
import { MATCH_ROOM } from '../client-sdk/src/protocol';
import { League, type RemoteMatchRunner } from '../population/league';
import type { RatingWindow } from '../population/matchmaking/rated-queue';
import { leagueConfigFromScenario } from '../scenarios/league-config';
import { loadScenario } from '../scenarios/load';
import type { ArenaConfig } from './config';
import { healthAndMetrics, restRouter, type RestDeps } from './http/rest';
import { defaultWebDir, serveWebApp } from './http/web-app';
import { HousePlayers } from './house-players';
import { remoteLeagueRunner } from './league-remote';
import { attachLobby, type Lobby } from './lobby';
import { createLogger, type Logger } from './log';
import { CommitThread } from './matches/commit-thread';
import { MatchService } from './matches/service';
import { catchUpRatings } from './arena-ratings';
import { createMetrics } from './metrics';
import { setRoomContext, type RoomContext } from './rooms/context';
import { MatchRoom } from './rooms/match-room';
import { SqliteStore } from '../population/store/sqlite-store';
import type { ArenaStore } from '../population/store/store';
import { installWebSocketShim } from './websocket-shim';

export interface ArenaServer {
  /** http://host:port of the running server. */
  readonly url: string;
  readonly port: number;
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly log: Logger;
  /** Graceful shutdown: running matches get `graceMs` to finish, then are recorded as aborted. */
  close(graceMs?: number): Promise<void>;
}

export async function createArenaServer(config: ArenaConfig, options: { log?: Logger } = {}): Promise<ArenaServer> {
  installWebSocketShim();
  const log = options.log ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const dbPath = join(config.dataDir, 'arena.db');
  const storeOptions = { synchronous: config.dbSync === 'full' ? ('FULL' as const) : ('NORMAL' as const) };
  const store = SqliteStore.open(dbPath, storeOptions);
  const recovered = store.abortRunning();
  const caught = catchUpRatings(store);
  if (caught > 0) log.warn({ matches: caught }, 'rated matches that were committed but not rated before a restart');
  if (recovered > 0) log.warn({ matches: recovered }, 'matches left running by a previous process were marked aborted');

  const rooms: RoomContext = {
    internalKey: randomBytes(24).toString('hex'),
    sessions: new Map(),
    reconnectSeconds: config.reconnectSeconds,
    ticketSeconds: config.ticketSeconds,
    rateLimit: config.rateLimit,
  };
  setRoomContext(rooms);

  let lobby: Lobby | null = null;
  // eslint-disable-next-line prefer-const -- assigned once below; the metrics closure reads it lazily
  let matches: MatchService;
  const metrics = createMetrics({
    running: () => matches.runningCount,
    connections: () => lobby?.connections() ?? 0,
    queued: () => lobby?.queued() ?? 0,
  });
  const commits = new CommitThread(dbPath, storeOptions, log);
  matches = new MatchService({
    commits,
    log,
    config,
    rooms,
    onCreated: (game) => metrics.matchesStarted.inc({ game }),
    onFinished: (summary) => {
      metrics.matchesFinished.inc({ game: summary.game, end_reason: summary.endReason });
      lobby?.announce(summary);
    },
  });

  let url = '';
  const house = new HousePlayers({ store, log, url: () => url });
  house.register();

  const httpServer: HttpServer = createServer();
  // socket.io must leave the other upgrades (Colyseus rooms) alone.
  const io = new IoServer(httpServer, { path: '/socket.io/', serveClient: false, maxHttpBufferSize: 16 * 1024, destroyUpgrade: false });
  lobby = attachLobby(io, {
    store,
    matches,
    log,
    rateLimit: config.rateLimit,
    pairingWindow: ARENA_PAIRING_WINDOW(config.pairingWidenPerSecond),
    reconnectSeconds: config.reconnectSeconds,
  });
  const lobbyRef = lobby;

  const transport = new WebSocketTransport({ noServer: true, maxPayload: 4096 });
  transport.attachToServer(httpServer, { filter: (req) => !(req.url ?? '').startsWith('/socket.io/') });
  const restDeps: RestDeps = { store, matches, lobby: lobbyRef, house, metrics, log, adminToken: config.adminToken, rateLimit: config.rateLimit, startedAt: Date.now() };
  const gameServer = new ColyseusServer({
    transport,
    greet: false,
    gracefullyShutdown: false,
    express: (app) => {
      app.disable('x-powered-by');
      app.use((req, res, next) => {
        res.on('finish', () => metrics.httpRequests.inc({ method: req.method, status: String(res.statusCode) }));
        next();
      });
      app.use('/api', restRouter(restDeps));
      healthAndMetrics(app, restDeps);
      serveWebApp(app, defaultWebDir());
    },
  });
  gameServer.define(MATCH_ROOM, MatchRoom);
  // Load and validate the background league before listening: a bad scenario stops the start.
  const remote = remoteLeagueRunner({ store, matches, lobby: lobbyRef, house, log, waitMs: config.ticketSeconds * 1000 });
  const league = config.league ? backgroundLeague(config.league, store, lobbyRef, remote, log) : null;
  // A deep accept queue: bots open a connection per match, and the default backlog (511) overflows under load,
  // which turns into multi-second SYN retransmits for the clients.
  await gameServer.listen(config.port, config.host, 4096);
  const port = (httpServer.address() as AddressInfo).port;
  url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, dataDir: config.dataDir }, 'arena listening');

  league?.start();

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    matches,
    log,
    close(graceMs = config.shutdownGraceSeconds * 1000) {
      closing ??= (async () => {
        log.info({ running: matches.runningCount }, 'shutting down');
        lobbyRef.notice({ type: 'shutdown', graceSeconds: graceMs / 1000 });
        // The league stops scheduling now; its running matches (remote ones included) end with the others.
        const leagueStopped = league?.stop();
        await matches.shutdown(graceMs);
        await commits.close();
        await leagueStopped;
        house.close();
        lobbyRef.close();
        io.close();
        await gameServer.gracefullyShutdown(false).catch((err: unknown) => log.warn({ err }, 'colyseus shutdown'));
        await new Promise<void>((r) => httpServer.close(() => r()));
        store.close();
        setRoomContext(null);
        log.info('stopped');
        log.flush();
      })();
      return closing;
    },
  };
}

/**
 * Runs a league scenario in the background on worker threads into the server's store: its matches reach the
 * REST leaderboard and the lobby feed (`league:update`, with the leaderboard every 25 matches and at the end).
 * A league already complete in this store plays nothing more.
 */
function backgroundLeague(file: string, store: ArenaStore, lobby: Lobby, remote: RemoteMatchRunner, log: Logger): { start(): void; stop(): Promise<void> } {
  const scenario = loadScenario(file);
  const config = leagueConfigFromScenario(scenario, file);
  const league = new League(config, store);
  const controller = new AbortController();
  const board = (): unknown => league.leaderboard();
  let running: Promise<void> = Promise.resolve();
  const start = (): void => {
    log.info({ league: config.name, played: league.played, total: config.matches }, 'background league starting');
    running = league
    .run({
      signal: controller.signal,
      remote,
      onMatch: (p) => {
        const final = p.played === p.total;
        lobby.leagueUpdate({ league: config.name, game: config.game, played: p.played, total: p.total, matchId: p.record.id, ...(final || p.played % 25 === 0 ? { leaderboard: board() } : {}) });
        if (final) log.info({ league: config.name, played: p.played }, 'background league finished');
      },
    })
    .catch((err: unknown) => log.error({ err, league: config.name }, 'background league failed'));
  };
  return {
    start,
    async stop() {
      controller.abort();
      await running;
    },
  };
}

/**
 * The arena's pairing window: 10 ordinal points to start (gaps of a few points are rating noise between equal
 * agents), widening without a cap so that agents waiting alone are always paired eventually.
 */
const ARENA_PAIRING_WINDOW = (perSecond: number): RatingWindow => ({ base: 10, perSecond, max: Number.POSITIVE_INFINITY });
