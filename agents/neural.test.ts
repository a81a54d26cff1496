import { loadGame } from '../environments/registry';
import { runMatch } from '../engine/match';
import type { SeatView } from './agent';
import { encodeMlpSnapshot, type ModelSpec } from './mlp-snapshot';
import { MlpPolicy, NeuralAgent } from './neural';
import { RandomAgent } from './random';

// A 2 -> [2] -> 3 network with a shared torso and hand-picked weights, computed by hand below.
const spec: ModelSpec = { inputSize: 2, numActions: 3, hidden: [2], activation: 'tanh', torso: 'shared' };
const weights = [
  Float32Array.from([0.5, -1, 0.25, 2]), // torso.0/kernel [2x2]: row i = input i
  Float32Array.from([0.1, -0.2]), // torso.0/bias
  Float32Array.from([1, 0, -1, 0.5, 2, 0]), // policy/kernel [2x3]
  Float32Array.from([0, 0.3, -0.3]), // policy/bias
  Float32Array.from([1.5, -0.5]), // value/kernel [2x1]
  Float32Array.from([0.25]), // value/bias
];
const policy = MlpPolicy.fromBlob(encodeMlpSnapshot({ spec, weights, meta: {} }));

function byHand(x: [number, number]): { logits: number[]; value: number } {
  const f = Math.fround;
  const h0 = Math.tanh(f(0.1) + x[0] * 0.5 + x[1] * 0.25);
  const h1 = Math.tanh(f(-0.2) + x[0] * -1 + x[1] * 2);
  return {
    logits: [h0 * 1 + h1 * 0.5, f(0.3) + h1 * 2, f(-0.3) - h0],
    value: 0.25 + 1.5 * h0 - 0.5 * h1,
  };
}

describe('MlpPolicy (pure JS forward pass)', () => {
  it('computes logits, value and the masked softmax as by hand', () => {
    const x: [number, number] = [0.75, -1.25];
    const { logits, value } = byHand(x);
    const got = policy.logits(Float32Array.from(x));
    logits.forEach((l, i) => expect(got[i]).toBeCloseTo(l, 6));
    expect(policy.value(Float32Array.from(x))).toBeCloseTo(value, 6);
    // Legal actions 0 and 2 only: softmax over those two, action 1 exactly 0.
    const p = policy.probabilities(Float32Array.from(x), [0, 2]);
    const e0 = Math.exp(logits[0]!);
    const e2 = Math.exp(logits[2]!);
    expect(p[1]).toBe(0);
    expect(p[0]).toBeCloseTo(e0 / (e0 + e2), 12);
    expect(p[2]).toBeCloseTo(e2 / (e0 + e2), 12);
    expect(policy.logProb(Float32Array.from(x), [0, 2], 2)).toBeCloseTo(Math.log(e2 / (e0 + e2)), 12);
    expect(policy.logProb(Float32Array.from(x), [0, 2], 1)).toBe(-Infinity);
  });

  it('relu and separate torsos follow the layout', () => {
    const sep: ModelSpec = { inputSize: 1, numActions: 2, hidden: [1], activation: 'relu', torso: 'separate' };
    const w = [[2], [-1], [1, -1], [0, 0], [-3], [0.5], [4], [1]].map((a) => Float32Array.from(a));
    const p = MlpPolicy.fromBlob(encodeMlpSnapshot({ spec: sep, weights: w, meta: {} }));
    // policy: h = relu(2x - 1); logits = [h, -h]. value: g = relu(-3x + 0.5); v = 4g + 1.
    expect(Array.from(p.logits([2]))).toEqual([3, -3]);
    expect(Array.from(p.logits([0]))).toEqual([0, 0]);
    expect(p.value([0])).toBe(3);
    expect(p.value([1])).toBe(1);
  });

  it('rejects an observation of the wrong size', () => {
    expect(() => policy.logits([1, 2, 3])).toThrow(/observation of 3 values/);
  });
});

describe('NeuralAgent', () => {
  const view = (legal: number[]): SeatView<unknown, number> =>
    ({ legalActions: legal, observationTensor: Float32Array.from([0.75, -1.25]) }) as unknown as SeatView<unknown, number>;

  it('samples in proportion to the probabilities, reproducibly per seed', () => {
    const p = policy.probabilities(Float32Array.from([0.75, -1.25]), [0, 1, 2]);
    const a = new NeuralAgent(policy, { seed: 5 });
    const b = new NeuralAgent(policy, { seed: 5 });
    const counts = [0, 0, 0];
    const n = 20000;
    const seqA: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = a.act(view([0, 1, 2]));
      counts[x]!++;
      seqA.push(x);
    }
    expect(seqA).toEqual(Array.from({ length: n }, () => b.act(view([0, 1, 2]))));
    // 4 standard deviations of a binomial proportion at n = 20000 is below 0.015.
    counts.forEach((c, i) => expect(Math.abs(c / n - p[i]!)).toBeLessThan(0.015));
  });

  it('greedy plays the most probable legal action', () => {
    const p = policy.probabilities(Float32Array.from([0.75, -1.25]), [0, 1, 2]);
    const best = [0, 1, 2].reduce((x, y) => (p[y]! > p[x]! ? y : x));
    expect(new NeuralAgent(policy, { seed: 1, greedy: true }).act(view([0, 1, 2]))).toBe(best);
    const other = [0, 1, 2].filter((a) => a !== best);
    const expected = p[other[0]!]! >= p[other[1]!]! ? other[0]! : other[1]!;
    expect(new NeuralAgent(policy, { seed: 1, greedy: true }).act(view(other))).toBe(expected);
  });

  it('plays full matches through runMatch (never an illegal action)', async () => {
    const game = loadGame('connect-four');
    const wide: ModelSpec = { inputSize: 126, numActions: 7, hidden: [8], activation: 'tanh', torso: 'shared' };
    const w = [126 * 8, 8, 8 * 7, 7, 8, 1].map((n, k) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 7 + k)));
    const net = MlpPolicy.fromBlob(encodeMlpSnapshot({ spec: wide, weights: w, meta: {} }));
    net.checkGame(game);
    for (let s = 0; s < 5; s++) {
      const record = await runMatch(game, s, [{ agent: new NeuralAgent(net, { seed: s }) }, { agent: new RandomAgent(s) }]);
      expect(record.endReason).toBe('terminal');
    }
    expect(() => net.checkGame(loadGame('kuhn-poker'))).toThrow(/needs 7 -> 2/);
  });
});
