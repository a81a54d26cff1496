/**
 * The server's match commits on a worker thread. Committing starts, records and ratings was a quarter of the
 * server's event loop at 1,000 matches a second; on a thread of its own (its own SQLite connection to the same
 * WAL file) that work runs beside the event loop instead of stalling it. The contract is MatchCommits': a promise
 * resolves after the commit, so "durable before announced" holds. Reads stay on the server's own connection and
 * see every commit once its promise has resolved.
 */
import { Worker } from 'node:worker_threads';
import type { MatchRecord } from '../../engine/record';
import { builtScript } from '../../population/match-pool';
import type { SqliteStoreOptions } from '../../population/store/sqlite-store';
import type { ArenaStore } from '../../population/store/store';
import type { Logger } from '../log';

type StartInput = Parameters<ArenaStore['startMatch']>[0];

export type CommitRequest =
  | { readonly kind: 'start'; readonly id: number; readonly input: StartInput }
  | { readonly kind: 'finish'; readonly id: number; readonly record: MatchRecord }
  | { readonly kind: 'close' };

export type CommitReply =
  | { readonly kind: 'done'; readonly id: number; readonly value: number }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string }
  | { readonly kind: 'rating-failed'; readonly matchId: string; readonly message: string }
  | { readonly kind: 'closed' };

/** Commits match rows: the starts and finishes of MatchSession and MatchService. */
export interface MatchCommitter {
  /** Records a match as running; resolves once committed. */
  start(input: StartInput): Promise<void>;
  /** Commits a finished match's record and its ratings; resolves with its feed position once committed. */
  finish(record: MatchRecord): Promise<number>;
  /** After the last commit: stops taking work and releases the connection. */
  close(): Promise<void>;
}

export class CommitThread implements MatchCommitter {
  private worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  private next = 0;
  private closed: Promise<void> | null = null;
  /** Threads started so far (a dead one is replaced; see `spawn`). */
  restarts = 0;

  constructor(
    private readonly dbPath: string,
    private readonly options: SqliteStoreOptions,
    private readonly log: Logger,
  ) {
    this.worker = this.spawn();
  }

  start(input: StartInput): Promise<void> {
    return this.send((id) => ({ kind: 'start', id, input })).then(() => undefined);
  }

  finish(record: MatchRecord): Promise<number> {
    return this.send((id) => ({ kind: 'finish', id, record }));
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      worker.once('exit', () => resolve());
      worker.on('message', (m: CommitReply) => {
        if (m.kind === 'closed') void worker.terminate();
      });
      worker.postMessage({ kind: 'close' } satisfies CommitRequest);
    });
    return this.closed;
  }

  /** The worker, for tests that need to kill it. */
  get thread(): Worker {
    return this.worker;
  }

  /**
   * Starts a commit thread. If it dies (a bug, an I/O error it could not survive), the commits it held fail (their
   * callers log each record in full and announce nothing) and a new thread takes the next ones: one broken batch
   * must not stop every later match from being recorded.
   */
  private spawn(): Worker {
    const worker = new Worker(builtScript('server/matches/commit-worker.js'), { workerData: { dbPath: this.dbPath, options: this.options } });
    worker.on('message', (m: CommitReply) => {
      if (m.kind === 'rating-failed') return this.log.error({ matchId: m.matchId, err: m.message }, 'could not rate a committed match; ratings catch up at the next start');
      if (m.kind === 'closed') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.kind === 'done') p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    });
    worker.on('error', (err) => this.log.error({ err }, 'commit thread failed'));
    worker.on('exit', (code) => {
      if (this.closed) return;
      const error = new Error(`commit thread exited with code ${code}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.restarts++;
      this.log.error({ code, restarts: this.restarts }, 'commit thread died; starting a new one');
      this.worker = this.spawn();
    });
    return worker;
  }

  private send(request: (id: number) => CommitRequest): Promise<number> {
    if (this.closed) return Promise.reject(new Error('commit thread closed'));
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(request(id));
    });
  }
}
