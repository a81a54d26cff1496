/**
 * REST API (express 5, zod-validated). Errors are `{error: {code, message}}` with the status from errors.ts.
 * Registering an agent shows its API key once; only the key's sha256 is stored.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { describeGame } from '../../environments/describe';
import { findGameModule, GAME_MODULES, loadGame } from '../../environments/registry';
import { replay } from '../../engine/replay';
import type { MatchRecord } from '../../engine/record';
import { computeLeaderboard, type Leaderboard } from '../../population/leaderboard';
import type { AgentInfo, AgentProfile, GameInfo, Leaderboard as LeaderboardJson, MatchDetail, MatchInfo, Registration, Replay } from '../../client-sdk/src/api-types';
import type { WireErrorCode } from '../../client-sdk/src/protocol';
import { generateApiKey, hashApiKey, sameDigest } from '../../population/store/api-keys';
import { fail, httpStatus, toWireError } from '../errors';
import { HOUSE_PREFIX, type HousePlayers } from '../house-players';
import type { Lobby } from '../lobby';
import type { Logger } from '../log';
import { offerFor, type MatchService } from '../matches/service';
import type { ArenaMetrics } from '../metrics';
import { TokenBucket } from '../rate-limit';
import { playRoutes } from './play-routes';
import { AGENT_KINDS, type ArenaStore, type MatchRow } from '../../population/store/store';

export interface RestDeps {
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly lobby: Lobby;
  /** Agents the server plays itself (challenges from people). */
  readonly house: HousePlayers;
  readonly metrics: ArenaMetrics;
  readonly log: Logger;
  readonly adminToken: string | undefined;
  readonly rateLimit: number;
  readonly startedAt: number;
}

const AgentCreate = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
      .refine((n) => !n.startsWith(HOUSE_PREFIX), `names starting with "${HOUSE_PREFIX}" are the server's own`),
    kind: z.enum(AGENT_KINDS).default('bot'),
  })
  .strict();
