import type { ModelSpec } from '../agents/mlp-snapshot';
import { Rng } from '../environments/core/rng';
import { selectBackend, type Tf } from './backend';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { createModel, deserializeModel, serializeModel } from './model';
import { PpoTrainer, ppoLoss, type PpoBatch } from './ppo';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend({ prefer: 'cpu' })).tf;
});

// A tiny batch: 4 decisions, 3 actions, with ratios 1.47 (A > 0: clipped, no gradient), 0.95 (inside the range),
// 0.70 (A > 0: below the range, the unclipped term is the minimum) and 1.31 (A < 0: above the range, unclipped
// term again), so every branch of the clipped objective is exercised.
const logits = [
  [0.2, -0.5, 1.0],
  [1.5, 0.3, -0.7],
  [-0.2, 0.4, 0.1],
  [0.0, 2.0, -1.0],
];
const mask = [
  [1, 1, 1],
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 0],
];
const actions = [2, 0, 1, 1];
const behaviourLogProbs = [-0.9, -0.05, -0.2, -0.4];
const advantages = [1.5, -0.8, 0.6, -1.1];
const values = [0.3, -0.2, 0.5, 1.0];
const targets = [1.0, -1.0, 0.2, 0.4];
const magnet = [
  [Math.log(0.2), Math.log(0.3), Math.log(0.5)],
  [Math.log(0.6), 0, Math.log(0.4)],
  [0, Math.log(0.5), Math.log(0.5)],
  [Math.log(0.1), Math.log(0.9), 0],
];
const coefs = { clip: 0.2, valueCoef: 0.5, entropyCoef: 0.05, magnetCoef: 0.3, logitCoef: 0.1 };

/** The loss in plain float64 JavaScript, written from the formulas (no tfjs). */
function referenceLoss(L: number[][], V: number[], eps = 0): { total: number; policy: number; value: number; entropy: number; kl: number; spread: number; clipFrac: number; approxKl: number } {
  const n = L.length;
  let policy = 0;
  let value = 0;
  let entropy = 0;
  let kl = 0;
  let clipped = 0;
  let approxKl = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const legal = [0, 1, 2].filter((a) => mask[i]![a] === 1);
    const mean = legal.reduce((s, a) => s + L[i]![a]!, 0) / legal.length;
    spread += legal.reduce((s, a) => s + (L[i]![a]! - mean) ** 2, 0) / legal.length / n;
    const max = Math.max(...legal.map((a) => L[i]![a]!));
    const lse = max + Math.log(legal.reduce((s, a) => s + Math.exp(L[i]![a]! - max), 0));
    const logp = (a: number): number => Math.log((1 - eps) * Math.exp(L[i]![a]! - lse) + eps / legal.length);
    const r = Math.exp(logp(actions[i]!) - behaviourLogProbs[i]!);
    const A = advantages[i]!;
    const rc = Math.min(Math.max(r, 1 - coefs.clip), 1 + coefs.clip);
    policy += Math.max(-A * r, -A * rc) / n;
    value += (0.5 * (V[i]! - targets[i]!) ** 2) / n;
    entropy += -legal.reduce((s, a) => s + Math.exp(logp(a)) * logp(a), 0) / n;
    kl += legal.reduce((s, a) => s + Math.exp(logp(a)) * (logp(a) - magnet[i]![a]!), 0) / n;
    if (Math.abs(r - 1) > coefs.clip) clipped += 1 / n;
    approxKl += (r - 1 - Math.log(r)) / n;
  }
  return {
    total: policy + coefs.valueCoef * value - coefs.entropyCoef * entropy + coefs.magnetCoef * kl + coefs.logitCoef * spread,
    policy,
    value,
    entropy,
    kl,
    spread,
    clipFrac: clipped,
    approxKl,
  };
}

