/** The lobby pairs two-player games by rating (closest first), widening the window while agents wait. */
import { join } from 'node:path';
import type { MatchFound } from '../../client-sdk/src/protocol';
import { hashApiKey } from '../../population/store/api-keys';
import { SqliteStore } from '../../population/store/sqlite-store';
import { connectedClient, sleep, startServer, tempDataDir } from './harness';


describe('rated queue pairing', () => {
  it('pairs the two strong agents although a weak one queued in between; the weak one waits, then is paired when the window has widened', async () => {
    const data = tempDataDir();
    // Agents with known keys and ratings (OpenSkill ordinals 30, 28 and 0), written to the store before start.
    const store = SqliteStore.open(join(data, 'arena.db'));
    const keys = { strong: 'sa_strong_key_0000000000000000000000', rival: 'sa_rival_key_00000000000000000000000', weak: 'sa_weak_key_000000000000000000000000', late: 'sa_late_key_000000000000000000000000' };
    const ids: Record<string, string> = {};
    for (const [name, key] of Object.entries(keys)) ids[name] = store.createAgent({ name, kind: 'bot', keyHash: hashApiKey(key) }).id;
    store.applyRatings('test', 'tic-tac-toe', 1, 'seed', [
      { subject: ids.strong!, mu: 33, sigma: 1, elo: 1500 },
      { subject: ids.rival!, mu: 31, sigma: 1, elo: 1480 },
      { subject: ids.weak!, mu: 3, sigma: 1, elo: 900 },
      { subject: ids.late!, mu: 18, sigma: 1, elo: 1100 },
    ]);
    store.close();
    const server = await startServer({ dataDir: data });
    const clients = await Promise.all(Object.values(keys).map((k) => connectedClient(server.url, k)));
    const [strong, rival, weak, late] = clients as [typeof clients[0], typeof clients[0], typeof clients[0], typeof clients[0]];
    try {
      const found: Record<string, MatchFound> = {};
      const track = (name: string, p: Promise<MatchFound>): void => void p.then((f) => (found[name] = f));
      track('strong', strong.queue('tic-tac-toe'));
      await sleep(150);
      track('weak', weak.queue('tic-tac-toe'));
      await sleep(150);
      track('rival', rival.queue('tic-tac-toe'));
      await sleep(500);
      // First come first served would have paired strong with weak.
      expect(found.strong?.matchId).toBeDefined();
      expect(found.rival?.matchId).toBe(found.strong?.matchId);
      expect(found.weak).toBeUndefined();
      // A mid-rated agent (ordinal 15) is 15 away from weak (ordinal 0): out of the 10-point base window, inside it
      // once both windows have widened to 15 (10 + 2/s: about 2.5 s of waiting), so they pair after a while.
      track('late', late.queue('tic-tac-toe'));
      await sleep(500);
      expect(found.late).toBeUndefined();
      const deadline = Date.now() + 20_000;
      while (!found.late && Date.now() < deadline) await sleep(250);
      expect(found.late?.matchId).toBe(found.weak?.matchId);
    } finally {
      clients.forEach((c) => c.close());
      await server.stop();
    }
  }, 60_000);
});
