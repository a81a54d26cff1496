import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomAgent } from '../../agents/random';
import { runMatch } from '../../engine/match';
import type { MatchRecord } from '../../engine/record';
import { loadGame } from '../../environments/registry';
import { SqliteStore } from '../../population/store/sqlite-store';
import { createLogger } from '../log';
import { ARENA_RATINGS } from '../arena-ratings';
import { CommitThread } from './commit-thread';
import { MatchCommits } from './commits';

const game = loadGame('tic-tac-toe');

async function played(seed: number): Promise<MatchRecord> {
  return runMatch(game, seed, [
    { agent: new RandomAgent(seed), info: { name: 'a', agentId: 'agent-a' } },
    { agent: new RandomAgent(seed + 1), info: { name: 'b', agentId: 'agent-b' } },
  ]);
}

const start = (r: MatchRecord): Parameters<MatchCommits['start']>[0] => ({ id: r.id, game: r.game.id, params: r.game.params, seed: r.seed, seats: r.seats });

describe('MatchCommits (group commit)', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arena-commits-'));
    store = SqliteStore.open(join(dir, 'arena.db'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the starts and finishes of one turn together; a bad record fails alone; ratings go with their match', async () => {
    const rated: string[] = [];
    const commits = new MatchCommits(
      store,
      (record, seq) => {
        if (record.seed === 3) throw new Error('rating exploded');
        rated.push(`${record.id}@${seq}`);
      },
      (error, record) => rated.push(`failed ${record.id}: ${(error as Error).message}`),
    );
    const records = await Promise.all([1, 2, 3].map(played));
    const broken = { ...records[1]!, returns: 'not numbers' } as unknown as MatchRecord;
    // Nothing is written before the turn ends.
    const starts = records.map((r) => commits.start(start(r)));
    expect(store.getMatch(records[0]!.id)).toBeUndefined();
    await Promise.all(starts);
    expect(records.map((r) => store.getMatch(r.id)?.status)).toEqual(['running', 'running', 'running']);
    const outcomes = await Promise.allSettled([commits.finish(records[0]!), commits.finish(broken), commits.finish(records[2]!)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [seq0, , seq2] = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null));
    expect(seq2).toBe(seq0! + 1);
    expect(store.getMatch(records[0]!.id)?.status).toBe('finished');
    expect(store.getMatch(records[1]!.id)?.status).toBe('running'); // its broken finish rolled back alone
    expect(store.getRecord(records[2]!.id)).toEqual(JSON.parse(JSON.stringify(records[2])));
    expect(rated).toEqual([`${records[0]!.id}@${seq0}`, `failed ${records[2]!.id}: rating exploded`]);
  });
});

describe('CommitThread (commits on a worker thread)', () => {
  let dir: string;
  let store: SqliteStore;
  let thread: CommitThread;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'arena-commit-thread-'));
    store = SqliteStore.open(join(dir, 'arena.db'));
    thread = new CommitThread(join(dir, 'arena.db'), {}, createLogger('silent'));
  });
  afterEach(async () => {
    await thread.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits starts, records and arena ratings on its own connection; the server connection reads them; close ends it', async () => {
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => played(100 + i)));
    await Promise.all(records.map((r) => thread.start(start(r))));
    expect(store.listMatches({ status: 'running', limit: 100 })).toHaveLength(20);
    const seqs = await Promise.all(records.map((r) => thread.finish(r)));
    expect(new Set(seqs).size).toBe(20);
    expect(store.listMatches({ status: 'finished', limit: 100 })).toHaveLength(20);
    expect(store.getCursor(ARENA_RATINGS)).toBe(Math.max(...seqs));
    expect(store.getRating('tic-tac-toe', 'agent-a')?.matches).toBe(20);
    // Committing the same match again keeps the first record (idempotent), through the thread too.
    expect(await thread.finish(records[0]!)).toBe(seqs[0]);
    await expect(thread.finish({ ...records[0]!, id: 'x', returns: 'bad' } as unknown as MatchRecord)).rejects.toThrow(/returns/);
    await thread.close();
    await expect(thread.finish(await played(1))).rejects.toThrow(/closed/);
  });

  it('a commit thread that dies fails what it held and a new one takes the next commits', async () => {
    const [first, second] = await Promise.all([played(7), played(8)]);
    const held = thread.start(start(first));
    await thread.thread.terminate(); // the thread dies with the start in flight
    await expect(held).rejects.toThrow(/exited/);
    expect(thread.restarts).toBe(1);
    await thread.start(start(second));
    expect(await thread.finish(second)).toBeGreaterThan(0);
    expect(store.getMatch(second.id)?.status).toBe('finished');
  });
});
