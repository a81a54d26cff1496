/**
 * An in-process self-play trainer, for tests and tuning: it plays seeded matches between the latest snapshot and
 * past ones (NeuralAgent seats in engine/match.ts runMatch, which produces the MatchRecords), rebuilds the
 * trajectories from those records, computes advantages and takes a PPO update, and publishes a snapshot every
 * `snapshotEvery` updates. It is the learner process's data path (records -> replay -> behaviour probabilities
 * from the snapshot that played -> advantages -> PPO) without the store and the feed.
 *
 * Everything is seeded from `seed`: the initial weights, who plays whom, every match's chance and every agent's
 * sampling, and the PPO minibatch order, so a run replays exactly on the same backend.
 */
import { MlpPolicy, NeuralAgent } from '../agents/neural';
import { createAgent } from '../agents/registry';
import type { AnyGame, Json } from '../environments/core/game';
import { deriveSeed, Rng } from '../environments/core/rng';
import { fixedByShare } from '../population/matchmaking/strategies';
import { runMatch, type MatchSeat } from '../engine/match';
import type { MatchRecord } from '../engine/record';
import { RoleBaselines } from './advantage';
import type { Tf } from './backend';
import { experienceFromRecords, freshSeats } from './experience';
import { annealed, learnerHyperparamsSchema, type LearnerHyperparams, type LearnerHyperparamsInput } from './hyperparams';
import { createModel, deserializeModel, modelSpecFor, serializeModel, type PolicyValueModel } from './model';
import { PpoTrainer, type PpoStats } from './ppo';
import type { LearnerCheckpoint } from './checkpoint';

export { PRESETS, type LearnerHyperparams } from './hyperparams';

export interface Snapshot {
  /** "<line>@<version>" */
  readonly id: string;
  readonly version: number;
  /** agents/mlp-snapshot.ts blob. */
  readonly blob: Uint8Array;
  readonly policy: MlpPolicy;
}

export interface SelfPlayOptions {
  readonly tf: Tf;
  readonly game: AnyGame;
  readonly hyper: LearnerHyperparamsInput;
  readonly seed: number;
  /** Name of the learner line in snapshot ids (default "learner"). */
  readonly line?: string;
}

export interface UpdateReport {
  readonly update: number;
  readonly episodes: number;
  readonly samples: number;
  readonly meanReturn: number;
  readonly stats: PpoStats;
  /** Seconds spent playing matches and rebuilding trajectories (the rest of the update is PPO). */
  readonly playSeconds: number;
  /** Set when this update published a snapshot. */
  readonly published?: Snapshot;
}

export class SelfPlayTrainer {
  readonly hyper: LearnerHyperparams;
  readonly game: AnyGame;
  readonly model: PolicyValueModel;
  readonly trainer: PpoTrainer;
  baselines: RoleBaselines;
  private readonly line: string;
  private readonly seed: number;
  /** Published snapshots still needed (past opponents, behaviour policies within maxLag, the magnet), by version. */
  private readonly snapshots = new Map<number, Snapshot>();
  private latestVersion = -1;
  /** The magnet of PPO's magnet KL (see LearnerHyperparams.magnetEvery). */
  private magnet: Snapshot | undefined;
  private totalEpisodes = 0;
  private totalSamples = 0;

  constructor(private readonly opts: SelfPlayOptions) {
    this.hyper = learnerHyperparamsSchema.parse(opts.hyper);
    this.game = opts.game;
    this.seed = opts.seed;
    this.line = opts.line ?? 'learner';
    this.model = createModel(opts.tf, modelSpecFor(opts.game, this.hyper.model), deriveSeed(opts.seed, 1));
    this.trainer = new PpoTrainer(opts.tf, this.model, this.hyper.ppo, deriveSeed(opts.seed, 2));
    this.baselines = new RoleBaselines(this.hyper.advantage.baselineDecay);
    this.magnet = this.publish();
  }

  /** The most recent published snapshot. */
  get latest(): Snapshot {
    return this.snapshots.get(this.latestVersion)!;
  }

  get updates(): number {
    return this.trainer.updateCount;
  }

  get episodes(): number {
    return this.totalEpisodes;
  }

