/**
 * The learner survives kill -9: actors (`arena league` on a learner scenario) fill the feed while the learner
 * (`arena learn`) trains; the learner is killed hard after a few checkpoints, restarted, and must resume from its
 * last checkpoint: across both runs every feed entry up to its final cursor is consumed exactly once (the store's
 * log, written in the checkpoint transactions), nothing before the kill is consumed again, and training continues.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../population/store/sqlite-store';
import { feedLength } from '../helpers/feed';

const BIN = join(__dirname, '..', '..', 'bin', 'arena.js');
const MATCHES = 600;
const PER_UPDATE = 16;
const LEARNER = 'crash-learn.ppo';

function scenarioFile(dir: string): string {
  const file = join(dir, 'crash-learn.yaml');
  writeFileSync(
    file,
    [
      'name: crash-learn',
      'game: { id: kuhn-poker }',
      'seed: 5',
      'population:',
      '  - { name: ppo, agent: random, learner: true }',
      'matchmaking: { strategy: openai-five }',
      `budget: { matches: ${MATCHES}, seconds: 120 }`,
      'workers: 1',
      'learner:',
      `  episodesPerUpdate: ${PER_UPDATE}`,
      '  publishEvery: 2',
      '  maxLag: 1000',
      '  backend: cpu',
      '  evaluate: { every: 1000 }',
    ].join('\n'),
  );
  return file;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** Polls the store until `done` says so (or fails after `ms`). */
async function until<T>(data: string, ms: number, probe: (store: SqliteStore) => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const store = SqliteStore.open(join(data, 'arena.db'));
    try {
      const value = probe(store);
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        const cp = store.loadLearnerCheckpoint(LEARNER);
        throw new Error(`timed out waiting for the store: feed ${feedLength(store)}, checkpoint cursor ${cp?.cursor} updates ${cp?.updates}`);
      }
    } finally {
      store.close();
    }
    await sleep(100);
  }
}

describe('learner crash safety (needs `npm run build`)', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 mid-run, restart: every feed entry consumed exactly once, training resumes from the checkpoint', async () => {
    dir = mkdtempSync(join(tmpdir(), 'learner-crash-'));
    const scenario = scenarioFile(dir);
    const data = join(dir, 'data');
    const args = ['--scenario', scenario, '--data', data];
    const first = spawn(process.execPath, [BIN, 'learn', ...args, '--progress', 'json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const actors = spawn(process.execPath, [BIN, 'league', ...args, '--quiet'], { stdio: 'ignore' });
    try {
      // A few checkpoints in, kill the learner without warning.
      const before = await until(data, 60_000, (s) => {
        const cp = s.loadLearnerCheckpoint(LEARNER);
        return cp && cp.updates >= 6 ? cp : undefined;
      });
      first.kill('SIGKILL');
      await exited(first);
      const atKill = await until(data, 5_000, (s) => ({ cp: s.loadLearnerCheckpoint(LEARNER)!, consumed: s.learnerConsumed(LEARNER) }));
      expect(atKill.cp.cursor).toBeGreaterThanOrEqual(before.cursor);

      // The actors finish their budget meanwhile (they pause when the learner is far behind, so restart it first).
      const second = spawn(process.execPath, [BIN, 'learn', ...args, '--progress', 'json'], { stdio: ['ignore', 'ignore', 'inherit'] });
      try {
        expect(await exited(actors)).toBe(0);
        // Everything but the last partial batch gets consumed; then stop the learner gracefully.
        const total = await until(data, 60_000, (s) => {
          const n = feedLength(s);
          const cp = s.loadLearnerCheckpoint(LEARNER);
          return cp && n === MATCHES && cp.cursor > MATCHES - 2 * PER_UPDATE ? n : undefined;
        });
        expect(total).toBe(MATCHES);
      } finally {
        second.kill('SIGTERM');
        expect(await exited(second)).toBe(0);
      }

      const store = SqliteStore.open(join(data, 'arena.db'));
      try {
        const cp = store.loadLearnerCheckpoint(LEARNER)!;
        const consumed = store.learnerConsumed(LEARNER);
        // Exactly once: the consumed seqs are 1..cursor, each once, in order.
        expect(consumed.map((c) => c.seq)).toEqual(Array.from({ length: cp.cursor }, (_, i) => i + 1));
        expect(new Set(consumed.map((c) => c.matchId)).size).toBe(consumed.length);
        // What was consumed before the kill is untouched; the restart consumed only what came after.
        expect(consumed.slice(0, atKill.consumed.length)).toEqual(atKill.consumed);
        expect(cp.cursor).toBeGreaterThan(atKill.cp.cursor);
        expect(cp.updates).toBeGreaterThan(atKill.cp.updates);
        // Every record was a self-play record of the learner's recent snapshots: all of them trained on.
        expect(consumed.every((c) => c.used)).toBe(true);
        // The learner published snapshots the actors played (step = update count at publication).
        const agent = store.agentByName(LEARNER)!;
        const steps = store.listSnapshots({ agentId: agent.id }).map((s) => s.step);
        expect(steps[0]).toBe(0);
        expect(steps.every((s) => s % 2 === 0)).toBe(true);
      } finally {
        store.close();
      }
    } finally {
      for (const c of [first, actors]) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  }, 180_000);
});
