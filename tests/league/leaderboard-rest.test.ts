/** A league run into a server's store shows up in the REST leaderboard and in each agent's rating history. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, startServer } from '../server/harness';

const BIN = join(__dirname, '..', '..', 'bin', 'arena.js');

describe('GET /api/leaderboards/:game and /api/agents/:id after a league', () => {
  it('serves the bootstrap leaderboard and rating histories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'league-rest-'));
    const data = join(dir, 'data');
    const scenario = join(dir, 'kuhn.yaml');
    writeFileSync(scenario, ['name: kuhn-board', 'game: { id: kuhn-poker }', 'seed: 2', 'population:', '  - { name: uniform, agent: random }', '  - { name: passive, agent: first-legal }', 'matchmaking: { strategy: round-robin }', 'budget: { matches: 200 }', 'ratings: { bootstrap: 100 }'].join('\n'));
    const run = spawnSync(process.execPath, [BIN, 'league', '--scenario', scenario, '--data', data, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const server = await startServer({ dataDir: data });
    try {
      const { status, body } = await getJson<{ leaderboard: { matches: number; resamples: number; rows: { name: string; agentId: string; matches: number; bt: { lower: number; rating: number; upper: number } }[] } }>(`${server.url}/api/leaderboards/kuhn-poker?resamples=100`);
      expect(status).toBe(200);
      expect(body.leaderboard.matches).toBe(200);
      expect(body.leaderboard.resamples).toBe(100);
      expect(body.leaderboard.rows.map((r) => r.name).sort()).toEqual(['kuhn-board.passive', 'kuhn-board.uniform']);
      for (const r of body.leaderboard.rows) {
        expect(r.matches).toBe(200);
        expect(r.bt.lower).toBeLessThanOrEqual(r.bt.rating);
        expect(r.bt.rating).toBeLessThanOrEqual(r.bt.upper);
      }
      const agent = await getJson<{ ratings: { game: string; matches: number; history: unknown[] }[] }>(`${server.url}/api/agents/kuhn-board.uniform`);
      expect(agent.body.ratings).toHaveLength(1);
      expect(agent.body.ratings[0]).toMatchObject({ game: 'kuhn-poker', matches: 200 });
      expect(agent.body.ratings[0]!.history).toHaveLength(200);
      // More matches committed by another process after that request: the leaderboard follows the feed.
      writeFileSync(scenario, readFileSync(scenario, 'utf8').replace('budget: { matches: 200 }', 'budget: { matches: 260 }'));
      const more = spawnSync(process.execPath, [BIN, 'league', '--scenario', scenario, '--data', data, '--json'], { encoding: 'utf8', timeout: 60_000 });
      expect(more.status).toBe(0);
      const later = await getJson<{ leaderboard: { matches: number } }>(`${server.url}/api/leaderboards/kuhn-poker?resamples=100`);
      expect(later.body.leaderboard.matches).toBe(260);
      expect((await getJson(`${server.url}/api/leaderboards/chess`)).status).toBe(404);
      expect((await getJson(`${server.url}/api/leaderboards/kuhn-poker?resamples=99999`)).status).toBe(400);
    } finally {
      await server.stop();
    }
  });
});
