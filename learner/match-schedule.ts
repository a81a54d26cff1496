/**
 * What the actors' schedules share: a seat's player (a neural snapshot or a fixed member), the schedule interface
 * the actors' loop asks, and a cache of a learner line's snapshots.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../environments/core/rng';
import type { MatchRecord } from '../engine/record';
import type { ArenaStore, SnapshotInfoRow } from '../population/store/store';
import type { Scenario } from '../scenarios/schema';
import { writeFileAtomic } from './atomic-file';
import { agentNamed } from '../population/store/agent-named';

/** How stale the actors' list of the learner's snapshots may get (ms); the learner publishes every few seconds. */
const REFRESH_MS = 250;

/**
 * Where a neural snapshot's file lives (agents/mlp-snapshot.ts format; the store keeps it base64 in the
 * snapshot's artifact and is the truth): written from the store when missing. `artifact` is read only then.
 */
export function snapshotFile(dataDir: string, snapshot: { readonly id: string; readonly artifact: string } | { readonly id: string; readonly load: () => string }): string {
  const file = join(dataDir, 'snapshots', `${snapshot.id}.mlp`);
  if (!existsSync(file)) writeFileAtomic(file, Buffer.from('artifact' in snapshot ? snapshot.artifact : snapshot.load(), 'base64'));
  return file;
}

/** One seat's player: a snapshot (neural, of a learner line) or a fixed member (an agent spec). */
export interface Opponent {
  readonly id: string; // snapshot id
  readonly spec: (dataDir: string) => string;
  readonly name: string;
  readonly agentId: string;
  /** Fixed members only: the share of matches reserved for this opponent (PopulationEntry.share). */
  readonly share?: number | undefined;
}

/**
 * Who plays match i. The actors' loop asks; a schedule answers from the store and its own payoff table. The
 * learner-line self-play strategies and the AlphaStar league (alphastar-schedule.ts) are the two schedules.
 */
export interface MatchSchedule {
  /** The learner lines' agents (their committed matches count towards the budget). */
  readonly learnerIds: readonly string[];
  /** The learner's read cursors, one per line (backpressure waits for the slowest). */
  readonly readCursors: readonly string[];
  /** The two seats of match i (before seat alternation), or null while a line has no snapshot yet. */
  next(i: number, rng: Rng): readonly [Opponent, Opponent] | null;
  /** A record just committed. */
  finished(record: MatchRecord): void;
}

/** The scenario's fixed members: one agent and one snapshot (the spec) each, as the league runner stores them. */
export function fixedMembers(store: ArenaStore, scenario: Scenario): Opponent[] {
  return scenario.population
    .filter((p) => !p.learner)
    .map((p) => {
      const name = `${scenario.name}.${p.name}`;
      const agent = agentNamed(store, name, 'bot');
      const snap = store.createSnapshot({ agentId: agent.id, game: scenario.game.id, artifact: p.agent, metadata: { spec: p.agent } });
      return { id: snap.id, spec: () => p.agent, name, agentId: agent.id, share: p.share };
    });
}

/**
 * A neural snapshot as a seat. Its file is written (if missing) on first use, not checked again for every match;
 * the weights are read from the store only to write it.
 */
export function neuralOpponent(s: SnapshotInfoRow, agent: { readonly id: string; readonly name: string }, store: ArenaStore, name = `${agent.name}@${s.step}`): Opponent {
  let file: string | undefined;
  const load = (): string => {
    const row = store.getSnapshot(s.id);
    if (!row) throw new Error(`snapshot ${s.id} is not in the store`);
    return row.artifact;
  };
  return { id: s.id, spec: (dir) => `neural:${(file ??= snapshotFile(dir, { id: s.id, load }))}`, name, agentId: agent.id };
}

/**
 * A learner line's snapshots (ids and steps, not weights), re-read at most every REFRESH_MS: a Kuhn run launches
 * hundreds of matches a second, and a long run has hundreds of snapshots.
 */
export class SnapshotCache {
  private at = Number.NEGATIVE_INFINITY;
  private rows: SnapshotInfoRow[] = [];
  private opponents = new Map<string, Opponent>();

  constructor(
    private readonly store: ArenaStore,
    private readonly agent: { readonly id: string; readonly name: string },
  ) {}

  /** Oldest first. */
  snapshots(): readonly SnapshotInfoRow[] {
    const t = performance.now();
    if (t - this.at >= REFRESH_MS) {
      this.at = t;
      const rows = this.store.listSnapshotInfos({ agentId: this.agent.id });
      if (rows.length !== this.rows.length || rows[rows.length - 1]?.id !== this.rows[this.rows.length - 1]?.id) {
        this.rows = rows;
        const next = new Map<string, Opponent>();
        for (const r of rows) next.set(r.id, this.opponents.get(r.id) ?? neuralOpponent(r, this.agent, this.store));
        this.opponents = next;
      }
    }
    return this.rows;
  }

  latest(): SnapshotInfoRow | undefined {
    const rows = this.snapshots();
    return rows[rows.length - 1];
  }

  opponent(id: string): Opponent | undefined {
    return this.opponents.get(id);
  }
}

