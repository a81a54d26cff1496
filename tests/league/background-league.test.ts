/** ARENA_LEAGUE: the server plays a league in the background and the lobby feed shows its progress live. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeagueUpdate } from '../../client-sdk/src/protocol';
import { connectedClient, getJson, startServer, tempDataDir } from '../server/harness';

describe('background league (ARENA_LEAGUE)', () => {
  it('streams league:update events with leaderboards, and a restart does not replay a finished league', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-league-'));
    const scenario = join(dir, 'bg.yaml');
    writeFileSync(scenario, ['name: bg', 'game: { id: connect-four }', 'seed: 4', 'population:', '  - { name: ab2, agent: "alphabeta:depth=2" }', '  - { name: rnd, agent: random }', 'matchmaking: { strategy: round-robin }', 'budget: { matches: 120 }', 'ratings: { bootstrap: 50 }'].join('\n'));
    const data = tempDataDir();
    const server = await startServer({ dataDir: data, env: { ARENA_LEAGUE: scenario } });
    const client = await connectedClient(server.url);
    const updates: LeagueUpdate[] = [];
    const done = new Promise<void>((resolve) => {
      client.onLeagueUpdate((u) => {
        updates.push(u);
        if (u.played === u.total) resolve();
      });
    });
    await client.followFeed(() => undefined);
    await done;
    const last = updates[updates.length - 1]!;
    expect(last).toMatchObject({ league: 'bg', game: 'connect-four', played: 120, total: 120 });
    const board = last.leaderboard as { matches: number; rows: { name: string }[] };
    expect(board.rows[0]!.name).toBe('bg.ab2');
    expect(updates.some((u) => u.played < u.total && u.leaderboard !== undefined)).toBe(true);
    const rest = await getJson<{ leaderboard: { matches: number } }>(`${server.url}/api/leaderboards/connect-four?resamples=10`);
    expect(rest.body.leaderboard.matches).toBe(120);
    client.close();
    await server.stop();

    const again = await startServer({ dataDir: data, env: { ARENA_LEAGUE: scenario } });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const after = await getJson<{ matches: unknown[] }>(`${again.url}/api/matches?game=connect-four&limit=500`);
      expect(after.body.matches).toHaveLength(120);
    } finally {
      await again.stop();
    }
  });

  it('a bad scenario stops the server at start with one line', async () => {
    await expect(startServer({ env: { ARENA_LEAGUE: '/nonexistent/league.yaml' } })).rejects.toThrow(/arena: .*league\.yaml/);
  });
});
