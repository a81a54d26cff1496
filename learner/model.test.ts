import { MlpPolicy } from '../agents/neural';
import { weightLayout, type ModelSpec } from '../agents/mlp-snapshot';
import { loadGame } from '../environments/registry';
import { Rng } from '../environments/core/rng';
import { selectBackend, type Tf } from './backend';
import { createModel, deserializeModel, initialWeights, policyLogProbs, modelSpecFor, serializeModel } from './model';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend({ prefer: 'cpu' })).tf;
});

/** Random observations and legal masks (at least one legal action per row). */
function batch(spec: ModelSpec, n: number, seed: number): { obs: Float32Array; legal: number[][] } {
  const rng = Rng.fromSeed(seed);
  const obs = Float32Array.from({ length: n * spec.inputSize }, () => (rng.float() < 0.5 ? 0 : 2 * rng.float() - 1));
  const legal = Array.from({ length: n }, () => {
    const l = Array.from({ length: spec.numActions }, (_, a) => a).filter(() => rng.float() < 0.6);
    return l.length > 0 ? l : [rng.int(spec.numActions)];
  });
  return { obs, legal };
}

const specs: ModelSpec[] = [
  { inputSize: 16, numActions: 3, hidden: [32, 32], activation: 'tanh', torso: 'separate' },
  { inputSize: 126, numActions: 7, hidden: [64], activation: 'relu', torso: 'shared' },
  { inputSize: 7, numActions: 2, hidden: [], activation: 'tanh', torso: 'shared' },
  { inputSize: 16, numActions: 3, hidden: [8], activation: 'relu', torso: 'separate', epsilon: 0.1 },
];

describe('policy/value model', () => {
  it('initial weights are seeded, Glorot-bounded, with zero biases and a small policy head', () => {
    const spec = specs[0]!;
    const a = initialWeights(spec, 3);
    expect(initialWeights(spec, 3)).toEqual(a);
    expect(initialWeights(spec, 4)).not.toEqual(a);
    weightLayout(spec).forEach((t, i) => {
      const w = a[i]!;
      if (t.name.endsWith('/bias')) return expect(w.every((x) => x === 0)).toBe(true);
      const [fi, fo] = t.shape as [number, number];
      const limit = (t.name === 'policy/kernel' ? 0.01 : 1) * Math.sqrt(6 / (fi + fo));
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(limit);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(limit * 0.8);
    });
  });

  it.each(specs.map((s) => [`${s.inputSize}-${s.hidden.join('-')}-${s.numActions} ${s.activation} ${s.torso} epsilon ${s.epsilon ?? 0}`, s] as const))(
    'the pure-JS MlpPolicy matches the tfjs forward pass within 1e-5 (%s)',
    (_name, spec) => {
      // Larger-than-initial weights so that the comparison exercises non-trivial probabilities.
      const model = createModel(tf, spec, 9);
      model.setWeights(model.getWeights().map((w) => w.map((x) => x * 20)));
      const policy = MlpPolicy.fromBlob(serializeModel(model));
      const n = 64;
      const { obs, legal } = batch(spec, n, 1);
      const mask = new Float32Array(n * spec.numActions);
      legal.forEach((l, i) => l.forEach((a) => (mask[i * spec.numActions + a] = 1)));
      const out = tf.tidy(() => {
        const o = model.forward(tf.tensor2d(obs, [n, spec.inputSize]));
        return { logp: policyLogProbs(tf, o.logits, tf.tensor2d(mask, [n, spec.numActions]), spec.epsilon), values: o.values };
      });
      const logp = out.logp.arraySync();
      const values = out.values.arraySync();
      tf.dispose([out.logp, out.values]);
      model.dispose();
      let checked = 0;
      for (let i = 0; i < n; i++) {
        const x = obs.subarray(i * spec.inputSize, (i + 1) * spec.inputSize);
        const p = policy.probabilities(x, legal[i]!);
        for (let a = 0; a < spec.numActions; a++) {
          const expected = legal[i]!.includes(a) ? Math.exp(logp[i]![a]!) : 0;
          expect(Math.abs(p[a]! - expected)).toBeLessThan(1e-5);
          checked++;
        }
        expect(Math.abs(policy.value(x) - values[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(values[i]!)));
      }
      expect(checked).toBe(n * spec.numActions);
      if (spec.epsilon) {
        // The uniform share is a floor under every legal action.
        for (let i = 0; i < n; i++) {
          const p = policy.probabilities(obs.subarray(i * spec.inputSize, (i + 1) * spec.inputSize), legal[i]!);
          for (const a of legal[i]!) expect(p[a]).toBeGreaterThanOrEqual(spec.epsilon / legal[i]!.length - 1e-12);
        }
      }
    },
  );

  it('serialises without loss: the reloaded model gives identical outputs and weights', () => {
    const spec = modelSpecFor(loadGame('leduc-poker'), { hidden: [32], activation: 'tanh', torso: 'separate' });
    expect(spec).toEqual({ inputSize: 16, numActions: 3, hidden: [32], activation: 'tanh', torso: 'separate' });
    const model = createModel(tf, spec, 2);
    const blob = serializeModel(model, { note: 'x' });
    const { model: back, meta } = deserializeModel(tf, blob);
    expect(meta).toEqual({ note: 'x' });
    expect(back.getWeights()).toEqual(model.getWeights());
    const { obs } = batch(spec, 8, 2);
    expect(back.predictValues(obs, 8)).toEqual(model.predictValues(obs, 8));
    model.dispose();
    back.dispose();
  });

  it('a fresh network plays close to uniformly (policy head gain 0.01)', () => {
    const spec = modelSpecFor(loadGame('kuhn-poker'), { hidden: [64, 64], activation: 'tanh', torso: 'separate' });
    const model = createModel(tf, spec, 1);
    const policy = MlpPolicy.fromBlob(serializeModel(model));
    model.dispose();
    const { obs } = batch(spec, 20, 3);
    for (let i = 0; i < 20; i++) {
      const p = policy.probabilities(obs.subarray(i * 7, i * 7 + 7), [0, 1]);
      expect(Math.abs(p[0]! - 0.5)).toBeLessThan(0.02);
    }
  });
});
