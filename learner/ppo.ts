/**
 * PPO (Schulman et al. 2017, clipped surrogate) on tfjs for the masked-softmax policy/value MLP of model.ts.
 *
 * Off-policy data is handled with importance ratios against the behaviour policy: `behaviourLogProbs` are the
 * log-probabilities of the snapshot that actually played each decision (recomputed by the learner from that
 * snapshot's weights with agents/neural.ts, the same code the actor sampled with), so the ratio
 * pi_theta(a|s) / pi_behaviour(a|s) is exact whether the data is from the current weights or a few snapshots back;
 * the clip bounds how far one update moves on stale data, and data older than `maxLag` snapshots is dropped
 * before it gets here (learner/experience.ts).
 *
 * Besides the clipped surrogate, the value loss and the entropy bonus, the loss has two optional regularisers for
 * self-play in imperfect-information games (both off by default): a KL term towards a "magnet" policy (an earlier
 * snapshot; magnetic mirror descent) and a penalty on the spread of the legal logits (keeps the softmax from
 * saturating where the policy gradient can no longer correct it). The presets use the second for Leduc; the magnet
 * did not help in our runs.
 *
 * The optimizer is our own Adam on tfjs ops (PyTorch's formulation, bias corrections computed in float64)
 * rather than tf.train.adam: that one cannot be resumed exactly (its beta^t accumulators are float32 products,
 * but `setWeights` restores them with pow), and its learning rate cannot be annealed. Here the state (first and
 * second moments, step) exports and imports exactly, and minibatch order is a pure function of (seed, update,
 * epoch), so a learner resumed from a checkpoint continues bit for bit.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { z } from 'zod';
import { deriveSeed, Rng } from '../environments/core/rng';
import type { Tf } from './backend';
import { policyLogProbs, type ModelOutputs, type PolicyValueModel } from './model';

export const ppoConfigSchema = z
  .object({
    learningRate: z.number().positive().default(3e-4),
    /** Clip range epsilon of the ratio. */
    clip: z.number().positive().default(0.2),
    valueCoef: z.number().min(0).default(0.5),
    entropyCoef: z.number().min(0).default(0.01),
    /**
     * Weight of KL(pi || magnet) per decision (magnetic mirror descent; 0 = off). The magnet is an earlier
     * snapshot: pulling towards it turns self-play's cycling into a proximal-point iteration that converges.
     */
    magnetCoef: z.number().min(0).default(0),
    /**
     * Weight of the squared spread of the legal logits around their mean (0 = off). Keeps the softmax from
     * saturating: at a saturated softmax neither the policy gradient (the better action is never sampled) nor the
     * entropy bonus (its gradient vanishes there) can move the policy again.
     */
    logitCoef: z.number().min(0).default(0),
    /** Passes over each batch. */
    epochs: z.number().int().min(1).default(4),
    /** Decisions per gradient step (the batch is split into ceil(size / minibatchSize) near-equal parts). */
    minibatchSize: z.number().int().min(1).default(256),
    /** Clip the global gradient norm to this (0 = no clipping). */
    maxGradNorm: z.number().min(0).default(0.5),
    adamBeta1: z.number().min(0).max(1).default(0.9),
    adamBeta2: z.number().min(0).max(1).default(0.999),
    adamEpsilon: z.number().positive().default(1e-5),
  })
  .strict();
export type PpoConfig = z.infer<typeof ppoConfigSchema>;

/** One batch of decisions, flat typed arrays (n = size). */
export interface PpoBatch {
  readonly size: number;
  /** [n, inputSize] */
  readonly observations: Float32Array;
  /** [n, numActions], 1 = legal */
  readonly legalMasks: Uint8Array;
  readonly actions: Int32Array;
  /** log pi_behaviour(a_t | s_t) of the snapshot that played the decision. */
  readonly behaviourLogProbs: Float32Array;
  readonly advantages: Float32Array;
  readonly valueTargets: Float32Array;
  /** [n, numActions] log-probabilities of the magnet policy (0 at illegal actions); needed when magnetCoef > 0. */
  readonly magnetLogProbs?: Float32Array;
}