/** Hand-derived gradient of the total loss with respect to the logits and the values. */
function referenceGradients(L: number[][], V: number[]): { dL: number[][]; dV: number[] } {
  const n = L.length;
  const dL = L.map((row) => row.map(() => 0));
  const dV = V.map((v, i) => (coefs.valueCoef * (v - targets[i]!)) / n);
  for (let i = 0; i < n; i++) {
    const legal = [0, 1, 2].filter((a) => mask[i]![a] === 1);
    const max = Math.max(...legal.map((a) => L[i]![a]!));
    const lse = max + Math.log(legal.reduce((s, a) => s + Math.exp(L[i]![a]! - max), 0));
    const logp = (a: number): number => L[i]![a]! - lse;
    const p = (a: number): number => Math.exp(logp(a));
    const act = actions[i]!;
    const r = Math.exp(logp(act) - behaviourLogProbs[i]!);
    const A = advantages[i]!;
    const rc = Math.min(Math.max(r, 1 - coefs.clip), 1 + coefs.clip);
    // The unclipped term is the active one when -A r >= -A clip(r); otherwise the clipped constant is (zero gradient).
    const active = -A * r >= -A * rc;
    const H = -legal.reduce((s, a) => s + p(a) * logp(a), 0);
    const KL = legal.reduce((s, a) => s + p(a) * (logp(a) - magnet[i]![a]!), 0);
    const mean = legal.reduce((s, a) => s + L[i]![a]!, 0) / legal.length;
    for (const j of legal) {
      const dSpread = (2 * (L[i]![j]! - mean)) / legal.length;
      const dlogpAct = (j === act ? 1 : 0) - p(j); // d log p(act) / d logit j
      const dPolicy = active ? -A * r * dlogpAct : 0;
      const dEntropy = -p(j) * (logp(j) + H);
      const dKl = p(j) * (logp(j) - magnet[i]![j]! - KL);
      dL[i]![j] = (dPolicy - coefs.entropyCoef * dEntropy + coefs.magnetCoef * dKl + coefs.logitCoef * dSpread) / n;
    }
  }
  return { dL, dV };
}

/** d referenceLoss / d logits by central finite differences (0 for illegal actions). */
function finiteDifferenceLogits(eps = 0, h = 1e-6): number[][] {
  return logits.map((row, i) =>
    row.map((_, j) => {
      if (mask[i]![j] !== 1) return 0;
      const up = logits.map((r) => [...r]);
      const down = logits.map((r) => [...r]);
      up[i]![j]! += h;
      down[i]![j]! -= h;
      return (referenceLoss(up, values, eps).total - referenceLoss(down, values, eps).total) / (2 * h);
    }),
  );
}

/** The tiny batch above as the tensors ppoLoss takes (the caller disposes them). */
function tinyMinibatch() {
  return {
    legalMask: tf.tensor2d(mask.flat(), [4, 3]),
    actions: tf.tensor1d(actions, 'int32'),
    behaviourLogProbs: tf.tensor1d(behaviourLogProbs),
    advantages: tf.tensor1d(advantages),
    valueTargets: tf.tensor1d(targets),
    magnetLogProbs: tf.tensor2d(magnet.flat(), [4, 3]),
  };
}

