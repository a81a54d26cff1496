/**
 * What the learner process trains with: the model, PPO optimizer and advantage baselines of one learner line,
 * fed record by record (ExperienceBuffer replays each record at once) and updated when a batch is complete. The
 * Learner loop (learner.ts) owns the store, the cursor and checkpoints; this owns the numbers.
 *
 * Hyperparameters: the per-game preset (hyperparams.ts PRESETS, tuned on our 2-core machine), overridden by the
 * scenario's `learner:` section. `lr` and `entropyCoef` may be schedules over the update count (a number, an
 * expression in `step`, or the name of an entry of `schedules:`); without one, the preset's linear annealing applies.
 */
import { MlpPolicy, NeuralAgent } from '../agents/neural';
import { deriveSeed } from '../environments/core/rng';
import type { AnyGame, Json } from '../environments/core/game';
import type { MatchRecord } from '../engine/record';
import type { SnapshotRow } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { RoleBaselines } from './advantage';
import { selectBackend, type BackendPreference, type BackendLog } from './backend';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { nashConvOfPolicy, winRate } from './evaluate';
import { ExperienceBuffer } from './experience';
import { annealed, learnerHyperparamsSchema, PRESETS, type LearnerHyperparams, type PresetGame } from './hyperparams';
import { createModel, deserializeModel, modelSpecFor, serializeModel, type PolicyValueModel } from './model';
import { PpoTrainer, type PpoStats } from './ppo';

export type UpdateStats = PpoStats & { readonly learningRate: number; readonly entropyCoef: number; readonly records: number };

export interface TrainingCore {
  /** The tfjs backend in use ('tensorflow', 'wasm' or 'cpu'). */
  readonly backend: string;
  /** Records (matches) per update. */
  readonly recordsPerUpdate: number;
  /** Records buffered for the next update. */
  readonly bufferedRecords: number;
  /**
   * Replays `record` and buffers the decisions of `seats`, with behaviour probabilities from the snapshot that
   * played each seat (`artifactOf(seat)`). Throws ArenaError for a record that does not replay.
   */
  addRecord(record: MatchRecord, seats: readonly number[], artifactOf: (seat: number) => string): void;
  /** One PPO update on everything buffered; `magnetArtifact` is the magnet snapshot when PPO's magnet KL is on. */
  update(step: number, magnetArtifact?: string): UpdateStats;
  /** The snapshot's update step of the magnet at `updates` (undefined: no magnet). */
  magnetStep(updates: number): number | undefined;
  /** The whole training state (model, Adam moments, baselines) as one blob, and back. */
  saveState(): Uint8Array;
  loadState(bytes: Uint8Array): void;
  /** The current weights as a snapshot artifact (base64 of the agents/mlp-snapshot.ts blob). */
  snapshotArtifact(): string;
  /** Back to the initial weights, with fresh optimizer moments and baselines (AlphaStar exploiter resets). */
  reset(): void;
}

