/**
 * The actors of `arena train` in-process: a fixed member's `share` of the learner's matches goes to that member,
 * the rest follow the scenario's matchmaking, and the whole schedule is a function of the scenario seed.
 * Matches run on the compiled match workers (`npm run build`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMlpSnapshot } from '../../agents/mlp-snapshot';
import { runActors } from '../../learner/actors';
import { learnerAgent } from '../../learner/lines';
import { initialWeights, modelSpecFor } from '../../learner/model';
import { SqliteStore } from '../../population/store/sqlite-store';
import { validateScenario, type Scenario } from '../../scenarios/schema';

function scenario(): Scenario {
  const r = validateScenario({
    name: 'share',
    game: { id: 'kuhn-poker' },
    seed: 5,
    population: [
      { name: 'ppo', agent: 'random', learner: true },
      { name: 'uniform', agent: 'random', share: 0.25 },
    ],
    matchmaking: { strategy: 'selfplay-latest' },
    budget: { matches: 400 },
    workers: 1,
    learner: {},
  });
  if (!r.ok) throw new Error(r.message);
  return r.scenario;
}

/** Opponent names of the learner's matches, in match order, after one actors run on a fresh store. */
async function opponents(dir: string): Promise<string[]> {
  const s = scenario();
  const store = SqliteStore.open(join(dir, 'arena.db'));
  try {
    const learner = learnerAgent(store, s);
    const spec = modelSpecFor(s.game.rules, { hidden: [8], activation: 'tanh', torso: 'separate' });
    const blob = encodeMlpSnapshot({ spec, weights: initialWeights(spec, 1), meta: {} });
    store.createSnapshot({ agentId: learner.id, game: 'kuhn-poker', artifact: Buffer.from(blob).toString('base64'), step: 0 });
    expect(await runActors({ store, scenario: s, dataDir: dir, maxBacklog: 1e9 })).toBe(400);
    const rows = [];
    for (let before: string | undefined; ; ) {
      const page = store.listMatches({ limit: 500, ...(before ? { before } : {}) });
      rows.push(...page);
      if (page.length < 500) break;
      before = page[page.length - 1]!.id;
    }
    expect(rows.every((m) => m.status === 'finished' && m.seq !== null)).toBe(true);
    return rows
      .sort((a, b) => a.seq! - b.seq!)
      .map((m) => m.seats.map((seat) => seat.name).sort().join(' vs '));
  } finally {
    store.close();
  }
}

describe('runActors', () => {
  let dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const fresh = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'arena-actors-'));
    dirs = [...dirs, d];
    return d;
  };

  it('plays a fixed member its share of matches (25% of 400) and the latest snapshot otherwise, deterministically', async () => {
    const a = await opponents(fresh());
    expect(a).toHaveLength(400);
    const counts = new Map<string, number>();
    for (const pair of a) counts.set(pair, (counts.get(pair) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['share.ppo@0 vs share.ppo@0', 'share.ppo@0 vs share.uniform']);
    const fixed = counts.get('share.ppo@0 vs share.uniform')!;
    // Binomial(400, 0.25): mean 100, sd 8.7.
    expect(fixed).toBeGreaterThan(100 - 4 * 8.7);
    expect(fixed).toBeLessThan(100 + 4 * 8.7);
    // The same seed gives the same schedule (matches finish in order with one worker).
    expect(await opponents(fresh())).toEqual(a);
  }, 60_000);
});
