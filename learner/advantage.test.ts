import { advantageConfigSchema, computeAdvantages, returnsToGo, RoleBaselines, whiten, type AdvantageConfig } from './advantage';
import type { SeatTrajectory } from './trajectories';

/** A trajectory with the given per-decision rewards (observations are irrelevant to advantages). */
function traj(seat: number, rewards: number[]): SeatTrajectory {
  const T = rewards.length;
  return {
    recordId: 'r',
    seat,
    snapshotId: 's',
    length: T,
    observations: new Float32Array(T),
    legalMasks: new Uint8Array(T),
    actions: new Int32Array(T),
    rewards: Float64Array.from(rewards),
    finalReturn: rewards.reduce((a, b) => a + b, 0),
    complete: true,
  };
}

const cfg = (c: Partial<AdvantageConfig>): AdvantageConfig => advantageConfigSchema.parse({ kind: 'rae', normalize: false, ...c });

describe('RoleBaselines (SPIRAL RAE)', () => {
  it('b <- 0.95 b + 0.05 R from 0, the advantage using the baseline read before the update', () => {
    const b = new RoleBaselines();
    const ctx = { gameId: 'kuhn-poker', baselines: b };
    const { advantages } = computeAdvantages([traj(0, [1]), traj(0, [-1]), traj(0, [2])], cfg({}), ctx);
    // b: 0 -> 0.05 -> 0.95 * 0.05 - 0.05 = -0.0025 -> ...
    expect(Array.from(advantages)).toEqual([1, -1.05, 2.0025].map(Math.fround));
    expect(b.get('kuhn-poker', 'seat0')).toBeCloseTo(0.95 * -0.0025 + 0.05 * 2, 15);
    expect(b.get('kuhn-poker', 'seat1')).toBe(0);
    expect(b.get('leduc-poker', 'seat0')).toBe(0);
  });

  it('keeps one baseline per (game, role) and uses the return-to-go of each decision', () => {
    const b = new RoleBaselines();
    computeAdvantages([traj(0, [4]), traj(1, [-4])], cfg({}), { gameId: 'g', baselines: b });
    expect(b.get('g', 'seat0')).toBeCloseTo(0.2, 15);
    expect(b.get('g', 'seat1')).toBeCloseTo(-0.2, 15);
    // Two decisions, gamma 0.5: G = [0 + 0.5 * 2, 2] = [1, 2]; the baseline update uses G_0 = 1.
    const { advantages, valueTargets } = computeAdvantages([traj(0, [0, 2])], cfg({ gamma: 0.5 }), { gameId: 'g', baselines: b });
    expect(Array.from(advantages)).toEqual([1 - 0.2, 2 - 0.2].map(Math.fround));
    expect(Array.from(valueTargets)).toEqual([1, 2]);
    expect(b.get('g', 'seat0')).toBeCloseTo(0.95 * 0.2 + 0.05 * 1, 15);
  });

  it('serialises its state and continues identically', () => {
    const a = new RoleBaselines();
    computeAdvantages([traj(0, [1]), traj(1, [3])], cfg({}), { gameId: 'g', baselines: a });
    const b = RoleBaselines.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(b.toJSON()).toEqual(a.toJSON());
    const next = [traj(0, [2]), traj(1, [-1])];
    expect(computeAdvantages(next, cfg({}), { gameId: 'g', baselines: b })).toEqual(computeAdvantages(next, cfg({}), { gameId: 'g', baselines: a }));
  });

  it("'shared' uses one team baseline for every seat (cooperative games)", () => {
    const b = new RoleBaselines();
    const { advantages } = computeAdvantages([traj(0, [10]), traj(1, [10])], cfg({ kind: 'shared' }), { gameId: 'coop', baselines: b });
    expect(Array.from(advantages)).toEqual([10, 9.5]);
    expect(b.get('coop', 'team')).toBeCloseTo(0.95 * 0.5 + 0.05 * 10, 12);
  });
});

describe('MARS normalisation', () => {
  it('centres returns per role, then whitens across the batch', () => {
    const trajs = [traj(0, [1]), traj(0, [3]), traj(1, [10]), traj(1, [14])];
    const { advantages, valueTargets } = computeAdvantages(trajs, cfg({ kind: 'mars' }), { gameId: 'g', baselines: new RoleBaselines() });
    // Centred: [-1, 1, -2, 2]; std sqrt(2.5).
    const s = Math.sqrt(2.5);
    Array.from(advantages).forEach((a, i) => expect(a).toBeCloseTo([-1 / s, 1 / s, -2 / s, 2 / s][i]!, 6));
    expect(Array.from(valueTargets)).toEqual([1, 3, 10, 14]);
  });
});

describe('GAE', () => {
  it('matches hand-computed advantages and value targets', () => {
    const t = traj(0, [0, 0, 1]);
    const values = [Float32Array.from([0.5, 0.2, -0.1])];
    const { advantages, valueTargets } = computeAdvantages([t], cfg({ kind: 'gae', gamma: 0.9, lambda: 0.8 }), { gameId: 'g', baselines: new RoleBaselines(), values });
    const v = values[0]!;
    const d2 = 1 - v[2]!;
    const d1 = 0.9 * v[2]! - v[1]!;
    const d0 = 0.9 * v[1]! - v[0]!;
    const a2 = d2;
    const a1 = d1 + 0.72 * a2;
    const a0 = d0 + 0.72 * a1;
    [a0, a1, a2].forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 6));
    [a0 + v[0]!, a1 + v[1]!, a2 + v[2]!].forEach((x, i) => expect(valueTargets[i]).toBeCloseTo(x, 6));
  });

  it('with lambda 1 and gamma 1 is the return minus the value', () => {
    const trajs = [traj(0, [0, 2]), traj(1, [-2])];
    const values = [Float32Array.from([0.5, 1]), Float32Array.from([-0.25])];
    const { advantages } = computeAdvantages(trajs, cfg({ kind: 'gae' }), { gameId: 'g', baselines: new RoleBaselines(), values });
    expect(Array.from(advantages)).toEqual([1.5, 1, -1.75]);
    expect(() => computeAdvantages(trajs, cfg({ kind: 'gae' }), { gameId: 'g', baselines: new RoleBaselines() })).toThrow(/value/);
  });

  it('normalize whitens the batch to mean 0 and standard deviation 1', () => {
    const trajs = [traj(0, [0, 2]), traj(1, [-2]), traj(0, [5])];
    const values = [Float32Array.from([0.5, 1]), Float32Array.from([-0.25]), Float32Array.from([0])];
    const { advantages } = computeAdvantages(trajs, cfg({ kind: 'gae', normalize: true }), { gameId: 'g', baselines: new RoleBaselines(), values });
    const a = Array.from(advantages);
    const mean = a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean).toBeCloseTo(0, 6);
    expect(Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length)).toBeCloseTo(1, 6);
  });
});

describe('helpers', () => {
  it('returnsToGo and whiten', () => {
    expect(Array.from(returnsToGo([1, 0, 2], 0.5))).toEqual([1.5, 1, 2]);
    const x = Float64Array.from([3, 3, 3]);
    whiten(x);
    expect(Array.from(x)).toEqual([0, 0, 0]);
  });
});