describe('ppoLoss', () => {
  it('the reference gradients are right (central finite differences of the reference loss)', () => {
    const { dL, dV } = referenceGradients(logits, values);
    const fdL = finiteDifferenceLogits();
    const h = 1e-6;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) expect(dL[i]![j]).toBeCloseTo(fdL[i]![j]!, 7);
      const vu = [...values];
      const vd = [...values];
      vu[i]! += h;
      vd[i]! -= h;
      expect(dV[i]).toBeCloseTo((referenceLoss(logits, vu).total - referenceLoss(logits, vd).total) / (2 * h), 7);
    }
  });

  it('matches the hand-computed loss terms and gradients on a tiny batch', () => {
    const ref = referenceLoss(logits, values);
    expect(ref.clipFrac).toBeCloseTo(0.75, 12);
    const mb = tinyMinibatch();
    const L = tf.tensor2d(logits.flat(), [4, 3]);
    const V = tf.tensor1d(values);
    const terms = ppoLoss(tf, { logits: L, values: V }, mb, coefs);
    expect(terms.total.dataSync()[0]).toBeCloseTo(ref.total, 5);
    expect(terms.policyLoss.dataSync()[0]).toBeCloseTo(ref.policy, 5);
    expect(terms.valueLoss.dataSync()[0]).toBeCloseTo(ref.value, 5);
    expect(terms.entropy.dataSync()[0]).toBeCloseTo(ref.entropy, 5);
    expect(terms.magnetKl.dataSync()[0]).toBeCloseTo(ref.kl, 5);
    expect(terms.logitSpread.dataSync()[0]).toBeCloseTo(ref.spread, 5);
    expect(terms.approxKl.dataSync()[0]).toBeCloseTo(ref.approxKl, 5);
    expect(terms.clipFraction.dataSync()[0]).toBeCloseTo(0.75, 6);

    const [gL, gV] = tf.grads((l, v) => ppoLoss(tf, { logits: l as typeof L, values: v as typeof V }, mb, coefs).total)([L, V]);
    const { dL, dV } = referenceGradients(logits, values);
    const gotL = gL!.arraySync() as number[][];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) {
        // Illegal logits get exactly zero gradient (masked by tf.where).
        if (mask[i]![j] === 0) expect(gotL[i]![j]).toBe(0);
        else expect(gotL[i]![j]).toBeCloseTo(dL[i]![j]!, 5);
      }
    }
    (gV!.arraySync() as number[]).forEach((g, i) => expect(g).toBeCloseTo(dV[i]!, 6));
    tf.dispose([L, V, gL!, gV!, ...Object.values(mb), ...Object.values(terms)]);
  });

  it('with a uniform share (epsilon 0.2) the loss is that of the mixed policy, and its gradients match finite differences', () => {
    const eps = 0.2;
    const mb = tinyMinibatch();
    const L = tf.tensor2d(logits.flat(), [4, 3]);
    const V = tf.tensor1d(values);
    const terms = ppoLoss(tf, { logits: L, values: V }, mb, coefs, eps);
    const ref = referenceLoss(logits, values, eps);
    expect(ref.total).not.toBeCloseTo(referenceLoss(logits, values).total, 2);
    expect(terms.total.dataSync()[0]).toBeCloseTo(ref.total, 5);
    expect(terms.entropy.dataSync()[0]).toBeCloseTo(ref.entropy, 5);
    expect(terms.magnetKl.dataSync()[0]).toBeCloseTo(ref.kl, 5);
    const [gL] = tf.grads((l) => ppoLoss(tf, { logits: l as typeof L, values: V }, mb, coefs, eps).total)([L]);
    const got = gL!.arraySync() as number[][];
    const fd = finiteDifferenceLogits(eps);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) expect(got[i]![j]).toBeCloseTo(fd[i]![j]!, 5);
    tf.dispose([L, V, gL!, ...Object.values(mb), ...Object.values(terms)]);
  });

  it('gradients of the weights of a linear policy are X^T dLoss/dlogits', () => {
    const spec: ModelSpec = { inputSize: 2, numActions: 3, hidden: [], activation: 'tanh', torso: 'shared' };
    const model = createModel(tf, spec, 1);
    const x = [
      [1, 0.5],
      [-0.5, 2],
      [0.25, -1],
      [2, 1],
    ];
    // logits = x W + b: choose W, b so the logits are exactly `logits` above? Instead read them back.
    const X = tf.tensor2d(x.flat(), [4, 2]);
    const mb = tinyMinibatch();
    model.setWeights([
      Float32Array.from([0.5, -1, 0.25, 1, 0.75, -0.5]),
      Float32Array.from([0.1, 0, -0.1]),
      Float32Array.from([0.3, -0.6]),
      Float32Array.from([0.2]),
    ]);
    const out = model.forward(X);
    const L = out.logits.arraySync();
    const Vv = out.values.arraySync();
    const { value, grads } = tf.variableGrads(() => ppoLoss(tf, model.forward(X), mb, coefs).total, model.variables);
    const { dL, dV } = referenceGradients(L, Vv);
    const expectKernel = [0, 1].flatMap((i) => [0, 1, 2].map((j) => x.reduce((s, row, k) => s + row[i]! * dL[k]![j]!, 0)));
    const expectBias = [0, 1, 2].map((j) => dL.reduce((s, row) => s + row[j]!, 0));
    const expectValueKernel = [0, 1].map((i) => x.reduce((s, row, k) => s + row[i]! * dV[k]!, 0));
    const got = model.variables.map((v) => Array.from(grads[v.name]!.dataSync()));
    got[0]!.forEach((g, k) => expect(g).toBeCloseTo(expectKernel[k]!, 5));
    got[1]!.forEach((g, k) => expect(g).toBeCloseTo(expectBias[k]!, 5));
    got[2]!.forEach((g, k) => expect(g).toBeCloseTo(expectValueKernel[k]!, 5));
    expect(got[3]![0]).toBeCloseTo(dV.reduce((a, b) => a + b, 0), 5);
    tf.dispose([X, value, out.logits, out.values, ...Object.values(grads), ...Object.values(mb)]);
    model.dispose();
  });
});

/** A random batch for a spec (seeded). */
function randomBatch(spec: ModelSpec, n: number, seed: number): PpoBatch {
  const rng = Rng.fromSeed(seed);
  const legalMasks = Uint8Array.from({ length: n * spec.numActions }, (_, i) => (i % spec.numActions === 0 || rng.float() < 0.6 ? 1 : 0));
  const actions = Int32Array.from({ length: n }, (_, i) => {
    const legal = [...Array(spec.numActions).keys()].filter((a) => legalMasks[i * spec.numActions + a] === 1);
    return legal[rng.int(legal.length)]!;
  });
  return {
    size: n,
    observations: Float32Array.from({ length: n * spec.inputSize }, () => rng.float() * 2 - 1),
    legalMasks,
    actions,
    behaviourLogProbs: Float32Array.from({ length: n }, () => -Math.log(2) - 0.1 * rng.float()),
    advantages: Float32Array.from({ length: n }, () => rng.float() * 2 - 1),
    valueTargets: Float32Array.from({ length: n }, () => rng.float() * 2 - 1),
  };
}

