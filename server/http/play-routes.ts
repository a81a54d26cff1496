/**
 * REST routes for people (and any agent) who want a game now: who am I (`GET /me`), who can I play
 * (`GET /opponents/:game`), start a match against a named or closest-rated agent (`POST /challenges`), and which
 * matches can be watched (`GET /live`). Mounted inside the REST router, so rate limits, JSON parsing and error
 * mapping are the router's.
 */
import { randomInt } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AgentInfo, Challenge, LiveMatch, Opponent } from '../../client-sdk/src/api-types';
import { findGameModule, loadGame } from '../../environments/registry';
import { hashApiKey } from '../../population/store/api-keys';
import type { AgentRow, ArenaStore } from '../../population/store/store';
import { fail } from '../errors';
import type { HostedAgent, HousePlayers } from '../house-players';
import type { Lobby } from '../lobby';
import { offerFor, type MatchService } from '../matches/service';

export interface PlayRouteDeps {
  readonly store: ArenaStore;
  readonly matches: MatchService;
  readonly lobby: Lobby;
  readonly house: HousePlayers;
}

const ChallengeBody = z
  .object({
    game: z.string().min(1).max(64),
    opponent: z.string().min(1).max(64).optional(),
    seat: z.number().int().min(0).max(1).optional(),
    params: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean(), z.null()])).optional(),
    decisionMs: z.number().int().min(1000).max(600_000).optional(),
  })
  .strict();

/** Matches one agent may have running at once before a new challenge is refused. */
const MAX_RUNNING_CHALLENGES = 3;

type Parse = <S extends z.ZodType>(schema: S, value: unknown, where: string) => z.infer<S>;

