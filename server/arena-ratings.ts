/**
 * The ratings of matches played on the arena (queued, challenges, lobby matches): rated once each, in the commit
 * of the match (see MatchCommits), with the feed consumer `arena:ratings`; leagues rate their own matches with
 * their own consumer. Start-up catches up on matches committed but not rated (a crash between the two).
 */
import type { MatchRecord } from '../engine/record';
import { applyMatchRatings } from '../population/ratings/apply';
import type { ArenaStore } from '../population/store/store';

/** The feed consumer that rates matches played on the arena. */
export const ARENA_RATINGS = 'arena:ratings';

/** League matches (seats are snapshots) are rated by their league, with its own consumer; never twice. */
export function isLeagueMatch(record: MatchRecord): boolean {
  return record.seats.some((s) => s.snapshotId !== undefined);
}

/** Rates one committed arena match (nothing for a league match). */
export function rateArenaMatch(store: ArenaStore, record: MatchRecord, seq: number): void {
  if (!isLeagueMatch(record)) applyMatchRatings(store, ARENA_RATINGS, seq, record);
}

/** Rates arena matches committed after the consumer's cursor; returns how many. */
export function catchUpRatings(store: ArenaStore): number {
  let caught = 0;
  for (let after = store.getCursor(ARENA_RATINGS); ; ) {
    const page = store.feedAfter(after, 500);
    if (page.length === 0) break;
    for (const { seq, record } of page) {
      after = seq;
      if (isLeagueMatch(record)) continue;
      if (applyMatchRatings(store, ARENA_RATINGS, seq, record)) caught++;
    }
  }
  return caught;
}
