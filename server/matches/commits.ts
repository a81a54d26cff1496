/**
 * Group commit of the server's match rows. A busy arena starts and finishes hundreds of matches a second, and one
 * SQLite commit per write was its largest cost after the sockets; here every start and finish requested in one
 * turn of the event loop is written in a single transaction (each in its own savepoint, so one bad record fails
 * alone), together with what must be committed with a finished match (its ratings). The promises resolve only
 * after the commit, so "durable before announced" holds as with one commit per match.
 */
import type { MatchRecord } from '../../engine/record';
import type { ArenaStore } from '../../population/store/store';

type StartInput = Parameters<ArenaStore['startMatch']>[0];

type Job =
  | { readonly kind: 'start'; readonly input: StartInput; readonly resolve: (v: number) => void; readonly reject: (e: unknown) => void }
  | { readonly kind: 'finish'; readonly record: MatchRecord; readonly resolve: (v: number) => void; readonly reject: (e: unknown) => void };

export class MatchCommits {
  private jobs: Job[] = [];

  constructor(
    private readonly store: ArenaStore,
    /**
     * Runs inside the commit of a finished match, after its record (the ratings); its writes must be one store
     * transaction. A throw is reported through `onError` and does not undo the record: ratings catch up from the
     * feed at the next start.
     */
    private readonly withFinish: (record: MatchRecord, seq: number) => void,
    private readonly onError: (error: unknown, record: MatchRecord) => void,
  ) {}

  /** Records a match as running; resolves once committed. */
  start(input: StartInput): Promise<void> {
    return new Promise<number>((resolve, reject) => this.push({ kind: 'start', input, resolve, reject })).then(() => undefined);
  }

  /** Commits a finished match's record; resolves with its feed position once committed. */
  finish(record: MatchRecord): Promise<number> {
    return new Promise((resolve, reject) => this.push({ kind: 'finish', record, resolve, reject }));
  }

  private push(job: Job): void {
    this.jobs.push(job);
    if (this.jobs.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const jobs = this.jobs;
    this.jobs = [];
    const outcomes: ({ ok: true; value: number } | { ok: false; error: unknown })[] = [];
    try {
      this.store.transaction(() => {
        for (const job of jobs) {
          try {
            // startMatch and finishMatch are transactions themselves: savepoints here.
            if (job.kind === 'start') {
              this.store.startMatch(job.input);
              outcomes.push({ ok: true, value: 0 });
              continue;
            }
            const seq = this.store.finishMatch(job.record);
            outcomes.push({ ok: true, value: seq });
            try {
              this.withFinish(job.record, seq); // its writes are a transaction of their own (applyRatings)
            } catch (error) {
              this.onError(error, job.record);
            }
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is durable.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }
}
