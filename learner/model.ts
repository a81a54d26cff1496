/**
 * The learner's policy/value MLP on tfjs: plain variables and ops (no tf.layers), laid out exactly as the snapshot
 * format of agents/mlp-snapshot.ts, so that `serializeModel` is a copy of the weights and actors run the same
 * network with agents/neural.ts without tfjs. Initial weights are drawn in plain JavaScript from our seeded Rng,
 * so a (spec, seed) pair gives the same network on every backend and machine.
 */
import type { Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { decodeMlpSnapshot, encodeMlpSnapshot, weightLayout, checkWeights, type ModelSpec, type MlpSnapshot } from '../agents/mlp-snapshot';
import type { AnyGame, Json } from '../environments/core/game';
import { ArenaError } from '../environments/core/errors';
import { Rng } from '../environments/core/rng';
import type { Tf } from './backend';

export type { ModelSpec } from '../agents/mlp-snapshot';

/** Logit given to illegal actions before the softmax: exp(-1e9 - max) is exactly 0 in float32. */
export const ILLEGAL_LOGIT = -1e9;

/** Gain of the policy head's initial weights: small, so a fresh network plays close to uniformly. */
const POLICY_HEAD_GAIN = 0.01;

/** The ModelSpec of an MLP for `game`'s flat observation tensor and discrete actions. */
export function modelSpecFor(game: AnyGame, arch: Pick<ModelSpec, 'hidden' | 'activation' | 'torso' | 'epsilon'>): ModelSpec {
  if (game.actionSpace.kind !== 'discrete') {
    throw new ArenaError('agent/unsupported-game', `learner: ${game.spec.id} has no discrete action space`);
  }
  const inputSize = game.observationShape.reduce((a, b) => a * b, 1);
  return {
    inputSize,
    numActions: game.actionSpace.n,
    hidden: [...arch.hidden],
    activation: arch.activation,
    torso: arch.torso,
    ...(arch.epsilon ? { epsilon: arch.epsilon } : {}),
  };
}

/**
 * Seeded initial weights: Glorot-uniform kernels (scaled by sqrt(2) for relu), zero biases, and a policy head
 * scaled by 0.01 (as in common PPO implementations) so the first snapshot is nearly uniform over legal actions.
 */
export function initialWeights(spec: ModelSpec, seed: number): Float32Array[] {
  const rng = Rng.fromSeed(seed);
  const hiddenGain = spec.activation === 'relu' ? Math.SQRT2 : 1;
  return weightLayout(spec).map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const w = new Float32Array(n);
    if (t.name.endsWith('/bias')) return w;
    const [fanIn, fanOut] = t.shape as [number, number];
    const gain = t.name === 'policy/kernel' ? POLICY_HEAD_GAIN : t.name === 'value/kernel' ? 1 : hiddenGain;
    const limit = gain * Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < n; i++) w[i] = (2 * rng.float() - 1) * limit;
    return w;
  });
}

export interface ModelOutputs {
  /** Raw policy logits [batch, numActions] (turn them into the policy with `policyLogProbs`). */
  readonly logits: Tensor2D;
  /** Value estimates [batch]. */
  readonly values: Tensor1D;
}

/** A policy/value MLP whose variables follow `weightLayout(spec)`. Dispose it when done. */
export class PolicyValueModel {
  /** Trainable variables in `weightLayout` order. */
  readonly variables: Variable[];

  constructor(
    readonly tf: Tf,
    readonly spec: ModelSpec,
    weights: readonly Float32Array[],
  ) {
    checkWeights(spec, weights);
    const layout = weightLayout(spec);
    this.variables = layout.map((t, i) => tf.variable(tf.tensor(weights[i]!, [...t.shape], 'float32'), true));
  }

