/**
 * The snapshot file of a neural policy: a policy/value MLP's architecture and weights in one small binary blob
 * that reads without TensorFlow.js. The learner writes it (learner/model.ts `serializeModel`); league actors,
 * `arena play` and the web client read it with `decodeMlpSnapshot` and act with the pure-JS forward pass in
 * agents/neural.ts, so actors never load tfjs.
 *
 * Blob format, version 1 (all integers little-endian):
 *
 * | Offset    | Size  | Content                                                                            |
 * | --------- | ----- | ---------------------------------------------------------------------------------- |
 * | 0         | 8     | ASCII magic `ARENAMLP`                                                             |
 * | 8         | 4     | uint32 format version (1)                                                          |
 * | 12        | 4     | uint32 H: byte length of the header                                                |
 * | 16        | H     | UTF-8 JSON header `{"spec": ModelSpec, "tensors": [{"name", "shape"}], "meta": {}}` |
 * | 16 + H    | 0..3  | zero padding to a multiple of 4                                                    |
 * | aligned   | 4 * N | float32 weights of every tensor in header order, row-major, concatenated          |
 *
 * Tensor order (`weightLayout`), where a dense layer is a kernel [in, out] then a bias [out]:
 * - torso 'shared':   hidden layers `torso.0 .. torso.{L-1}`, then `policy` [h, numActions], then `value` [h, 1].
 * - torso 'separate': policy hidden layers `policy.0 ..`, `policy` head, then value hidden layers `value.0 ..`,
 *   `value` head. The value network has the same hidden sizes as the policy network.
 * The policy head outputs one logit per action id; the policy is the softmax over the legal actions only, mixed
 * with the uniform distribution over them when the spec has an `epsilon` > 0:
 * pi(a) = (1 - epsilon) softmax(logits over legal)(a) + epsilon / |legal|.
 * `meta` is free JSON (game id and version, learner line, update count); readers ignore keys they do not know.
 */
import { z } from 'zod';
import { ArenaError } from '../environments/core/errors';
import type { Json } from '../environments/core/game';

export const MLP_MAGIC = 'ARENAMLP';
export const MLP_FORMAT_VERSION = 1;
export const MLP_ACTIVATIONS = ['tanh', 'relu'] as const;
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];
export const MLP_TORSOS = ['shared', 'separate'] as const;
export type MlpTorso = (typeof MLP_TORSOS)[number];

/** Architecture of a policy/value MLP over a game's flat observation tensor. */
export interface ModelSpec {
  /** Length of the flat observation tensor (product of the game's observationShape). */
  readonly inputSize: number;
  /** Number of discrete action ids (the game's actionSpace.n): one logit each. */
  readonly numActions: number;
  /** Hidden layer widths, input side first (may be empty: a linear policy). */
  readonly hidden: readonly number[];
  /** Non-linearity after every hidden layer. */
  readonly activation: MlpActivation;
  /** One torso feeding both heads, or separate policy and value networks. */
  readonly torso: MlpTorso;
  /**
   * Share of probability spread uniformly over the legal actions (default 0). A floor under every legal action:
   * policy-gradient learning cannot get stuck at a saturated softmax that never samples the better action.
   */
  readonly epsilon?: number;
}

export const modelSpecSchema = z
  .object({
    inputSize: z.number().int().min(1).max(1 << 20),
    numActions: z.number().int().min(1).max(1 << 16),
    hidden: z.array(z.number().int().min(1).max(1 << 14)).max(16),
    activation: z.enum(MLP_ACTIVATIONS),
    torso: z.enum(MLP_TORSOS),
    epsilon: z.number().min(0).max(0.5).optional(),
  })
  .strict();

/** A decoded snapshot: architecture, weights in `weightLayout` order, and free metadata. */
export interface MlpSnapshot {
  readonly spec: ModelSpec;
  readonly weights: readonly Float32Array[];
  readonly meta: Readonly<Record<string, Json>>;
}

