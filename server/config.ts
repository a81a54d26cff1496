/**
 * Server configuration from flags and environment variables (flags win), validated at start: a bad value stops
 * the process with one line naming the setting. Defaults give the embedded single-process arena.
 */
import { z } from 'zod';
import { ArenaError } from '../environments/core/errors';

export const ConfigSchema = z
  .object({
    /** HTTP port for REST, the web app, Colyseus rooms and the socket.io lobby (0 = any free port). */
    port: z.coerce.number().int().min(0).max(65535).default(2567),
    /** Interface to listen on. Loopback by default: exposing an arena is a deliberate choice. */
    host: z.string().min(1).default('127.0.0.1'),
    /** Directory of the SQLite store (arena.db). */
    dataDir: z.string().min(1).default('./data'),
    /** Bearer token for admin endpoints (private matches). Unset: admin endpoints answer 403. */
    adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Seconds a disconnected seat may take to reconnect before the disconnect policy applies. */
    reconnectSeconds: z.coerce.number().min(0).max(600).default(20),
    /** Seconds a seat reservation (ticket) stays valid. */
    ticketSeconds: z.coerce.number().min(1).max(3600).default(30),
    /** Default per-decision time limit for remote seats, ms (0 = none). */
    decisionMs: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /** Seconds running matches get to finish on SIGTERM before they are recorded as aborted. */
    shutdownGraceSeconds: z.coerce.number().min(0).max(3600).default(10),
    /**
     * SQLite durability. 'normal' (default): with WAL a commit is in the log file before finishMatch returns, so a
     * crash or kill -9 of the process loses nothing; a power loss may lose the last commits. 'full' also fsyncs
     * every commit (survives power loss; about 1 ms per commit on this machine's disk).
     */
    dbSync: z.enum(['normal', 'full']).default('normal'),
    /**
     * A league scenario to run in the background (its matches on worker threads, into this store), so the arena
     * shows a live leaderboard from the first start. Empty: none. `npm start` runs the tic-tac-toe smoke league.
     */
    league: z.string().default(''),
    /**
     * Rated pairing (two-player games): how fast, in OpenSkill ordinal points per second of waiting, an agent's
     * acceptance window widens from 10 points, without a cap (two agents alone in a queue always meet).
     */
    pairingWidenPerSecond: z.coerce.number().min(0.01).max(1000).default(2),
    /** Lobby and REST requests per second per connection (burst: twice this). */
    rateLimit: z.coerce.number().min(1).max(100_000).default(50),
  })
  .strict();

export type ArenaConfig = z.infer<typeof ConfigSchema>;

/** Environment variable per setting. */
export const ENV_NAMES: Readonly<Record<keyof ArenaConfig, string>> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'ARENA_DATA',
  adminToken: 'ARENA_ADMIN_TOKEN',
  logLevel: 'LOG_LEVEL',
  reconnectSeconds: 'ARENA_RECONNECT_SECONDS',
  ticketSeconds: 'ARENA_TICKET_SECONDS',
  decisionMs: 'ARENA_DECISION_MS',
  shutdownGraceSeconds: 'ARENA_SHUTDOWN_GRACE_SECONDS',
  dbSync: 'ARENA_DB_SYNC',
  league: 'ARENA_LEAGUE',
  pairingWidenPerSecond: 'ARENA_PAIRING_WIDEN_PER_SECOND',
  rateLimit: 'ARENA_RATE_LIMIT',
};

/** Builds the configuration: defaults < environment < flags. Throws ArenaError('cli/usage') naming the setting. */
export function loadConfig(env: NodeJS.ProcessEnv, flags: Partial<Record<keyof ArenaConfig, unknown>> = {}): ArenaConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) raw[key] = value;
  const r = ConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const name = ENV_NAMES[key as keyof ArenaConfig];
    throw new ArenaError('cli/usage', `invalid setting ${key}${name ? ` (${name})` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}