export function playRoutes(api: Router, deps: PlayRouteDeps, parse: Parse): void {
  const { store } = deps;

  /** The agent of the request's `Authorization: Bearer <API key>`. */
  const caller = (req: Request): AgentRow => {
    const header = req.get('authorization') ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7) : '';
    const agent = key.length > 0 && key.length <= 256 ? store.agentByKeyHash(hashApiKey(key)) : undefined;
    if (!agent) throw fail('auth/unauthorized', 'this needs your API key (Authorization: Bearer sa_...)');
    return agent;
  };
  const ordinal = (game: string, agentId: string): number | null => {
    const r = store.getRating(game, agentId);
    return r ? r.mu - 3 * r.sigma : null;
  };

  api.get('/me', (req, res) => {
    const agent = caller(req);
    res.json({ agent: { ...agent, online: deps.lobby.isOnline(agent.id) } satisfies AgentInfo });
  });

  api.get('/opponents/:game', (req, res) => {
    const game = loadGame(String(req.params.game));
    const hosted = deps.house.hosted(game);
    const hostedIds = new Set(hosted.map((h) => h.agent.id));
    const online = store.listAgents().filter((a) => !hostedIds.has(a.id) && deps.lobby.isOnline(a.id));
    const describe = (agent: AgentRow, h: HostedAgent | undefined): Opponent => {
      const r = store.getRating(game.spec.id, agent.id);
      return {
        agentId: agent.id,
        name: agent.name,
        kind: agent.kind,
        hosted: h !== undefined,
        online: deps.lobby.isOnline(agent.id),
        ...(h ? { spec: h.spec } : {}),
        rating: r ? { mu: r.mu, sigma: r.sigma, ordinal: r.mu - 3 * r.sigma, elo: r.elo, matches: r.matches } : null,
      };
    };
    res.json({ opponents: [...hosted.map((h) => describe(h.agent, h)), ...online.map((a) => describe(a, undefined))] });
  });

  api.post('/challenges', async (req, res) => {
    const me = caller(req);
    const body = parse(ChallengeBody, req.body, 'body');
    // Each challenge holds a room and, for hosted opponents, a house connection until it ends or its seats expire.
    if (store.listMatches({ agentId: me.id, status: 'running', limit: MAX_RUNNING_CHALLENGES }).length >= MAX_RUNNING_CHALLENGES) {
      throw fail('rate/limited', `you already have ${MAX_RUNNING_CHALLENGES} matches running: finish or resign one first`);
    }
    const game = loadGame(body.game, body.params ?? {});
    if (game.numPlayers !== 2) throw fail('request/invalid', `${game.spec.id} has ${game.numPlayers} seats: challenges are for two-player games (queue for the others)`);
    const hosted = deps.house.hosted(game);
    let opponent: AgentRow;
    let host: HostedAgent | undefined;
    if (body.opponent !== undefined) {
      const found = store.getAgent(body.opponent) ?? store.agentByName(body.opponent);
      if (!found) throw fail('agent/not-found', `no agent ${JSON.stringify(body.opponent)}`);
      if (found.id === me.id) throw fail('request/invalid', 'you cannot challenge yourself');
      host = hosted.find((h) => h.agent.id === found.id);
      if (!host && !deps.lobby.isOnline(found.id)) throw fail('agent/offline', `${found.name} is not online and this server does not play it`);
      opponent = found;
    } else {
      // Quick match: the hosted agent whose rating is closest to yours (unrated counts as 0), house agents first on ties.
      const mine = ordinal(game.spec.id, me.id) ?? 0;
      const gap = (h: HostedAgent): number => Math.abs((ordinal(game.spec.id, h.agent.id) ?? 0) - mine);
      host = hosted.filter((h) => h.agent.id !== me.id).reduce<HostedAgent | undefined>((best, h) => (best === undefined || gap(h) < gap(best) ? h : best), undefined);
      if (!host) throw fail('agent/unsupported-game', `no agent on this server plays ${game.spec.id}`);
      opponent = host.agent;
    }
    const playHouseSeat = host ? deps.house.prepare(host, game) : null;
    const seat = body.seat ?? randomInt(0, 2);
    const agents = seat === 0 ? [me, opponent] : [opponent, me];
    const created = await deps.matches.create({
      game: game.spec.id,
      params: game.params,
      seats: agents.map((a) => ({ name: a.name, agentId: a.id })),
      ...(body.decisionMs !== undefined ? { rules: { decisionMs: body.decisionMs } } : {}),
    });
    if (playHouseSeat) playHouseSeat(offerFor(created, 1 - seat));
    else deps.lobby.offer(opponent.id, offerFor(created, 1 - seat));
    const challenge: Challenge = { ...offerFor(created, seat), opponent: { agentId: opponent.id, name: opponent.name } };
    res.status(201).json({ challenge });
  });

  api.get('/live', (req, res) => {
    const q = parse(z.object({ game: z.string().max(64).optional() }).strict(), req.query, 'query');
    if (q.game !== undefined && !findGameModule(q.game)) throw fail('env/unknown-game', `unknown game ${JSON.stringify(q.game)}`);
    const matches: LiveMatch[] = [];
    for (const session of deps.matches.live()) {
      const { matchId, game, seats } = session.setup;
      if (session.finished || (q.game !== undefined && game.spec.id !== q.game)) continue;
      matches.push({ matchId, roomId: session.roomId, game: game.spec.id, seats: seats.map((s) => ({ name: s.name, ...(s.agentId ? { agentId: s.agentId } : {}) })), createdAt: session.createdAt, watchers: session.watchers });
      if (matches.length >= LIVE_LIMIT) break;
    }
    res.json({ matches });
  });

  // Watching a lobby match needs a room; it is opened on the first request (no auth: spectators see the public view).
  api.post('/live/:matchId/watch', async (req, res) => {
    const { matchId } = parse(z.object({ matchId: z.string().min(1).max(64) }).strict(), req.params, 'path');
    res.json({ roomId: await deps.matches.roomFor(matchId) });
  });
}

/** The live list shows the newest matches first, at most this many (a busy server runs hundreds at once). */
const LIVE_LIMIT = 200;
