/**
 * A league survives kill -9 of its runner: the restarted runner continues from the store, every committed match
 * counts once (in the feed and in the ratings), and the league ends with exactly its budget of matches.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../population/store/sqlite-store';
import { feedLength } from '../helpers/feed';
import { replay } from '../../engine/replay';

const BIN = join(__dirname, '..', '..', 'bin', 'arena.js');
const BUDGET = 4000;

function scenarioFile(dir: string): string {
  const file = join(dir, 'crash.yaml');
  writeFileSync(
    file,
    [
      'name: crash-league',
      'game: { id: tic-tac-toe }',
      'seed: 3',
      'population:',
      '  - { name: random-a, agent: random }',
      '  - { name: random-b, agent: random }',
      '  - { name: first, agent: first-legal }',
      'matchmaking: { strategy: fictitious }',
      `budget: { matches: ${BUDGET} }`,
      'ratings: { bootstrap: 50 }',
      'workers: 2',
    ].join('\n'),
  );
  return file;
}

function committed(dataDir: string): number {
  const store = SqliteStore.open(join(dataDir, 'arena.db'));
  try {
    return feedLength(store);
  } finally {
    store.close();
  }
}

describe('league runner crash safety (needs `npm run build`)', () => {
  it('kill -9 mid-league, restart: exactly the budget, each match counted once in feed and ratings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'league-crash-'));
    const scenario = scenarioFile(dir);
    const data = join(dir, 'data');
    const child = spawn(process.execPath, [BIN, 'league', '--scenario', scenario, '--data', data], { stdio: 'ignore' });
    // Let it commit a good part of the league, then kill it hard.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (committed(data) >= BUDGET / 4) break;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = committed(data);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(BUDGET);

    const rerun = spawnSync(process.execPath, [BIN, 'league', '--scenario', scenario, '--data', data, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(rerun.status).toBe(0);
    const out = JSON.parse(rerun.stdout) as { played: number; leaderboard: { rows: { agentId: string; matches: number }[] } };
    expect(out.played).toBe(BUDGET);

    const store = SqliteStore.open(join(data, 'arena.db'));
    const ids = new Set<string>();
    const perAgent = new Map<string, number>();
    for (let after = 0; ; ) {
      const page = store.feedAfter(after, 500);
      if (page.length === 0) break;
      for (const { seq, record } of page) {
        after = seq;
        expect(ids.has(record.id)).toBe(false);
        ids.add(record.id);
        const [a, b] = [record.seats[0]!.agentId!, record.seats[1]!.agentId!];
        if (a !== b) for (const id of [a, b]) perAgent.set(id, (perAgent.get(id) ?? 0) + 1);
        if (seq % 97 === 0) expect(replay(record).returns).toEqual(record.returns);
      }
    }
    expect(ids.size).toBe(BUDGET);
    // Ratings counted every non-mirror match exactly once, across the kill.
    for (const [agentId, n] of perAgent) {
      expect(store.getRating('tic-tac-toe', agentId)!.matches).toBe(n);
      expect(store.ratingHistory('tic-tac-toe', agentId)).toHaveLength(n);
    }
    for (const row of out.leaderboard.rows) expect(row.matches).toBe(perAgent.get(row.agentId));
    store.close();
  });
});
