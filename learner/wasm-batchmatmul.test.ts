import type { Tensor } from '@tensorflow/tfjs';
import { Rng } from '../environments/core/rng';
import { selectBackend, type Tf } from './backend';
import { createModel } from './model';
import { ppoLoss } from './ppo';
import type { ModelSpec } from '../agents/mlp-snapshot';

const spec: ModelSpec = { inputSize: 64, numActions: 8, hidden: [256, 256], activation: 'tanh', torso: 'separate' };
const n = 256;

/** Loss terms and gradients of every variable for a fixed seeded batch on the current backend. */
function forwardBackward(tf: Tf): { loss: number[]; grads: Float32Array[]; logits: Float32Array } {
  const model = createModel(tf, spec, 7);
  // Scale weights up so that activations and probabilities are far from their initial near-constant values.
  model.setWeights(model.getWeights().map((w) => w.map((x) => x * 3)));
  const rng = Rng.fromSeed(11);
  const obs = tf.tensor2d(Float32Array.from({ length: n * spec.inputSize }, () => rng.float() * 2 - 1), [n, spec.inputSize]);
  const maskData = Float32Array.from({ length: n * spec.numActions }, (_, i) => (i % spec.numActions === 0 || rng.float() < 0.7 ? 1 : 0));
  const actions = Int32Array.from({ length: n }, (_, i) => {
    const legal = [...Array(spec.numActions).keys()].filter((a) => maskData[i * spec.numActions + a] === 1);
    return legal[rng.int(legal.length)]!;
  });
  const mb = {
    legalMask: tf.tensor2d(maskData, [n, spec.numActions]),
    actions: tf.tensor1d(actions, 'int32'),
    behaviourLogProbs: tf.tensor1d(Float32Array.from({ length: n }, () => -1 - rng.float())),
    advantages: tf.tensor1d(Float32Array.from({ length: n }, () => rng.float() * 2 - 1)),
    valueTargets: tf.tensor1d(Float32Array.from({ length: n }, () => rng.float() * 2 - 1)),
  };
  const coefs = { clip: 0.2, valueCoef: 0.5, entropyCoef: 0.01, magnetCoef: 0 };
  let kept: Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = model.forward(obs);
    const t = ppoLoss(tf, out, mb, coefs);
    kept = [tf.keep(out.logits), tf.keep(t.policyLoss), tf.keep(t.valueLoss), tf.keep(t.entropy)];
    return t.total;
  }, model.variables);
  const result = {
    loss: [value, ...kept.slice(1)].map((t) => t.dataSync()[0]!),
    grads: model.variables.map((v) => Float32Array.from(grads[v.name]!.dataSync() as Float32Array)),
    logits: Float32Array.from(kept[0]!.dataSync() as Float32Array),
  };
  tf.dispose([value, ...Object.values(grads), ...kept, obs, ...Object.values(mb)]);
  model.dispose();
  return result;
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  // Absolute 1e-5, relative to the largest entry for tensors with large values.
  expect(worst).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

describe('wasm BatchMatMul fix', () => {
  it('wasm (patched) and cpu agree within 1e-5 on a forward and a backward pass of the policy net', async () => {
    const cpu = await selectBackend({ prefer: 'cpu' });
    const onCpu = forwardBackward(cpu.tf);
    const wasm = await selectBackend({ prefer: 'wasm' });
    expect(wasm.name).toBe('wasm');
    const onWasm = forwardBackward(wasm.tf);
    expectClose(onWasm.logits, onCpu.logits, 1e-5);
    expectClose(onWasm.loss, onCpu.loss, 1e-5);
    expect(onWasm.grads.length).toBe(12);
    onWasm.grads.forEach((g, i) => expectClose(g, onCpu.grads[i]!, 1e-5));
    // The gradients are not trivially zero.
    expect(Math.max(...onCpu.grads[0]!.map(Math.abs))).toBeGreaterThan(1e-4);
  });

  it('transposed products equal the explicit ones, and the kernel is the replacement', async () => {
    const { tf } = await selectBackend({ prefer: 'wasm' });
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    expect(kernel?.kernelFunc.name).toBe('kernelFunc');
    const rng = Rng.fromSeed(3);
    const a = tf.tensor3d(Float32Array.from({ length: 2 * 5 * 3 }, () => rng.float()), [2, 5, 3]);
    const b = tf.tensor3d(Float32Array.from({ length: 2 * 5 * 4 }, () => rng.float()), [2, 5, 4]);
    const dataIds = (): number => (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
    const before = dataIds();
    const viaFlag = tf.matMul(a, b, true, false);
    // Only the output is new: the kernel's explicit transpose was freed.
    expect(dataIds()).toBe(before + 1);
    const explicit = tf.tidy(() => tf.matMul(tf.transpose(a, [0, 2, 1]), b));
    expectClose(viaFlag.dataSync(), explicit.dataSync(), 1e-6);
    const flags = tf.matMul(b, a, true, false);
    const both = tf.tidy(() => tf.matMul(tf.transpose(b, [0, 2, 1]), a));
    expectClose(flags.dataSync(), both.dataSync(), 1e-6);
    const tb = tf.matMul(a.reshape([10, 3]), b.reshape([10, 4]).slice([0, 0], [10, 3]), false, true);
    const tbExplicit = tf.tidy(() => tf.matMul(a.reshape([10, 3]), tf.transpose(b.reshape([10, 4]).slice([0, 0], [10, 3]))));
    expectClose(tb.dataSync(), tbExplicit.dataSync(), 1e-6);
    tf.dispose([viaFlag, explicit, flags, both, tb, tbExplicit]);
    tf.dispose([a, b]);
  });
});
