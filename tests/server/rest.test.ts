/**
 * The REST API of a real server process (dist/server/main.js on an ephemeral loopback port): agents and their
 * API keys, games, match listings and records, replays, request limits, admin-created (private) matches, health,
 * metrics and rate limiting.
 */
import { RandomAgent } from '../../agents/random';
import type { ArenaClient } from '../../client-sdk/src/client';
import type { MatchFound, MatchSummary, WireError } from '../../client-sdk/src/protocol';
import { agentPolicy } from '../../agents/turn-view';
import { parseMatchRecord, type MatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { gameIds, loadGame } from '../../environments/registry';
import { connectedClient, getJson, registerAgent, startServer, type RegisteredAgent, type RunningServer } from './harness';

const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly contentType: string;
  readonly body: T;
}

type ErrorBody = { error: WireError };

async function request<T = Record<string, unknown>>(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: the caller asserts on the content type */
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: body as T };
}

const postJson = <T = Record<string, unknown>>(url: string, value: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> =>
  request<T>(url, { method: 'POST', body: JSON.stringify(value), headers });

function expectError(reply: Reply<unknown>, status: number, code: string): WireError {
  expect({ status: reply.status, code: (reply.body as ErrorBody | null)?.error?.code }).toEqual({ status, code });
  expect(reply.contentType).toMatch(/^application\/json/);
  const error = (reply.body as ErrorBody).error;
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

/** Sum of a Prometheus counter's samples whose labels include all of `labels`. */
function counterSum(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[a-z_]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const have = new Map([...(m[1] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[2]);
  }
  return sum;
}

interface MatchRowJson {
  id: string;
  game: string;
  status: string;
  seats: { name: string; agentId?: string }[];
  seed: number;
  returns: number[] | null;
  endReason: string | null;
}

describe('REST API of a running arena', () => {
  let server: RunningServer;
  /** Everything the server process wrote, including lines that are not pino JSON. */
  let rawOutput = '';
  const clients: ArenaClient[] = [];
  const keys: string[] = [];
  let botA: RegisteredAgent;
  let botB: RegisteredAgent;
  /** Tic-tac-toe matches the lobby bots played (newest last). */
  let played: MatchSummary[] = [];
  let privateMatchId = '';

  const api = (path: string): string => `${server.url}/api${path}`;
  const register = async (name: string): Promise<RegisteredAgent> => {
    const agent = await registerAgent(server.url, name);
    keys.push(agent.apiKey);
    return agent;
  };

  beforeAll(async () => {
    server = await startServer({ env: { ARENA_ADMIN_TOKEN: ADMIN_TOKEN } });
    server.proc.stdout!.on('data', (d: Buffer) => (rawOutput += d.toString()));
    server.proc.stderr!.on('data', (d: Buffer) => (rawOutput += d.toString()));
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  describe('agents', () => {
    it('registers an agent: 201, a one-time sa_ key of at least 128 bits', async () => {
      const r = await postJson<{ agent: { id: string; name: string; kind: string; createdAt: string }; apiKey: string; note: string }>(api('/agents'), { name: 'rest-alpha' });
      expect(r.status).toBe(201);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.body.agent).toEqual({ id: expect.any(String), name: 'rest-alpha', kind: 'bot', createdAt: expect.any(String) });
      const key = r.body.apiKey;
      keys.push(key);
      expect(key.startsWith('sa_')).toBe(true);
      const secret = key.slice(3);
      expect(secret).toMatch(/^[A-Za-z0-9_-]+$/); // base64url: 6 bits a character
      expect(secret.length * 6).toBeGreaterThanOrEqual(128);

      const other = await postJson<{ apiKey: string }>(api('/agents'), { name: 'rest-beta', kind: 'learner' });
      expect(other.status).toBe(201);
      keys.push(other.body.apiKey);
      expect(other.body.apiKey).not.toBe(key);
    });

    it('never returns the key (or its hash) again from GET /api/agents or /api/agents/:id', async () => {
      const list = await getJson<{ agents: { id: string; name: string; online: boolean }[] }>(api('/agents'));
      expect(list.status).toBe(200);
      const alpha = list.body.agents.find((a) => a.name === 'rest-alpha');
      expect(alpha).toEqual({ id: expect.any(String), name: 'rest-alpha', kind: 'bot', createdAt: expect.any(String), online: false });
      const byId = await getJson(api(`/agents/${alpha!.id}`));
      const byName = await getJson(api('/agents/rest-alpha'));
      expect(byId.status).toBe(200);
      expect(byName.body).toEqual(byId.body);
      expect(byId.body).toEqual({ agent: { ...alpha, online: false }, ratings: [], recentMatches: [] });
      for (const text of [JSON.stringify(list.body), JSON.stringify(byId.body)]) {
        for (const key of keys) expect(text).not.toContain(key);
        expect(text).not.toMatch(/keyHash|key_hash|apiKey/);
        expect(text).not.toMatch(/[0-9a-f]{64}/); // no sha256 of a key
      }
      expectError(await request(api('/agents/nobody-here')), 404, 'agent/not-found');
    });

    it('refuses a duplicate name with 409 request/conflict', async () => {
      // StoreError('conflict') maps to request/conflict, 409 (server/errors.ts).
      const r = await postJson(api('/agents'), { name: 'rest-alpha' });
      const error = expectError(r, 409, 'request/conflict');
      expect(error.message).toContain('rest-alpha');
      expect(JSON.stringify(r.body)).not.toMatch(/sa_/);
    });

    it('refuses invalid names and bodies with 400 naming the field', async () => {
      for (const name of ['', 'has space', 'x'.repeat(65), 'semi;colon', 'ünïcode']) {
        const error = expectError(await postJson(api('/agents'), { name }), 400, 'request/invalid');
        expect(error.message).toMatch(/^name: /);
      }
      expect(expectError(await postJson(api('/agents'), { name: 42 }), 400, 'request/invalid').message).toMatch(/^name: /);
      expect(expectError(await postJson(api('/agents'), {}), 400, 'request/invalid').message).toMatch(/^name: /);
      expect(expectError(await postJson(api('/agents'), { name: 'ok-name', kind: 'robot' }), 400, 'request/invalid').message).toMatch(/^kind: /);
      expect(expectError(await postJson(api('/agents'), { name: 'ok-name', admin: true }), 400, 'request/invalid').message).toMatch(/admin/);
      expect((await getJson<{ agents: { name: string }[] }>(api('/agents'))).body.agents.map((a) => a.name)).not.toContain('ok-name');
    });
  });

  describe('games', () => {
    it('lists the registered games with their ids', async () => {
      const r = await getJson<{ games: { id: string; numPlayers: number; version: number }[] }>(api('/games'));
      expect(r.status).toBe(200);
      expect(r.body.games).toHaveLength(gameIds().length);
      expect(r.body.games.map((g) => g.id)).toEqual(gameIds());
      expect(r.body.games.map((g) => g.id)).toEqual(expect.arrayContaining(['tic-tac-toe', 'connect-four', 'kuhn-poker', 'leduc-poker']));
      for (const g of r.body.games) {
        expect(g.numPlayers).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(g.version)).toBe(true);
      }
    });

    it('describes one game, 404 env/unknown-game for an unknown one', async () => {
      const r = await getJson<{ game: { id: string; numPlayers: number } }>(api('/games/tic-tac-toe'));
      expect(r.status).toBe(200);
      expect(r.body.game).toMatchObject({ id: 'tic-tac-toe', numPlayers: 2 });
      expectError(await request(api('/games/nope')), 404, 'env/unknown-game');
    });
  });

  describe('matches', () => {
    it('404 match/not-found for an unknown match and its replay', async () => {
      expectError(await request(api('/matches/00000000-0000-4000-8000-000000000000')), 404, 'match/not-found');
      expectError(await request(api('/matches/nope/replay')), 404, 'match/not-found');
    });

    it('two SDK bots play tic-tac-toe through the lobby', async () => {
      const game = loadGame('tic-tac-toe');
      botA = await register('ttt-a');
      botB = await register('ttt-b');
      const ca = await connectedClient(server.url, botA.apiKey);
      const cb = await connectedClient(server.url, botB.apiKey);
      clients.push(ca, cb);
      const [ra, rb] = await Promise.all([
        ca.play('tic-tac-toe', agentPolicy(game, new RandomAgent(11)), { matches: 4 }),
        cb.play('tic-tac-toe', agentPolicy(game, new RandomAgent(12)), { matches: 4 }),
      ]);
      expect(rb.map((s) => s.matchId)).toEqual(ra.map((s) => s.matchId));
      expect(ra.every((s) => s.endReason === 'terminal')).toBe(true);
      played = ra;
    });

    it('filters GET /api/matches by game, agent (name or id), status and limit', async () => {
      const list = async (query: string): Promise<MatchRowJson[]> => {
        const r = await getJson<{ matches: MatchRowJson[] }>(api(`/matches${query}`));
        expect(r.status).toBe(200);
        return r.body.matches;
      };
      const ids = played.map((s) => s.matchId).sort();
      const all = await list('');
      expect(all.map((m) => m.id).sort()).toEqual(ids);
      expect((await list('?game=tic-tac-toe')).map((m) => m.id).sort()).toEqual(ids);
      expect(await list('?game=connect-four')).toEqual([]);
      expect((await list('?agent=ttt-a')).map((m) => m.id).sort()).toEqual(ids);
      expect((await list(`?agent=${botB.id}`)).map((m) => m.id).sort()).toEqual(ids);
      expect(await list('?agent=rest-alpha')).toEqual([]);
      expect((await list('?status=finished')).map((m) => m.id).sort()).toEqual(ids);
      expect(await list('?status=running')).toEqual([]);
      expect(await list('?status=aborted')).toEqual([]);
      const two = await list('?limit=2&game=tic-tac-toe&agent=ttt-a&status=finished');
      expect(two).toHaveLength(2);
      expect(two).toEqual(all.slice(0, 2)); // newest first
      const rest = await list(`?before=${two[1]!.id}`);
      expect(rest).toEqual(all.slice(2));
      for (const m of all) {
        expect(m).toMatchObject({ game: 'tic-tac-toe', status: 'finished', endReason: 'terminal' });
        expect(m.seats.map((s) => s.agentId).sort()).toEqual([botA.id, botB.id].sort());
      }

      expectError(await request(api('/matches?agent=nobody-here')), 404, 'agent/not-found');
      expectError(await request(api('/matches?status=paused')), 400, 'request/invalid');
      expectError(await request(api('/matches?limit=0')), 400, 'request/invalid');
      expectError(await request(api('/matches?limit=lots')), 400, 'request/invalid');
      expectError(await request(api('/matches?sort=asc')), 400, 'request/invalid');
    });

    it('GET /api/matches/:id returns a record that replays; /replay frames match it step for step', async () => {
      expect(played.length).toBeGreaterThan(0);
      const game = loadGame('tic-tac-toe');
      for (const summary of played) {
        const r = await getJson<{ match: MatchRowJson; record: unknown }>(api(`/matches/${summary.matchId}`));
        expect(r.status).toBe(200);
        expect(r.body.match).toMatchObject({ id: summary.matchId, status: 'finished', returns: summary.returns, endReason: 'terminal' });
        const record = parseMatchRecord(r.body.record);
        expect(record.id).toBe(summary.matchId);
        expect(record.steps).toBe(summary.steps);
        const result = replay(record);
        expect(result.returns).toEqual(summary.returns);
        expect(game.isTerminal(result.finalState)).toBe(true);

        const rp = await getJson<{ matchId: string; frames: { step: number; actions: { seat: number; action: unknown }[]; render: unknown }[]; initial: unknown; returns: number[]; endReason: string; seats: unknown }>(
          api(`/matches/${summary.matchId}/replay`),
        );
        expect(rp.status).toBe(200);
        expect(rp.body.matchId).toBe(summary.matchId);
        expect(rp.body.frames).toHaveLength(record.steps);
        expect(rp.body.frames.map((f) => f.step)).toEqual([...Array(record.steps).keys()]);
        expect(rp.body.frames.map((f) => f.actions)).toEqual(record.actions.map((a) => [{ seat: a.seat, action: a.action }]));
        expect(rp.body.initial).toEqual(game.render(game.init(record.seed), null));
        expect(rp.body.returns).toEqual(record.returns);
        expect(rp.body.endReason).toBe('terminal');
        const last = rp.body.frames[rp.body.frames.length - 1]!.render as { board: number[][]; toMove: number | null; winner: number | null };
        expect(last).toEqual(game.render(result.finalState, null));
        // The final board: one mark per recorded move, nobody left to move, winner as the returns say.
        expect(last.board.flat().filter((c) => c !== -1)).toHaveLength(record.steps);
        expect(last.toMove).toBeNull();
        const winner = record.returns[0]! > record.returns[1]! ? 0 : record.returns[1]! > record.returns[0]! ? 1 : null;
        expect(last.winner).toBe(winner);
      }
    });
  });

  describe('request errors', () => {
    it('malformed JSON → 400 request/invalid', async () => {
      expectError(await request(api('/agents'), { method: 'POST', body: '{"name": "x"' }), 400, 'request/invalid');
      expectError(await request(api('/agents'), { method: 'POST', body: 'not json at all' }), 400, 'request/invalid');
    });

    it('a body over 16 kB → 413 request/too-large', async () => {
      const big = JSON.stringify({ name: 'big', pad: 'x'.repeat(17 * 1024) });
      expectError(await request(api('/agents'), { method: 'POST', body: big }), 413, 'request/too-large');
      expectError(await request(api('/matches'), { method: 'POST', body: big, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }), 413, 'request/too-large');
    });

    it('an unknown /api route → 404 not-found JSON', async () => {
      expectError(await request(api('/nope')), 404, 'not-found');
      expectError(await request(api('/agents/x/y/z')), 404, 'not-found');
      expectError(await postJson(api('/games'), {}), 404, 'not-found');
      expectError(await request(api('/matches/x'), { method: 'DELETE' }), 404, 'not-found');
    });
  });

  describe('private matches (POST /api/matches)', () => {
    it('needs the admin token: 401 without it or with a wrong one', async () => {
      const body = { game: 'tic-tac-toe', agents: ['ttt-a', 'ttt-b'] };
      expectError(await postJson(api('/matches'), body), 401, 'auth/unauthorized');
      expectError(await postJson(api('/matches'), body, { authorization: 'Bearer wrong-token-wrong-token-wrong-tok' }), 401, 'auth/unauthorized');
      expectError(await postJson(api('/matches'), body, { authorization: ADMIN_TOKEN }), 401, 'auth/unauthorized'); // no "Bearer "
      expectError(await postJson(api('/matches'), body, { authorization: `Bearer ${ADMIN_TOKEN}x` }), 401, 'auth/unauthorized');
    });

    it('409 agent/offline for an agent without a lobby connection, 404 for an unknown agent, 400 for a bad body', async () => {
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      await register('offline-bot');
      expectError(await postJson(api('/matches'), { game: 'tic-tac-toe', agents: ['ttt-a', 'offline-bot'] }, auth), 409, 'agent/offline');
      expectError(await postJson(api('/matches'), { game: 'tic-tac-toe', agents: ['ttt-a', 'nobody-here'] }, auth), 404, 'agent/not-found');
      expectError(await postJson(api('/matches'), { game: 'tic-tac-toe' }, auth), 400, 'request/invalid');
      expectError(await postJson(api('/matches'), { game: 'nope', agents: ['ttt-a', 'ttt-b'] }, auth), 404, 'env/unknown-game');
      const before = (await getJson<{ matches: unknown[] }>(api('/matches'))).body.matches.length;
      expect(before).toBe(played.length); // refusals created nothing
    });

    it('201 with two connected SDK clients; the match is played to the end and stored', async () => {
      const game = loadGame('tic-tac-toe');
      const c = await register('priv-c');
      const d = await register('priv-d');
      const cc = await connectedClient(server.url, c.apiKey);
      const cd = await connectedClient(server.url, d.apiKey);
      clients.push(cc, cd);
      const play = (client: ArenaClient, seed: number): Promise<MatchSummary> =>
        new Promise<MatchSummary>((resolve, reject) => {
          const off = client.onMatchFound((found: MatchFound) => {
            off();
            const policy = agentPolicy(game, new RandomAgent(seed));
            client
              .join(found)
              .then((match) => {
                match.onTurn((turn) => void policy(turn).then((a) => match.act(turn.step, a)));
                return match.ended.then((s) => {
                  match.leave();
                  resolve(s);
                });
              })
              .catch(reject);
          });
        });
      const ended = Promise.all([play(cc, 21), play(cd, 22)]);
      const r = await postJson<{ matchId: string; roomId: string; expiresAt: number }>(api('/matches'), { game: 'tic-tac-toe', agents: ['priv-c', d.id], seed: 7 }, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ matchId: expect.any(String), roomId: expect.any(String), expiresAt: expect.any(Number) });
      expect(JSON.stringify(r.body)).not.toMatch(/ticket/i);
      const [sc, sd] = await ended;
      expect(sc.matchId).toBe(r.body.matchId);
      expect(sd).toEqual(sc);
      expect(sc.endReason).toBe('terminal');
      privateMatchId = r.body.matchId;

      const stored = await getJson<{ match: MatchRowJson; record: unknown }>(api(`/matches/${privateMatchId}`));
      expect(stored.status).toBe(200);
      expect(stored.body.match).toMatchObject({ status: 'finished', game: 'tic-tac-toe', seed: 7, returns: sc.returns });
      const record: MatchRecord = parseMatchRecord(stored.body.record);
      expect(record.seed).toBe(7);
      expect(record.seats).toEqual([
        { name: 'priv-c', agentId: c.id },
        { name: 'priv-d', agentId: d.id },
      ]);
      expect(replay(record).returns).toEqual(sc.returns);
      const mine = await getJson<{ recentMatches: { id: string }[] }>(api('/agents/priv-c'));
      expect(mine.body.recentMatches.map((m) => m.id)).toEqual([privateMatchId]);
    });

    it('403 auth/forbidden when admin endpoints are disabled (no ARENA_ADMIN_TOKEN)', async () => {
      const plain = await startServer();
      try {
        const body = { game: 'tic-tac-toe', agents: ['a', 'b'] };
        expectError(await postJson(`${plain.url}/api/matches`, body, { authorization: `Bearer ${ADMIN_TOKEN}` }), 403, 'auth/forbidden');
        expectError(await postJson(`${plain.url}/api/matches`, body), 403, 'auth/forbidden');
      } finally {
        expect(await plain.stop()).toBe(0);
      }
    });
  });

  describe('health and metrics', () => {
    it('/health answers {status: "ok"}', async () => {
      const r = await getJson<{ status: string; matchesRunning: number; uptimeSeconds: number }>(`${server.url}/health`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', matchesRunning: 0 });
    });

    it('/metrics is Prometheus text counting the finished matches per game', async () => {
      const r = await request<string>(`${server.url}/metrics`);
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/^text\/plain/);
      const text = r.body;
      expect(text).toContain('# TYPE arena_matches_finished_total counter');
      const ttt = played.length + 1; // the lobby matches and the private one
      expect(counterSum(text, 'arena_matches_finished_total', { game: 'tic-tac-toe' })).toBe(ttt);
      expect(counterSum(text, 'arena_matches_finished_total', { game: 'tic-tac-toe', end_reason: 'terminal' })).toBe(ttt);
      expect(counterSum(text, 'arena_matches_finished_total', { game: 'connect-four' })).toBe(0);
      expect(text).toMatch(/^arena_matches_running 0$/m);
      expect(counterSum(text, 'arena_http_requests_total', { method: 'GET', status: '200' })).toBeGreaterThan(0);
    });

    // Regression: metrics.matchesStarted used to be created but never incremented (stuck at 0); MatchService now
    // reports every created match (onCreated in server/app.ts).
    it('arena_matches_started_total counts the created matches', async () => {
      const text = (await request<string>(`${server.url}/metrics`)).body;
      expect(counterSum(text, 'arena_matches_started_total', { game: 'tic-tac-toe' })).toBe(played.length + 1);
    });
  });

  describe('secrets', () => {
    it('no API key and no admin token ever appears in the server output', () => {
      expect(keys.length).toBeGreaterThanOrEqual(7);
      const logs = JSON.stringify(server.logs);
      expect(server.logs.some((l) => l.msg === 'agent registered')).toBe(true);
      for (const key of keys) {
        expect(logs).not.toContain(key);
        expect(rawOutput).not.toContain(key);
      }
      expect(rawOutput).not.toContain(ADMIN_TOKEN);
    });
  });

  // Last: it empties this address's token bucket.
  describe('rate limiting', () => {
    it('a flood of > 500 requests gets 429 rate/limited; the server keeps answering', async () => {
      const total = 1500;
      const workers = 32;
      let next = 0;
      const statuses = new Map<number, number>();
      const limitedBodies: unknown[] = [];
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < total) {
            next++;
            const r = await request(api('/agents/rest-alpha'));
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status === 429 && limitedBodies.length < 20) limitedBodies.push({ body: r.body, contentType: r.contentType });
          }
        }),
      );
      expect([...statuses.keys()].sort()).toEqual([200, 429]);
      expect(statuses.get(429)).toBeGreaterThan(0);
      expect(statuses.get(200)! + statuses.get(429)!).toBe(total);
      for (const l of limitedBodies) {
        expect(l).toEqual({ body: { error: { code: 'rate/limited', message: expect.any(String) } }, contentType: expect.stringMatching(/^application\/json/) });
      }
      const health = await getJson<{ status: string }>(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
      // The bucket refills: a second later the API answers again.
      await new Promise((r) => setTimeout(r, 1000));
      expect((await getJson(api('/games'))).status).toBe(200);
    });
  });
});