export interface TensorLayout {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Names and shapes of the weight tensors of `spec`, in blob order (see the module comment). */
export function weightLayout(spec: ModelSpec): TensorLayout[] {
  const out: TensorLayout[] = [];
  const dense = (name: string, inSize: number, outSize: number): void => {
    out.push({ name: `${name}/kernel`, shape: [inSize, outSize] }, { name: `${name}/bias`, shape: [outSize] });
  };
  const stack = (prefix: string): number => {
    let width = spec.inputSize;
    spec.hidden.forEach((h, i) => {
      dense(`${prefix}.${i}`, width, h);
      width = h;
    });
    return width;
  };
  if (spec.torso === 'shared') {
    const h = stack('torso');
    dense('policy', h, spec.numActions);
    dense('value', h, 1);
  } else {
    dense('policy', stack('policy'), spec.numActions);
    dense('value', stack('value'), 1);
  }
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Number of float32 parameters of `spec`. */
export function parameterCount(spec: ModelSpec): number {
  return weightLayout(spec).reduce((n, t) => n + size(t.shape), 0);
}

const malformed = (why: string): ArenaError => new ArenaError('policy/malformed', `neural snapshot: ${why}`);

/** Checks that `weights` match the layout of `spec` (count and sizes); ArenaError('policy/malformed') otherwise. */
export function checkWeights(spec: ModelSpec, weights: readonly ArrayLike<number>[]): void {
  const layout = weightLayout(spec);
  if (weights.length !== layout.length) throw malformed(`expected ${layout.length} weight tensors, got ${weights.length}`);
  layout.forEach((t, i) => {
    const n = size(t.shape);
    if (weights[i]!.length !== n) throw malformed(`${t.name}: expected ${n} values, got ${weights[i]!.length}`);
  });
}

/** Encodes a snapshot in the blob format of the module comment. */
export function encodeMlpSnapshot(snapshot: MlpSnapshot): Uint8Array {
  const spec = modelSpecSchema.parse(snapshot.spec) as ModelSpec;
  checkWeights(spec, snapshot.weights);
  const header = new TextEncoder().encode(JSON.stringify({ spec, tensors: weightLayout(spec), meta: snapshot.meta }));
  const dataStart = align4(16 + header.length);
  const total = dataStart + 4 * parameterCount(spec);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MLP_MAGIC), 0);
  view.setUint32(8, MLP_FORMAT_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, 16);
  let at = dataStart;
  for (const w of snapshot.weights) {
    for (let i = 0; i < w.length; i++, at += 4) view.setFloat32(at, w[i]!, true);
  }
  return bytes;
}

const headerSchema = z.object({
  spec: modelSpecSchema,
  tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
  meta: z.record(z.string(), z.json()).default({}),
});

/** Decodes a snapshot blob; anything that is not a well-formed version-1 blob is ArenaError('policy/malformed'). */
export function decodeMlpSnapshot(bytes: Uint8Array): MlpSnapshot {
  if (bytes.length < 16) throw malformed(`${bytes.length} bytes is too short`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MLP_MAGIC) throw malformed(`missing the ${MLP_MAGIC} magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MLP_FORMAT_VERSION) throw malformed(`format version ${version} (this reader knows ${MLP_FORMAT_VERSION})`);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw malformed('header runs past the end');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
  } catch (cause) {
    throw new ArenaError('policy/malformed', 'neural snapshot: header is not JSON', { cause });
  }
  const header = headerSchema.safeParse(parsed);
  if (!header.success) throw malformed(`bad header: ${header.error.issues[0]?.message ?? 'invalid'}`);
  const spec = header.data.spec as ModelSpec;
  const layout = weightLayout(spec);
  if (JSON.stringify(header.data.tensors) !== JSON.stringify(layout)) throw malformed('tensor list does not match the spec');
  const dataStart = align4(16 + headerLength);
  const expected = dataStart + 4 * parameterCount(spec);
  if (bytes.length !== expected) throw malformed(`expected ${expected} bytes, got ${bytes.length}`);
  let at = dataStart;
  const weights = layout.map((t) => {
    const w = new Float32Array(size(t.shape));
    for (let i = 0; i < w.length; i++, at += 4) w[i] = view.getFloat32(at, true);
    return w;
  });
  return { spec, weights, meta: header.data.meta as Record<string, Json> };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