  get samples(): number {
    return this.totalSamples;
  }

  private publish(): Snapshot {
    const version = ++this.latestVersion;
    const meta: Record<string, Json> = { game: { id: this.game.spec.id, version: this.game.spec.version }, line: this.line, version, updates: this.updates };
    const blob = serializeModel(this.model, meta);
    const snap: Snapshot = { id: `${this.line}@${version}`, version, blob, policy: MlpPolicy.fromBlob(blob) };
    this.snapshots.set(version, snap);
    // Forget snapshots that can no longer be an opponent or a behaviour policy (memory stays bounded).
    const keep = version - Math.max(this.hyper.pastWindow, this.hyper.maxLag);
    for (const v of this.snapshots.keys()) if (v < keep && v !== this.magnet?.version) this.snapshots.delete(v);
    return snap;
  }

  private snapshotById(id: string): Snapshot | undefined {
    const s = this.snapshots.get(Number(id.slice(id.lastIndexOf('@') + 1)));
    return s && s.id === id ? s : undefined;
  }

  /**
   * The matches of one update: against each fixed opponent with its share; otherwise latest vs latest, or with
   * probability pastOpponentRate latest vs a uniformly drawn snapshot among the `pastWindow` before it. The
   * latest snapshot alternates seats.
   */
  async playMatches(): Promise<MatchRecord[]> {
    const { hyper, game } = this;
    const latest = this.latest;
    const rng = Rng.fromSeed(deriveSeed(this.seed, 3, this.updates));
    const records: MatchRecord[] = [];
    for (let e = 0; e < hyper.episodesPerUpdate; e++) {
      const matchSeed = deriveSeed(this.seed, 4, this.totalEpisodes + e);
      const neural = (s: Snapshot, k: number): MatchSeat => ({
        agent: new NeuralAgent(s.policy, { seed: deriveSeed(matchSeed, k + 1) }),
        info: { name: s.id, snapshotId: s.id },
      });
      const fixed = fixedByShare(hyper.fixedOpponents, rng.float());
      const seat = e % 2;
      let opponent: MatchSeat;
      if (fixed) {
        opponent = { agent: createAgent(fixed.agent, { game, seed: deriveSeed(matchSeed, 1 - seat + 1) }), info: { name: fixed.agent } };
      } else {
        const pastCount = Math.min(hyper.pastWindow, latest.version);
        const past = pastCount > 0 && rng.float() < hyper.pastOpponentRate;
        opponent = neural(past ? this.snapshots.get(latest.version - 1 - rng.int(pastCount))! : latest, 1 - seat);
      }
      const seats = seat === 0 ? [neural(latest, 0), opponent] : [opponent, neural(latest, 1)];
      records.push(await runMatch(game, matchSeed, seats, { id: `m${this.totalEpisodes + e}` }));
    }
    return records;
  }

  /** Plays one update's matches and takes the PPO update (publishing a snapshot every `snapshotEvery`). */
  async step(): Promise<UpdateReport> {
    const { hyper } = this;
    const t0 = performance.now();
    const records = await this.playMatches();
    const latest = this.latest.version;
    const exp = experienceFromRecords(records, {
      game: this.game,
      learnSeats: freshSeats(latest, hyper.maxLag, (id) => this.snapshotById(id)?.version),
      behaviour: (id) => this.snapshotById(id)?.policy,
      advantage: hyper.advantage,
      baselines: this.baselines,
      values: (obs, n) => this.model.predictValues(obs, n),
      ...(hyper.ppo.magnetCoef > 0 && this.magnet ? { magnet: this.magnet.policy } : {}),
    });
    if (exp.skipped.length > 0) throw new Error(`self-play produced unreplayable records: ${exp.skipped[0]!.error.message}`);
    const playSeconds = (performance.now() - t0) / 1000;
    const u = this.updates;
    const stats = this.trainer.update(exp.batch, {
      entropyCoef: annealed(hyper.ppo.entropyCoef, hyper.entropyFinal, u, hyper.annealUpdates),
      learningRate: annealed(hyper.ppo.learningRate, hyper.learningRateFinal, u, hyper.annealUpdates),
    });
    this.totalEpisodes += records.length;
    this.totalSamples += exp.batch.size;
    const published = this.updates % hyper.snapshotEvery === 0 ? this.publish() : undefined;
    if (published && hyper.magnetEvery > 0 && this.updates % hyper.magnetEvery === 0) this.magnet = published;
    return {
      update: this.updates,
      episodes: records.length,
      samples: exp.batch.size,
      meanReturn: exp.meanReturn,
      stats,
      playSeconds,
      ...(published ? { published } : {}),
    };
  }