/** The preset of a game (a generic default for games without one), overridden by the scenario. */
export function hyperparamsFor(scenario: Scenario): LearnerHyperparams {
  const preset = PRESETS[scenario.game.id as PresetGame] ?? PRESETS['connect-four'];
  const s = scenario.learner;
  if (!s) return preset;
  return learnerHyperparamsSchema.parse({
    ...preset,
    model: { ...preset.model, ...(s.hidden ? { hidden: [...s.hidden] } : {}) },
    ppo: {
      ...preset.ppo,
      ...(s.ppo.clip !== undefined ? { clip: s.ppo.clip } : {}),
      ...(s.ppo.valueCoef !== undefined ? { valueCoef: s.ppo.valueCoef } : {}),
      ...(s.ppo.magnetCoef !== undefined ? { magnetCoef: s.ppo.magnetCoef } : {}),
      ...(s.ppo.epochs !== undefined ? { epochs: s.ppo.epochs } : {}),
      ...(s.ppo.minibatch !== undefined ? { minibatchSize: s.ppo.minibatch } : {}),
      ...(s.ppo.maxGradNorm !== undefined ? { maxGradNorm: s.ppo.maxGradNorm } : {}),
    },
    advantage: s.advantage ? { ...preset.advantage, kind: s.advantage } : preset.advantage,
    ...(s.episodesPerUpdate !== undefined ? { episodesPerUpdate: s.episodesPerUpdate } : {}),
    snapshotEvery: s.publishEvery,
    maxLag: s.maxLag,
  });
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

class PpoCore implements TrainingCore {
  private readonly model: PolicyValueModel;
  private trainer: PpoTrainer;
  private readonly initialWeights: Float32Array[];
  /** Resets so far: part of every snapshot's metadata, so reset weights never hash like the initial snapshot. */
  private resets = 0;
  private baselines: RoleBaselines;
  private readonly buffer: ExperienceBuffer;
  private readonly behaviour = new Map<string, MlpPolicy>();
  private records = 0;

  constructor(
    readonly backend: string,
    private readonly tf: Parameters<typeof createModel>[0],
    private readonly game: AnyGame,
    private readonly hyper: LearnerHyperparams,
    private readonly schedules: { lr?: ((step: number) => number) | undefined; entropy?: ((step: number) => number) | undefined },
    private readonly seed: number,
    /** Salts the optimizer's generator per learner line; every line starts from the same initial weights. */
    private readonly line = 0,
  ) {
    this.model = createModel(tf, modelSpecFor(game, hyper.model), deriveSeed(seed, 1));
    this.initialWeights = this.model.getWeights();
    this.trainer = new PpoTrainer(tf, this.model, hyper.ppo, this.trainerSeed());
    this.baselines = new RoleBaselines(hyper.advantage.baselineDecay);
    this.buffer = new ExperienceBuffer(game);
  }

  get recordsPerUpdate(): number {
    return this.hyper.episodesPerUpdate;
  }

  get bufferedRecords(): number {
    return this.records;
  }

  addRecord(record: MatchRecord, seats: readonly number[], artifactOf: (seat: number) => string): void {
    const policyOf = new Map<string, MlpPolicy>();
    seats.forEach((seat) => {
      const id = record.seats[seat]?.snapshotId;
      if (id === undefined) return;
      let p = this.behaviour.get(id);
      if (!p) {
        p = MlpPolicy.fromBlob(fromBase64(artifactOf(seat)));
        if (this.behaviour.size > 64) this.behaviour.delete(this.behaviour.keys().next().value!);
        this.behaviour.set(id, p);
      }
      policyOf.set(id, p);
    });
    this.buffer.add(record, (seat) => seats.includes(seat), (id) => policyOf.get(id));
    this.records++;
  }

  magnetStep(updates: number): number | undefined {
    if (this.hyper.ppo.magnetCoef <= 0) return undefined;
    const every = this.hyper.magnetEvery;
    return every > 0 ? Math.floor(updates / every) * every : 0;
  }

  update(step: number, magnetArtifact?: string): UpdateStats {
    const { hyper } = this;
    const magnet = magnetArtifact !== undefined ? MlpPolicy.fromBlob(fromBase64(magnetArtifact)) : undefined;
    const exp = this.buffer.take({
      advantage: hyper.advantage,
      baselines: this.baselines,
      values: (obs, n) => this.model.predictValues(obs, n),
      ...(magnet ? { magnet } : {}),
    });
    const learningRate = this.schedules.lr?.(step) ?? annealed(hyper.ppo.learningRate, hyper.learningRateFinal, step, hyper.annealUpdates);
    const entropyCoef = this.schedules.entropy?.(step) ?? annealed(hyper.ppo.entropyCoef, hyper.entropyFinal, step, hyper.annealUpdates);
    const stats = this.trainer.update(exp.batch, { learningRate, entropyCoef });
    const records = this.records;
    this.records = 0;
    return { ...stats, learningRate, entropyCoef, records };
  }

  saveState(): Uint8Array {
    return encodeCheckpoint({ model: serializeModel(this.model), trainer: this.trainer.exportState(), baselines: this.baselines.toJSON(), extra: { resets: this.resets } });
  }

  loadState(bytes: Uint8Array): void {
    const cp = decodeCheckpoint(bytes);
    const { model } = deserializeModel(this.tf, cp.model);
    try {
      this.model.setWeights(model.getWeights());
    } finally {
      model.dispose();
    }
    this.trainer.importState(cp.trainer);
    this.baselines = RoleBaselines.fromJSON(cp.baselines);
    this.resets = Number(cp.extra.resets ?? 0);
  }

  /** Line 0 keeps the seed a single-line learner always had. */
  private trainerSeed(): number {
    return this.line === 0 ? deriveSeed(this.seed, 2) : deriveSeed(this.seed, 2, this.line);
  }

  reset(): void {
    this.model.setWeights(this.initialWeights);
    this.trainer = new PpoTrainer(this.tf, this.model, this.hyper.ppo, this.trainerSeed());
    this.baselines = new RoleBaselines(this.hyper.advantage.baselineDecay);
    this.resets++;
  }

  snapshotArtifact(): string {
    const meta: Record<string, Json> = { game: { id: this.game.spec.id, version: this.game.spec.version }, updates: this.trainer.updateCount, ...(this.resets > 0 ? { resets: this.resets } : {}) };
    return toBase64(serializeModel(this.model, meta));
  }
}

export async function createTrainingCore(
  scenario: Scenario,
  options: { backend?: BackendPreference; log?: BackendLog; line?: number } = {},
): Promise<TrainingCore> {
  const game = scenario.game.rules;
  if (game.actionSpace.kind !== 'discrete') {
    throw new Error(`${game.spec.id}: the PPO learner needs a discrete action space (got ${game.actionSpace.kind})`);
  }
  const { name, tf } = await selectBackend({ prefer: options.backend ?? scenario.learner?.backend ?? 'auto', ...(options.log ? { log: options.log } : {}) });
  const s = scenario.learner;
  return new PpoCore(name, tf, game, hyperparamsFor(scenario), { lr: s?.ppo.lr, entropy: s?.ppo.entropyCoef }, scenario.seed, options.line ?? 0);
}

/** Games whose tree is small enough for an exact NashConv of every published snapshot. */
const EXACT_NASHCONV = new Set(['kuhn-poker', 'leduc-poker']);

/**
 * How a published snapshot is evaluated: exact NashConv for Kuhn and Leduc; win rates against the scenario's
 * `evaluate.opponents` (both seat orders, seeded) otherwise. Every `evaluate.every`-th snapshot.
 */
export function snapshotEvaluator(scenario: Scenario): (snapshot: SnapshotRow, updates: number) => Promise<Record<string, number>> {
  const game = scenario.game.rules;
  const settings = scenario.learner?.evaluate ?? { every: 1, opponents: [], episodes: 100 };
  let count = 0;
  return async (snapshot) => {
    if (count++ % settings.every !== 0) return {};
    const policy = MlpPolicy.fromBlob(fromBase64(snapshot.artifact));
    const out: Record<string, number> = {};
    if (EXACT_NASHCONV.has(game.spec.id)) out.nashConv = nashConvOfPolicy(game, policy).nashConv;
    for (const opponent of settings.opponents) {
      // Greedy play: the evaluation measures the policy's strength, not its exploration noise.
      const r = await winRate(game, (seed) => new NeuralAgent(policy, { seed, greedy: true }), opponent, settings.episodes, deriveSeed(scenario.seed, 7, snapshot.step));
      out[`winRate:${opponent}`] = r.winRate;
    }
    return out;
  };
}