export interface PpoStats {
  /** Means over the update's minibatch steps. */
  readonly policyLoss: number;
  readonly valueLoss: number;
  readonly entropy: number;
  /** Mean KL(pi || magnet) (0 without a magnet). */
  readonly magnetKl: number;
  /** Mean of (r - 1) - log r (Schulman's low-variance KL estimator) against the behaviour policy. */
  readonly approxKl: number;
  /** Fraction of decisions whose ratio was outside [1 - clip, 1 + clip]. */
  readonly clipFraction: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly samples: number;
  readonly minibatchSteps: number;
  readonly seconds: number;
  /** Batch decisions absorbed per second of update time (all epochs included). */
  readonly samplesPerSecond: number;
}

/** A minibatch as tensors (what `ppoLoss` needs besides the model outputs). */
export interface PpoMinibatch {
  /** [n, numActions] float32 0/1 */
  readonly legalMask: Tensor2D;
  /** [n] int32 */
  readonly actions: Tensor1D;
  readonly behaviourLogProbs: Tensor1D;
  readonly advantages: Tensor1D;
  readonly valueTargets: Tensor1D;
  /** [n, numActions] magnet log-probabilities (only read when magnetCoef > 0). */
  readonly magnetLogProbs?: Tensor2D;
}

export interface PpoLossTerms {
  /** policyLoss + valueCoef * valueLoss - entropyCoef * entropy + magnetCoef * magnetKl + logitCoef * logitSpread. */
  readonly total: Scalar;
  /** -mean(min(r A, clip(r, 1 - eps, 1 + eps) A)) */
  readonly policyLoss: Scalar;
  /** 0.5 * mean((V - target)^2) */
  readonly valueLoss: Scalar;
  /** mean over decisions of -sum_legal p log p */
  readonly entropy: Scalar;
  /** mean over decisions of sum_legal p (log p - log magnet) (0 when magnetCoef is 0) */
  readonly magnetKl: Scalar;
  /** mean over decisions of the mean over legal actions of (logit - mean legal logit)^2 (0 when logitCoef is 0) */
  readonly logitSpread: Scalar;
  readonly approxKl: Scalar;
  readonly clipFraction: Scalar;
}

/** Loss weights (from PpoConfig, with the per-update schedules applied). */
export interface PpoCoefs {
  readonly clip: number;
  readonly valueCoef: number;
  readonly entropyCoef: number;
  readonly magnetCoef: number;
  /** Default 0. */
  readonly logitCoef?: number;
}

/**
 * The PPO loss of a minibatch from model outputs (pure: no variables are read). Exported so a test can check it
 * and its gradients against values computed by hand.
 */
export function ppoLoss(
  tf: Tf,
  outputs: ModelOutputs,
  mb: PpoMinibatch,
  coefs: PpoCoefs,
  /** The policy's uniform mixture (ModelSpec.epsilon). */
  epsilon = 0,
): PpoLossTerms {
  return tf.tidy(() => {
    const numActions = outputs.logits.shape[1];
    const logp = policyLogProbs(tf, outputs.logits, mb.legalMask, epsilon);
    const taken = tf.sum(tf.mul(logp, tf.oneHot(mb.actions, numActions)), 1);
    const logRatio = tf.sub(taken, mb.behaviourLogProbs);
    const ratio = tf.exp(logRatio);
    const unclipped = tf.mul(tf.neg(mb.advantages), ratio);
    const clipped = tf.mul(tf.neg(mb.advantages), tf.clipByValue(ratio, 1 - coefs.clip, 1 + coefs.clip));
    const policyLoss = tf.mean(tf.maximum(unclipped, clipped)) as Scalar;
    const valueLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(outputs.values, mb.valueTargets)))) as Scalar;
    const probs = tf.exp(logp);
    const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.mul(probs, logp), mb.legalMask), 1))) as Scalar;
    let magnetKl: Scalar = tf.scalar(0);
    if (coefs.magnetCoef > 0) {
      if (!mb.magnetLogProbs) throw new Error('ppoLoss: magnetCoef > 0 needs magnetLogProbs');
      magnetKl = tf.mean(tf.sum(tf.mul(tf.mul(probs, tf.sub(logp, mb.magnetLogProbs)), mb.legalMask), 1)) as Scalar;
    }
    // Like the magnet KL, computed only when it counts: this runs for every minibatch of every epoch.
    let logitSpread: Scalar = tf.scalar(0);
    if ((coefs.logitCoef ?? 0) > 0) {
      const legalCount = tf.sum(mb.legalMask, 1);
      const legalMean = tf.div(tf.sum(tf.mul(outputs.logits, mb.legalMask), 1), legalCount);
      const spread = tf.mul(tf.square(tf.sub(outputs.logits, tf.expandDims(legalMean, 1))), mb.legalMask);
      logitSpread = tf.mean(tf.div(tf.sum(spread, 1), legalCount)) as Scalar;
    }
    const total = tf.addN([
      policyLoss,
      tf.mul(coefs.valueCoef, valueLoss),
      tf.mul(-coefs.entropyCoef, entropy),
      tf.mul(coefs.magnetCoef, magnetKl),
      tf.mul(coefs.logitCoef ?? 0, logitSpread),
    ]) as Scalar;
    const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as Scalar;
    const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), coefs.clip), 'float32')) as Scalar;
    return { total, policyLoss, valueLoss, entropy, magnetKl, logitSpread, approxKl, clipFraction };
  });
}

