import { encodeMlpSnapshot, type ModelSpec } from '../agents/mlp-snapshot';
import { MlpPolicy, NeuralAgent } from '../agents/neural';
import { loadGame } from '../environments/registry';
import { runMatch } from '../engine/match';
import type { MatchRecord } from '../engine/record';
import { advantageConfigSchema, RoleBaselines } from './advantage';
import { ExperienceBuffer, experienceFromRecords, freshSeats } from './experience';
import { initialWeights } from './model';

const game = loadGame('kuhn-poker');
const spec: ModelSpec = { inputSize: 7, numActions: 2, hidden: [8], activation: 'tanh', torso: 'separate' };

/** Snapshot versions 0..5 of a line, with distinct (non-uniform) policies. */
const policies = [0, 1, 2, 3, 4, 5].map((v) => MlpPolicy.fromBlob(encodeMlpSnapshot({ spec, weights: initialWeights(spec, v).map((w) => w.map((x) => x * 200)), meta: {} })));
const versionOf = (id: string): number | undefined => (/^line@(\d)$/.exec(id) ? Number(id.slice(5)) : undefined);
const behaviour = (id: string): MlpPolicy | undefined => policies[versionOf(id) ?? -1];

async function match(seed: number, a: number, b: number): Promise<MatchRecord> {
  return runMatch(game, seed, [a, b].map((v, k) => ({ agent: new NeuralAgent(policies[v]!, { seed: seed * 10 + k }), info: { snapshotId: `line@${v}` } })));
}

const rae = advantageConfigSchema.parse({ kind: 'rae', normalize: false });

describe('experience from records', () => {
  it('drops seats played by snapshots more than maxLag versions behind the latest (and unknown ones)', async () => {
    const learn = freshSeats(5, 2, versionOf);
    expect([5, 4, 3, 2, 0].map((v) => learn(0, { name: '', snapshotId: `line@${v}` }))).toEqual([true, true, true, false, false]);
    expect(learn(0, { name: '' })).toBe(false);
    expect(learn(0, { name: '', snapshotId: 'other@5' })).toBe(false);

    const buffer = new ExperienceBuffer(game);
    const fresh = await match(1, 5, 3); // both seats within the lag: both learn
    const stale = await match(2, 5, 1); // seat 1 (version 1) is 4 behind: only seat 0 learns
    const seatsFresh = buffer.add(fresh, learn, behaviour);
    expect(buffer.trajectories).toBe(2);
    const added = buffer.add(stale, learn, behaviour);
    expect(buffer.trajectories).toBe(3);
    expect(buffer.samples).toBe(seatsFresh + added);
    // seat 0's decisions of the stale record only.
    const seat0 = stale.actions.filter((a) => a.seat === 0).length;
    expect(added).toBe(seat0);
  });

  it("recomputes behaviour log-probabilities from the snapshot that played each decision", async () => {
    const records = [await match(3, 4, 5), await match(4, 5, 4)];
    const exp = experienceFromRecords(records, { game, learnSeats: freshSeats(5, 1, versionOf), behaviour, advantage: rae, baselines: new RoleBaselines() });
    expect(exp.skipped).toEqual([]);
    expect(exp.trajectories).toBe(4);
    const { batch } = exp;
    // Walk the records in the same order: record, then seat 0, seat 1, each decision in order.
    let i = 0;
    for (const record of records) {
      for (const seat of [0, 1]) {
        const policy = behaviour(record.seats[seat]!.snapshotId!)!;
        for (const a of record.actions.filter((x) => x.seat === seat)) {
          const obs = batch.observations.subarray(i * 7, i * 7 + 7);
          expect(batch.actions[i]).toBe(a.action);
          expect(batch.behaviourLogProbs[i]).toBe(Math.fround(policy.logProb(obs, [0, 1], a.action as number)));
          i++;
        }
      }
    }
    expect(i).toBe(batch.size);
    // Policies differ, so the log-probabilities are not all the same value.
    expect(new Set(batch.behaviourLogProbs).size).toBeGreaterThan(2);
  });

  it("puts the magnet policy's log-probabilities in the batch and reports records that do not replay", async () => {
    const good = await match(5, 5, 5);
    const bad = { ...good, id: 'bad', finalStateHash: 'nope' };
    const exp = experienceFromRecords([good, bad], {
      game,
      learnSeats: () => true,
      behaviour,
      advantage: rae,
      baselines: new RoleBaselines(),
      magnet: policies[0]!,
    });
    expect(exp.skipped.map((s) => [s.recordId, s.error.code])).toEqual([['bad', 'record/mismatch']]);
    const { batch } = exp;
    for (let i = 0; i < batch.size; i++) {
      const p = policies[0]!.probabilities(batch.observations.subarray(i * 7, i * 7 + 7), [0, 1]);
      expect(batch.magnetLogProbs![i * 2]).toBeCloseTo(Math.log(p[0]!), 6);
      expect(batch.magnetLogProbs![i * 2 + 1]).toBeCloseTo(Math.log(p[1]!), 6);
    }
  });
});
