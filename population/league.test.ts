import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './store/sqlite-store';
import { League, type LeagueConfig } from './league';

const config = (over: Partial<LeagueConfig> = {}): LeagueConfig => ({
  name: 'ttt-test',
  game: 'tic-tac-toe',
  params: {},
  seed: 5,
  population: [
    { name: 'perfect', spec: 'alphabeta:depth=9' },
    { name: 'random', spec: 'random' },
    { name: 'first', spec: 'first-legal' },
  ],
  pairing: { kind: 'round-robin' },
  matches: 60,
  workers: 2,
  resamples: 200,
  ...over,
});

describe('League (worker threads; needs `npm run build`)', () => {
  it('plays a round robin, rates every match exactly once, and ranks perfect play first', async () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'league-')), 'arena.db'));
    const league = new League(config(), store);
    let seen = 0;
    await league.run({ onMatch: () => seen++ });
    expect(seen).toBe(60);
    expect(league.played).toBe(60);
    const board = league.leaderboard();
    expect(board.matches).toBe(60);
    expect(board.rows[0]!.name).toBe('ttt-test.perfect');
    expect(board.rows[0]!.losses).toBe(0);
    for (const row of board.rows) {
      expect(row.matches).toBe(40); // round robin of 3: each member is in 2/3 of the matches
      expect(store.getRating('tic-tac-toe', row.agentId)!.matches).toBe(40);
      expect(store.ratingHistory('tic-tac-toe', row.agentId)).toHaveLength(40);
      expect(row.bt.lower).toBeLessThanOrEqual(row.bt.rating);
      expect(row.bt.upper).toBeGreaterThanOrEqual(row.bt.rating);
    }
    // A new runner on the same store finds the league complete and changes nothing.
    const again = new League(config(), store);
    expect(again.played).toBe(60);
    await again.run();
    expect(store.getRating('tic-tac-toe', board.rows[0]!.agentId)!.matches).toBe(40);
    store.close();
  });

  it('reports exact NashConv for tabular members of an imperfect-information game', async () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'league-')), 'arena.db'));
    const league = new League(config({ name: 'kuhn-test', game: 'kuhn-poker', population: [{ name: 'uniform', spec: 'random' }, { name: 'passive', spec: 'first-legal' }], matches: 40, pairing: { kind: 'fictitious' } }), store);
    await league.run();
    const byName = new Map(league.leaderboard().rows.map((r) => [r.name, r]));
    expect(byName.get('kuhn-test.uniform')!.nashConv).toBeCloseTo(11 / 12, 9);
    expect(byName.get('kuhn-test.passive')!.nashConv).toBeCloseTo(2, 9);
    store.close();
  });
});