/** Optimizer state for exact resume: Adam moments per model variable (weightLayout order) and counters. */
export interface PpoTrainerState {
  /** Adam steps taken (minibatch steps). */
  readonly step: number;
  /** `update` calls made (seeds the minibatch order). */
  readonly updates: number;
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** Per-update overrides for schedules (entropy and learning-rate annealing). */
export interface PpoUpdateOptions {
  readonly entropyCoef?: number;
  readonly magnetCoef?: number;
  readonly learningRate?: number;
}

export class PpoTrainer {
  readonly config: PpoConfig;
  private readonly m: Variable[];
  private readonly v: Variable[];
  private step = 0;
  private updates = 0;

  constructor(
    readonly tf: Tf,
    readonly model: PolicyValueModel,
    config: Partial<PpoConfig>,
    /** Seed of the minibatch shuffles. */
    readonly seed: number,
  ) {
    this.config = ppoConfigSchema.parse(config);
    this.m = model.variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = model.variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /** Number of `update` calls so far. */
  get updateCount(): number {
    return this.updates;
  }

  /** `epochs` passes of minibatch Adam steps on `batch`. */
  update(batch: PpoBatch, options: PpoUpdateOptions = {}): PpoStats {
    const { tf, model, config } = this;
    const t0 = performance.now();
    const n = batch.size;
    const spec = model.spec;
    if (n === 0) throw new Error('PpoTrainer.update: empty batch');
    const coefs: PpoCoefs = {
      clip: config.clip,
      valueCoef: config.valueCoef,
      entropyCoef: options.entropyCoef ?? config.entropyCoef,
      magnetCoef: options.magnetCoef ?? config.magnetCoef,
      logitCoef: config.logitCoef,
    };
    if (coefs.magnetCoef > 0 && !batch.magnetLogProbs) throw new Error('PpoTrainer.update: magnetCoef > 0 needs batch.magnetLogProbs');
    const lr = options.learningRate ?? config.learningRate;
    const all = {
      obs: tf.tensor2d(batch.observations, [n, spec.inputSize], 'float32'),
      mask: tf.tensor2d(Float32Array.from(batch.legalMasks), [n, spec.numActions], 'float32'),
      actions: tf.tensor1d(batch.actions, 'int32'),
      blp: tf.tensor1d(batch.behaviourLogProbs, 'float32'),
      adv: tf.tensor1d(batch.advantages, 'float32'),
      targets: tf.tensor1d(batch.valueTargets, 'float32'),
      magnet: coefs.magnetCoef > 0 ? tf.tensor2d(batch.magnetLogProbs!, [n, spec.numActions], 'float32') : undefined,
    };
    const parts = Math.ceil(n / config.minibatchSize);
    const sums = new Float64Array(7);
    let steps = 0;
    try {
      for (let epoch = 0; epoch < config.epochs; epoch++) {
        const order = permutation(n, deriveSeed(this.seed, this.updates, epoch));
        for (let p = 0; p < parts; p++) {
          const lo = Math.floor((p * n) / parts);
          const hi = Math.floor(((p + 1) * n) / parts);
          const stats = this.minibatchStep(all, order.subarray(lo, hi), coefs, lr);
          for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! + stats[i]!;
          steps++;
        }
      }
    } finally {
      tf.dispose(Object.values(all).filter((t) => t !== undefined) as Tensor[]);
    }
    this.updates++;
    const seconds = (performance.now() - t0) / 1000;
    return {
      policyLoss: sums[0]! / steps,
      valueLoss: sums[1]! / steps,
      entropy: sums[2]! / steps,
      magnetKl: sums[3]! / steps,
      approxKl: sums[4]! / steps,
      clipFraction: sums[5]! / steps,
      gradNorm: sums[6]! / steps,
      samples: n,
      minibatchSteps: steps,
      seconds,
      samplesPerSecond: n / seconds,
    };
  }

  /** One Adam step on the rows `idx`; returns [policyLoss, valueLoss, entropy, magnetKl, approxKl, clipFraction, gradNorm]. */
  private minibatchStep(
    all: { obs: Tensor2D; mask: Tensor2D; actions: Tensor1D; blp: Tensor1D; adv: Tensor1D; targets: Tensor1D; magnet: Tensor2D | undefined },
    idx: Int32Array,
    coefs: PpoCoefs,
    lr: number,
  ): Float32Array {
    const { tf, model, config } = this;
    const index = tf.tensor1d(idx, 'int32');
    let statsTensor: Tensor | undefined;
    try {
      const mb: PpoMinibatch = {
        legalMask: tf.gather(all.mask, index),
        actions: tf.gather(all.actions, index),
        behaviourLogProbs: tf.gather(all.blp, index),
        advantages: tf.gather(all.adv, index),
        valueTargets: tf.gather(all.targets, index),
        ...(all.magnet ? { magnetLogProbs: tf.gather(all.magnet, index) } : {}),
      };
      const obs = tf.gather(all.obs, index);
      let kept: Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const terms = ppoLoss(tf, model.forward(obs), mb, coefs, model.spec.epsilon ?? 0);
        kept = [terms.policyLoss, terms.valueLoss, terms.entropy, terms.magnetKl, terms.approxKl, terms.clipFraction].map((t) => tf.keep(t));
        return terms.total;
      }, model.variables);
      this.step++;
      const b1 = config.adamBeta1;
      const b2 = config.adamBeta2;
      // Bias corrections in float64, passed to the ops as float32 scalars.
      const c1 = 1 / (1 - b1 ** this.step);
      const c2 = 1 / (1 - b2 ** this.step);
      statsTensor = tf.tidy(() => {
        const gs = model.variables.map((x) => grads[x.name]!);
        const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))));
        const scale =
          config.maxGradNorm > 0 ? tf.minimum(1, tf.div(config.maxGradNorm, tf.add(norm, 1e-6))) : tf.scalar(1);
        model.variables.forEach((x, i) => {
          const g = tf.mul(gs[i]!, scale);
          const m = this.m[i]!;
          const v = this.v[i]!;
          const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
          const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
          m.assign(m2);
          v.assign(v2);
          const stepT = tf.div(tf.mul(m2, c1), tf.add(tf.sqrt(tf.mul(v2, c2)), config.adamEpsilon));
          x.assign(tf.sub(x, tf.mul(stepT, lr)));
        });
        return tf.stack([...kept, norm]);
      });
      tf.dispose([value, ...Object.values(grads), ...kept, obs, ...Object.values(mb)]);
      return Float32Array.from(statsTensor.dataSync() as Float32Array);
    } finally {
      index.dispose();
      statsTensor?.dispose();
    }
  }

  /** Copies of the optimizer state (see PpoTrainerState). */
  exportState(): PpoTrainerState {
    const copy = (xs: Variable[]): Float32Array[] => xs.map((x) => Float32Array.from(x.dataSync() as Float32Array));
    return { step: this.step, updates: this.updates, m: copy(this.m), v: copy(this.v) };
  }

  /** Restores a state from `exportState` (same model layout). */
  importState(state: PpoTrainerState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new Error(`PpoTrainer.importState: ${state.m.length} moment tensors, model has ${this.m.length}`);
    }
    const { tf } = this;
    this.m.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(state.m[i]!, x.shape, 'float32'))));
    this.v.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(state.v[i]!, x.shape, 'float32'))));
    this.step = state.step;
    this.updates = state.updates;
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
function permutation(n: number, seed: number): Int32Array {
  const rng = Rng.fromSeed(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