const MatchQuery = z
  .object({
    game: z.string().max(64).optional(),
    agent: z.string().max(64).optional(),
    status: z.enum(['running', 'finished', 'aborted']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    before: z.string().max(64).optional(),
  })
  .strict();
const MatchCreate = z
  .object({
    game: z.string().min(1).max(64),
    params: z.record(z.string(), z.unknown()).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    agents: z.array(z.string().min(1).max(64)).min(1).max(16),
    rules: z
      .object({
        decisionMs: z.number().int().min(1).max(3_600_000).optional(),
        bankMs: z.number().int().min(0).max(3_600_000).optional(),
        onTimeout: z.enum(['forfeit', 'default-action']).optional(),
        onInvalid: z.enum(['forfeit', 'default-action', 'retry']).optional(),
        onDisconnect: z.enum(['forfeit', 'default-action']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A match row as the public sees it: the seed of a running match is withheld, because it determines every chance
 * outcome (the cards of both players) and would undo the room's information hiding.
 */
function publicRow(row: MatchRow): Omit<MatchRow, 'seed'> & { seed?: number } {
  if (row.status !== 'running') return row;
  const { seed: _seed, ...rest } = row;
  return rest;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : where;
    throw fail('request/invalid', `${path}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

export function restRouter(deps: RestDeps): Router {
  const { store } = deps;
  const api = express.Router();
  const buckets = new Map<string, TokenBucket>();

  api.use((req, _res, next) => {
    const ip = req.ip ?? 'unknown';
    let bucket = buckets.get(ip);
    if (!bucket) {
      if (buckets.size > 10_000) buckets.clear(); // bounded memory under many addresses
      bucket = new TokenBucket(deps.rateLimit * 4);
      buckets.set(ip, bucket);
    }
    next(bucket.take() ? undefined : fail('rate/limited', 'too many requests'));
  });
  api.use(express.json({ limit: '16kb' }));

  api.post('/agents', (req, res) => {
    const body = parse(AgentCreate, req.body, 'body');
    const apiKey = generateApiKey();
    const agent = store.createAgent({ name: body.name, kind: body.kind, keyHash: hashApiKey(apiKey) });
    deps.log.info({ agentId: agent.id, name: agent.name }, 'agent registered');
    res.status(201).json({ ...({ agent, apiKey } satisfies Registration), note: 'Store this key now: it is shown only once.' });
  });
  api.get('/agents', (_req, res) => {
    res.json({ agents: store.listAgents().map((a): AgentInfo => ({ ...a, online: deps.lobby.isOnline(a.id) })) });
  });
  api.get('/agents/:id', (req, res) => {
    const agent = store.getAgent(String(req.params.id)) ?? store.agentByName(String(req.params.id));
    if (!agent) throw fail('agent/not-found', `no agent ${JSON.stringify(req.params.id)}`);
    const ratings = GAME_MODULES.flatMap((m) => {
      const rating = store.getRating(m.spec.id, agent.id);
      return rating ? [{ ...rating, history: store.ratingHistory(m.spec.id, agent.id) }] : [];
    });
    res.json({ agent: { ...agent, online: deps.lobby.isOnline(agent.id) }, ratings, recentMatches: store.listMatches({ agentId: agent.id, limit: 20 }).map(publicRow) } satisfies AgentProfile);
  });

  api.get('/games', (_req, res) => {
    res.json({ games: GAME_MODULES.map(describeGame) satisfies GameInfo[] });
  });
  api.get('/games/:id', (req, res) => {
    const module = findGameModule(String(req.params.id));
    if (!module) throw fail('env/unknown-game', `unknown game ${JSON.stringify(req.params.id)}`);
    res.json({ game: describeGame(module) satisfies GameInfo });
  });

  // Per game: its records read so far (the feed is append-only, so only what was committed since is read again),
  // and leaderboards per resample count, recomputed only when new records arrived (bootstrap fits are not free).
  const games = new Map<string, { after: number; records: MatchRecord[]; boards: Map<number, Leaderboard> }>();
  api.get('/leaderboards/:game', (req, res) => {
    const game = String(req.params.game);
    if (!findGameModule(game)) throw fail('env/unknown-game', `unknown game ${JSON.stringify(game)}`);
    const { resamples } = parse(z.object({ resamples: z.coerce.number().int().min(0).max(2000).default(1000) }).strict(), req.query, 'query');
    let entry = games.get(game);
    if (!entry) {
      entry = { after: 0, records: [], boards: new Map() };
      games.set(game, entry);
    }
    for (let page = store.feedAfter(entry.after, 500); page.length > 0; page = store.feedAfter(entry.after, 500)) {
      for (const e of page) if (e.record.game.id === game) entry.records.push(e.record);
      entry.after = page[page.length - 1]!.seq;
      entry.boards.clear();
    }
    let board = entry.boards.get(resamples);
    if (!board) {
      board = computeLeaderboard(store, game, entry.records, { resamples });
      entry.boards.set(resamples, board);
    }
    res.json({ leaderboard: board satisfies LeaderboardJson });
  });

  api.get('/matches', (req, res) => {
    const q = parse(MatchQuery, req.query, 'query');
    const agentId = q.agent === undefined ? undefined : (store.getAgent(q.agent) ?? store.agentByName(q.agent))?.id;
    if (q.agent !== undefined && !agentId) throw fail('agent/not-found', `no agent ${JSON.stringify(q.agent)}`);
    const matches = store.listMatches({
      ...(q.game ? { game: q.game } : {}),
      ...(agentId ? { agentId } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
      ...(q.before ? { before: q.before } : {}),
    });
    res.json({ matches: matches.map(publicRow) satisfies MatchInfo[] });
  });
  api.get('/matches/:id', (req, res) => {
    const id = String(req.params.id);
    const match = store.getMatch(id);
    if (!match) throw fail('match/not-found', `no match ${JSON.stringify(id)}`);
    res.json({ match: publicRow(match), record: store.getRecord(id) ?? null } satisfies MatchDetail);
  });
  api.get('/matches/:id/replay', (req, res) => {
    const id = String(req.params.id);
    const record = store.getRecord(id);
    if (!record) throw fail('match/not-found', `no finished match ${JSON.stringify(id)}`);
    // The public (spectator) view at every step, rebuilt by replaying the record: what a replay page shows.
    const game = loadGame(record.game.id, record.game.params);
    const hide = !game.spec.perfectInformation;
    const frames: Replay['frames'][number][] = [];
    replay(record, {
      game,
      onStep: (s) => {
        frames.push({ step: s.step, actions: s.actions.map((a) => ({ seat: a.seat, action: a.seat < 0 && hide ? null : a.action })), render: game.render(s.after, null) });
      },
    });
    res.json({ matchId: id, game: record.game, seats: record.seats, initial: game.render(game.init(record.seed), null), frames, returns: record.returns, endReason: record.endReason, ...(record.forfeit ? { forfeit: record.forfeit } : {}) } satisfies Replay);
  });
  api.post('/matches', async (req, res) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!deps.adminToken) throw fail('auth/forbidden', 'admin endpoints are disabled (set ARENA_ADMIN_TOKEN)');
    if (!sameDigest(hashApiKey(token), hashApiKey(deps.adminToken))) throw fail('auth/unauthorized', 'admin token required');
    const body = parse(MatchCreate, req.body, 'body');
    const agents = body.agents.map((ref) => {
      const a = store.getAgent(ref) ?? store.agentByName(ref);
      if (!a) throw fail('agent/not-found', `no agent ${JSON.stringify(ref)}`);
      if (!deps.lobby.isOnline(a.id)) throw fail('agent/offline', `agent ${a.name} is not connected to the lobby`);
      return a;
    });
    const created = await deps.matches.create({
      game: body.game,
      ...(body.params ? { params: body.params } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      seats: agents.map((a) => ({ name: a.name, agentId: a.id })),
      ...(body.rules ? { rules: body.rules } : {}),
    });
    agents.forEach((a, seat) =>
      deps.lobby.offer(a.id, offerFor(created, seat)),
    );
    res.status(201).json({ matchId: created.matchId, roomId: created.roomId, expiresAt: created.expiresAt });
  });

  playRoutes(api, deps, parse);

  api.use((req) => {
    throw fail('not-found', `no route ${req.method} /api${req.path}`);
  });
  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const body = bodyError(error) ?? toWireError(error);
    if (body.code === 'server/internal') deps.log.error({ err: error }, 'request failed');
    res.status(httpStatus(body.code)).json({ error: body });
  });
  return api;
}

/** express.json errors: malformed JSON, too large. */
function bodyError(error: unknown): { code: WireErrorCode; message: string } | null {
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return { code: 'request/invalid', message: 'body is not valid JSON' };
  if (type === 'entity.too.large') return { code: 'request/too-large', message: 'body larger than 16 kB' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return { code: 'request/invalid', message: 'unsupported body encoding' };
  // Other client errors raised by express itself (malformed percent-encoding in a path, a corrupt gzip body).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return { code: 'request/too-large', message: 'request too large' };
    return { code: 'request/invalid', message: error instanceof URIError ? 'malformed percent-encoding in the path' : 'malformed request' };
  }
  return null;
}

export function healthAndMetrics(app: express.Application, deps: RestDeps): void {
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000), matchesRunning: deps.matches.runningCount });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
