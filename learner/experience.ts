/**
 * From match records to a PPO batch: replay each record into per-seat trajectories, keep the seats played by
 * fresh snapshots of the learner's line, recompute each decision's behaviour log-probability from the snapshot
 * that played it, and attach advantages and value targets.
 *
 * Off-policy data (decided for the learner): records store no probabilities. The learner keeps every
 * snapshot's weights, so it recomputes pi_behaviour(a|s) with the same pure-JS forward pass the actor sampled
 * with (agents/neural.ts), and PPO's ratio uses it. Seats whose snapshot is more than `maxLag` versions behind
 * the learner's latest (or unknown) are dropped: the clip keeps small lags honest, large ones would mostly be
 * clipped away and only add noise.
 */
import type { MlpPolicy } from '../agents/neural';
import { isArenaError, type ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import type { MatchRecord } from '../engine/record';
import { computeAdvantages, type AdvantageConfig, type RoleBaselines } from './advantage';
import type { PpoBatch } from './ppo';
import { trajectoriesFromRecord, type LearnSeats, type SeatTrajectory } from './trajectories';

/**
 * Seats to learn from: played by a snapshot whose version is known and at most `maxLag` behind `latestVersion`.
 * `versionOf` maps a snapshot id to its version in the learner's line (undefined: not ours).
 */
export function freshSeats(latestVersion: number, maxLag: number, versionOf: (snapshotId: string) => number | undefined): LearnSeats {
  return (_seat, info) => {
    if (info.snapshotId === undefined) return false;
    const v = versionOf(info.snapshotId);
    return v !== undefined && latestVersion - v <= maxLag;
  };
}

/** The policy of a snapshot id (undefined: unknown, which is a bug for a seat that `learnSeats` accepted). */
export type BehaviourPolicies = (snapshotId: string) => MlpPolicy | undefined;

export interface AdvantageOptions {
  readonly advantage: AdvantageConfig;
  readonly baselines: RoleBaselines;
  /** Current value estimates of flat observations (required for 'gae'), e.g. `model.predictValues`. */
  readonly values?: (observations: Float32Array, count: number) => Float32Array;
  /** Role of a trajectory for RAE/MARS (default "seat<k>"). */
  readonly roleOf?: (t: SeatTrajectory) => string;
  /** The magnet policy (an earlier snapshot) whose log-probabilities go into the batch for PPO's magnet KL. */
  readonly magnet?: MlpPolicy;
}

export interface Experience {
  readonly batch: PpoBatch;
  /** Trajectories in the batch. */
  readonly trajectories: number;
  /** Mean final return of those trajectories. */
  readonly meanReturn: number;
}

interface Buffered {
  readonly t: SeatTrajectory;
  readonly behaviourLogProbs: Float32Array;
}

/**
 * Decisions waiting for the next update. `add` replays a record at once (so a bad record is rejected when it is
 * read) and computes behaviour log-probabilities while the snapshot that played is at hand; `take` computes the
 * advantages with the learner's state at update time (baselines, current value head) and empties the buffer.
 */
export class ExperienceBuffer {
  private items: Buffered[] = [];
  private count = 0;
  private readonly inputSize: number;
  private readonly numActions: number;

  constructor(readonly game: AnyGame) {
    this.inputSize = game.observationShape.reduce((a, b) => a * b, 1);
    this.numActions = game.actionSpace.kind === 'discrete' ? game.actionSpace.n : 0;
  }

  /** Buffered decisions. */
  get samples(): number {
    return this.count;
  }

  /** Buffered trajectories. */
  get trajectories(): number {
    return this.items.length;
  }

  /**
   * Adds the learning seats of `record`; returns the number of decisions added. Throws ArenaError
   * ('record/malformed' or 'record/mismatch') for a record that does not replay: log it and skip it.
   */
  add(record: MatchRecord, learnSeats: LearnSeats, behaviour: BehaviourPolicies): number {
    const { inputSize, numActions } = this;
    const trajectories = trajectoriesFromRecord(record, this.game, learnSeats);
    const added: Buffered[] = trajectories.map((t) => {
      const policy = t.snapshotId === undefined ? undefined : behaviour(t.snapshotId);
      if (!policy) throw new Error(`experience: no behaviour policy for snapshot ${String(t.snapshotId)} (record ${record.id})`);
      const logp = new Float32Array(t.length);
      const legal: number[] = [];
      for (let i = 0; i < t.length; i++) {
        legal.length = 0;
        for (let a = 0; a < numActions; a++) if (t.legalMasks[i * numActions + a] === 1) legal.push(a);
        logp[i] = policy.logProb(t.observations.subarray(i * inputSize, (i + 1) * inputSize), legal, t.actions[i]!);
      }
      return { t, behaviourLogProbs: logp };
    });
    for (const b of added) {
      this.items.push(b);
      this.count += b.t.length;
    }
    return added.reduce((n, b) => n + b.t.length, 0);
  }

  /** The batch of everything buffered, with advantages computed now; the buffer is emptied. */
  take(opts: AdvantageOptions): Experience {
    const { inputSize, numActions } = this;
    const items = this.items;
    const size = this.count;
    this.items = [];
    this.count = 0;
    const observations = new Float32Array(size * inputSize);
    const legalMasks = new Uint8Array(size * numActions);
    const actions = new Int32Array(size);
    const behaviourLogProbs = new Float32Array(size);
    let at = 0;
    let returns = 0;
    for (const { t, behaviourLogProbs: logp } of items) {
      observations.set(t.observations, at * inputSize);
      legalMasks.set(t.legalMasks, at * numActions);
      actions.set(t.actions, at);
      behaviourLogProbs.set(logp, at);
      at += t.length;
      returns += t.finalReturn;
    }
    const trajectories = items.map((b) => b.t);
    let values: Float32Array[] | undefined;
    if (opts.advantage.kind === 'gae') {
      if (!opts.values) throw new Error('experience: gae needs value estimates');
      const flat = size > 0 ? opts.values(observations, size) : new Float32Array(0);
      let k = 0;
      values = trajectories.map((t) => flat.subarray(k, (k += t.length)));
    }
    const { advantages, valueTargets } = computeAdvantages(trajectories, opts.advantage, {
      gameId: this.game.spec.id,
      baselines: opts.baselines,
      ...(opts.roleOf ? { roleOf: opts.roleOf } : {}),
      ...(values ? { values } : {}),
    });
    const magnetLogProbs = opts.magnet ? logProbTable(opts.magnet, observations, legalMasks, size, inputSize, numActions) : undefined;
    return {
      batch: { size, observations, legalMasks, actions, behaviourLogProbs, advantages, valueTargets, ...(magnetLogProbs ? { magnetLogProbs } : {}) },
      trajectories: trajectories.length,
      meanReturn: trajectories.length > 0 ? returns / trajectories.length : 0,
    };
  }
}

/** log pi(a|s) of `policy` for every decision and action ([size, numActions]; 0 at illegal actions). */
function logProbTable(policy: MlpPolicy, observations: Float32Array, masks: Uint8Array, size: number, inputSize: number, numActions: number): Float32Array {
  const out = new Float32Array(size * numActions);
  const legal: number[] = [];
  for (let i = 0; i < size; i++) {
    legal.length = 0;
    for (let a = 0; a < numActions; a++) if (masks[i * numActions + a] === 1) legal.push(a);
    const p = policy.probabilities(observations.subarray(i * inputSize, (i + 1) * inputSize), legal);
    for (const a of legal) out[i * numActions + a] = Math.log(p[a]!);
  }
  return out;
}

/**
 * One batch from a list of records (the in-process loop's path): records that do not replay are returned in
 * `skipped` for the caller to log.
 */
export function experienceFromRecords(
  records: readonly MatchRecord[],
  opts: AdvantageOptions & { readonly game: AnyGame; readonly learnSeats: LearnSeats; readonly behaviour: BehaviourPolicies },
): Experience & { readonly skipped: readonly { readonly recordId: string; readonly error: ArenaError }[] } {
  const buffer = new ExperienceBuffer(opts.game);
  const skipped: { recordId: string; error: ArenaError }[] = [];
  for (const record of records) {
    try {
      buffer.add(record, opts.learnSeats, opts.behaviour);
    } catch (error) {
      if (!isArenaError(error)) throw error;
      skipped.push({ recordId: record.id, error });
    }
  }
  return { ...buffer.take(opts), skipped };
}
