import { RandomAgent } from '../../agents/random';
import type { ArenaClient } from '../../client-sdk/src/client';
import { loadGame } from '../../environments/registry';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { agentPolicy } from '../../agents/turn-view';
import { connectedClient, getJson, registerAgent, sleep, startServer, type RunningServer } from './harness';


describe('two SDK bots through the lobby', () => {
  let server: RunningServer;
  const clients: ArenaClient[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });

  it('play 100 Connect Four matches; every stored record replays exactly', async () => {
    const game = loadGame('connect-four');
    const [a, b] = await Promise.all([registerAgent(server.url, 'bot-a'), registerAgent(server.url, 'bot-b')]);
    const ca = await connectedClient(server.url, a.apiKey);
    const cb = await connectedClient(server.url, b.apiKey);
    clients.push(ca, cb);
    const [ra, rb] = await Promise.all([
      ca.play('connect-four', agentPolicy(game, new RandomAgent(1)), { matches: 100 }),
      cb.play('connect-four', agentPolicy(game, new RandomAgent(2)), { matches: 100 }),
    ]);
    expect(ra).toHaveLength(100);
    expect(rb.map((s) => s.matchId)).toEqual(ra.map((s) => s.matchId));
    expect(ra.every((s) => s.endReason === 'terminal')).toBe(true);
    for (const summary of ra) {
      const { status, body } = await getJson<{ match: { status: string }; record: unknown }>(`${server.url}/api/matches/${summary.matchId}`);
      expect(status).toBe(200);
      expect(body.match.status).toBe('finished');
      const record = parseMatchRecord(body.record);
      expect(replay(record).returns).toEqual(summary.returns);
      expect(record.seats.map((s) => s.name).sort()).toEqual(['bot-a', 'bot-b']);
    }
    // Live ratings: every match rated once, with its history.
    for (const name of ['bot-a', 'bot-b']) {
      const agent = await getJson<{ ratings: { game: string; matches: number; history: unknown[] }[] }>(`${server.url}/api/agents/${name}`);
      expect(agent.body.ratings).toEqual([expect.objectContaining({ game: 'connect-four', matches: 100 })]);
      expect(agent.body.ratings[0]!.history).toHaveLength(100);
    }
  });

  it('a queued client whose lobby connection drops is queued again when it reconnects', async () => {
    const [a, b] = await Promise.all([registerAgent(server.url, 'flaky-a'), registerAgent(server.url, 'steady-b')]);
    const ca = await connectedClient(server.url, a.apiKey);
    const cb = await connectedClient(server.url, b.apiKey);
    clients.push(ca, cb);
    const foundA = ca.queue('tic-tac-toe');
    await sleep(100);
    const reconnected = new Promise<void>((r) => ca.lobby.io.once('reconnect', () => r()));
    ca.lobby.io.engine.close(); // the transport dies; socket.io-client reconnects by itself
    await reconnected;
    await sleep(100);
    const foundB = cb.queue('tic-tac-toe');
    const [fa, fb] = await Promise.all([foundA, foundB]);
    expect(fa.matchId).toBe(fb.matchId);
    expect([fa.seat, fb.seat].sort()).toEqual([0, 1]);
  });
});

describe('shutdown notice', () => {
  it('connected lobby clients hear that the server is shutting down', async () => {
    const server = await startServer({ env: { ARENA_SHUTDOWN_GRACE_SECONDS: '0' } });
    const client = await connectedClient(server.url);
    const notice = new Promise((r) => client.onServerEvent(r));
    const exit = server.stop('SIGTERM');
    await expect(notice).resolves.toEqual({ type: 'shutdown', graceSeconds: 0 });
    expect(await exit).toBe(0);
    client.close();
  });
});