describe('PpoTrainer', () => {
  const spec: ModelSpec = { inputSize: 6, numActions: 3, hidden: [16], activation: 'tanh', torso: 'separate' };
  const config = { learningRate: 0.01, epochs: 3, minibatchSize: 40 };

  it('raises the probability of actions with positive advantage and reports its statistics', () => {
    const model = createModel(tf, spec, 1);
    const trainer = new PpoTrainer(tf, model, { ...config, entropyCoef: 0 }, 5);
    // One observation repeated: action 0 always has advantage +1, action 1 -1.
    const n = 64;
    const observations = new Float32Array(n * 6).fill(0.5);
    const actions = Int32Array.from({ length: n }, (_, i) => i % 2);
    const batch: PpoBatch = {
      size: n,
      observations,
      legalMasks: new Uint8Array(n * 3).fill(1),
      actions,
      behaviourLogProbs: new Float32Array(n).fill(Math.log(1 / 3)),
      advantages: Float32Array.from(actions, (a) => (a === 0 ? 1 : -1)),
      valueTargets: new Float32Array(n).fill(0.25),
    };
    const valueBefore = model.predictValues(observations.subarray(0, 6), 1)[0]!;
    const before = tf.memory().numTensors;
    const stats = trainer.update(batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(stats.minibatchSteps).toBe(3 * 2);
    expect(stats.samples).toBe(n);
    expect(stats.samplesPerSecond).toBeGreaterThan(0);
    expect(stats.entropy).toBeGreaterThan(1.0);
    expect(stats.gradNorm).toBeGreaterThan(0);
    const logits = tf.tidy(() => model.forward(tf.tensor2d(observations.subarray(0, 6), [1, 6])).logits.arraySync()[0]!);
    expect(logits[0]).toBeGreaterThan(logits[2]!);
    expect(logits[2]).toBeGreaterThan(logits[1]!);
    // The value head moved towards its target 0.25.
    expect(Math.abs(model.predictValues(observations.subarray(0, 6), 1)[0]! - 0.25)).toBeLessThan(Math.abs(valueBefore - 0.25) * 0.75);
    trainer.dispose();
    model.dispose();
  });

  it('resumes exactly from a checkpoint (model + Adam moments + counters)', () => {
    const batches = [1, 2, 3, 4].map((s) => randomBatch(spec, 100, s));
    const a = createModel(tf, spec, 3);
    const ta = new PpoTrainer(tf, a, config, 9);
    ta.update(batches[0]!);
    ta.update(batches[1]!);
    const bytes = encodeCheckpoint({ model: serializeModel(a), trainer: ta.exportState(), baselines: { decay: 0.95, values: {} }, extra: {} });
    ta.update(batches[2]!);
    ta.update(batches[3]!);

    const cp = decodeCheckpoint(bytes);
    const { model: b } = deserializeModel(tf, cp.model);
    const tb = new PpoTrainer(tf, b, config, 9);
    tb.importState(cp.trainer);
    expect(tb.updateCount).toBe(2);
    tb.update(batches[2]!);
    tb.update(batches[3]!);
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(tb.exportState()).toEqual(ta.exportState());
    // Without the optimizer state the continuation differs (the moments matter).
    const c = deserializeModel(tf, cp.model).model;
    const tc = new PpoTrainer(tf, c, config, 9);
    tc.update(batches[2]!);
    expect(c.getWeights()).not.toEqual(b.getWeights());
    for (const x of [ta, tb, tc]) x.dispose();
    for (const x of [a, b, c]) x.dispose();
  });

  it('does not leak tensors over many updates', () => {
    const model = createModel(tf, spec, 4);
    const trainer = new PpoTrainer(tf, model, { ...config, magnetCoef: 0.1 }, 1);
    const withMagnet = (b: PpoBatch): PpoBatch => ({ ...b, magnetLogProbs: new Float32Array(b.size * 3).fill(Math.log(1 / 3)) });
    trainer.update(withMagnet(randomBatch(spec, 50, 1)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) trainer.update(withMagnet(randomBatch(spec, 50, i)));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => trainer.update(randomBatch(spec, 50, 1))).toThrow(/magnetLogProbs/);
    trainer.dispose();
    model.dispose();
  });
});
