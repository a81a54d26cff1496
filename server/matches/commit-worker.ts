/**
 * Worker thread body of CommitThread: its own SQLite connection to the arena's file, on which it commits match
 * starts and finishes (with their ratings) in groups (MatchCommits), off the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore, type SqliteStoreOptions } from '../../population/store/sqlite-store';
import { rateArenaMatch } from '../arena-ratings';
import { MatchCommits } from './commits';
import type { CommitReply, CommitRequest } from './commit-thread';

const { dbPath, options } = workerData as { dbPath: string; options: SqliteStoreOptions };
const store = SqliteStore.open(dbPath, options);
const commits = new MatchCommits(
  store,
  (record, seq) => rateArenaMatch(store, record, seq),
  (error, record) => parentPort?.postMessage({ kind: 'rating-failed', matchId: record.id, message: errorText(error) } satisfies CommitReply),
);

parentPort?.on('message', (m: CommitRequest) => {
  if (m.kind === 'close') {
    store.close();
    parentPort?.postMessage({ kind: 'closed' } satisfies CommitReply);
    return;
  }
  const done = m.kind === 'start' ? commits.start(m.input).then(() => 0) : commits.finish(m.record);
  done.then(
    (value) => parentPort?.postMessage({ kind: 'done', id: m.id, value } satisfies CommitReply),
    (error: unknown) => parentPort?.postMessage({ kind: 'failed', id: m.id, message: errorText(error) } satisfies CommitReply),
  );
});

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
