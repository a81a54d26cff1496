import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './store/sqlite-store';
import { createAgent } from '../agents/registry';
import { runMatch } from '../engine/match';
import { loadGame } from '../environments/registry';
import { League, type LeagueConfig, type RemoteMatchRunner } from './league';

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

  it('runs remote members through the RemoteMatchRunner; unplayed and aborted matches are scheduled again and rate nobody', async () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'league-')), 'arena.db'));
    const bot = store.createAgent({ name: 'my-bot', kind: 'bot', keyHash: 'a'.repeat(64) });
    const game = loadGame('tic-tac-toe');
    let calls = 0;
    // Stands in for the server: plays the seats with the engine (the remote one as a random agent) and commits the
    // record; the first call finds the agent offline, the third one never sees the remote seat join.
    const remote: RemoteMatchRunner = {
      async play(match) {
        calls++;
        if (calls === 1) return null;
        const seats = match.seats.map((s) => ({ agent: createAgent(s.remote ? 'random' : s.spec, { game, seed: s.seed }), info: { name: s.name, agentId: s.agentId, snapshotId: s.snapshotId } }));
        const abort = new AbortController();
        if (calls === 3) abort.abort();
        const record = await runMatch(game, match.seed, seats, { id: `m${calls}`, signal: abort.signal });
        return { record, seq: store.finishMatch(record) };
      },
    };
    const population = [
      { name: 'mine', spec: 'remote:my-bot' },
      { name: 'random', spec: 'random' },
      { name: 'first', spec: 'first-legal' },
    ];
    const league = new League(config({ population, matches: 30, workers: 1 }), store);
    await expect(league.run()).rejects.toThrow(/remote: members, which play through a server/);
    await league.run({ remote });
    expect(league.played).toBe(30);
    expect(calls).toBe(20 + 2); // the remote member is in 2/3 of the 30 matches, plus the two that did not count
    const board = league.leaderboard();
    expect(board.rows.find((r) => r.agentId === bot.id)).toMatchObject({ name: 'my-bot', matches: 20 });
    expect(store.getRating('tic-tac-toe', bot.id)!.matches).toBe(20);
    // The aborted record is in the store (nothing is lost) but not in the league's count after a restart either.
    expect(store.listMatches({ status: 'aborted' })).toHaveLength(1);
    expect(new League(config({ population, matches: 30, workers: 1 }), store).played).toBe(30);
    store.close();
  });

  it('refuses a remote member whose agent is not registered, naming it', () => {
    const store = SqliteStore.open(':memory:');
    expect(() => new League(config({ population: [{ name: 'mine', spec: 'remote:ghost' }, { name: 'r', spec: 'random' }] }), store)).toThrow(
      'league ttt-test: member mine is remote:ghost, but no agent named "ghost" is registered on this server (register it first: POST /api/agents)',
    );
  });
});

