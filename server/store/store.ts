/**
 * The arena's storage interface: agents and their hashed API keys, matches from start to committed record, and
 * the feed of finished matches in commit order (what learners follow with a durable cursor). The embedded default
 * is SQLite (sqlite-store.ts); a Postgres implementation can replace it behind the same interface and run the same
 * adapter test suite.
 */
import type { MatchRecord, SeatInfo } from '../../engine/record';

export const AGENT_KINDS = ['bot', 'person', 'learner'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export interface AgentRow {
  readonly id: string;
  /** Unique, 1-64 characters of [A-Za-z0-9_.-]. */
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

  close(): void;
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
