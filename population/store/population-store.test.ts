/** Snapshots, ratings and rating history in the SQLite store (schema migration 2). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store';
import { StoreError } from './store';

const KEY = (c: string): string => c.repeat(64);

function open(dir = mkdtempSync(join(tmpdir(), 'arena-pop-'))): { store: SqliteStore; path: string } {
  const path = join(dir, 'arena.db');
  return { store: SqliteStore.open(path), path };
}

describe('snapshots', () => {
  it('are immutable, content-addressed per agent, and keep their lineage', () => {
    const { store } = open();
    const agent = store.createAgent({ name: 'learner-1', kind: 'learner', keyHash: KEY('a') });
    const s1 = store.createSnapshot({ agentId: agent.id, game: 'kuhn-poker', artifact: '{"0":[0.5,0.5]}', step: 10, metadata: { nashConv: 0.9 } });
    expect(s1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.createSnapshot({ agentId: agent.id, game: 'kuhn-poker', artifact: '{"0":[0.5,0.5]}' }).id).toBe(s1.id);
    const s2 = store.createSnapshot({ agentId: agent.id, game: 'kuhn-poker', artifact: '{"0":[0.9,0.1]}', parentId: s1.id, step: 20 });
    expect(s2).toMatchObject({ parentId: s1.id, step: 20, agentId: agent.id });
    expect(store.getSnapshot(s1.id)).toEqual(s1);
    expect(store.listSnapshots({ agentId: agent.id }).map((s) => s.id)).toEqual([s1.id, s2.id]);
    expect(store.listSnapshots({ game: 'leduc-poker' })).toEqual([]);
    // The same rows without the artifacts, in the same order.
    expect(store.listSnapshotInfos({ agentId: agent.id })).toEqual(store.listSnapshots({ agentId: agent.id }).map(({ artifact: _, ...info }) => info));
    expect(store.listSnapshotInfos({ game: 'kuhn-poker' })[1]).not.toHaveProperty('artifact');
    expect(store.listSnapshotInfos({ game: 'leduc-poker' })).toEqual([]);
    expect(() => store.createSnapshot({ agentId: 'nobody', game: 'kuhn-poker', artifact: 'x' })).toThrow(StoreError);
    expect(() => store.createSnapshot({ agentId: agent.id, game: 'kuhn-poker', artifact: 'y', parentId: 'missing' })).toThrow(/parent/);
  });
});

describe('ratings', () => {
  it('apply exactly once per feed entry, with history, across a reopen', () => {
    const { store, path } = open();
    const u = (mu: number) => [
      { subject: 'a', mu, sigma: 8, elo: 1200 + mu },
      { subject: 'b', mu: 50 - mu, sigma: 8, elo: 1200 - mu },
    ];
    expect(store.applyRatings('ratings', 'kuhn-poker', 1, 'm1', u(26))).toBe(true);
    expect(store.applyRatings('ratings', 'kuhn-poker', 1, 'm1', u(99))).toBe(false); // replayed after a crash
    expect(store.applyRatings('ratings', 'kuhn-poker', 2, 'm2', u(27))).toBe(true);
    store.close();
    const again = SqliteStore.open(path);
    expect(again.applyRatings('ratings', 'kuhn-poker', 2, 'm2', u(99))).toBe(false);
    expect(again.getCursor('ratings')).toBe(2);
    expect(again.getRating('kuhn-poker', 'a')).toMatchObject({ mu: 27, matches: 2, elo: 1227 });
    expect(again.listRatings('kuhn-poker').map((r) => r.subject)).toEqual(['a', 'b']);
    expect(again.ratingHistory('kuhn-poker', 'a').map((h) => [h.seq, h.matchId, h.mu])).toEqual([
      [1, 'm1', 26],
      [2, 'm2', 27],
    ]);
    expect(again.listRatings('leduc-poker')).toEqual([]);
  });
});
