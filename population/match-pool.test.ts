import { replay } from '../engine/replay';
import { MatchPool } from './match-pool';

describe('MatchPool (worker threads; needs `npm run build`)', () => {
  it('plays matches on every worker; records replay and follow the seeds', async () => {
    const pool = new MatchPool(2);
    try {
      const jobs = Array.from({ length: 20 }, (_, i) => ({
        jobId: i,
        game: 'connect-four',
        params: {},
        seed: i,
        seats: [
          { spec: 'alphabeta:depth=2', seed: i, name: 'ab2' },
          { spec: 'random', seed: i + 100, name: 'random' },
        ],
      }));
      const records = await Promise.all(jobs.map((j) => pool.run(j)));
      expect(records.map((r) => r.seed)).toEqual(jobs.map((j) => j.seed));
      for (const r of records) expect(replay(r).returns).toEqual(r.returns);
      const wins = records.filter((r) => r.returns[0] === 1).length;
      expect(wins).toBeGreaterThanOrEqual(18); // alpha-beta depth 2 against random
      await expect(pool.run({ jobId: 99, game: 'nope', params: {}, seed: 0, seats: [] })).rejects.toThrow(/unknown game/);
    } finally {
      await pool.close();
    }
  });
});
