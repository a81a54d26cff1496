/**
 * Neural policies without TensorFlow.js: the forward pass of a snapshot's policy/value MLP in plain JavaScript
 * (Float64 accumulation over float32 weights), and an agent that samples from it. League actors and `arena play`
 * use this; only the learner loads tfjs. The learner also computes behaviour probabilities with this class, so the
 * probabilities it uses for importance ratios are exactly the ones the actor sampled from.
 */
import { readFileSync } from 'node:fs';
import { ArenaError } from '../environments/core/errors';
import type { Action, Game } from '../environments/core/game';
import { Rng } from '../environments/core/rng';
import type { Agent, SeatView } from './agent';
import { decodeMlpSnapshot, type MlpSnapshot, type ModelSpec } from './mlp-snapshot';

interface Dense {
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly inSize: number;
  readonly outSize: number;
}

export class MlpPolicy {
  readonly spec: ModelSpec;
  readonly meta: MlpSnapshot['meta'];
  private readonly policyLayers: Dense[];
  private readonly valueLayers: Dense[];
  /** Scratch activations per hidden layer (reused: `probabilities` allocates only its result). */
  private readonly scratch: Float64Array[];
  private readonly logitBuf: Float64Array;

  constructor(snapshot: MlpSnapshot) {
    const { spec, weights } = snapshot;
    this.spec = spec;
    this.meta = snapshot.meta;
    let k = 0;
    const take = (inSize: number, outSize: number): Dense => {
      const w = weights[k++];
      const b = weights[k++];
      if (!w || !b || w.length !== inSize * outSize || b.length !== outSize) {
        throw new ArenaError('policy/malformed', 'neural snapshot: weights do not match the spec');
      }
      return { w, b, inSize, outSize };
    };
    const stack = (): Dense[] => {
      const out: Dense[] = [];
      let width = spec.inputSize;
      for (const h of spec.hidden) {
        out.push(take(width, h));
        width = h;
      }
      return out;
    };
    const top = spec.hidden[spec.hidden.length - 1] ?? spec.inputSize;
    if (spec.torso === 'shared') {
      const torso = stack();
      this.policyLayers = [...torso, take(top, spec.numActions)];
      this.valueLayers = [...torso, take(top, 1)];
    } else {
      this.policyLayers = [...stack(), take(top, spec.numActions)];
      this.valueLayers = [...stack(), take(top, 1)];
    }
    this.scratch = spec.hidden.map((h) => new Float64Array(h));
    this.logitBuf = new Float64Array(spec.numActions);
  }

  /** A policy from a snapshot blob (agents/mlp-snapshot.ts format). */
  static fromBlob(bytes: Uint8Array): MlpPolicy {
    return new MlpPolicy(decodeMlpSnapshot(bytes));
  }

  /** Throws ArenaError('agent/unsupported-game') unless this network's input and output sizes fit `game`. */
  checkGame(game: Game<unknown, Action>): void {
    const inputSize = game.observationShape.reduce((a, b) => a * b, 1);
    if (game.actionSpace.kind !== 'discrete') {
      throw new ArenaError('agent/unsupported-game', `neural: ${game.spec.id} has no discrete action space`);
    }
    if (inputSize !== this.spec.inputSize || game.actionSpace.n !== this.spec.numActions) {
      throw new ArenaError(
        'agent/unsupported-game',
        `neural: network is ${this.spec.inputSize} -> ${this.spec.numActions}, ${game.spec.id} needs ${inputSize} -> ${game.actionSpace.n}`,
      );
    }
  }

  /** Runs `layers` on `obs`; the last layer's raw output goes to `out`. */
  private run(layers: readonly Dense[], obs: ArrayLike<number>, out: Float64Array): void {
    if (obs.length !== this.spec.inputSize) {
      throw new ArenaError('action/malformed', `neural: observation of ${obs.length} values, network takes ${this.spec.inputSize}`);
    }
    let input: ArrayLike<number> = obs;
    const relu = this.spec.activation === 'relu';
    for (let l = 0; l < layers.length; l++) {
      const { w, b, inSize, outSize } = layers[l]!;
      const last = l === layers.length - 1;
      const dst = last ? out : this.scratch[l]!;
      for (let j = 0; j < outSize; j++) dst[j] = b[j]!;
      for (let i = 0; i < inSize; i++) {
        const x = input[i]!;
        if (x === 0) continue; // observations are mostly one-hot planes
        const row = i * outSize;
        for (let j = 0; j < outSize; j++) dst[j] = dst[j]! + x * w[row + j]!;
      }
      if (!last) {
        for (let j = 0; j < outSize; j++) {
          const v = dst[j]!;
          dst[j] = relu ? (v > 0 ? v : 0) : Math.tanh(v);
        }
      }
      input = dst;
    }
  }

