import { FirstLegalAgent } from '../agents/first-legal';
import { encodeMlpSnapshot, type ModelSpec } from '../agents/mlp-snapshot';
import { MlpPolicy, NeuralAgent } from '../agents/neural';
import { loadGame } from '../environments/registry';
import { initialWeights, modelSpecFor } from './model';
import { infosetTensors, nashConvOfPolicy, tabularFromMlp, winRate } from './evaluate';

/** A network whose policy head is zero: exactly uniform over the legal actions everywhere. */
function uniformNetwork(spec: ModelSpec): MlpPolicy {
  const weights = initialWeights(spec, 1);
  weights[spec.hidden.length * 2]!.fill(0); // policy/kernel of a separate torso
  return MlpPolicy.fromBlob(encodeMlpSnapshot({ spec, weights, meta: {} }));
}

describe('nashConvOfPolicy', () => {
  it('is 11/12 for a uniform network in Kuhn poker and 4.747222 in Leduc (REFERENCES.md)', () => {
    const kuhn = loadGame('kuhn-poker');
    const k = nashConvOfPolicy(kuhn, uniformNetwork(modelSpecFor(kuhn, { hidden: [16], activation: 'tanh', torso: 'separate' })));
    expect(k.nashConv).toBeCloseTo(11 / 12, 12);
    const leduc = loadGame('leduc-poker');
    const l = nashConvOfPolicy(leduc, uniformNetwork(modelSpecFor(leduc, { hidden: [16], activation: 'relu', torso: 'separate' })));
    expect(l.nashConv).toBeCloseTo(4.747222222222222, 10);
    expect(l.onPolicyValues[0]).toBeCloseTo(-0.078125, 12);
  });

  it('reads one observation per information set (12 in Kuhn, 936 in Leduc) into a complete policy table', () => {
    const kuhn = loadGame('kuhn-poker');
    expect(infosetTensors(kuhn).observations.length).toBe(12);
    expect(infosetTensors(loadGame('leduc-poker')).observations.length).toBe(936);
    const spec = modelSpecFor(kuhn, { hidden: [8], activation: 'tanh', torso: 'shared' });
    const net = MlpPolicy.fromBlob(encodeMlpSnapshot({ spec, weights: initialWeights(spec, 3).map((w) => w.map((x) => x * 100)), meta: {} }));
    const table = tabularFromMlp(kuhn, net);
    expect(table.keys().sort()).toEqual(['0', '0b', '0p', '0pb', '1', '1b', '1p', '1pb', '2', '2b', '2p', '2pb']);
    // The table is the network at each information set's observation tensor.
    const { tree, observations } = infosetTensors(kuhn);
    tree.infosetKeys.forEach((key, i) => {
      const p = net.probabilities(observations[i]!, [0, 1]);
      expect(table.get(key)).toEqual([p[0], p[1]]);
    });
  });
});

describe('winRate', () => {
  it('alternates seats: a deterministic game between identical agents is won by one seat, so A scores 1/2', async () => {
    const game = loadGame('connect-four');
    const r = await winRate(game, () => new FirstLegalAgent(), 'first-legal', 10, 1);
    expect(r.episodes).toBe(10);
    expect(r.wins + r.draws + r.losses).toBe(10);
    expect(r.winRate).toBe(0.5);
    expect([...r.winRateBySeat].sort()).toEqual([0, 1]);
  });

  it('counts a neural agent against random over both seat orders (deterministic per seed)', async () => {
    const game = loadGame('connect-four');
    const spec = modelSpecFor(game, { hidden: [16], activation: 'relu', torso: 'separate' });
    const net = MlpPolicy.fromBlob(encodeMlpSnapshot({ spec, weights: initialWeights(spec, 2), meta: {} }));
    const make = (seed: number): NeuralAgent => new NeuralAgent(net, { seed });
    const a = await winRate(game, make, 'random', 20, 7);
    const b = await winRate(game, make, 'random', 20, 7);
    expect(a).toEqual(b);
    expect(a.score).toBeCloseTo((a.wins + a.draws / 2) / 20, 12);
    expect((a.winRateBySeat[0]! + a.winRateBySeat[1]!) / 2).toBeCloseTo(a.winRate, 12);
  });
});