  /** Policy logits and values for a batch of flat observations [batch, inputSize]. */
  forward(observations: Tensor2D): ModelOutputs {
    const { tf, spec } = this;
    return tf.tidy(() => {
      let k = 0;
      const dense = (x: Tensor2D, act: boolean): Tensor2D => {
        const y = tf.add(tf.matMul(x, this.variables[k]! as Tensor2D), this.variables[k + 1]!) as Tensor2D;
        k += 2;
        if (!act) return y;
        return spec.activation === 'relu' ? tf.relu(y) : tf.tanh(y);
      };
      const stack = (): Tensor2D => {
        let x = observations;
        for (let i = 0; i < spec.hidden.length; i++) x = dense(x, true);
        return x;
      };
      let logits: Tensor2D;
      let value: Tensor2D;
      if (spec.torso === 'shared') {
        const h = stack();
        logits = dense(h, false);
        value = dense(h, false);
      } else {
        logits = dense(stack(), false);
        value = dense(stack(), false);
      }
      return { logits, values: tf.reshape(value, [-1]) as Tensor1D };
    });
  }

  /** Value estimates for `count` flat observations (the current weights), e.g. for GAE. */
  predictValues(observations: Float32Array, count: number): Float32Array {
    const { tf } = this;
    const values = tf.tidy(() => this.forward(tf.tensor2d(observations, [count, this.spec.inputSize], 'float32')).values);
    try {
      return Float32Array.from(values.dataSync() as Float32Array);
    } finally {
      values.dispose();
    }
  }

  /** Copies of the current weights, in `weightLayout` order. */
  getWeights(): Float32Array[] {
    return this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  /** Overwrites every variable (same layout as `getWeights`). */
  setWeights(weights: readonly Float32Array[]): void {
    checkWeights(this.spec, weights);
    this.variables.forEach((v, i) => {
      this.tf.tidy(() => v.assign(this.tf.tensor(weights[i]!, v.shape, 'float32')));
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/**
 * Log-probabilities of the policy (see agents/mlp-snapshot.ts): log softmax over the legal actions, mixed with the
 * uniform distribution over them when `epsilon` > 0. Illegal entries are large negative numbers with zero
 * gradient; mask them out of any sum.
 */
export function policyLogProbs(tf: Tf, logits: Tensor2D, legalMask: Tensor2D, epsilon = 0): Tensor2D {
  return tf.tidy(() => {
    const legal = tf.cast(legalMask, 'bool');
    const logSoftmax = tf.logSoftmax(tf.where(legal, logits, tf.fill(logits.shape, ILLEGAL_LOGIT))) as Tensor2D;
    if (epsilon <= 0) return logSoftmax;
    const uniform = tf.div(legalMask, tf.sum(legalMask, 1, true));
    const mixed = tf.add(tf.mul(1 - epsilon, tf.exp(logSoftmax)), tf.mul(epsilon, uniform));
    // log of 1 at illegal entries keeps them finite; where() stops their gradient.
    return tf.where(legal, tf.log(tf.where(legal, mixed, tf.onesLike(mixed))), tf.fill(logits.shape, ILLEGAL_LOGIT)) as Tensor2D;
  });
}

/** A fresh network for `spec` with seeded initial weights. */
export function createModel(tf: Tf, spec: ModelSpec, seed: number): PolicyValueModel {
  return new PolicyValueModel(tf, spec, initialWeights(spec, seed));
}

/** The model as a snapshot blob (agents/mlp-snapshot.ts format: readable without tfjs). */
export function serializeModel(model: PolicyValueModel, meta: Readonly<Record<string, Json>> = {}): Uint8Array {
  return encodeMlpSnapshot({ spec: model.spec, weights: model.getWeights(), meta });
}

/** A model from a snapshot blob, with the blob's metadata. */
export function deserializeModel(tf: Tf, bytes: Uint8Array): { model: PolicyValueModel; meta: MlpSnapshot['meta'] } {
  const snap = decodeMlpSnapshot(bytes);
  return { model: new PolicyValueModel(tf, snap.spec, snap.weights), meta: snap.meta };
}