  /** Raw policy logits (one per action id, legal or not). */
  logits(obs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.spec.numActions);
    this.run(this.policyLayers, obs, out);
    return out;
  }

  /**
   * Action probabilities (length numActions): the softmax of the logits over `legal` only, mixed with the uniform
   * distribution over `legal` when the spec has an epsilon; illegal actions get exactly 0. `legal` must be
   * non-empty and hold valid action ids.
   */
  probabilities(obs: ArrayLike<number>, legal: readonly number[]): Float64Array {
    if (legal.length === 0) throw new ArenaError('agent/unsupported-game', 'neural: no legal action');
    const logits = this.logitBuf;
    this.run(this.policyLayers, obs, logits);
    let max = -Infinity;
    for (const a of legal) max = Math.max(max, logits[a]!);
    const out = new Float64Array(this.spec.numActions);
    let sum = 0;
    for (const a of legal) {
      const e = Math.exp(logits[a]! - max);
      out[a] = e;
      sum += e;
    }
    const eps = this.spec.epsilon ?? 0;
    for (const a of legal) out[a] = (1 - eps) * (out[a]! / sum) + eps / legal.length;
    return out;
  }

  /** Natural log of the probability of `action` among `legal` (-Infinity for an illegal action). */
  logProb(obs: ArrayLike<number>, legal: readonly number[], action: number): number {
    if (!legal.includes(action)) return -Infinity;
    if ((this.spec.epsilon ?? 0) > 0) return Math.log(this.probabilities(obs, legal)[action]!);
    const logits = this.logitBuf;
    this.run(this.policyLayers, obs, logits);
    let max = -Infinity;
    for (const a of legal) max = Math.max(max, logits[a]!);
    let sum = 0;
    for (const a of legal) sum += Math.exp(logits[a]! - max);
    return logits[action]! - max - Math.log(sum);
  }

  /** The value head's estimate of the observing seat's return. */
  value(obs: ArrayLike<number>): number {
    const out = new Float64Array(1);
    this.run(this.valueLayers, obs, out);
    return out[0]!;
  }
}

export interface NeuralAgentOptions {
  /** Seed of the generator that samples actions (AgentContext.seed). */
  readonly seed: number;
  /** Play the most probable legal action (lowest id on ties) instead of sampling. */
  readonly greedy?: boolean;
  /** Display name (default "neural" or "neural:greedy"). */
  readonly name?: string;
}

/** Samples from an MlpPolicy's action probabilities at the seat's observation tensor. */
export class NeuralAgent implements Agent<number> {
  readonly name: string;
  private readonly rng: Rng;
  private readonly greedy: boolean;

  constructor(
    readonly policy: MlpPolicy,
    options: NeuralAgentOptions,
  ) {
    this.greedy = options.greedy ?? false;
    this.name = options.name ?? (this.greedy ? 'neural:greedy' : 'neural');
    this.rng = Rng.fromSeed(options.seed);
  }

  act(view: SeatView<unknown, number>): number {
    const legal = view.legalActions;
    const probs = this.policy.probabilities(view.observationTensor, legal);
    if (!this.greedy) return legal[this.rng.weighted(legal.map((a) => probs[a]!))]!;
    let best = legal[0]!;
    for (const a of legal) if (probs[a]! > probs[best]!) best = a;
    return best;
  }
}

/** Reads a snapshot file into an MlpPolicy (for `neural:FILE` agent specs). */
export function loadMlpPolicy(path: string): MlpPolicy {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new ArenaError('policy/malformed', `neural: cannot read ${path}`, { cause });
  }
  return MlpPolicy.fromBlob(bytes);
}
