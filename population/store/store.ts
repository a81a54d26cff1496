/**
 * The arena's storage interface: agents and their hashed API keys, matches from start to committed record, and
 * the feed of finished matches in commit order (what learners follow with a durable cursor). The embedded default
 * is SQLite (sqlite-store.ts); a Postgres implementation can replace it behind the same interface and run the same
 * adapter test suite.
 */
import type { MatchRecord, SeatInfo } from '../../engine/record';

export const AGENT_KINDS = ['bot', 'person', 'learner'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** What an agent name may be: 1-64 characters of [A-Za-z0-9_.-] (the store refuses anything else). */
export const AGENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface AgentRow {
  readonly id: string;
  /** Unique, matches AGENT_NAME. */
  readonly name: string;
  readonly kind: AgentKind;
  readonly createdAt: string;
}

export type MatchStatus = 'running' | 'finished' | 'aborted';

export interface MatchRow {
  readonly id: string;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly status: MatchStatus;
  readonly seats: readonly SeatInfo[];
  readonly createdAt: string;
  readonly endedAt: string | null;
  readonly returns: readonly number[] | null;
  readonly endReason: string | null;
  /** Position in the feed of finished matches (null while running or when aborted at start-up). */
  readonly seq: number | null;
}

export interface MatchFilter {
  readonly game?: string;
  readonly agentId?: string;
  readonly status?: MatchStatus;
  /** Newest first; at most this many (default 50, at most 500). */
  readonly limit?: number;
  /** Only matches created before this match (for paging: pass the last id of the previous page). */
  readonly before?: string;
}

export interface FeedEntry {
  readonly seq: number;
  readonly record: MatchRecord;
}

/** A snapshot without its artifact (see listSnapshotInfos). */
export type SnapshotInfoRow = Omit<SnapshotRow, 'artifact'>;

/** An immutable policy version of an agent (a learner line's checkpoint, a solver's output, a scripted spec). */
export interface SnapshotRow {
  readonly id: string;
  readonly agentId: string;
  readonly game: string;
  /** sha256 of the artifact: the same artifact of the same agent is the same snapshot. */
  readonly hash: string;
  readonly parentId: string | null;
  /** Training step (or league step) at which it was taken. */
  readonly step: number;
  /** The policy itself: a policy file (JSON text), an agent spec string, or a path to a model. */
  readonly artifact: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** A live rating of a subject (agent or snapshot id) in one game. */
export interface RatingRow {
  readonly game: string;
  readonly subject: string;
  readonly mu: number;
  readonly sigma: number;
  readonly elo: number;
  readonly matches: number;
  readonly updatedAt: string;
}

/** One rating after one match (rating history). */
export interface RatingHistoryRow {
  readonly seq: number;
  readonly matchId: string;
  readonly mu: number;
  readonly sigma: number;
  readonly elo: number;
  readonly at: string;
}

export interface RatingUpdate {
  readonly subject: string;
  readonly mu: number;
  readonly sigma: number;
  readonly elo: number;
}

export interface ArenaStore {
  /** Creates an agent; throws StoreError('conflict') if the name is taken. */
  createAgent(input: { readonly name: string; readonly kind: AgentKind; readonly keyHash: string }): AgentRow;
  /** The agent whose API key hashes to `keyHash` (hex sha256). */
  agentByKeyHash(keyHash: string): AgentRow | undefined;
  getAgent(id: string): AgentRow | undefined;
  agentByName(name: string): AgentRow | undefined;
  listAgents(): AgentRow[];

  /** Records a match as running (before anyone plays). */
  startMatch(input: {
    readonly id: string;
    readonly game: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly seed: number;
    readonly seats: readonly SeatInfo[];
  }): void;
  /**
   * Commits a finished match in one transaction: its record, status ('aborted' when the record says so, else
   * 'finished'), returns and a new feed position. Durable when it returns (the caller announces the result only
   * then). Idempotent: committing the same match id twice keeps the first record and returns its seq.
   */
  finishMatch(record: MatchRecord): number;
  /**
   * Runs `fn` in one write transaction and returns its result: the writes inside (which may be transactions
   * themselves; they nest) commit together, or none does if `fn` throws. Lets a busy server commit the matches
   * that finish at the same moment, and their ratings, with one commit.
   */
  transaction<T>(fn: () => T): T;
  /** Marks every match still 'running' as 'aborted' (start-up recovery after a crash); returns how many. */
  abortRunning(): number;
  getMatch(id: string): MatchRow | undefined;
  /** The committed record of a finished (or aborted-with-record) match. */
  getRecord(id: string): MatchRecord | undefined;
  listMatches(filter?: MatchFilter): MatchRow[];
  /** Finished matches with seq > `afterSeq`, in seq order, at most `limit`. */
  feedAfter(afterSeq: number, limit: number): FeedEntry[];

  /** Durable consumer cursors for the feed (learners): last consumed seq, 0 when new. */
  getCursor(consumer: string): number;
  setCursor(consumer: string, seq: number): void;

  /** Stores a snapshot; idempotent per (agent, artifact hash): the existing snapshot is returned. */
  createSnapshot(input: {
    readonly agentId: string;
    readonly game: string;
    readonly artifact: string;
    readonly parentId?: string;
    readonly step?: number;
    readonly metadata?: Readonly<Record<string, unknown>>;
  }): SnapshotRow;
  getSnapshot(id: string): SnapshotRow | undefined;
  /** Snapshots, oldest first, optionally of one agent and/or game. */
  listSnapshots(filter?: { readonly agentId?: string; readonly game?: string }): SnapshotRow[];
  /**
   * The same list without the artifacts: a learner's hundreds of snapshots carry megabytes of weights, and loops
   * that only need ids and steps (actors, the learner, the opponents list) must not read them. Fetch an artifact
   * with getSnapshot.
   */
  listSnapshotInfos(filter?: { readonly agentId?: string; readonly game?: string }): SnapshotInfoRow[];

  /**
   * Applies the rating updates caused by the feed entry `seq`, exactly once: in one transaction with the
   * `consumer`'s cursor. Returns false (and changes nothing) when the cursor is already at or past `seq`, so a
   * consumer restarted after a crash never double-counts a match.
   */
  applyRatings(consumer: string, game: string, seq: number, matchId: string, updates: readonly RatingUpdate[]): boolean;
  getRating(game: string, subject: string): RatingRow | undefined;
  /** Ratings of a game, best first (by mu - 3 sigma). */
  listRatings(game: string): RatingRow[];
  ratingHistory(game: string, subject: string): RatingHistoryRow[];

  /** The learner's last checkpoint (model, optimizer and advantage state as one blob, plus its feed cursor). */
  loadLearnerCheckpoint(learner: string): LearnerCheckpoint | undefined;
  /**
   * Saves a learner checkpoint in ONE transaction: the state blob, the feed cursor, the list of feed entries
   * consumed since the previous checkpoint, and optionally a snapshot published from this state. A crash before
   * it returns leaves the previous checkpoint whole (the learner re-reads those entries); after it, the entries
   * count as consumed. Throws StoreError('conflict') if an entry was already consumed by this learner
   * (exactly-once is enforced by the store, not just by the learner) or the cursor would move backwards.
   */
  saveLearnerCheckpoint(learner: string, checkpoint: NewLearnerCheckpoint): SnapshotRow | undefined;
  /** Feed entries a learner has consumed, in seq order (what exactly-once tests and `arena learn --status` read). */
  learnerConsumed(learner: string): LearnerConsumedRow[];

  close(): void;
}

/** A learner's saved state. */
export interface LearnerCheckpoint {
  /** Last feed seq this state has consumed. */
  readonly cursor: number;
  /** Optimizer updates so far. */
  readonly updates: number;
  /** Opaque state (the learner's serialised model, optimizer and baselines). */
  readonly state: Uint8Array;
  readonly savedAt: string;
}

export interface LearnerConsumedRow {
  readonly seq: number;
  readonly matchId: string;
  /** True when its data was trained on; false when the learner's filter dropped it (other game, stale snapshot). */
  readonly used: boolean;
}

export interface NewLearnerCheckpoint {
  readonly cursor: number;
  readonly updates: number;
  readonly state: Uint8Array;
  readonly consumed: readonly LearnerConsumedRow[];
  /** A snapshot to publish atomically with this checkpoint. */
  readonly snapshot?: Parameters<ArenaStore['createSnapshot']>[0];
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: 'conflict' | 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
