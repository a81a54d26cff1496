/**
 * The learner process loop (`arena learn`): follows the store's feed of finished matches, keeps the records that
 * involve its own recent snapshots, rebuilds each learning seat's trajectory by replaying the record through the
 * game, runs PPO updates, and every `publishEvery` updates publishes a snapshot that the actors then schedule.
 *
 * Exactly once. The learner's whole state (model, optimizer moments, advantage baselines, generator) is saved as
 * one blob together with the feed cursor, the list of feed entries consumed since the last checkpoint, and the
 * snapshot published from that state, in ONE store transaction (saveLearnerCheckpoint). Checkpoints are taken
 * right after an update, when no read-but-untrained sample is buffered, so "consumed" means "its samples are in
 * the saved weights". A learner killed at any point restarts from the last checkpoint: entries after its cursor
 * are read again (their earlier effect died with the process), entries before it never are. The store refuses a
 * second consumption of an entry, so the guarantee does not rest on this loop alone.
 *
 * Reading ahead is recorded separately (cursor `learner:<name>:read`, not transactional) so the actors can apply
 * backpressure; it never decides what is consumed.
 */
import type { Logger } from 'pino';
import { ArenaError } from '../environments/core/errors';
import type { AnyGame } from '../environments/core/game';
import type { MatchRecord } from '../engine/record';
import type { ArenaStore, LearnerConsumedRow, SnapshotInfoRow, SnapshotRow } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { sleep } from './sleep';
import { learnerAgent, runNames, type LearnerLine } from './lines';
import { snapshotFile } from './match-schedule';
import type { TrainingCore, UpdateStats } from './training-core';

export interface LearnerProgress {
  /** The line's agent name. */
  readonly line: string;
  readonly updates: number;
  readonly samples: number;
  readonly samplesPerSecond: number;
  readonly records: { readonly used: number; readonly filtered: number; readonly bad: number };
  readonly seconds: number;
  /** Set on the update that published a snapshot. */
  readonly snapshot?: { readonly id: string; readonly step: number; readonly evaluation: Readonly<Record<string, number>> };
  readonly stats?: UpdateStats;
}

export interface LearnerOptions {
  readonly store: ArenaStore;
  readonly scenario: Scenario;
  readonly dataDir: string;
  readonly core: TrainingCore;
  /** The line this learner trains (default: the scenario's only line; AlphaStar scenarios have one per role slot). */
  readonly line?: LearnerLine;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  /** Feed entries read per poll (default 256). */
  readonly pageSize?: number;
  /** Idle wait between empty polls, ms (default 25). */
  readonly pollMs?: number;
  /** Evaluates a published snapshot (NashConv, win rates); its numbers go to the progress line and the curve. */
  readonly evaluate?: (snapshot: SnapshotRow, updates: number) => Promise<Readonly<Record<string, number>>> | Readonly<Record<string, number>>;
  readonly onProgress?: (p: LearnerProgress) => void;
}

export class Learner {
  private readonly names;
  private readonly agent;
  private readonly game: AnyGame;
  /** The scenario's parameters as records write them, compared against every record read. */
  private readonly paramsKey: string;
  private cursor = 0; // last consumed (checkpointed or pending) feed seq
  private readSeq = 0; // last read seq
  private updates = 0;
  private samples = 0;
  private pending: LearnerConsumedRow[] = []; // consumed since the last checkpoint
  private buffered: LearnerConsumedRow[] = []; // read, samples buffered, not yet in an update
  private readonly counts = { used: 0, filtered: 0, bad: 0 };
  /** The line's snapshots without weights (a long run has hundreds); artifacts come from the store when needed. */
  private snapshots: SnapshotInfoRow[] = [];

  constructor(private readonly options: LearnerOptions) {
    this.names = runNames(options.scenario, options.line);
    this.agent = learnerAgent(options.store, options.scenario, options.line);
    this.game = options.scenario.game.rules;
    this.paramsKey = JSON.stringify(this.game.params);
  }

  get updateCount(): number {
    return this.updates;
  }

  /** Restores the last checkpoint, or publishes the initial snapshot (update 0) of a new learner. */
  start(): void {
    const { store, core } = this.options;
    const checkpoint = store.loadLearnerCheckpoint(this.names.learner);
    if (checkpoint) {
      core.loadState(checkpoint.state);
      this.cursor = checkpoint.cursor;
      this.updates = checkpoint.updates;
      this.options.log.info({ learner: this.names.learner, cursor: this.cursor, updates: this.updates }, 'learner resumed from checkpoint');
    } else {
      this.checkpoint(true);
      this.options.log.info({ learner: this.names.learner }, 'new learner: initial snapshot published');
    }
    this.readSeq = this.cursor;
    this.refreshSnapshots();
  }