  /**
   * A checkpoint of the trainer (model, Adam state, baselines) plus this loop's counters. The snapshot pool is
   * not included: `restore` publishes the checkpointed model as the new latest snapshot and the pool grows again
   * from there.
   */
  checkpoint(): LearnerCheckpoint {
    return {
      model: serializeModel(this.model),
      trainer: this.trainer.exportState(),
      baselines: this.baselines.toJSON(),
      extra: { episodes: this.totalEpisodes, samples: this.totalSamples },
    };
  }

  /** Restores model weights, optimizer state and baselines from a checkpoint of a trainer with the same spec. */
  restore(cp: LearnerCheckpoint): void {
    const { model } = deserializeModel(this.opts.tf, cp.model);
    try {
      this.model.setWeights(model.getWeights());
    } finally {
      model.dispose();
    }
    this.trainer.importState(cp.trainer);
    this.baselines = RoleBaselines.fromJSON(cp.baselines);
    this.magnet = this.publish();
    this.totalEpisodes = Number(cp.extra.episodes ?? 0);
    this.totalSamples = Number(cp.extra.samples ?? 0);
  }

  dispose(): void {
    this.trainer.dispose();
    this.model.dispose();
  }
}

export interface CurveRow {
  readonly seconds: number;
  readonly updates: number;
  readonly episodes: number;
  readonly samples: number;
  /** Evaluation results (nashConv, winVsRandom, ...). */
  readonly [metric: string]: number;
}

export interface RunOptions extends SelfPlayOptions {
  /** Stop after this many updates. */
  readonly maxUpdates?: number;
  /** Stop after this many seconds (checked between updates). */
  readonly maxSeconds?: number;
  /** Evaluate every this many updates (and at the start and end). */
  readonly evalEvery?: number;
  /** Evaluation of the latest snapshot; its numbers go into the curve. */
  readonly evaluate?: (latest: Snapshot) => Record<string, number> | Promise<Record<string, number>>;
  /** Stop as soon as this returns true for an evaluation row. */
  readonly stopWhen?: (row: CurveRow) => boolean;
  readonly onRow?: (row: CurveRow) => void;
  readonly onUpdate?: (report: UpdateReport) => void;
}

/** Runs a SelfPlayTrainer with periodic evaluation; returns the learning curve and the final latest snapshot. */
export async function runSelfPlay(opts: RunOptions): Promise<{ curve: CurveRow[]; latest: Snapshot; updates: number; seconds: number }> {
  const trainer = new SelfPlayTrainer(opts);
  const t0 = performance.now();
  const curve: CurveRow[] = [];
  const maxUpdates = opts.maxUpdates ?? Infinity;
  const maxSeconds = opts.maxSeconds ?? Infinity;
  const evalEvery = opts.evalEvery ?? 10;
  const seconds = (): number => (performance.now() - t0) / 1000;
  const evaluate = async (): Promise<boolean> => {
    const metrics = opts.evaluate ? await opts.evaluate(trainer.latest) : {};
    const row: CurveRow = { seconds: seconds(), updates: trainer.updates, episodes: trainer.episodes, samples: trainer.samples, ...metrics };
    curve.push(row);
    opts.onRow?.(row);
    return opts.stopWhen?.(row) ?? false;
  };
  try {
    let stop = await evaluate();
    while (!stop && trainer.updates < maxUpdates && seconds() < maxSeconds) {
      const report = await trainer.step();
      opts.onUpdate?.(report);
      if (trainer.updates % evalEvery === 0) stop = await evaluate();
    }
    if (curve[curve.length - 1]!.updates !== trainer.updates) await evaluate();
    return { curve, latest: trainer.latest, updates: trainer.updates, seconds: seconds() };
  } finally {
    trainer.dispose();
  }
}
