/**
 * A pool of worker threads that play matches between local agents through the engine, one match at a time per
 * worker, so league matches use every core. Workers run the compiled engine (dist/), which `npm run build`
 * produces; under ts-based test runners the pool loads the compiled worker script too.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MatchRecord } from '../engine/record';

export interface MatchJob {
  readonly jobId: number;
  /** Match id to use in the record (default: a random UUID). */
  readonly id?: string;
  readonly game: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly seats: readonly {
    readonly spec: string;
    readonly seed: number;
    readonly name: string;
    readonly agentId?: string;
    readonly snapshotId?: string;
  }[];
  /** Base directory for relative policy-file paths in specs. */
  readonly baseDir?: string;
}

export type MatchJobResult = { readonly jobId: number; readonly record: MatchRecord } | { readonly jobId: number; readonly error: string };

/**
 * A compiled worker script by its path under dist/ (e.g. 'population/match-worker.js'): found from dist/ itself,
 * or, under ts-based test runners, in the repo's dist/ that `npm run build` produced.
 */
export function builtScript(path: string): string {
  const dist = basename(dirname(__dirname)) === 'dist' ? dirname(__dirname) : join(__dirname, '..', 'dist');
  const file = join(dist, path);
  if (existsSync(file)) return file;
  throw new Error(`worker not built: run \`npm run build\` (looked for ${file})`);
}

export class MatchPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: MatchRecord) => void; reject: (e: Error) => void }>();
  private readonly queue: { job: MatchJob; resolve: (r: MatchRecord) => void; reject: (e: Error) => void }[] = [];

  constructor(size = availableParallelism()) {
    const script = builtScript('population/match-worker.js');
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(script);
      w.on('message', (m: MatchJobResult) => {
        const p = this.pending.get(m.jobId);
        this.pending.delete(m.jobId);
        if (p) {
          if ('record' in m) p.resolve(m.record);
          else p.reject(new Error(m.error));
        }
        this.idle.push(w);
        this.pump();
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Plays one match on the next free worker. */
  run(job: MatchJob): Promise<MatchRecord> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const { job, resolve, reject } = this.queue.shift()!;
      this.pending.set(job.jobId, { resolve, reject });
      w.postMessage(job);
    }
  }
}