  /** Runs until `signal` aborts or the scenario's update budget is reached. */
  async run(): Promise<void> {
    const { store, scenario, signal, core } = this.options;
    const pageSize = this.options.pageSize ?? 256;
    const maxUpdates = scenario.learner?.updates ?? Number.POSITIVE_INFINITY;
    const started = performance.now();
    let trainSeconds = 0;
    while (!signal?.aborted && this.updates < maxUpdates) {
      const page = store.feedAfter(this.readSeq, pageSize);
      if (page.length === 0) {
        await sleep(this.options.pollMs ?? 25, signal);
        continue;
      }
      for (const { seq, record } of page) {
        this.readSeq = seq;
        const used = this.absorb(record);
        this.buffered.push({ seq, matchId: record.id, used });
        if (core.bufferedRecords >= core.recordsPerUpdate) {
          const t0 = performance.now();
          const magnetStep = core.magnetStep(this.updates);
          const magnet = magnetStep === undefined ? undefined : this.snapshots.filter((x) => x.step <= magnetStep).pop();
          const stats = core.update(this.updates, magnet ? this.snapshotArtifact(magnet.id) : undefined);
          trainSeconds += (performance.now() - t0) / 1000;
          this.updates++;
          this.samples += stats.samples;
          this.pending.push(...this.buffered);
          this.buffered = [];
          this.cursor = seq;
          const reset = this.resetIfRequested();
          const publish = reset || this.updates % (scenario.learner?.publishEvery ?? 10) === 0 || this.updates >= maxUpdates;
          const snapshot = publish ? this.checkpoint(true, reset ? { reset: true } : {}) : undefined;
          const evaluation = snapshot && this.options.evaluate ? await this.options.evaluate(snapshot, this.updates) : {};
          this.options.onProgress?.({
            line: this.names.agentName,
            updates: this.updates,
            samples: this.samples,
            samplesPerSecond: trainSeconds > 0 ? this.samples / trainSeconds : 0,
            records: { ...this.counts },
            seconds: (performance.now() - started) / 1000,
            stats,
            ...(snapshot ? { snapshot: { id: snapshot.id, step: snapshot.step, evaluation } } : {}),
          });
          if (this.updates >= maxUpdates || signal?.aborted) break;
        }
      }
      store.setCursor(this.names.readCursor, this.readSeq);
    }
    if (this.pending.length > 0) this.checkpoint(false);
  }

  /**
   * AlphaStar exploiters go back to their initial weights when the actors freeze them (alphastar-schedule.ts):
   * carries out the resets requested since the last one; the caller publishes the fresh weights.
   */
  private resetIfRequested(): boolean {
    const { store, core, log } = this.options;
    const requested = store.getCursor(this.names.resetsRequested);
    if (requested <= store.getCursor(this.names.resetsDone)) return false;
    core.reset();
    store.setCursor(this.names.resetsDone, requested);
    log.info({ learner: this.names.learner, updates: this.updates }, 'learner reset to its initial weights');
    return true;
  }

  /** Adds a record's learning seats to the core's buffer; false when the record is filtered out. */
  private absorb(record: MatchRecord): boolean {
    const { core, scenario, log } = this.options;
    if (record.game.id !== scenario.game.id || record.endReason === 'aborted' || JSON.stringify(record.game.params) !== this.paramsKey) {
      this.counts.filtered++;
      return false;
    }
    const maxLag = scenario.learner?.maxLag ?? 4;
    const recent = this.snapshots.slice(-(maxLag + 1));
    const seats = record.seats.flatMap((s, i) => (s.snapshotId !== undefined && recent.some((r) => r.id === s.snapshotId) ? [i] : []));
    if (seats.length === 0) {
      this.counts.filtered++;
      return false;
    }
    try {
      core.addRecord(record, seats, (seat) => this.snapshotArtifact(record.seats[seat]!.snapshotId!));
      this.counts.used++;
      return true;
    } catch (error) {
      if (!(error instanceof ArenaError)) throw error;
      this.counts.bad++;
      log.warn({ matchId: record.id, code: error.code, err: error.message }, 'learner: record skipped (cannot replay)');
      return false;
    }
  }

  /**
   * A snapshot's weights, read from the store when needed: the training core keeps the behaviour policies it
   * built, so this runs once per snapshot (and once per update for the magnet, when that is on).
   */
  private snapshotArtifact(id: string): string {
    const s = this.options.store.getSnapshot(id);
    if (!s) throw new ArenaError('env/bad-serialization', `unknown snapshot ${id}`);
    return s.artifact;
  }

  private refreshSnapshots(): void {
    this.snapshots = this.options.store.listSnapshotInfos({ agentId: this.agent.id });
  }

  /** One transaction: state + cursor + consumed entries (+ a snapshot of this state when `publish`). */
  private checkpoint(publish: boolean, metadata: Readonly<Record<string, unknown>> = {}): SnapshotRow | undefined {
    const { store, scenario, core, dataDir } = this.options;
    const parent = this.snapshots[this.snapshots.length - 1];
    const snapshot = store.saveLearnerCheckpoint(this.names.learner, {
      cursor: this.cursor,
      updates: this.updates,
      state: core.saveState(),
      consumed: this.pending,
      ...(publish
        ? {
            snapshot: {
              agentId: this.agent.id,
              game: scenario.game.id,
              artifact: core.snapshotArtifact(),
              step: this.updates,
              ...(parent ? { parentId: parent.id } : {}),
              metadata: { learner: this.names.learner, updates: this.updates, samples: this.samples, ...metadata },
            },
          }
        : {}),
    });
    this.pending = [];
    if (snapshot) {
      snapshotFile(dataDir, snapshot); // the actors' file, written before they can see the row's successor
      this.refreshSnapshots();
    }
    return snapshot;
  }
}
