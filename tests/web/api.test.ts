/**
 * What the web app needs from a real server process, through the SDK only (`ArenaApi` and `ArenaClient`): the
 * app served at `/` with client routes and without shadowing the API, person identities, hosted opponents,
 * challenges (hosted agents and online bots), live matches to watch, rated results and replays.
 */
import { ArenaApi, ArenaClient, ArenaClientError, type MatchConnection, type MatchFound, type MatchSummary, type Turn } from '../../client-sdk/src/index';
import { startServer, type RunningServer } from '../server/harness';

let server: RunningServer;
const clients: ArenaClient[] = [];

beforeAll(async () => {
  server = await startServer({ env: { ARENA_SHUTDOWN_GRACE_SECONDS: '1', ARENA_TICKET_SECONDS: '5' } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

function client(apiKey?: string): ArenaClient {
  const c = new ArenaClient({ url: server.url, ...(apiKey ? { apiKey } : {}) });
  clients.push(c);
  return c;
}

async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ArenaClientError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Plays the seat with the lowest legal action every turn until the end. */
async function playLowest(match: MatchConnection): Promise<MatchSummary> {
  match.onTurn((t: Turn) => match.act(t.step, t.legalActions[0]!));
  return match.ended;
}

describe('web app serving', () => {
  it('serves the built app at / and for client routes, never for API or asset paths', async () => {
    const root = await fetch(`${server.url}/`);
    const html = await root.text();
    expect(root.status).toBe(200);
    expect(html).toMatch(/<div id="app"><\/div>/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${server.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);

    for (const route of ['/play/some-match', '/replays/abc?x=1', '/leaderboard/connect-four', '/agents/house.random']) {
      const r = await fetch(`${server.url}${route}`);
      expect({ route, status: r.status, html: (await r.text()) === html }).toEqual({ route, status: 200, html: true });
    }
    const api404 = await fetch(`${server.url}/api/nothing-here`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('not-found');
    expect((await fetch(`${server.url}/assets/missing-0000.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/health`)).headers.get('content-type')).toMatch(/json/);
  });
});

describe('people and challenges through the SDK', () => {
  const api = (): ArenaApi => new ArenaApi({ url: server.url });

  it('registers a person, knows it by its key, and reserves house names', async () => {
    const reg = await api().register('alice-person', 'person');
    expect(reg.agent).toMatchObject({ name: 'alice-person', kind: 'person' });
    expect(reg.apiKey).toMatch(/^sa_/);
    const me = await new ArenaApi({ url: server.url, apiKey: reg.apiKey }).me();
    expect(me).toMatchObject({ id: reg.agent.id, name: 'alice-person', kind: 'person', online: false });
    expect(await refused(api().me())).toBe('auth/unauthorized');
    expect(await refused(new ArenaApi({ url: server.url, apiKey: 'sa_wrong' }).me())).toBe('auth/unauthorized');
    expect(await refused(api().register('house.fake', 'bot'))).toBe('request/invalid');
    expect(await refused(api().register('alice-person', 'person'))).toBe('request/conflict');
  });

  it('lists the hosted opponents each game can offer', async () => {
    const names = async (game: string): Promise<string[]> => (await api().opponents(game)).filter((o) => o.hosted).map((o) => o.name);
    expect(await names('connect-four')).toEqual(['house.random', 'house.alphabeta', 'house.mcts']);
    expect(await names('tic-tac-toe')).toEqual(['house.random', 'house.alphabeta', 'house.mcts']);
    // Search agents need perfect information: the poker games get the random house agent only.
    expect(await names('kuhn-poker')).toEqual(['house.random']);
    expect(await refused(api().opponents('chess'))).toBe('env/unknown-game');
  });

  it('plays a challenge against a house agent to the end; the result is rated, listed and replayable', async () => {
    const reg = await api().register('bob-person', 'person');
    const bob = client(reg.apiKey);
    const found = await bob.api.challenge({ game: 'tic-tac-toe', opponent: 'house.random', seat: 0, decisionMs: 20_000 });
    expect(found).toMatchObject({ seat: 0, game: 'tic-tac-toe', opponent: { name: 'house.random' } });
    const match = await bob.join(found);
    const summary = await playLowest(match);
    expect(summary.endReason).toBe('terminal');
    expect(summary.seats.map((s) => s.name)).toEqual(['bob-person', 'house.random']);
    expect(summary.returns[0]! + summary.returns[1]!).toBe(0);

    const listed = await api().matches({ agent: 'bob-person', status: 'finished' });
    expect(listed.map((m) => m.id)).toContain(found.matchId);
    const replay = await api().replay(found.matchId);
    expect(replay.frames.length).toBe(summary.steps);
    expect(replay.returns).toEqual(summary.returns);
    // Ratings are applied after the commit: both sides have one rated match with its history point.
    let profile = await api().agent('bob-person');
    for (let i = 0; i < 50 && profile.ratings.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      profile = await api().agent('bob-person');
    }
    expect(profile.ratings.map((r) => [r.game, r.matches, r.history.length])).toEqual([['tic-tac-toe', 1, 1]]);
    const board = await api().leaderboard('tic-tac-toe', { resamples: 50 });
    expect(board.rows.map((r) => r.name).sort()).toEqual(['bob-person', 'house.random']);
    for (const row of board.rows) expect(row.bt.lower).toBeLessThanOrEqual(row.bt.upper);
  });

  it('quick match picks a hosted agent; the match can be watched live and a resignation is recorded', async () => {
    const reg = await api().register('carol-person', 'person');
    const carol = client(reg.apiKey);
    const found = await carol.api.challenge({ game: 'connect-four', seat: 1 });
    expect(found.opponent.name).toMatch(/^house\./);
    const match = await carol.join(found);
    const firstTurn = await new Promise<Turn>((resolve) => match.onTurn(resolve));
    expect(firstTurn.seat).toBe(1);

    const live = await api().live('connect-four');
    const entry = live.find((m) => m.matchId === found.matchId);
    expect(entry).toMatchObject({ roomId: found.roomId, game: 'connect-four', watchers: 0 });
    const watcher = await client().spectate(found.roomId);
    expect(await waitFor(() => watcher.welcome?.seat)).toBeNull();
    expect(await refused(api().live('chess'))).toBe('env/unknown-game');

    match.resign();
    const summary = await match.ended;
    expect(summary).toMatchObject({ endReason: 'forfeit', forfeit: { seat: 1 } });
    expect((await watcher.ended).matchId).toBe(found.matchId);
    const replay = await api().replay(found.matchId);
    expect(replay.forfeit).toEqual({ seat: 1, reason: 'agent error: resigned' });
  });

  it('offers a challenge to an online bot through the lobby, and refuses what cannot be played', async () => {
    const botReg = await api().register('online-bot');
    const bot = client(botReg.apiKey);
    await bot.connect();
    bot.onMatchFound((f: MatchFound) => void bot.join(f).then(playLowest));
    const reg = await api().register('dave-person', 'person');
    const dave = client(reg.apiKey);
    const opponents = await api().opponents('kuhn-poker');
    expect(opponents.find((o) => o.name === 'online-bot')).toMatchObject({ hosted: false, online: true });
    const found = await dave.api.challenge({ game: 'kuhn-poker', opponent: 'online-bot', seat: 0 });
    const summary = await playLowest(await dave.join(found));
    expect(summary.seats.map((s) => s.name)).toEqual(['dave-person', 'online-bot']);

    bot.close();
    await waitFor(async () => ((await api().opponents('kuhn-poker')).some((o) => o.name === 'online-bot') ? undefined : true));
    expect(await refused(dave.api.challenge({ game: 'kuhn-poker', opponent: 'online-bot' }))).toBe('agent/offline');
    expect(await refused(dave.api.challenge({ game: 'kuhn-poker', opponent: 'nobody-here' }))).toBe('agent/not-found');
    expect(await refused(dave.api.challenge({ game: 'kuhn-poker', opponent: 'dave-person' }))).toBe('request/invalid');
    expect(await refused(dave.api.challenge({ game: 'chess' }))).toBe('env/unknown-game');
    expect(await refused(dave.api.challenge({ game: 'kuhn-poker', decisionMs: 10 }))).toBe('request/invalid');
    expect(await refused(api().challenge({ game: 'kuhn-poker' }))).toBe('auth/unauthorized');

    // Seats taken by nobody still hold rooms until their reservations expire: at most 3 running per agent.
    for (let i = 0; i < 3; i++) await dave.api.challenge({ game: 'kuhn-poker', opponent: 'house.random' });
    expect(await refused(dave.api.challenge({ game: 'kuhn-poker', opponent: 'house.random' }))).toBe('rate/limited');
  });
});

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
