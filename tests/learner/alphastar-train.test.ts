/**
 * `arena train` on an AlphaStar scenario: one learner line per role slot trains in the learner process, the actors
 * schedule each line's matches by its role, freeze lines into past players by the snapshot rule, and the main
 * exploiter's reset reaches the learner through the store. Kuhn poker keeps it fast (and gives NashConv curves).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMlpSnapshot } from '../../agents/mlp-snapshot';
import { SqliteStore } from '../../population/store/sqlite-store';
import { arenaJson } from '../cli/run-cli';

const LINES = ['ppo.main-0', 'ppo.main-exploiter-0', 'ppo.league-exploiter-0'];

describe('arena train, AlphaStar league (needs `npm run build`)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arena-alphastar-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains main agent, main exploiter and league exploiter lines; freezes past players; resets the main exploiter', () => {
    const scenario = join(dir, 'kuhn-alphastar.yaml');
    writeFileSync(
      scenario,
      [
        'name: kuhn-as',
        'game: { id: kuhn-poker }',
        'seed: 21',
        'population:',
        '  - { name: ppo, agent: random, learner: true }',
        '  - { name: uniform, agent: random }',
        'matchmaking: { strategy: alphastar, roles: { main: 1, mainExploiter: 1, leagueExploiter: 1 }, stepBudget: 300 }',
        'budget: { seconds: 60 }',
        'workers: 1',
        'learner: { publishEvery: 2, maxLag: 3, episodesPerUpdate: 128, evaluate: { every: 1 } }',
      ].join('\n'),
    );
    const data = join(dir, 'data');
    const out = arenaJson<{ lines: { line: string; updates: number; curve: string }[] }>(['train', '--scenario', scenario, '--data', data, '--seconds', '25']);
    expect(out.lines.map((l) => l.line)).toEqual(LINES);
    for (const l of out.lines) {
      expect(l.updates).toBeGreaterThanOrEqual(4);
      const rows = readFileSync(l.curve, 'utf8').trim().split('\n');
      expect(rows[0]).toBe('seconds,updates,samples,nashConv');
      expect(rows.length).toBeGreaterThanOrEqual(3);
    }
    const store = SqliteStore.open(join(data, 'arena.db'));
    try {
      const agent = (name: string) => store.agentByName(`kuhn-as.${name}`)!;
      const mainId = agent(LINES[0]!).id;
      const exploiterId = agent(LINES[1]!).id;
      // Every line published snapshots, and every line was frozen at least once (300 of its matches at most).
      for (const line of LINES) {
        expect(store.listSnapshots({ agentId: agent(line).id }).length).toBeGreaterThanOrEqual(3);
        const past = store.agentByName(`kuhn-as.${line}.past-0`);
        expect(past).toBeDefined();
        const [frozen] = store.listSnapshots({ agentId: past!.id });
        expect(frozen!.metadata).toMatchObject({ line, role: line.replace(/^ppo\./, '').replace(/-\d+$/, '') });
        // The frozen copy carries the weights of a snapshot the line published.
        expect(store.listSnapshots({ agentId: agent(line).id }).some((s) => s.artifact === frozen!.artifact)).toBe(true);
      }
      // The main exploiter resets at every freeze; the learner carried out what was requested before it stopped.
      const requested = store.getCursor(`learner:kuhn-as.${LINES[1]}:resets-requested`);
      const done = store.getCursor(`learner:kuhn-as.${LINES[1]}:resets-done`);
      expect(requested).toBeGreaterThanOrEqual(1);
      expect(done).toBeGreaterThanOrEqual(1);
      expect(done).toBeLessThanOrEqual(requested);
      // The published reset: the initial weights again (the network part of the artifact equals update 0's).
      const exploiterSnaps = store.listSnapshots({ agentId: exploiterId });
      const resetSnap = exploiterSnaps.find((x) => x.metadata.reset === true);
      expect(resetSnap).toBeDefined();
      const weights = (artifact: string) => decodeMlpSnapshot(new Uint8Array(Buffer.from(artifact, 'base64'))).weights;
      expect(weights(resetSnap!.artifact)).toEqual(weights(exploiterSnaps[0]!.artifact));
      // ... while it did train in between (some published weights differ from the initial ones).
      const initial = JSON.stringify(weights(exploiterSnaps[0]!.artifact));
      expect(exploiterSnaps.some((x) => JSON.stringify(weights(x.artifact)) !== initial)).toBe(true);
      // The main agent never resets.
      expect(store.getCursor(`learner:kuhn-as.${LINES[0]}:resets-requested`)).toBe(0);
      // The main exploiter hunts the main agent: its matches are against main-0 (current or frozen) most of the time.
      const exploiterMatches = store.listMatches({ agentId: exploiterId, limit: 500 });
      expect(exploiterMatches.length).toBeGreaterThan(100);
      const mainish = (m: (typeof exploiterMatches)[number]) => m.seats.some((s) => s.agentId === mainId || s.name.startsWith(`kuhn-as.${LINES[0]}.past-`));
      expect(exploiterMatches.filter(mainish).length / exploiterMatches.length).toBeGreaterThan(0.5);
    } finally {
      store.close();
    }
  }, 120_000);
});
