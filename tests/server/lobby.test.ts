import { RandomAgent } from '../../agents/random';
import type { ArenaClient } from '../../client-sdk/src/client';
import { loadGame } from '../../environments/registry';
import { parseMatchRecord } from '../../engine/record';
import { replay } from '../../engine/replay';
import { agentPolicy } from '../../cli/turn-view';
import { connectedClient, getJson, registerAgent, startServer, type RunningServer } from './harness';

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
  });
});
